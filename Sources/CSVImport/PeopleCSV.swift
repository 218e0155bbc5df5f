import Foundation
import TrainingCore

/// A problem with one row of an import file.
public struct RowProblem: Hashable, Sendable {
    /// Spreadsheet row number (the header is row 1).
    public var row: Int
    /// The problem.
    public var problem: FieldProblem

    /// Creates a row problem.
    public init(row: Int, problem: FieldProblem) {
        self.row = row
        self.problem = problem
    }
}

/// Every bad row of a file: nothing is imported while any remain.
public struct RowProblems: Error, Hashable, Sendable {
    /// The file, as named in messages.
    public var file: String
    /// The problems, by row.
    public var items: [RowProblem]

    /// The problems of a file.
    public init(file: String, items: [RowProblem]) {
        self.file = file
        self.items = items
    }
}

/// Maps a participants CSV to person drafts: the one rule set for the CLI and the web upload.
public enum PeopleCSV {
    /// Canonical column names and the header spellings accepted for them (Excel users write Bosnian).
    public static let columns: [SheetColumn] = [
        .personalNumber,
        SheetColumn("given_name", required: true, aliases: ["ime", "given name", "first_name"]),
        SheetColumn("family_name", required: true, aliases: ["prezime", "family name", "last_name", "surname"]),
        SheetColumn("sex", required: false, aliases: ["spol", "pol", "gender"]),
        SheetColumn("email", required: true, aliases: ["e-mail", "e_mail", "mail", "email_adresa"]),
        SheetColumn("department", required: true, aliases: ["odjeljenje", "department_code", "sifra_odjeljenja"]),
        SheetColumn("job_title", required: false, aliases: ["radno_mjesto", "job title", "position", "pozicija"]),
        SheetColumn("employed_since", required: false, aliases: ["zaposlen_od", "datum_zaposlenja", "employment_date", "start_date"]),
    ]

    /// Drafts for every row, or every problem of every row (wrong column count, missing or bad fields,
    /// a personal number twice in the file).
    public static func drafts(from table: CSVTable, file: String,
                              knownDepartments: Set<DepartmentCode>) throws -> [(row: Int, draft: PersonDraft)] {
        let index = try ColumnMap.index(table.header, columns: columns, file: file)
        // Rows are checked on all cores (each on its own); only the duplicate check needs them in order.
        let checked = try concurrentMap(chunks(of: table.rows)) { rows in
            rows.map { row in check(row, header: table.header, index: index, knownDepartments: knownDepartments) }
        }.joined()
        var drafts: [(row: Int, draft: PersonDraft)] = []
        drafts.reserveCapacity(table.rows.count)
        var problems: [RowProblem] = []
        var firstRowOfNumber = [String: Int](minimumCapacity: table.rows.count)
        for (row, check) in zip(table.rows, checked) {
            guard case .checked(let result) = check else {
                if case .wrongColumnCount(let problem) = check { problems.append(problem) }
                continue
            }
            // A personal number twice is reported even when the first row has other problems.
            let number = (index["personal_number"].map { row.fields[$0] } ?? "").trimmingWhitespace
            if !number.isEmpty {
                if let first = firstRowOfNumber[number] {
                    problems.append(RowProblem(row: row.number, problem: FieldProblem(
                        field: "personal_number", messageKey: "csv.error.duplicate_personal_number",
                        arguments: ["value": number, "first_row": String(first)])))
                    continue
                }
                firstRowOfNumber[number] = row.number
            }
            switch result {
            case .failure(let list):
                problems += list.problems.map { RowProblem(row: row.number, problem: $0) }
            case .success(let draft):
                drafts.append((row.number, draft))
            }
        }
        if !problems.isEmpty { throw RowProblems(file: file, items: problems) }
        return drafts
    }

    /// What one row holds, checked on its own.
    private enum RowCheck: Sendable {
        case wrongColumnCount(RowProblem)
        case checked(Result<PersonDraft, ProblemList>)
    }

    private static func check(_ row: CSVTable.Row, header: [String], index: [String: Int],
                              knownDepartments: Set<DepartmentCode>) -> RowCheck {
        if let problem = ColumnMap.columnCountProblem(row, header: header) { return .wrongColumnCount(problem) }
        func value(_ name: String) -> String? { index[name].map { row.fields[$0] } }
        return .checked(PersonValidation.draft(
            personalNumber: value("personal_number") ?? "", givenName: value("given_name") ?? "",
            familyName: value("family_name") ?? "", sex: value("sex"), email: value("email") ?? "",
            department: value("department") ?? "", jobTitle: value("job_title"), employedSince: value("employed_since"),
            knownDepartments: knownDepartments))
    }

    /// Rows in one chunk per core for a large file, else in one.
    private static func chunks(of rows: [CSVTable.Row]) -> [ArraySlice<CSVTable.Row>] {
        let count = rows.count >= 2_000 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let size = (rows.count + count - 1) / max(count, 1)
        return stride(from: 0, to: rows.count, by: max(size, 1)).map { rows[$0..<min($0 + size, rows.count)] }
    }
}
