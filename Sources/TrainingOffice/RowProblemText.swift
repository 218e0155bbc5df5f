import CSVImport
import Localization

/// A CSV row problem as one line: file, row, field and message.
public enum RowProblemText {
    public static func line(_ item: RowProblem, file: String, localizer t: Localizer) -> String {
        var arguments = item.problem.arguments
        arguments["field"] = item.problem.field ?? arguments["field"] ?? ""
        let message = t(item.problem.messageKey, arguments)
        if let field = item.problem.field {
            // The column in words, then as the file's header names it (the file may be in any language).
            return t("csv.row_field_problem", ["file": file, "row": String(item.row), "label": t.ifPresent("csv.field.\(field)") ?? field,
                                               "field": field, "message": message])
        }
        return t("csv.row_problem", ["file": file, "row": String(item.row), "message": message])
    }
}
