import TrainingCore

/// Maps a sign-in CSV (`personal_number;status;minutes_present;note`) to attendance rows.
public enum AttendanceCSV {
    /// One row of a sign-in sheet.
    public struct Row: Hashable, Sendable {
        public var row: Int
        public var personalNumber: String
        public var status: AttendanceStatus
        public var minutes: Int?
        public var note: String?
    }

    public static let columns: [SheetColumn] = [
        .personalNumber,
        SheetColumn("status", required: true, aliases: ["prisustvo", "status_prisustva"]),
        minutesPresent,
        SheetColumn("note", required: false, aliases: ["napomena", "biljeska", "bilješka"]),
    ]
    static let minutesPresent = SheetColumn("minutes_present", required: false,
                                            aliases: ["minuta", "minute", "minuta_prisustva", "minutes"], number: .minutes)

    /// Status words as coordinators write them, in Bosnian, Serbian (both scripts) and English.
    static let statusWords: [String: AttendanceStatus] = [
        "present": .present, "prisutan": .present, "prisutna": .present, "p": .present, "da": .present,
        "присутан": .present, "присутна": .present,
        "late": .late, "zakasnio": .late, "zakasnila": .late, "kasni": .late, "закаснио": .late, "закаснила": .late,
        "excused": .excused, "opravdano": .excused, "opravdano odsutan": .excused, "opravdano odsutna": .excused,
        "оправдано": .excused,
        "absent": .absent, "odsutan": .absent, "odsutna": .absent, "ne": .absent, "одсутан": .absent, "одсутна": .absent,
    ]

    /// Every row, or every problem of every row (unknown status, bad minutes, a person twice).
    public static func rows(from table: CSVTable, file: String) throws -> [Row] {
        let index = try ColumnMap.index(table.header, columns: columns, file: file)
        var rows: [Row] = []
        var problems: [RowProblem] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            if let problem = ColumnMap.columnCountProblem(row, header: table.header) {
                problems.append(problem)
                continue
            }
            func value(_ name: String) -> String { index[name].map { row.fields[$0].trimmingWhitespace } ?? "" }
            let number = value("personal_number")
            var rowProblems: [FieldProblem] = []
            if number.isEmpty {
                rowProblems.append(FieldProblem(field: "personal_number", messageKey: "people.error.required"))
            } else if let first = seen[number] {
                rowProblems.append(FieldProblem(field: "personal_number", messageKey: "csv.error.duplicate_personal_number",
                                                arguments: ["value": number, "first_row": String(first)]))
            } else {
                seen[number] = row.number
            }
            let status = statusWords[value("status").lowercased()]
            if status == nil {
                rowProblems.append(FieldProblem(field: "status", messageKey: "attendance.error.status", arguments: ["value": value("status")]))
            }
            var minutes: Int?
            let minutesText = value("minutes_present")
            if !minutesText.isEmpty {
                do throws(NumberInputError) {
                    minutes = Int(try Self.minutesPresent.read(minutesText))
                } catch {
                    rowProblems.append(FieldProblem(error))
                }
            }
            if rowProblems.isEmpty, let status {
                let note = value("note")
                rows.append(Row(row: row.number, personalNumber: number, status: status, minutes: minutes,
                                note: note.isEmpty ? nil : note))
            } else {
                problems += rowProblems.map { RowProblem(row: row.number, problem: $0) }
            }
        }
        if !problems.isEmpty { throw RowProblems(file: file, items: problems) }
        return rows
    }
}

/// Header names to column positions, with the spellings accepted for each column.
enum ColumnMap {
    /// A row with another number of cells than the header has.
    static func columnCountProblem(_ row: CSVTable.Row, header: [String]) -> RowProblem? {
        guard row.fields.count != header.count else { return nil }
        return RowProblem(row: row.number, problem: FieldProblem(
            field: nil, messageKey: "csv.error.column_count",
            arguments: ["found": String(row.fields.count), "expected": String(header.count)]))
    }

    static func index(_ header: [String], columns: [SheetColumn],
                      file: String) throws -> [String: Int] {
        var index: [String: Int] = [:]
        var unknown: [String] = []
        for (position, raw) in header.enumerated() {
            let name = raw.lowercased().trimmingWhitespace
            if let column = columns.first(where: { $0.name == name || $0.aliases.contains(name) }) {
                index[column.name] = position
            } else {
                unknown.append(raw)
            }
        }
        let missing = columns.filter { $0.required && index[$0.name] == nil }.map(\.name)
        if !missing.isEmpty { throw CSVImportError.missingColumns(file: file, columns: missing) }
        if !unknown.isEmpty { throw CSVImportError.unknownColumns(file: file, columns: unknown) }
        return index
    }
}

