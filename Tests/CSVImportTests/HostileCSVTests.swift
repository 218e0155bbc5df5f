import CSVImport
import Foundation
import Testing
import TrainingCore

/// Hostile CSV files (Fixtures/hostile/): each is refused cleanly or imported only as inert text.
@Suite struct HostileCSVTests {
    func decode(_ name: String) throws -> CSVTable {
        try CSVTable.decode(try fixture("hostile/\(name)"), file: name)
    }

    @Test func formulaCellsAreImportedAsPlainText() throws {
        let table = try decode("formula-injection.csv")
        let people = try PeopleCSV.drafts(from: table, file: "f.csv", knownDepartments: knownDepartments).map(\.draft)
        #expect(people.count == 1)
        #expect(people[0].givenName == #"=HYPERLINK("http://x.example";"klik")"#)
        #expect(people[0].jobTitle == "+cmd|calc")
    }

    @Test func nulBytesAndInvalidEncodingsAreEncodingErrors() throws {
        for name in ["nul-bytes.csv", "invalid-encoding.csv"] {
            #expect(throws: CSVImportError.self, "\(name)") { try decode(name) }
            do {
                _ = try decode(name)
            } catch let error as CSVImportError {
                #expect(error.messageKey == "csv.error.encoding", "\(name): \(error)")
            }
        }
    }

    @Test func anUnterminatedQuoteNamesItsRow() throws {
        #expect(throws: CSVImportError.unterminatedQuote(file: "unterminated-quote.csv", row: 2)) {
            try decode("unterminated-quote.csv")
        }
    }

    @Test func aHundredThousandColumnsIsAColumnCountProblemNotACrash() throws {
        let header = "personal_number;given_name;family_name;sex;email;department;job_title"
        let wide = (0..<100_000).map { "c\($0)" }.joined(separator: ";")
        let problems = try rowProblems(header + "\r\n" + wide + "\r\n")
        #expect(problems.count == 1 && problems[0].row == 2)
        #expect(problems[0].problem.messageKey == "csv.error.column_count")
    }

    @Test func aFileOverTheSizeLimitIsRefusedBeforeParsing() throws {
        // Ten million rows would be far larger; the limit stops any file past it without reading rows.
        let row = Data("1001;Amra;Hodžić;Ž;a@uprava.example;EIMS;x\r\n".utf8)
        var data = Data("personal_number;given_name;family_name;sex;email;department;job_title\r\n".utf8)
        let limit = 1 << 20
        while data.count <= limit { data.append(row) }
        #expect(throws: CSVImportError.tooLarge(file: "big.csv", limit: limit)) {
            try CSVTable.decode(data, file: "big.csv", maximumBytes: limit)
        }
    }
}
