import Foundation
import GRDB
import TrainingCore

/// The obuka database: owns the schema (one `DatabaseMigrator`) and every read and write.
///
/// Runs on any GRDB `DatabaseWriter`: a `DatabasePool` (WAL) in the application, an in-memory
/// `DatabaseQueue` in most tests.
public struct AppDatabase: Sendable {
    /// The underlying connection(s).
    let writer: any DatabaseWriter

    /// `PRAGMA application_id` of an obuka database ("OBUK"), so a foreign SQLite file is recognised.
    static let applicationID: Int32 = 0x4F42_554B

    /// Wraps a writer and migrates its schema to the current version.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        self.sideConnection = nil
        self.isReadOnly = false
        try Self.migrator.migrate(writer)
        // GRDB's pool switches its writer to synchronous=NORMAL when it enables WAL; obuka wants FULL
        // (see makeConfiguration), so set it again on the one writer connection.
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    }

    /// Whether it was opened for reading only (`DataDirectory.openReadOnly`).
    public let isReadOnly: Bool

    /// Opens another read-only connection to the same file, for reading a report's halves side by side when
    /// `writer` has a single connection (the CLI's); nil where there is none to open (in-memory databases).
    let sideConnection: (@Sendable () throws -> any DatabaseReader)?

    /// Wraps a read-only connection to an up-to-date database (no migration, no writes).
    init(readOnly queue: DatabaseQueue, sideConnection: (@Sendable () throws -> any DatabaseReader)? = nil) {
        self.writer = queue
        self.sideConnection = sideConnection
        self.isReadOnly = true
    }

    /// The connection settings every obuka database uses.
    static func makeConfiguration(readonly: Bool = false) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.readonly = readonly
        // CLI writers, web writers and backups share one file: wait for a lock rather than fail.
        configuration.busyMode = .timeout(10)
        let trace = ProcessInfo.processInfo.environment["OBUKA_SQL_TRACE"]
        configuration.prepareDatabase { db in
            // OBUKA_SQL_TRACE=1 prints every statement to standard error, =profile with its duration,
            // for diagnosing the store.
            if trace == "1" { db.trace { FileHandle.standardError.write(Data("SQL: \($0)\n".utf8)) } }
            if trace == "profile" { db.trace(options: .profile) { FileHandle.standardError.write(Data("SQL: \($0)\n".utf8)) } }
            // FULL: a write acknowledged to a coordinator (attendance, a certificate) must survive a
            // power cut, not only a crash; writes are few, so one fsync per transaction is affordable.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Statement journals and temporary sort tables in memory, not as files in /var/tmp: a many-row
            // statement in a transaction (an import's inserts) keeps one, and writing it to a file took a
            // third of an import's time in the database.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Deleted and overwritten content is zeroed, not left in free space: after a privacy erasure (and its
            // checkpoint) no erased value stays in the file, not even a copy a page split left behind long before.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Pages read through a memory map of the file, not copied in by read(): a report reads thousands, and
            // after any write (the read-access log, attendance) each connection's own page cache starts empty. As
            // much of the file as SQLite maps (its limit, about 2 GB): at twenty Districts (3 GB) copying the pages
            // beyond 256 MB was a fifth of a report's time. Mapped pages are the kernel's page cache, shared, not the
            // process's own memory.
            try db.execute(sql: "PRAGMA mmap_size = 2147418112")
        }
        return configuration
    }

    /// A fresh in-memory database with the full schema, for tests and dry runs.
    static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: makeConfiguration()))
    }

    /// Identifiers of the migrations this binary knows, oldest first.
    static var knownMigrations: [String] { migrator.migrations }
}
