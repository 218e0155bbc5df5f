import GRDB
import TrainingCore

/// Long lists a page at a time, by keyset over stored sort keys (`v22-list-keys`). The order's columns come from fixed
/// fragments chosen by the query's enum, never from what a user typed; every value is a bound parameter.
extension AppDatabase {
    /// A page of the people list (erased people are not listed).
    public func people(_ query: PeopleListQuery) throws -> ListSlice<Person> {
        let columns = switch query.sort {
        case .name: ["sort_key", "id"]
        case .number: ["personal_number", "id"]
        case .department: ["department", "sort_key", "id"]
        }
        // A search of three characters or more is answered from the trigram index (v33, v35); a shorter one has no
        // trigram and reads every key.
        let indexed = Self.trigramPhrase(query.search)
        let search = indexed == nil ? "(?2 IS NULL OR search_key LIKE ?2 ESCAPE '\\')"
                                    : "id IN (SELECT rowid FROM person_search WHERE person_search MATCH ?2)"
        let filter = "erased_at IS NULL AND (?1 IS NULL OR department = ?1) AND \(search)"
        let arguments: [(any DatabaseValueConvertible)?] = [query.department?.rawValue, indexed ?? Self.likePattern(query.search)]
        return try read { tx in
            try Self.slice(tx.db, table: "person", filter: filter, arguments: arguments, columns: columns,
                           descending: query.descending, position: query.position, limit: query.limit) {
                try PersonRecord(row: $0).person
            }
        }
    }

    /// A page of the cohorts list. `today` decides which are upcoming, running or finished.
    public func cohorts(_ query: CohortListQuery, today: LocalDate) throws -> ListSlice<Cohort> {
        let columns = switch query.sort {
        case .starts: ["starts", "id"]
        case .name: ["sort_key", "id"]
        }
        let filter = """
            (?1 IS NULL OR program_id = ?1) AND (?2 IS NULL OR substr(starts, 1, 4) = ?2)
            AND (?3 IS NULL OR search_key LIKE ?3 ESCAPE '\\')
            AND (?4 IS NULL OR (?4 = 'upcoming' AND starts > ?5) OR (?4 = 'finished' AND ends < ?5)
                 OR (?4 = 'running' AND starts <= ?5 AND ends >= ?5))
            """
        let arguments: [(any DatabaseValueConvertible)?] = [
            query.programID, query.year.map { String($0) }, Self.likePattern(query.search), query.state?.rawValue, today.iso,
        ]
        return try read { tx in
            try Self.slice(tx.db, table: "cohort", filter: filter, arguments: arguments, columns: columns,
                           descending: query.descending, position: query.position, limit: query.limit, Cohort.init(row:))
        }
    }

    /// A page of the certificates register: a holder's name or number, or a serial; by cohort, program, state and year.
    /// `today` decides which are expired or expiring.
    public func certificates(_ query: CertificateListQuery, today: LocalDate) throws -> ListSlice<Listed<IssuedCertificate>> {
        let columns = switch query.sort {
        case .issued: ["c.issued_at", "c.rowid"]
        case .holder: ["coalesce(p.sort_key, '')", "c.rowid"]
        case .expires: ["coalesce(c.expires_at, '9999-12-31')", "c.rowid"]
        }
        let filter = """
            (?1 IS NULL OR co.code = ?1) AND (?2 IS NULL OR co.program_id = ?2) AND (?3 IS NULL OR substr(c.issued_at, 1, 4) = ?3)
            AND (?4 IS NULL OR p.search_key LIKE ?4 ESCAPE '\\' OR lower(c.serial) LIKE ?4 ESCAPE '\\')
            AND (?5 IS NULL
                 OR (?5 = 'valid' AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at >= ?6))
                 OR (?5 = 'revoked' AND c.revoked_at IS NOT NULL)
                 OR (?5 = 'expired' AND c.revoked_at IS NULL AND c.expires_at < ?6)
                 OR (?5 = 'expiring' AND c.revoked_at IS NULL AND c.expires_at >= ?6 AND c.expires_at <= ?7))
            """
        let arguments: [(any DatabaseValueConvertible)?] = [
            query.cohort, query.programID, query.year.map { String($0) }, Self.likePattern(query.search), query.state?.rawValue,
            today.iso, today.adding(days: query.expiringWithin).iso,
        ]
        return try read { tx in
            try Self.slice(tx.db, table: "certificate c JOIN person p ON p.id = c.person_id JOIN cohort co ON co.id = c.cohort_id",
                           select: """
                               c.*, c.rowid AS list_id, p.personal_number, co.code AS cohort_code,
                               (SELECT e.department_at_enrolment FROM enrolment e WHERE e.cohort_id = c.cohort_id AND e.person_id = c.person_id)
                                   AS department
                               """,
                           idColumn: "c.rowid", filter: filter, arguments: arguments, columns: columns, descending: query.descending,
                           position: query.position, limit: query.limit) {
                Listed(id: $0["list_id"], value: try IssuedCertificate(row: $0))
            }
        }
    }

