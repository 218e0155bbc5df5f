import Foundation
import GRDB
import GRDBSQLite
import TrainingCore

extension AppDatabase {
    /// Adds or updates people by personal number in one transaction, with one audit event for the batch.
    /// A dry run does the same work and rolls it back, so it reports exactly what a real run would do.
    public func importPeople(_ drafts: [PersonDraft], file: String, sha256: String, actor: Actor,
                             dryRun: Bool = false, at date: Date = Date()) throws -> PeopleImportSummary {
        var summary = PeopleImportSummary()
        do {
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    summary = PeopleImportSummary()
                    let now = AuditLog.timestamp(date)
                    // One query for everyone already stored, then cached statements per row: an import
                    // of the whole District (≈ 5,000 people) is one pass, not 5,000 look-ups.
                    let existing = try Dictionary(
                        PersonRecord.fetchAll(db, sql: "SELECT * FROM person").map { ($0.personalNumber, $0) },
                        uniquingKeysWith: { first, _ in first })
                    var insertion = PersonInsertion(db: db, timestamp: now)
                    let update = try db.cachedStatement(sql: """
                        UPDATE person SET given_name = ?, family_name = ?, sex = ?, email = ?, department = ?,
                                          job_title = ?, updated_at = ?
                        WHERE personal_number = ?
                        """)
                    for draft in drafts {
                        if let stored = existing[draft.personalNumber] {
                            let changed = draft.changedFields(from: stored.person)
                            if changed.isEmpty {
                                summary.unchanged += 1
                                continue
                            }
                            try update.execute(arguments: [
                                draft.givenName, draft.familyName, draft.sex?.rawValue, draft.email,
                                draft.department.rawValue, draft.jobTitle, now, draft.personalNumber,
                            ])
                            if changed.contains("sex"), let id = stored.id { try Self.refreshCohortRollups(personID: id, db) }
                            summary.updated.append((draft.personalNumber, changed))
                        } else {
                            try insertion.add(draft)
                            summary.added.append(draft.personalNumber)
                        }
                    }
                    try insertion.flush()
                    try AuditLog.append(AuditEntry(
                        actor: actor, action: "people.import", entityType: "import", entityID: file,
                        details: #"{"sha256":"\#(sha256)","rows":\#(drafts.count),"added":\#(summary.added.count),"updated":\#(summary.updated.count),"unchanged":\#(summary.unchanged)}"#),
                        at: date, in: db)
                    try Self.changeDataGeneration(db)
                    return dryRun ? .rollback : .commit
                }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: writer.path)
        }
        return summary
    }

    /// Adds one person (from a form), audited.
    public func addPerson(_ draft: PersonDraft, actor: Actor, at date: Date = Date()) throws -> Person {
        try write { db in
            let now = AuditLog.timestamp(date)
            let record = try PersonRecord(draft, id: nil, createdAt: now, updatedAt: now).inserted(db)
            try AuditLog.append(AuditEntry(actor: actor, action: "person.add", entityType: "person",
                                           entityID: draft.personalNumber), at: date, in: db)
            return record.person
        }
    }

    /// Corrects a person's name, sex, e-mail and job title (the department changes only by transfer), audited
    /// with the fields that changed.
    public func correctPerson(_ draft: PersonDraft, actor: Actor, at date: Date = Date()) throws -> Person {
        try write { db in
            guard var record = try PersonRecord.fetch(personalNumber: draft.personalNumber, db) else {
                throw PeopleError.unknownPerson(personalNumber: draft.personalNumber)
            }
            var corrected = draft
            corrected.department = record.person.department
            let changed = corrected.changedFields(from: record.person)
            guard !changed.isEmpty else { return record.person }
            record.givenName = corrected.givenName
            record.familyName = corrected.familyName
            record.sex = corrected.sex?.rawValue
            record.email = corrected.email
            record.jobTitle = corrected.jobTitle
            record.updatedAt = AuditLog.timestamp(date)
            try record.update(db)
            if changed.contains("sex"), let id = record.id { try Self.refreshCohortRollups(personID: id, db) }
            try AuditLog.append(AuditEntry(actor: actor, action: "person.correct", entityType: "person",
                                           entityID: draft.personalNumber, details: changed.joined(separator: ",")), at: date, in: db)
            return record.person
        }
    }

    /// People, optionally of one department, by family and given name.
    public func people(department: DepartmentCode? = nil) throws -> [Person] {
        try writer.read { db in
            try PersonRecord.fetchAll(db, sql: """
                SELECT * FROM person WHERE erased_at IS NULL AND (?1 IS NULL OR department = ?1)
                ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, personal_number
                """, arguments: [department?.rawValue]).map(\.person)
        }
    }

    /// The person with a personal number.
    public func person(personalNumber: String) throws -> Person {
        guard let record = try writer.read({ db in try PersonRecord.fetch(personalNumber: personalNumber, db) }) else {
            throw PeopleError.unknownPerson(personalNumber: personalNumber)
        }
        return record.person
    }

    /// Moves a person to another department; past enrolments keep the department they were made in.
    public func transfer(personalNumber: String, to department: DepartmentCode, actor: Actor,
                         at date: Date = Date()) throws -> Person {
        try write { db in
            guard var record = try PersonRecord.fetch(personalNumber: personalNumber, db) else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            guard try DepartmentRecord.exists(db, key: department.rawValue) else {
                throw PeopleError.unknownDepartment(code: department.rawValue)
            }
            guard record.department != department.rawValue else {
                throw PeopleError.alreadyInDepartment(personalNumber: personalNumber, department: department.rawValue)
            }
            let from = record.department
            record.department = department.rawValue
            record.updatedAt = AuditLog.timestamp(date)
            try record.update(db)
            try AuditLog.append(AuditEntry(
                actor: actor, action: "person.transfer", entityType: "person", entityID: personalNumber,
                details: #"{"from":"\#(from)","to":"\#(department.rawValue)"}"#), at: date, in: db)
            return record.person
        }
    }
}

/// New people inserted many rows per statement, bound through SQLite's C API. A statement per row made SQLite
/// update the AUTOINCREMENT counter and reset the statement 10,000 times for a large file, and GRDB's general
/// binding (a checked argument list, then a C-string array per text value) cost as much again: together more
/// than half of what an import spent in the database. Only the placeholder list is repeated; every value is bound.
private struct PersonInsertion {
    /// Rows per statement: 9 values each, well under SQLite's limit of 32,766 bound values.
    static let rowsPerStatement = 100
    static let columns = ["personal_number", "given_name", "family_name", "sex", "email", "department", "job_title",
                          "created_at", "updated_at"]
    /// SQLite reads bound texts in place (no copy per value): they live in `bytes` until the statement is reset.
    private static let staticText = unsafeBitCast(0, to: sqlite3_destructor_type.self)
    /// SQLite copies the text (for the empty one, which has no place in `bytes`).
    private static let transientText = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    let db: Database
    let timestamp: String
    /// The UTF-8 of every pending value, one after the other, and where each is (nil: NULL).
    private var bytes: [UInt8] = []
    private var values: [(offset: Int, count: Int)?] = []
    private var pendingRows = 0

    init(db: Database, timestamp: String) {
        self.db = db
        self.timestamp = timestamp
        values.reserveCapacity(Self.rowsPerStatement * Self.columns.count)
        bytes.reserveCapacity(Self.rowsPerStatement * 256)
    }

    /// The full-size statement's SQL, made once (it is also the key of GRDB's statement cache).
    static let fullSizeSQL = sql(rows: rowsPerStatement)

    static func sql(rows: Int) -> String {
        let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO person (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: placeholders, count: rows).joined(separator: ", ")
    }

    mutating func add(_ draft: PersonDraft) throws {
        append(draft.personalNumber)
        append(draft.givenName)
        append(draft.familyName)
        append(draft.sex?.rawValue)
        append(draft.email)
        append(draft.department.rawValue)
        append(draft.jobTitle)
        append(timestamp)
        append(timestamp)
        pendingRows += 1
        if pendingRows == Self.rowsPerStatement { try flush() }
    }

    private mutating func append(_ value: String?) {
        guard var text = value else {
            values.append(nil)
            return
        }
        let offset = bytes.count
        text.withUTF8 { bytes.append(contentsOf: $0) }
        values.append((offset, bytes.count - offset))
    }

    /// Inserts the rows added since the last flush.
    mutating func flush() throws {
        guard pendingRows > 0 else { return }
        // GRDB prepares the statement (the full-size one is cached per connection, a shorter last one is made
        // once per import); the values go straight to SQLite.
        let statement = pendingRows == Self.rowsPerStatement
            ? try db.cachedStatement(sql: Self.fullSizeSQL)
            : try db.makeStatement(sql: Self.sql(rows: pendingRows))
        let handle = statement.sqliteStatement
        let values = self.values
        let code: Int32 = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                sqlite3_reset(handle)
                for (offset, value) in values.enumerated() {
                    let index = Int32(offset + 1)
                    if let value, value.count > 0, let base = characters.baseAddress {
                        sqlite3_bind_text(handle, index, base + value.offset, Int32(value.count), Self.staticText)
                    } else if value != nil {
                        sqlite3_bind_text(handle, index, "", 0, Self.transientText)
                    } else {
                        sqlite3_bind_null(handle, index)
                    }
                }
                let code = sqlite3_step(handle)
                // Reset and unbind while the texts are still there: nothing may point into them afterwards.
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
                return code
            }
        }
        if code != SQLITE_DONE {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        bytes.removeAll(keepingCapacity: true)
        self.values.removeAll(keepingCapacity: true)
        pendingRows = 0
    }
}

