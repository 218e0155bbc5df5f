import Foundation
import GRDB
import TrainingCore
import GRDBSQLite
import Synchronization

/// Tells cheaply whether anything was committed to the database since a value was cached: SQLite's
/// `PRAGMA data_version` on a connection of its own changes whenever any other connection commits —
/// this process's writer or another process such as the CLI. Reading it touches no table.
///
/// Asked on every web request, so it keeps one read-only SQLite connection and its prepared statement
/// behind a mutex, through the C API GRDB ships (`GRDBSQLite`): a GRDB queue would add a dispatch-queue
/// hop per request, measured at about 4 % of the trainee page's time.
public final class ChangeWatch: Sendable {
    /// The connection and statements; only used inside `lock`.
    private struct Handle: @unchecked Sendable {
        let connection: OpaquePointer
        let statement: OpaquePointer
        let generation: OpaquePointer
    }

    private let handle: Mutex<Handle>

    init(path: String) throws {
        var connection: OpaquePointer?
        let opened = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard opened == SQLITE_OK, let connection else {
            let error = Self.error(opened, connection)
            sqlite3_close(connection)
            throw error
        }
        sqlite3_busy_timeout(connection, 10_000)
        var statement: OpaquePointer?, generation: OpaquePointer?
        var prepared = sqlite3_prepare_v2(connection, "PRAGMA data_version", -1, &statement, nil)
        if prepared == SQLITE_OK {
            prepared = sqlite3_prepare_v2(connection, "SELECT token FROM data_generation WHERE id = 1", -1, &generation, nil)
        }
        guard prepared == SQLITE_OK, let statement, let generation else {
            let error = Self.error(prepared, connection)
            sqlite3_finalize(statement)
            sqlite3_close(connection)
            throw error
        }
        handle = Mutex(Handle(connection: connection, statement: statement, generation: generation))
    }

    deinit {
        handle.withLock { handle in
            sqlite3_finalize(handle.statement)
            sqlite3_finalize(handle.generation)
            sqlite3_close(handle.connection)
        }
    }

    /// The data generation (`AppDatabase.dataGeneration`): unlike `version()`, the read-access log and session
    /// expiry leave it alone, so figures derived from the data can be kept while it is the same.
    public func dataGeneration() throws -> Int64 {
        try handle.withLock { handle in
            defer { sqlite3_reset(handle.generation) }
            let code = sqlite3_step(handle.generation)
            guard code == SQLITE_ROW else { throw Self.error(code, handle.connection) }
            return sqlite3_column_int64(handle.generation, 0)
        }
    }

    /// A number that differs from the previous one whenever a write was committed in between.
    public func version() throws -> Int {
        try handle.withLock { handle in
            defer { sqlite3_reset(handle.statement) }
            let code = sqlite3_step(handle.statement)
            guard code == SQLITE_ROW else { throw Self.error(code, handle.connection) }
            return Int(sqlite3_column_int64(handle.statement, 0))
        }
    }

    private static func error(_ code: Int32, _ connection: OpaquePointer?) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code),
                      message: connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open the database")
    }
}

extension DataDirectory {
    /// A change watch on this directory's database.
    public func changeWatch() throws -> ChangeWatch { try ChangeWatch(path: databaseURL.path) }
}