    /// A page of the District-wide sessions list: by cohort, program, venue, trainer, days and state. `now` decides which
    /// are upcoming (not yet ended) and which past.
    public func sessions(_ query: SessionListQuery, now: LocalDateTime) throws -> ListSlice<SessionListing> {
        let columns = switch query.sort {
        case .starts: ["s.starts_at", "s.id"]
        case .cohort: ["c.sort_key", "s.starts_at", "s.id"]
        }
        let filter = """
            (?1 IS NULL OR c.search_key LIKE ?1 ESCAPE '\\') AND (?2 IS NULL OR c.code = ?2) AND (?3 IS NULL OR s.program_id = ?3)
            AND (?4 IS NULL OR v.name = ?4) AND (?5 IS NULL OR t.name = ?5)
            AND (?6 IS NULL OR s.starts_at >= ?6) AND (?7 IS NULL OR s.starts_at < ?7)
            AND (?8 = 'all' OR (?8 = 'upcoming' AND s.ends_at > ?9) OR (?8 = 'past' AND s.ends_at <= ?9))
            AND (?10 IS NULL OR (s.status = 'cancelled') = ?10)
            """
        let arguments: [(any DatabaseValueConvertible)?] = [
            Self.likePattern(query.search), query.cohort, query.programID, query.venue, query.trainer,
            query.from?.iso, query.to.map { $0.adding(days: 1).iso }, query.when.rawValue, now.iso, query.cancelled,
        ]
        return try read { tx in
            try Self.slice(tx.db, table: """
                               session s JOIN cohort c ON c.id = s.cohort_id LEFT JOIN venue v ON v.id = s.venue_id
                               LEFT JOIN trainer t ON t.id = s.trainer_id
                               """,
                           select: "s.*, c.code AS cohort_code, c.name AS cohort_name, v.name AS venue, t.name AS trainer", idColumn: "s.id",
                           filter: filter, arguments: arguments, columns: columns, descending: query.descending,
                           position: query.position, limit: query.limit) { row in
                SessionListing(session: ScheduledSession(row: row), cohortName: row["cohort_name"], programVersion: row["program_version"])
            }
        }
    }

    /// Every trainer's name, in order (for the sessions list's filter).
    public func trainerNames() throws -> [String] {
        try readDB { db in try String.fetchAll(db, sql: "SELECT name FROM trainer ORDER BY name") }
    }

    /// A page of the audit log, newest first unless asked otherwise, filtered as `audit show` filters (an action by its
    /// prefix), its references named.
    public func auditEvents(_ query: AuditListQuery) throws -> ListSlice<AuditEvent> {
        try readDB { db in
            var unused = Set<Int64>()
            let storedActor = try query.actor.map { try AuditReferences.actor($0, db, record: false, subjects: &unused) }
            let storedEntity = try query.entityID.map { id in
                try query.entityType.map { try AuditReferences.entity(type: $0, id: id, db, record: false, subjects: &unused) } ?? id
            }
            let filter = """
                (?1 IS NULL OR e.entity_type = ?1) AND (?2 IS NULL OR e.entity_id = ?2) AND (?3 IS NULL OR e.actor = ?3)
                AND (?4 IS NULL OR substr(e.action, 1, length(?4)) = ?4)
                """
            let arguments: [(any DatabaseValueConvertible)?] = [query.entityType, storedEntity, storedActor, query.actionPrefix]
            var slice = try Self.slice(db, table: "audit_event e LEFT JOIN audit_detail d ON d.seq = e.seq", select: "e.*, d.details",
                                       idColumn: "e.seq", filter: filter, arguments: arguments, columns: ["e.seq"], descending: query.descending,
                                       position: query.position, limit: query.limit, AuditEvent.init(row:))
            slice.items = try AuditLog.named(slice.items, db)
            return slice
        }
    }

