import Foundation
import GRDB
import TrainingCore

/// One transaction on the store as a use case sees it: the queries and changes it offers all run in that transaction,
/// and it is valid only inside the closure `AppDatabase.write`, `dryRun` or `read` handed it to. The use case decides
/// (with TrainingCore's rules); the transaction reads and records.
public struct StoreTransaction {
    let db: Database
    /// When its changes are recorded (the audit entry, `created_at`, `recorded_at`).
    public let date: Date

    /// The stored form of `date`.
    var timestamp: String { AuditLog.timestamp(date) }

    /// Appends an audit entry in this transaction, at its date.
    public func appendAudit(_ entry: AuditEntry) throws {
        try AuditLog.append(entry, at: date, in: db)
    }
}

extension AppDatabase {
    /// Runs `work` in one write transaction dated `date` (it changes the data generation too), turning SQLite's
    /// disk-full and constraint errors into `StoreError`: all of it is stored, or none.
    public func write<T>(at date: Date, _ work: (StoreTransaction) throws -> T) throws -> T {
        try write { db in try work(StoreTransaction(db: db, date: date)) }
    }

    /// Runs `work` in a write transaction and rolls it back: what it returns is exactly what a real run would do.
    public func dryRun<T>(at date: Date, _ work: (StoreTransaction) throws -> T) throws -> T {
        try DamageMarker.refuseWrite(database: writer.path)
        do {
            var result: T?
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    result = try work(StoreTransaction(db: db, date: date))
                    return .rollback
                }
            }
            return result!
        } catch let error as DatabaseError {
            throw StoreError(error, path: writer.path)
        }
    }

    /// Runs `work` in one read transaction (one snapshot of the data).
    public func read<T>(_ work: (StoreTransaction) throws -> T) throws -> T {
        try readDB { db in try work(StoreTransaction(db: db, date: Date(timeIntervalSince1970: 0))) }
    }

    /// A read transaction, SQLite's errors turned into `StoreError`.
    func readDB<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, path: writer.path)
        }
    }

    /// A read transaction awaited without holding the caller's thread, SQLite's errors turned into `StoreError`.
    func readDB<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, path: writer.path)
        }
    }
}

// MARK: Records every use case looks up

extension StoreTransaction {
    /// The cohort with a code.
    public func cohort(code: String) throws -> Cohort { try AppDatabase.cohort(code: code, db) }

    /// The cohort with an id.
    public func cohort(id: CohortID) throws -> Cohort { try AppDatabase.cohort(id: id, db) }

    /// The program version a cohort runs (decoded once per definition).
    public func program(of cohort: Cohort) throws -> Program {
        try AppDatabase.programDefinition(id: cohort.programID, version: cohort.programVersion, db)
    }

    /// A session by id.
    public func session(_ id: SessionID) throws -> ScheduledSession { try AppDatabase.session(id, db) }

    /// The person with a personal number (erased people keep only their pseudonym), or nil.
    public func person(personalNumber: String) throws -> Person? {
        try PersonRecord.fetch(personalNumber: personalNumber, db)?.person
    }

    /// Whether a person's data has been erased.
    public func isErased(_ person: PersonID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT erased_at IS NOT NULL FROM person WHERE id = ?", arguments: [person.rawValue]) ?? false
    }

    /// A department, if the District has it.
    public func department(_ code: DepartmentCode) throws -> Department? {
        try DepartmentRecord.fetchOne(db, key: code.rawValue)?.department
    }

    /// Everyone holding a place in a cohort, by personal number.
    public func placeHolders(of cohort: Cohort) throws -> [String: PersonID] {
        try AppDatabase.placeHolderIDs(cohort, db).mapValues(PersonID.init(rawValue:))
    }
}

/// SQL spellings of TrainingCore's rules, for the queries and rollups that compute the same thing for speed. Each is
/// derived from the rule or checked against it (`RuleAgreementTests`), never written out again in a query.
enum RuleSQL {
    /// `EnrolmentStatus.occupiesPlace` over an enrolment row named `row`: `row.status IN ('approved', 'completed')`.
    static func holdsPlace(_ row: String = "e") -> String {
        "\(row).status IN (\(placeHoldingStatuses))"
    }

    /// `AssessmentDefinition.isPassed(by:)` of a score expression against an `assessment_def` row named `definition`.
    static func passes(_ score: String, _ definition: String) -> String {
        "\(score) >= \(definition).pass_score"
    }

    /// The minutes an excused mark (an attendance row named `mark`) stands for at its session (a row named `session`):
    /// the session's length, as `CompletionRule.countedMinutes` counts them (or leaves them out); 0 for other marks.
    static func excusedMinutes(_ mark: String = "a", _ session: String = "s") -> String {
        "CASE WHEN \(mark).status = '\(AttendanceStatus.excused.rawValue)' "
            + "THEN (unixepoch(\(session).ends_at) - unixepoch(\(session).starts_at)) / 60 ELSE 0 END"
    }

    /// `AttendanceStatus.attended` over an attendance row named `mark`: `mark.status IN ('present', 'late')`.
    static func attended(_ mark: String = "a") -> String {
        "\(mark).status IN (\(AttendanceStatus.allCases.filter(\.attended).map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
    }

    /// The statuses that hold a place, quoted for SQL.
    static let placeHoldingStatuses = EnrolmentStatus.allCases.filter(\.occupiesPlace).map { "'\($0.rawValue)'" }
        .joined(separator: ", ")
}
