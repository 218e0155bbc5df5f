import CSV
@testable import CSVImport
import Foundation
import Testing

/// A large file is cut into pieces read on all cores: the cuts must fall exactly where CSV.swift's reader
/// ends records, whatever the quoting, line ends or stray quotes.
@Suite struct PiecewiseReadingTests {
    /// Deterministic pseudo-random numbers (SplitMix64), so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Text made of the characters that matter to the reader, in any order: quotes (also stray and doubled),
    /// both delimiters, CR, LF, CRLF, spaces and a letter outside ASCII.
    static func randomText(_ generator: inout SplitMix, length: Int) -> String {
        let alphabet = ["\"", "\"\"", ";", ",", "\r", "\n", "\r\n", " ", "a", "Đ", "\"a;b\"", "x"]
        return (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
    }

    static func records(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: ";")
        var records: [[String]] = []
        while let fields = reader.next() { records.append(fields) }
        return records
    }

    @Test func piecesReadOneByOneGiveTheRecordsOfTheWholeText() throws {
        var generator = SplitMix(state: 2026)
        var cutTexts = 0
        for _ in 0..<300 {
            let text = Self.randomText(&generator, length: Int(generator.next() % 300))
            let whole = try Self.records(text)
            for count in 2...5 {
                let pieces = CSVTable.recordAlignedPieces(text, delimiter: UInt8(ascii: ";"), count: count)
                #expect(pieces.joined() == text)
                #expect(pieces.count <= count)
                if pieces.count > 1 { cutTexts += 1 }
                let pieced = try pieces.flatMap { try Self.records(String($0)) }
                #expect(pieced == whole, "text \(text.debugDescription) in \(pieces.count) pieces")
                if pieced != whole { return }
            }
        }
        #expect(cutTexts > 600)  // most texts were really cut
    }

    @Test func aLargeFileReadInPiecesEqualsItReadAtOnce() throws {
        // Quoted titles with the delimiter, quotes and line breaks inside, CRLF line ends, blank rows.
        var lines = ["personal_number;given_name;family_name;sex;email;department;job_title"]
        for number in 1...3_000 {
            lines.append("\(1_000_000 + number);Ana;Đukić;Ž;ana\(number)@example.ba;EIMS;\"viši \"\"referent\"\"; odsjek\r\nza \(number)\"")
            if number % 500 == 0 { lines.append(";;;;;;") }
        }
        let data = Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8)
        let atOnce = try CSVTable.decode(data, file: "t.csv", parallelFrom: .max)
        let inPieces = try CSVTable.decode(data, file: "t.csv", parallelFrom: 0)
        #expect(inPieces.header == atOnce.header)
        #expect(inPieces.rows.map(\.number) == atOnce.rows.map(\.number))
        #expect(inPieces.rows.map(\.fields) == atOnce.rows.map(\.fields))
        #expect(atOnce.rows.count == 3_000)
        #expect(atOnce.rows.last?.number == 3_006)  // after the header and five of the six blank rows
        #expect(atOnce.rows[0].fields[6] == "viši \"referent\"; odsjek\r\nza 1")
    }

    @Test func rowsCheckedOnAllCoresReportProblemsInFileOrder() throws {
        // 3,000 rows (checked in parallel): a bad e-mail early, a duplicate across the halves, a wrong
        // column count late; the problems come back in row order, the duplicate naming its first row.
        var lines = ["personal_number;given_name;family_name;email;department"]
        for number in 1...3_000 {
            switch number {
            case 10: lines.append("P\(number);Ana;Babić;no-at-sign;EIMS")
            case 2_900: lines.append("P5;Ana;Babić;a@b.ba;EIMS")
            case 2_950: lines.append("P\(number);Ana;Babić;a@b.ba")
            default: lines.append("P\(number);Ana;Babić;a\(number)@b.ba;EIMS")
            }
        }
        let table = try CSVTable.decode(Data(lines.joined(separator: "\n").utf8), file: "t.csv")
        do {
            _ = try PeopleCSV.drafts(from: table, file: "t.csv", knownDepartments: knownDepartments)
            Issue.record("a file with bad rows was accepted")
        } catch let problems as RowProblems {
            #expect(problems.items.map(\.row) == [11, 2_901, 2_951])
            #expect(problems.items.map(\.problem.field) == ["email", "personal_number", nil])
            #expect(problems.items[1].problem.arguments["first_row"] == "6")
        }
    }
}
