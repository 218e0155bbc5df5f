import Foundation
import TrainingCore
internal import TrainingStore

/// The data directory itself: what it holds, backups, the audit log and its chain, the District's departments.
public struct DataAdministration: Sendable {
    let context: OfficeContext

    /// Where the data lives, its size, the schema version and rows per table.
    public struct Status: Sendable {
        public var dataDirectory: URL
        public var databaseFile: URL
        /// Bytes of the database and its WAL.
        public var bytes: Int64
        /// Schema and row counts; nil when the damaged file cannot be counted.
        public var store: StoreStatus?
        /// What was found wrong with the file, if it is marked damaged (writes are then refused).
        public var damage: String?
        /// Whether every page was checked now and found sound (`check`), nil when not checked.
        public var checked: Bool?
    }

    /// The data directory's status; with `check`, every page is checked now (`PRAGMA quick_check`), which marks a
    /// damaged file. A damaged file's status is still shown, with what was found.
    public func status(check: Bool = false) throws -> Status {
        var checked: Bool?
        if check, context.database.damage == nil {
            do {
                try context.database.checkIntegrity()
                checked = true
            } catch let error as any UserFacingError where error.messageKey == "error.store.damaged" {
                checked = false
            }
        }
        var store: StoreStatus?
        do {
            store = try context.database.status()
        } catch let error as any UserFacingError where error.messageKey == "error.store.damaged" {
            store = nil
        }
        return Status(dataDirectory: context.dataDirectory.url, databaseFile: context.dataDirectory.databaseURL,
                      bytes: context.dataDirectory.databaseSize(), store: store, damage: context.database.damage, checked: checked)
    }

    /// Checks every page of the database now; a damaged one is marked (writes are refused from then on) and refused.
    public func checkIntegrity() throws { try context.database.checkIntegrity() }

    /// The check a server makes at its start: at once for a file up to 256 MB (a damaged one is refused), else on a
    /// thread of its own while the server serves (a damage found is marked and refuses writes from then on); `done`
    /// hears the verdict of a background check.
    public func checkIntegrityAtStart(_ done: @escaping @Sendable ((any Error)?) -> Void) throws {
        if context.dataDirectory.databaseSize() <= 256 * 1024 * 1024 {
            try context.database.checkIntegrity()
        } else {
            context.database.checkIntegrityInBackground(done)
        }
    }

    /// What was found wrong with the database, if it is marked damaged.
    public var damage: String? { context.database.damage }

    /// A consistent copy of the live database (SQLite's online backup; the server may keep running), checked before it
    /// takes the target's name.
    public func backup(to file: URL) throws -> BackupSummary { try context.database.backup(to: file) }

    /// Replaces a data directory's database with a backup after checking its integrity, schema version and audit chain
    /// (the old database is kept beside it). Run it with the server stopped.
    public static func restore(dataDirectory: URL, from backup: URL) throws -> BackupSummary {
        try DataDirectory(path: dataDirectory.path).restore(from: backup)
    }

    /// The latest audit events, newest first, optionally filtered.
    public func auditEvents(limit: Int = 50, entityType: String? = nil, entityID: String? = nil, actor: String? = nil,
                            actionPrefix: String? = nil) throws -> [AuditEvent] {
        try context.database.auditEvents(limit: limit, entityType: entityType, entityID: entityID, actor: actor, actionPrefix: actionPrefix)
    }

    /// Walks the audit chain.
    public func auditEvents(_ query: AuditListQuery) throws -> ListSlice<AuditEvent> { try context.database.auditEvents(query) }

    /// Checks the audit hash chain.
    public func verifyAudit() throws -> AuditVerification { try context.database.verifyAudit() }

    /// The District's departments, by code.
    public func departments() throws -> [Department] { try context.database.departments() }

    /// A department, if the District has it.
    public func department(_ code: DepartmentCode) throws -> Department? { try context.database.department(code) }

    /// The departments shipped with obuka (what `init` seeds), readable without a database.
    public static func bundledDepartments() throws -> [Department] { try AppDatabase.bundledDepartments() }
}

/// Tells cheaply whether anything was committed since a value was cached (`version`, any commit, by this process or
/// another), and whether the training data changed (`dataGeneration`, which the read-access log and session expiry
/// leave alone). One read-only connection of its own; asked on every web request.
public final class DataChanges: Sendable {
    private let watch: ChangeWatch

    init(_ watch: ChangeWatch) { self.watch = watch }

    /// Changes with every commit.
    public func version() throws -> Int { try watch.version() }

    /// Changes with every write of training data.
    public func dataGeneration() throws -> Int64 { try watch.dataGeneration() }
}

extension TrainingOffice {
    /// A watch on the office's database for caches (the web app's pages and reports).
    public func changes() throws -> DataChanges { DataChanges(try context.dataDirectory.changeWatch()) }
}

/// How the audit log and the read-access log write an instant: UTC with milliseconds, `2026-11-25T21:04:05.123Z`.
public enum AuditTimestamp {
    /// The stored form of an instant.
    public static func text(_ date: Date) -> String { AuditLog.timestamp(date) }

    /// The instant a stored form stands for.
    public static func date(_ text: String) -> Date? { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) }
}
