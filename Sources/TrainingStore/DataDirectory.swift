import Foundation
import GRDB
import TrainingCore

/// The folder holding obuka's database and keys (default `./var`, overridden by `OBUKA_DATA`).
public struct DataDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// The database file's name inside the folder.
    static let databaseFileName = "obuka.sqlite"

    /// A data directory at an explicit path.
    public init(path: String) {
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// The data directory chosen by an option, else `OBUKA_DATA`, else `./var`.
    public static func resolve(option: String?, environment: [String: String]) -> DataDirectory {
        DataDirectory(path: option ?? environment["OBUKA_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "var")
    }

    /// The database file.
    public var databaseURL: URL { url.appendingPathComponent(Self.databaseFileName) }

    /// Creates the folder (mode 0700: it holds personal data and the signing key) and a new database,
    /// or migrates the existing one. Returns the database and whether it was newly created.
    public func initialize() throws -> (database: AppDatabase, created: Bool) {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if !fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            do {
                try fileManager.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.notWritable(path: url.path)
            }
        } else if !isDirectory.boolValue {
            throw StoreError.notWritable(path: url.path)
        }
        if fileManager.fileExists(atPath: databaseURL.path) {
            return (try open(), false)
        }
        guard fileManager.isWritableFile(atPath: url.path) else { throw StoreError.notWritable(path: url.path) }
        // Personal data: the file (and the WAL and shared-memory files SQLite makes with its mode) is the owner's only.
        guard fileManager.createFile(atPath: databaseURL.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.notWritable(path: databaseURL.path)
        }
        return (try openPool(), true)
    }

    /// Opens the existing database, refusing a missing folder or file, a file that is not an obuka
    /// database, and a schema newer than this binary; an older schema is migrated forward.
    public func open() throws -> AppDatabase {
        let fileManager = FileManager.default
        try requireExistingDatabase()
        guard fileManager.isReadableFile(atPath: databaseURL.path) else {
            throw StoreError.notWritable(path: databaseURL.path)
        }
        try inspect(forWriting: true)
        guard fileManager.isWritableFile(atPath: url.path), fileManager.isWritableFile(atPath: databaseURL.path) else {
            throw StoreError.notWritable(path: databaseURL.path)
        }
        return try openPool()
    }

    /// Opens the existing database for reading only: nothing about the file changes, not even its
    /// header. A schema older than this binary is migrated first (which needs a write). The connection that
    /// checked the file is the one returned (a command starts faster with one connection than two). A department
    /// report opens a second one when it reads the District's half beside the department's.
    public func openReadOnly() throws -> AppDatabase {
        try requireExistingDatabase()
        try checkHeader()
        let path = databaseURL.path
        let queue = try checked { try DatabaseQueue(path: path, configuration: AppDatabase.makeConfiguration(readonly: true)) }
        guard try appliedMigrations(queue) == AppDatabase.knownMigrations.count else {
            try? queue.close()
            return try open()
        }
        return AppDatabase(readOnly: queue, sideConnection: {
            try DatabaseQueue(path: path, configuration: AppDatabase.makeConfiguration(readonly: true))
        })
    }

    /// Refuses a missing data directory or database file: commands other than `init` never create one.
    private func requireExistingDatabase() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.dataDirectoryMissing(path: url.path)
        }
        guard FileManager.default.fileExists(atPath: databaseURL.path) else {
            throw StoreError.databaseMissing(path: databaseURL.path)
        }
    }

    /// Checks the file read-only before anything writes to it (opening a pool would switch a
    /// foreign file to WAL); returns how many migrations are applied.
    @discardableResult
    private func inspect(forWriting: Bool = false) throws -> Int {
        try checkHeader()
        if forWriting { try DamageMarker.refuseWrite(database: databaseURL.path) }
        var configuration = AppDatabase.makeConfiguration(readonly: true)
        configuration.prepareDatabase { _ in }
        let queue = try checked { try DatabaseQueue(path: databaseURL.path, configuration: configuration) }
        defer { try? queue.close() }
        let applied = try appliedMigrations(queue)
        // A file opened for writing is checked page by page first when that is quick (about 0.3 s for 32 MB); a larger
        // one is checked by the server at its start, and by SQLite on every page it touches.
        if forWriting, databaseSize() <= Self.checkedAtOpen { try DamageMarker.quickCheck(queue, path: databaseURL.path) }
        return applied
    }

    /// The largest database checked whenever it is opened for writing.
    public static let checkedAtOpen: Int64 = 32 * 1024 * 1024

    /// Refuses a file that is not an SQLite database, by its first bytes.
    private func checkHeader() throws {
        let path = databaseURL.path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.notWritable(path: path) }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else { throw StoreError.notADatabase(path: path) }
    }

    /// How many of this binary's migrations the database has; refuses a foreign database and a newer schema.
    private func appliedMigrations(_ queue: DatabaseQueue) throws -> Int {
        let path = databaseURL.path
        return try checked {
            try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard applicationID == AppDatabase.applicationID else { throw StoreError.foreignDatabase(path: path) }
                let known = Set(AppDatabase.knownMigrations)
                let applied = try AppDatabase.migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(known).sorted()
                if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
                return applied.count
            }
        }
    }

    /// Runs `body`, turning SQLite's errors into errors a user can act on.
    private func checked<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError(error, path: databaseURL.path)
        }
    }

    private func openPool() throws -> AppDatabase {
        do {
            let pool = try DatabasePool(path: databaseURL.path, configuration: AppDatabase.makeConfiguration())
            return try AppDatabase(pool)
        } catch let error as DatabaseError {
            throw StoreError(error, path: databaseURL.path)
        }
    }

    /// Size in bytes of the database and its WAL.
    public func databaseSize() -> Int64 {
        [databaseURL.path, databaseURL.path + "-wal"].reduce(0) { total, path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value ?? 0
            return total + size
        }
    }
}

extension StoreError {
    /// Maps SQLite's result codes to errors a user can act on.
    public init(_ error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_NOTADB: self = .notADatabase(path: path)
        case .SQLITE_CORRUPT:
            let finding = error.message ?? "SQLITE_CORRUPT"
            DamageMarker.record(database: path, finding)
            self = .damaged(path: path, finding: finding)
        case .SQLITE_FULL: self = .diskFull(path: path)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: self = .notWritable(path: path)
        case .SQLITE_CONSTRAINT: self = .constraintViolated(detail: error.message ?? "")
        default: self = .unexpected(code: Int(error.resultCode.rawValue))
        }
    }
}
