import CSV
import Foundation
import TrainingCore

/// A CSV file decoded the way Excel in a Bosnian locale writes it: UTF-8 with or without BOM, or
/// Windows-1250; `,` or `;`; CRLF or LF; quoted fields with delimiters, quotes and line breaks.
public struct CSVTable: Sendable {
    /// One data record.
    public struct Row: Sendable {
        /// The spreadsheet row number (the header is row 1).
        public var number: Int
        /// The cells.
        public var fields: [String]
    }

    /// The text encoding the file was read as.
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case windows1250 = "Windows-1250"
    }

    /// Column names as written (trimmed).
    public var header: [String]
    /// Data rows (blank rows skipped).
    public var rows: [Row]
    /// The delimiter used.
    public var delimiter: Character
    /// The encoding detected.
    public var encoding: Encoding

    /// Decodes CSV bytes; `delimiter` nil means detect `,` or `;` from the header line. A text of at least
    /// `parallelFrom` bytes is read in pieces on all cores (tests and the fuzzer lower it to compare both ways).
    public static func decode(_ data: Data, file: String, delimiter: Character? = nil,
                              maximumBytes: Int = 32 * 1024 * 1024, parallelFrom: Int = parallelThreshold) throws -> CSVTable {
        guard data.count <= maximumBytes else { throw CSVImportError.tooLarge(file: file, limit: maximumBytes) }
        let (text, encoding) = try decodeText(data, file: file)
        guard !text.allSatisfy(\.isWhitespace) else { throw CSVImportError.empty(file: file) }
        let chosen = delimiter ?? detectDelimiter(text)
        guard chosen == "," || chosen == ";" || chosen == "\t", let scalar = chosen.unicodeScalars.first else {
            throw CSVImportError.unsupportedDelimiter(file: file, delimiter: String(chosen))
        }
        if let row = unterminatedQuoteRow(text) { throw CSVImportError.unterminatedQuote(file: file, row: row) }
        // A large file is cut at record boundaries and the pieces read on all cores; the records are the same.
        let pieces = text.utf8.count >= parallelFrom
            ? recordAlignedPieces(text, delimiter: UInt8(scalar.value), count: max(2, ProcessInfo.processInfo.activeProcessorCount))
            : [Substring(text)]
        // Records with whether each is blank (every field empty or whitespace), worked out in parallel too.
        let records = try concurrentMap(pieces) { piece in
            let reader = try CSVReader(string: String(piece), hasHeaderRow: false, trimFields: false, delimiter: scalar)
            var records: [(fields: [String], blank: Bool)] = []
            while let fields = reader.next() {
                records.append((fields, fields.allSatisfy { $0.trimmingWhitespace.isEmpty }))
            }
            return records
        }.joined()
        guard let header = records.first?.fields else { throw CSVImportError.empty(file: file) }
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        var number = 1
        for record in records.dropFirst() {
            number += 1
            if !record.blank { rows.append(Row(number: number, fields: record.fields)) }
        }
        return CSVTable(header: header.map(\.trimmingWhitespace), rows: rows, delimiter: chosen, encoding: encoding)
    }

    /// Files from this size up are read in pieces in parallel (below it, starting threads costs more than it saves).
    public static let parallelThreshold = 128 * 1024

    /// `text` cut into at most `count` pieces of about equal size, each ending where CSV.swift's reader ends a
    /// record: after a line feed that is not inside a quoted field. The scan follows the reader's own rules
    /// (a quote opens a quoted field only as a field's first character, `""` inside one is a quote, a quote
    /// followed by anything but a delimiter or line end leaves the field open), so the pieces read one by one
    /// give exactly the records of the whole text (tested, and checked by the CSV fuzz target).
    static func recordAlignedPieces(_ text: String, delimiter: UInt8, count: Int) -> [Substring] {
        var text = text
        let cuts = text.withUTF8 { recordBoundaries($0, delimiter: delimiter, count: count) }
        var pieces: [Substring] = []
        var start = text.utf8.startIndex
        for cut in cuts {
            let end = text.utf8.index(text.utf8.startIndex, offsetBy: cut)
            pieces.append(text[start..<end])
            start = end
        }
        pieces.append(text[start...])
        return pieces
    }

    /// Byte offsets of at most `count - 1` record boundaries spreading `bytes` into about equal pieces.
    private static func recordBoundaries(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, count: Int) -> [Int] {
        guard count > 1, bytes.count > 1 else { return [] }
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var cuts: [Int] = []
        var target = bytes.count / count
        var state = State.fieldStart
        for (offset, byte) in bytes.enumerated() {
            // A CR or LF outside a quoted field ends the record. The LF of a CRLF then reads here as one more
            // line end, which is harmless: pieces are cut only after a LF, so never between the two.
            var endsRecord = false
            switch state {
            case .fieldStart, .unquoted:
                if byte == cr || byte == lf {
                    endsRecord = true
                } else if byte == delimiter {
                    state = .fieldStart
                } else if state == .fieldStart && byte == quote {
                    state = .quoted
                } else {
                    state = .unquoted
                }
            case .quoted:
                if byte == quote { state = .quoteInQuoted }
            case .quoteInQuoted:
                if byte == cr || byte == lf {
                    endsRecord = true
                } else if byte == delimiter {
                    state = .fieldStart
                } else {
                    state = .quoted  // `""` is a quote; anything else is kept and the field stays open
                }
            }
            if endsRecord {
                state = .fieldStart
                if byte == lf, offset >= target, offset + 1 < bytes.count {
                    cuts.append(offset + 1)
                    if cuts.count == count - 1 { break }
                    target = bytes.count * (cuts.count + 1) / count
                }
            }
        }
        return cuts
    }

    /// Strict UTF-8 first (a BOM is dropped); otherwise Windows-1250, which decodes any byte, so C1
    /// control characters in the result mean the file is in neither encoding.
    static func decodeText(_ data: Data, file: String) throws -> (String, Encoding) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // Searched in the raw buffer: `Data.firstIndex(of:)` goes byte by byte through Data's subscript,
        // measured at 9 % of importing 10,000 rows.
        if let nul = bytes.withUnsafeBytes({ $0.firstIndex(of: 0) }) {
            throw CSVImportError.encoding(file: file, line: line(of: nul, in: bytes))
        }
        // Validating a contiguous buffer takes the standard library's fast path (a byte-wise sequence does not).
        if let text = bytes.withUnsafeBytes({ String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) }) {
            return (text, .utf8)
        }
        guard let text = String(data: bytes, encoding: .windowsCP1250) else {
            throw CSVImportError.encoding(file: file, line: 1)
        }
        if let index = text.unicodeScalars.firstIndex(where: { (0x80...0x9F).contains($0.value) }) {
            let lineNumber = text.unicodeScalars[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            throw CSVImportError.encoding(file: file, line: lineNumber)
        }
        return (text, .windows1250)
    }

    private static func line(of offset: Int, in bytes: Data) -> Int {
        bytes.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// The delimiter that occurs more often outside quotes in the header line (`,` when neither does).
    static func detectDelimiter(_ text: String) -> Character {
        var semicolons = 0, commas = 0, inQuotes = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if inQuotes { continue }
            if byte == 0x0A || byte == 0x0D { break }
            if byte == UInt8(ascii: ";") { semicolons += 1 }
            if byte == UInt8(ascii: ",") { commas += 1 }
        }
        return semicolons > commas ? ";" : ","
    }

    /// The row where a quoted field opens and never closes (CSV.swift would read it to the end of the file).
    static func unterminatedQuoteRow(_ text: String) -> Int? {
        var text = text
        // Over the raw bytes: iterating the String's UTF-8 view cost five times as much on a large import.
        return text.withUTF8 { unterminatedQuoteRow(bytes: $0) }
    }

    private static func unterminatedQuoteRow(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var row = 1, inQuotes = false, openedAt = 0, previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                if inQuotes { openedAt = row }
            } else if !inQuotes, byte == 0x0A || byte == 0x0D, !(byte == 0x0A && previous == 0x0D) {
                row += 1  // LF, CR, or CRLF counted once
            }
            previous = byte
        }
        return inQuotes ? openedAt : nil
    }
}

