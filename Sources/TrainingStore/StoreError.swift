import TrainingCore

/// Why the store could not be opened or changed; each case has a localised message.
public enum StoreError: UserFacingError, Equatable {
    /// The data directory does not exist (run `obuka init`).
    case dataDirectoryMissing(path: String)
    /// The data directory exists but holds no database (run `obuka init`).
    case databaseMissing(path: String)
    /// The file exists but is not a readable SQLite database.
    case notADatabase(path: String)
    /// The file is a SQLite database of some other application.
    case foreignDatabase(path: String)
    /// The database was written by a newer obuka that knows migrations this binary does not.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The data directory or database cannot be written.
    case notWritable(path: String)
    /// The disk is full; nothing was changed.
    case diskFull(path: String)
    /// A value broke a rule of the schema.
    case constraintViolated(detail: String)
    /// A record that should exist does not.
    case notFound(entity: String, id: String)
    /// SQLite failed in a way obuka did not foresee; the transaction was rolled back.
    case unexpected(code: Int)
    /// The database is damaged (SQLite found corruption, or an integrity check failed): it is not written to.
    case damaged(path: String, finding: String)

    public var messageKey: String {
        switch self {
        case .dataDirectoryMissing: "error.store.data_directory_missing"
        case .databaseMissing: "error.store.database_missing"
        case .notADatabase: "error.store.not_a_database"
        case .foreignDatabase: "error.store.foreign_database"
        case .newerSchema: "error.store.newer_schema"
        case .notWritable: "error.store.not_writable"
        case .diskFull: "error.store.disk_full"
        case .constraintViolated: "error.store.constraint"
        case .notFound: "error.store.not_found"
        case .unexpected: "error.store.unexpected"
        case .damaged: "error.store.damaged"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .notFound: .notFound
        case .diskFull: .storageFull
        default: .refused
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .dataDirectoryMissing(let path), .databaseMissing(let path), .notADatabase(let path),
             .foreignDatabase(let path), .notWritable(let path), .diskFull(let path):
            ["path": path]
        case .newerSchema(let path, let unknown):
            ["path": path, "migrations": unknown.joined(separator: ", ")]
        case .constraintViolated(let detail):
            ["detail": detail]
        case .notFound(let entity, let id):
            ["entity": entity, "id": id]
        case .unexpected(let code):
            ["code": String(code)]
        case .damaged(let path, let finding):
            ["path": path, "finding": String(finding.prefix(200))]
        }
    }
}
