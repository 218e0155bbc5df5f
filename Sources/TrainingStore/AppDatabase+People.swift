import Foundation
import GRDB
import GRDBSQLite
import TrainingCore

extension StoreTransaction {
    /// Everyone stored (erased people under their pseudonym), by personal number: one query, so an import of the whole
    /// District (≈ 5,000 people) compares in one pass, not 5,000 look-ups.
    public func peopleByPersonalNumber() throws -> [String: Person] {
        try Dictionary(PersonRecord.fetchAll(db, sql: "SELECT * FROM person").map { ($0.personalNumber, $0.person) },
                       uniquingKeysWith: { first, _ in first })
    }

    /// Stores new people, a hundred rows per statement.
    public func insertPeople(_ drafts: [PersonDraft]) throws {
        var insertion = PersonInsertion(db: db, timestamp: timestamp)
        for draft in drafts { try insertion.add(draft) }
        try insertion.flush()
    }

    /// Stores one new person; returns them.
    public func insertPerson(_ draft: PersonDraft) throws -> Person {
        try PersonRecord(draft, id: nil, createdAt: timestamp, updatedAt: timestamp).inserted(db).person
    }

    /// Replaces every field of a stored person (an import's row) but the personal number it is found by. A changed
    /// sex moves their places in the rollups, which are kept per sex.
    public func updatePerson(_ draft: PersonDraft, sexChanged: Bool) throws {
        let keys = ListKeys.person(givenName: draft.givenName, familyName: draft.familyName, personalNumber: draft.personalNumber,
                                   email: draft.email)
        try db.cachedStatement(sql: """
            UPDATE person SET given_name = ?, family_name = ?, sex = ?, email = ?, department = ?, job_title = ?, updated_at = ?,
                   search_key = ?, sort_key = ?, employed_since = ?
            WHERE personal_number = ?
            """).execute(arguments: [draft.givenName, draft.familyName, draft.sex?.rawValue, draft.email, draft.department.rawValue,
                                     draft.jobTitle, timestamp, keys.search, keys.sort, draft.employedSince?.iso, draft.personalNumber])
        if sexChanged, let person = try person(personalNumber: draft.personalNumber) {
            try AppDatabase.refreshCohortRollups(personID: person.id.rawValue, db)
        }
    }

    /// Moves a person to another department (past enrolments keep the department they were made in).
    public func transfer(_ person: PersonID, to department: DepartmentCode) throws {
        try db.execute(sql: "UPDATE person SET department = ?, updated_at = ? WHERE id = ?",
                       arguments: [department.rawValue, timestamp, person.rawValue])
    }
}

extension AppDatabase {
    /// People (not erased), optionally of one department, by family and given name.
    public func people(department: DepartmentCode? = nil) throws -> [Person] {
        try read { tx in
            try PersonRecord.fetchAll(tx.db, sql: """
                SELECT * FROM person WHERE erased_at IS NULL AND (?1 IS NULL OR department = ?1)
                ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, personal_number
                """, arguments: [department?.rawValue]).map(\.person)
        }
    }

    /// The person with a personal number.
    public func person(personalNumber: String) throws -> Person {
        guard let person = try read({ tx in try tx.person(personalNumber: personalNumber) }) else {
            throw PeopleError.unknownPerson(personalNumber: personalNumber)
        }
        return person
    }
}

/// New people inserted many rows per statement, bound through SQLite's C API. A statement per row made SQLite
/// update the AUTOINCREMENT counter and reset the statement 10,000 times for a large file, and GRDB's general
/// binding (a checked argument list, then a C-string array per text value) cost as much again: together more
/// than half of what an import spent in the database. Only the placeholder list is repeated; every value is bound.
private struct PersonInsertion {
    /// Rows per statement: 12 values each, well under SQLite's limit of 32,766 bound values.
    static let rowsPerStatement = 100
    static let columns = ["personal_number", "given_name", "family_name", "sex", "email", "department", "job_title",
                          "created_at", "updated_at", "search_key", "sort_key", "employed_since"]
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
        let keys = ListKeys.person(givenName: draft.givenName, familyName: draft.familyName, personalNumber: draft.personalNumber,
                                   email: draft.email)
        append(keys.search)
        append(keys.sort)
        append(draft.employedSince?.iso)
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
    var preferredLanguage: String?
    var employedSince: String?
    var searchKey: String
    var sortKey: String
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
        preferredLanguage = nil
        employedSince = draft.employedSince?.iso
        (searchKey, sortKey) = ListKeys.person(givenName: draft.givenName, familyName: draft.familyName,
                                               personalNumber: draft.personalNumber, email: draft.email)
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
        preferredLanguage = row["preferred_language"]
        employedSince = row["employed_since"]
        searchKey = row["search_key"] ?? ""
        sortKey = row["sort_key"] ?? ""
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
               department: DepartmentCode(department), jobTitle: jobTitle,
               preferredLanguage: preferredLanguage.flatMap(Language.init(rawValue:)),
               employedSince: employedSince.flatMap(LocalDate.init(iso:)))
    }
}
