import Foundation
import GRDB

/// Tells cheaply whether anything was committed to the database since a value was cached: SQLite's
/// `PRAGMA data_version` on a connection of its own changes whenever any other connection commits —
/// this process's writer or another process such as the CLI. Reading it touches no table.
public final class ChangeWatch: Sendable {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = AppDatabase.makeConfiguration(readonly: true)
        configuration.label = "obuka.change-watch"
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// A number that differs from the previous one whenever a write was committed in between.
    public func version() throws -> Int {
        try queue.inDatabase { db in try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
    }
}

extension DataDirectory {
    /// A change watch on this directory's database.
    public func changeWatch() throws -> ChangeWatch { try ChangeWatch(path: databaseURL.path) }
}