/// Why a CSV file could not be read at all (row-level problems are reported separately).
public enum CSVImportError: UserFacingError, Equatable {
    case tooLarge(file: String, limit: Int)
    case empty(file: String)
    case encoding(file: String, line: Int)
    case unsupportedDelimiter(file: String, delimiter: String)
    case unterminatedQuote(file: String, row: Int)
    case missingColumns(file: String, columns: [String])
    case unknownColumns(file: String, columns: [String])

    public var messageKey: String {
        switch self {
        case .tooLarge: "csv.error.too_large"
        case .empty: "csv.error.empty"
        case .encoding: "csv.error.encoding"
        case .unsupportedDelimiter: "csv.error.delimiter"
        case .unterminatedQuote: "csv.error.unterminated_quote"
        case .missingColumns: "csv.error.missing_columns"
        case .unknownColumns: "csv.error.unknown_columns"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .tooLarge(let file, let limit): ["file": file, "limit": String(limit / 1_048_576)]
        case .empty(let file): ["file": file]
        case .encoding(let file, let line): ["file": file, "line": String(line)]
        case .unsupportedDelimiter(let file, let delimiter): ["file": file, "delimiter": delimiter]
        case .unterminatedQuote(let file, let row): ["file": file, "row": String(row)]
        case .missingColumns(let file, let columns), .unknownColumns(let file, let columns):
            ["file": file, "columns": columns.joined(separator: ", ")]
        }
    }
}

/// `transform` applied to every element on as many threads as there are elements, results in order; the first
/// error thrown (in element order) is rethrown.
func concurrentMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ transform: @Sendable (Element) throws -> Result
) throws -> [Result] {
    guard elements.count > 1 else { return try elements.map(transform) }
    let results = ConcurrentResults<Result>(count: elements.count)
    DispatchQueue.concurrentPerform(iterations: elements.count) { index in
        results.set(index, Swift.Result { try transform(elements[index]) })
    }
    return try results.values()
}

/// Slots written by `concurrentMap`'s workers, one each. `@unchecked Sendable`: every slot is written by one
/// worker only, under the lock, and read after `concurrentPerform` returns.
private final class ConcurrentResults<Value>: @unchecked Sendable {
    private var slots: [Swift.Result<Value, any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Swift.Result<Value, any Error>) {
        lock.withLock { slots[index] = result }
    }

    /// Every slot's value; `concurrentPerform` has run every iteration by the time this is called.
    func values() throws -> [Value] {
        try slots.map { slot in
            guard let slot else { preconditionFailure("concurrentMap: an iteration did not run") }
            return try slot.get()
        }
    }
}
