import Foundation
import GRDB
import TrainingCore

/// Why a backup could not be restored; nothing was replaced.
public enum BackupError: UserFacingError, Equatable {
    case missing(path: String)
    case notIntact(path: String, detail: String)
    case schemaMismatch(path: String, found: Int, expected: Int)
    case auditBroken(path: String, seq: Int64)

    public var messageKey: String {
        switch self {
        case .missing: "error.backup.missing"
        case .notIntact: "error.backup.not_intact"
        case .schemaMismatch: "error.backup.schema"
        case .auditBroken: "error.backup.audit"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .missing(let path): ["path": path]
        case .notIntact(let path, let detail): ["path": path, "detail": detail]
        case .schemaMismatch(let path, let found, let expected): ["path": path, "found": String(found), "expected": String(expected)]
        case .auditBroken(let path, let seq): ["path": path, "seq": String(seq)]
        }
    }
}

extension AppDatabase {
    /// Copies the live database into a new file with SQLite's online backup API: a consistent snapshot
    /// while the server keeps reading and writing. The copy is written beside the target and renamed
    /// into place, so a failed backup never leaves a half file under the target's name.
    public func backup(to target: URL) throws -> BackupSummary {
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            // A backup holds the same personal data as the database: the owner's only.
            FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600])
            let destination = try DatabaseQueue(path: temporary.path, configuration: Self.makeConfiguration())
            try writer.backup(to: destination)
            // One self-contained file: no WAL beside the copy.
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try destination.close()
        } catch let error as DatabaseError {
            throw StoreError(error, path: target.path)
        }
        let summary = try Self.check(backup: temporary, reportedAs: target.path)
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: temporary, to: target)
        return summary
    }

    /// Checks a backup file without changing it: SQLite integrity, an obuka database of exactly this
    /// binary's schema, and an intact audit chain.
    public static func check(backup file: URL, reportedAs name: String? = nil) throws -> BackupSummary {
        let path = name ?? file.path
        guard FileManager.default.fileExists(atPath: file.path) else { throw BackupError.missing(path: path) }
        do {
            var configuration = makeConfiguration(readonly: true)
            configuration.prepareDatabase { _ in }
            let queue = try DatabaseQueue(path: file.path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard integrity == ["ok"] else { throw BackupError.notIntact(path: path, detail: integrity.prefix(3).joined(separator: "; ")) }
                guard try Int32.fetchOne(db, sql: "PRAGMA application_id") == applicationID else {
                    throw BackupError.notIntact(path: path, detail: "not an obuka database")
                }
                let applied = try migrator.appliedIdentifiers(db)
                guard applied == Set(knownMigrations) else {
                    throw BackupError.schemaMismatch(path: path, found: applied.count, expected: knownMigrations.count)
                }
                switch try AuditLog.verify(db) {
                case .broken(let seq, _): throw BackupError.auditBroken(path: path, seq: seq)
                case .intact(let events, _):
                    let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)??.int64Value ?? 0
                    return BackupSummary(migrations: applied.count, auditEvents: events, bytes: size)
                }
            }
        } catch let error as BackupError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw BackupError.notIntact(path: path, detail: StoreError(error, path: path).messageArguments["code"] ?? "\(error.resultCode)")
        }
    }
}

extension DataDirectory {
    /// Replaces the database with a checked backup. The backup is checked first and copied into the data
    /// directory under a temporary name; only then does an atomic rename replace the database (the old
    /// one is kept as `obuka.sqlite.before-restore`). Run it with the server stopped.
    public func restore(from backup: URL) throws -> BackupSummary {
        let summary = try AppDatabase.check(backup: backup)
        try requireDirectory()
        let fileManager = FileManager.default
        let staged = url.appendingPathComponent(".restore-\(UUID().uuidString).sqlite")
        defer { try? fileManager.removeItem(at: staged) }
        try fileManager.copyItem(at: backup, to: staged)
        _ = try AppDatabase.check(backup: staged, reportedAs: backup.path)
        let previous = url.appendingPathComponent(Self.databaseFileName + ".before-restore")
        try? fileManager.removeItem(at: previous)
        if fileManager.fileExists(atPath: databaseURL.path) {
            // Fold the WAL into the old file first so the kept copy is whole.
            if let old = try? DatabaseQueue(path: databaseURL.path, configuration: AppDatabase.makeConfiguration()) {
                try? old.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                try? old.close()
            }
            try fileManager.copyItem(at: databaseURL, to: previous)
        }
        for suffix in ["-wal", "-shm"] { try? fileManager.removeItem(atPath: databaseURL.path + suffix) }
        if rename(staged.path, databaseURL.path) != 0 { throw StoreError.notWritable(path: databaseURL.path) }
        // The restored file passed its checks: the damage found in the one it replaced no longer applies.
        if let marker = DamageMarker.url(database: databaseURL.path) { try? fileManager.removeItem(at: marker) }
        return summary
    }

    private func requireDirectory() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.dataDirectoryMissing(path: url.path)
        }
    }
}