/// Maps a results CSV (`personal_number;score[;attempt]`) to scores; decimal comma or point.
public enum ScoresCSV {
    public struct Row: Hashable, Sendable {
        public var row: Int
        public var personalNumber: String
        public var score: Double
        public var attempt: Int?
    }

    public static let columns: [SheetColumn] = [.personalNumber, score, attempt]
    static let score = SheetColumn("score", required: true, aliases: ["rezultat", "bodovi", "points"], number: .score)
    static let attempt = SheetColumn("attempt", required: false, aliases: ["pokusaj", "pokušaj"], number: .attempt)

    /// Every row, or every problem of every row.
    public static func rows(from table: CSVTable, file: String) throws -> [Row] {
        let index = try ColumnMap.index(table.header, columns: columns, file: file)
        var rows: [Row] = []
        var problems: [RowProblem] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            if let problem = ColumnMap.columnCountProblem(row, header: table.header) {
                problems.append(problem)
                continue
            }
            func value(_ name: String) -> String { index[name].map { row.fields[$0].trimmingWhitespace } ?? "" }
            let number = value("personal_number")
            let scoreText = value("score")
            let attemptText = value("attempt")
            var rowProblems: [FieldProblem] = []
            if number.isEmpty {
                rowProblems.append(FieldProblem(field: "personal_number", messageKey: "people.error.required"))
            } else if let first = seen[number], attemptText.isEmpty {
                rowProblems.append(FieldProblem(field: "personal_number", messageKey: "csv.error.duplicate_personal_number",
                                                arguments: ["value": number, "first_row": String(first)]))
            } else {
                seen[number] = row.number
            }
            var score: Double?
            do throws(NumberInputError) {
                score = try Self.score.read(scoreText)
            } catch {
                rowProblems.append(FieldProblem(error))
            }
            var attempt: Int?
            if !attemptText.isEmpty {
                do throws(NumberInputError) {
                    attempt = Int(try Self.attempt.read(attemptText))
                } catch {
                    rowProblems.append(FieldProblem(error))
                }
            }
            if rowProblems.isEmpty, let score {
                rows.append(Row(row: row.number, personalNumber: number, score: score, attempt: attempt))
            } else {
                problems += rowProblems.map { RowProblem(row: row.number, problem: $0) }
            }
        }
        if !problems.isEmpty { throw RowProblems(file: file, items: problems) }
        return rows
    }
}

extension FieldProblem {
    /// A number refused in a cell: the message names the column itself.
    init(_ error: NumberInputError) {
        self.init(field: nil, messageKey: error.messageKey, arguments: error.messageArguments)
    }
}

/// A column of a sheet obuka imports: its canonical name, whether it must be there, the header spellings accepted for it
/// (Excel users write Bosnian), and for a numeric column what it allows.
public struct SheetColumn: Sendable {
    public let name: String
    public let required: Bool
    public let aliases: [String]
    /// What a numeric column allows; nil for text.
    public let number: NumberField?

    init(_ name: String, required: Bool, aliases: [String], number: NumberField? = nil) {
        self.name = name
        self.required = required
        self.aliases = aliases
        self.number = number
    }

    /// The personal-number column every import starts with, and the headers Excel users write for it.
    static let personalNumber = SheetColumn("personal_number", required: true,
                                            aliases: ["jmb", "jmbg", "maticni_broj", "matični_broj", "personal number"])

    /// Reads a cell of a numeric column; a refusal names the column.
    func read(_ text: String) throws(NumberInputError) -> Double {
        guard let number else { preconditionFailure("\(name) is not a numeric column") }
        return try number.read(text, field: name)
    }
}

/// The sheets obuka imports, by name, with their columns: the people register, a session's sign-in sheet, an
/// assessment's results.
public enum Sheets {
    public static let all: [(sheet: String, columns: [SheetColumn])] = [
        ("people", PeopleCSV.columns), ("attendance", AttendanceCSV.columns), ("scores", ScoresCSV.columns),
    ]

    /// Every numeric column of every sheet (a test feeds each the numbers people mistype).
    public static var numericColumns: [(sheet: String, column: SheetColumn)] {
        all.flatMap { sheet in sheet.columns.filter { $0.number != nil }.map { (sheet.sheet, $0) } }
    }
}