    /// A search's LIKE pattern over a search key: the query folded as keys are, its `%`, `_` and `\` taken literally.
    static func likePattern(_ search: String?) -> String? {
        guard let search else { return nil }
        let key = BosnianCollation.searchKey(search)
        guard !key.isEmpty else { return nil }
        var escaped = ""
        for character in key {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%\(escaped)%"
    }

    /// A search as a phrase for the trigram index (an FTS5 string: in double quotes, a quote doubled), which finds the
    /// keys holding it as `likePattern` does; nil for fewer than three characters (no trigram to look up).
    static func trigramPhrase(_ search: String?) -> String? {
        guard let search else { return nil }
        let key = BosnianCollation.searchKey(search)
        guard key.unicodeScalars.count >= 3 else { return nil }
        return "\"" + key.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The rows of `table` matching `filter` after or before a row, ordered by `columns` (the last is the unique id), one
    /// more than asked to learn whether more follow; and the count of all that match.
    static func slice<Item>(_ db: Database, table: String, select: String = "*", idColumn: String = "id", filter: String,
                                    arguments: [(any DatabaseValueConvertible)?], columns: [String], descending: Bool,
                                    position: ListPosition, limit: Int, _ item: (Row) throws -> Item) throws -> ListSlice<Item> {
        let tuple = "(" + columns.joined(separator: ", ") + ")"
        // Reading backwards (the page before a row) walks the order the other way, then turns the rows round.
        let backwards = { if case .before = position { return true } else { return false } }()
        let forward = descending == backwards
        var keyset = ""
        var values = arguments
        switch position {
        case .first:
            break
        case .after(let id), .before(let id):
            keyset = " AND \(tuple) \(forward ? ">" : "<") (SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(idColumn) = ?\(values.count + 1))"
            values.append(id)
        }
        let order = columns.map { "\($0) \(forward ? "ASC" : "DESC")" }.joined(separator: ", ")
        let statement = try db.cachedStatement(sql: "SELECT \(select) FROM \(table) WHERE \(filter)\(keyset) ORDER BY \(order) LIMIT \(limit + 1)")
        var rows = try Row.fetchAll(statement, arguments: StatementArguments(values))
        let more = rows.count > limit
        rows = Array(rows.prefix(limit))
        if backwards { rows.reverse() }
        let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM \(table) WHERE \(filter)"),
                                     arguments: StatementArguments(arguments)) ?? 0
        let hasPrevious: Bool, hasNext: Bool
        switch position {
        case .first: (hasPrevious, hasNext) = (false, more)
        case .after: (hasPrevious, hasNext) = (true, more)
        case .before: (hasPrevious, hasNext) = (more, true)
        }
        return ListSlice(items: try rows.map(item), total: total, hasNext: hasNext, hasPrevious: hasPrevious)
    }
}

extension AppDatabase {
    /// Computes every stored list key anew from its text (the migration that adds them; erased people keep none).
    static func refreshListKeys(_ db: Database) throws {
        let people = try Row.fetchAll(db, sql: """
            SELECT id, given_name, family_name, personal_number, email FROM person WHERE erased_at IS NULL
            """)
        let updatePerson = try db.makeStatement(sql: "UPDATE person SET search_key = ?, sort_key = ? WHERE id = ?")
        for row in people {
            let keys = ListKeys.person(givenName: row["given_name"], familyName: row["family_name"],
                                       personalNumber: row["personal_number"], email: row["email"])
            try updatePerson.execute(arguments: [keys.search, keys.sort, row["id"] as Int64])
        }
        let updateCohort = try db.makeStatement(sql: "UPDATE cohort SET search_key = ?, sort_key = ? WHERE id = ?")
        for row in try Row.fetchAll(db, sql: "SELECT id, code, name FROM cohort") {
            let keys = ListKeys.cohort(code: row["code"], name: row["name"])
            try updateCohort.execute(arguments: [keys.search, keys.sort, row["id"] as Int64])
        }
    }
}

extension StoreTransaction {
    /// Places held and requests waiting in each of some cohorts, in one query.
    public func enrolmentCounts(cohorts: [CohortID]) throws -> [CohortID: (occupied: Int, requests: Int)] {
        let ids = "[" + cohorts.map { String($0.rawValue) }.joined(separator: ",") + "]"
        var counts: [CohortID: (occupied: Int, requests: Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT e.cohort_id, SUM(\(RuleSQL.holdsPlace())), SUM(e.status = 'requested') FROM enrolment e
            WHERE e.cohort_id IN (SELECT value FROM json_each(?)) GROUP BY e.cohort_id
            """, arguments: [ids]) {
            counts[CohortID(rawValue: row[0])] = (row[1], row[2])
        }
        return counts
    }
}

extension StoreTransaction {
    /// Everyone with an enrolment in a cohort, whatever its state.
    public func enrolledPeople(cohort: CohortID) throws -> Set<PersonID> {
        Set(try Int64.fetchAll(db, sql: "SELECT person_id FROM enrolment WHERE cohort_id = ?", arguments: [cohort.rawValue])
            .map(PersonID.init(rawValue:)))
    }

    /// Everyone who completed a program (any version) in some cohort.
    public func peopleWhoCompleted(program id: String) throws -> Set<PersonID> {
        Set(try Int64.fetchAll(db, sql: """
            SELECT DISTINCT e.person_id FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
            WHERE c.program_id = ? AND e.status = 'completed'
            """, arguments: [id]).map(PersonID.init(rawValue:)))
    }
}
