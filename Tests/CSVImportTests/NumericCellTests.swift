import CSVImport
import Foundation
import MistypedNumbers
import Testing
import TrainingCore

/// Every numeric column of every sheet (taken from the sheets' column definitions) reads each mistyped number through
/// the one reader: the value stored is the reader's, and a refusal is the reader's, naming the column and the row.
@Suite struct NumericCellTests {
    /// A valid cell for each column of the sheets that have numbers; the column under test gets the sample instead.
    static let validCells = ["personal_number": "1001", "status": "late", "minutes_present": "30", "note": "",
                             "score": "50", "attempt": "1"]

    /// Reads a one-row sheet and returns the numbers of its row by column name.
    static func read(sheet: String, _ table: CSVTable) throws -> [String: Double?] {
        switch sheet {
        case "attendance":
            let row = try #require(try AttendanceCSV.rows(from: table, file: "list.csv").first)
            return ["minutes_present": row.minutes.map(Double.init)]
        case "scores":
            let row = try #require(try ScoresCSV.rows(from: table, file: "list.csv").first)
            return ["score": row.score, "attempt": row.attempt.map(Double.init)]
        default:
            Issue.record("no reader in this test for the numbers of sheet \(sheet)")
            return [:]
        }
    }

    @Test func everyNumericCellIsReadOrRefusedByTheOneReader() throws {
        let columns = Sheets.numericColumns
        #expect(Set(columns.map { "\($0.sheet).\($0.column.name)" }) == ["attendance.minutes_present", "scores.score", "scores.attempt"])
        for (sheet, column) in columns {
            let names = try #require(Sheets.all.first { $0.sheet == sheet }).columns.map(\.name)
            for sample in MistypedNumbers.samples {
                let cells = names.map { $0 == column.name ? sample : Self.validCells[$0] ?? "" }
                let text = names.joined(separator: ";") + "\r\n" + cells.joined(separator: ";") + "\r\n"
                let table = try CSVTable.decode(Data(text.utf8), file: "list.csv", delimiter: ";")
                let context = "\(sheet).\(column.name) ← “\(sample)”"
                let field = try #require(column.number)
                // An empty optional cell is a value not given.
                if sample.trimmingWhitespace.isEmpty, !column.required {
                    #expect(try Self.read(sheet: sheet, table)[column.name] == .some(nil), "\(context)")
                    continue
                }
                switch MistypedNumbers.expected(sample, field, name: column.name) {
                case .success(let value):
                    let read = try Self.read(sheet: sheet, table)[column.name]
                    #expect(read == .some(value), "\(context)")
                    #expect(read??.sign != .minus, "\(context): negative zero stored")
                case .failure(let error):
                    do {
                        _ = try Self.read(sheet: sheet, table)
                        Issue.record("\(context) was accepted")
                    } catch let problems as RowProblems {
                        #expect(problems.items == [RowProblem(row: 2, problem: FieldProblem(
                            field: nil, messageKey: error.messageKey, arguments: error.messageArguments))], "\(context)")
                        #expect(error.messageArguments["field"] == column.name, "\(context)")
                    }
                }
            }
        }
    }
}