/// A row of `person`.
struct PersonRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "person"

    var id: Int64?
    var personalNumber: String
    var givenName: String
    var familyName: String
    var sex: String?
    var email: String
    var department: String
    var jobTitle: String?
    var erasedAt: String?
    var createdAt: String
    var updatedAt: String

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    init(_ draft: PersonDraft, id: Int64?, createdAt: String, updatedAt: String) {
        self.id = id
        personalNumber = draft.personalNumber
        givenName = draft.givenName
        familyName = draft.familyName
        sex = draft.sex?.rawValue
        email = draft.email
        department = draft.department.rawValue
        jobTitle = draft.jobTitle
        erasedAt = nil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Read by column, not through Decodable: the snake-case key strategy converted every key of every row,
    /// a sixth of a department report's per-person table.
    init(row: Row) throws {
        id = row["id"]
        personalNumber = row["personal_number"]
        givenName = row["given_name"]
        familyName = row["family_name"]
        sex = row["sex"]
        email = row["email"]
        department = row["department"]
        jobTitle = row["job_title"]
        erasedAt = row["erased_at"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    static func fetch(personalNumber: String, _ db: Database) throws -> PersonRecord? {
        try PersonRecord.fetchOne(db, sql: "SELECT * FROM person WHERE personal_number = ?", arguments: [personalNumber])
    }

    var person: Person {
        Person(id: PersonID(rawValue: id ?? 0), personalNumber: personalNumber, givenName: givenName,
               familyName: familyName, sex: sex.flatMap(Sex.init(rawValue:)), email: email,
               department: DepartmentCode(department), jobTitle: jobTitle)
    }
}
