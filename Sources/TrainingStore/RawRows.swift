import Foundation
import GRDB
import TrainingCore
import GRDBSQLite

/// The columns of the row a statement stands on, read straight from SQLite by position. The report loops read
/// thousands of rows; GRDB's typed access boxes each row and checks each value's type through a protocol first,
/// which cost more than SQLite's own work on those rows. Only for columns that are never NULL (a NULL reads as 0
/// or an empty text).
struct RawColumns {
    fileprivate let handle: SQLiteStatement

    func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }
    func text(_ index: Int32) -> String {
        guard let text = sqlite3_column_text(handle, index) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, index))), as: UTF8.self)
    }

    /// Whether the text in the column is exactly these bytes (compared in place: no string is made).
    func text(_ index: Int32, equals bytes: [UInt8]) -> Bool {
        guard let text = sqlite3_column_text(handle, index) else { return bytes.isEmpty }
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count == bytes.count else { return false }
        return count == 0 || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, text, count) == 0 }
    }
}

extension Statement {
    /// Runs the statement, handing each row to `body` as raw columns (GRDB still steps it and reports errors).
    func forEachRow(arguments: StatementArguments, _ body: (RawColumns) throws -> Void) throws {
        let cursor = try Row.fetchCursor(self, arguments: arguments)
        let columns = RawColumns(handle: sqliteStatement)
        while try cursor.next() != nil {
            try body(columns)
        }
    }
}
