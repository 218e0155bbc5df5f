import Foundation
import GRDB
import TrainingCore

/// A damaged database is never written to. When SQLite reports corruption (`SQLITE_CORRUPT`) or an integrity check
/// fails, a marker file is written beside the database (`obuka.sqlite.damaged`, saying what was found and when); every
/// write looks for it first (one `stat`) and is refused while it is there. Restoring a backup removes it.
enum DamageMarker {
    static func url(database path: String) -> URL? {
        guard path.hasPrefix("/") else { return nil }  // in-memory databases have no file to damage
        return URL(fileURLWithPath: path + ".damaged")
    }

    /// What was found, if the database is marked damaged.
    static func finding(database path: String) -> String? {
        guard let url = url(database: path), access(url.path, F_OK) == 0 else { return nil }
        return (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    /// Marks the database damaged (best effort: the marker is beside the file, never in it).
    static func record(database path: String, _ finding: String) {
        guard let url = url(database: path), access(url.path, F_OK) != 0 else { return }
        let text = "\(AuditLog.timestamp(Date())) \(finding)\n"
        FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }

    /// Refuses a write to a database marked damaged.
    static func refuseWrite(database path: String) throws {
        if let finding = finding(database: path) { throw StoreError.damaged(path: path, finding: finding) }
    }

    /// Runs SQLite's `quick_check` (every page and index entry, without comparing indexes to tables); marks the
    /// database and throws when it finds anything.
    static func quickCheck(_ reader: any DatabaseReader, path: String) throws {
        let findings: [String]
        do {
            findings = try reader.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
        guard findings != ["ok"] else { return }
        let finding = findings.joined(separator: "; ")
        record(database: path, finding)
        throw StoreError.damaged(path: path, finding: finding)
    }
}

extension AppDatabase {
    /// What the damage marker says, if the database is marked damaged.
    public var damage: String? { DamageMarker.finding(database: writer.path) }

    /// Checks every page now (`PRAGMA quick_check`); a damaged database is marked and refused.
    public func checkIntegrity() throws { try DamageMarker.quickCheck(writer, path: writer.path) }

    /// Checks every page on a thread of its own while the server reads and writes (a check reads in a transaction of
    /// its own, which writes in WAL mode do not wait for); a damage found is marked, and writes are refused from then
    /// on. Writes are not held back for the verdict: at twenty Districts' size (3 GB) the check takes 20 s warm and a
    /// minute cold, and nobody could sign in meanwhile; SQLite's own corruption errors mark the file at once anyway.
    /// `done` receives the verdict.
    public func checkIntegrityInBackground(_ done: @escaping @Sendable ((any Error)?) -> Void) {
        let path = writer.path, reader = writer
        Thread.detachNewThread {
            var failure: (any Error)?
            do { try DamageMarker.quickCheck(reader, path: path) } catch { failure = error }
            done(failure)
        }
    }
}
