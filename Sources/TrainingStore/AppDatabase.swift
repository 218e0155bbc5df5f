import Foundation
import GRDB
import TrainingCore

/// The obuka database: owns the schema (one `DatabaseMigrator`) and every read and write.
///
/// Runs on any GRDB `DatabaseWriter`: a `DatabasePool` (WAL) in the application, an in-memory
/// `DatabaseQueue` in most tests.
public struct AppDatabase: Sendable {
    /// The underlying connection(s).
    public let writer: any DatabaseWriter

    /// `PRAGMA application_id` of an obuka database ("OBUK"), so a foreign SQLite file is recognised.
    public static let applicationID: Int32 = 0x4F42_554B

    /// Wraps a writer and migrates its schema to the current version.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// The connection settings every obuka database uses.
    public static func makeConfiguration(readonly: Bool = false) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.readonly = readonly
        // CLI writers, web writers and backups share one file: wait for a lock rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: a write acknowledged to a coordinator (attendance, a certificate) must survive a
            // power cut, not only a crash; writes are few, so one fsync per transaction is affordable.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// A fresh in-memory database with the full schema, for tests and dry runs.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: makeConfiguration()))
    }

    /// Identifiers of the migrations this binary knows, oldest first.
    public static var knownMigrations: [String] { migrator.migrations }
}
