import Foundation
import GRDB
import TrainingCore

// MARK: The attendance and results ledgers

extension StoreTransaction {
    /// A person's current mark at a session, if they have one.
    public func currentAttendanceStatus(session: SessionID, personalNumber: String) throws -> AttendanceStatus? {
        try String.fetchOne(db, sql: """
            SELECT a.status FROM attendance a JOIN person p ON p.id = a.person_id
            WHERE a.session_id = ? AND p.personal_number = ? AND a.current
            """, arguments: [session.rawValue, personalNumber]).flatMap(AttendanceStatus.init(rawValue:))
    }

    /// Records a mark; the person's current mark at the session, if any, is kept but superseded by it.
    public func recordAttendance(session: SessionID, person: PersonID, mark: AttendanceMark, note: String?,
                                 recordedBy actor: Actor) throws {
        let previous = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM attendance WHERE session_id = ? AND person_id = ? AND current"),
            arguments: [session.rawValue, person.rawValue])
        if let previous { try db.cachedStatement(sql: "UPDATE attendance SET current = 0 WHERE id = ?").execute(arguments: [previous]) }
        try db.cachedStatement(sql: """
            INSERT INTO attendance (session_id, person_id, status, minutes_present, note, recorded_by, recorded_at, supersedes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [session.rawValue, person.rawValue, mark.status.rawValue, mark.minutesPresent, note,
                                     actor.rawValue, timestamp, previous])
    }

    /// The highest current attempt number of a person's results in an assessment (0: none).
    public func attemptsUsed(cohort: CohortID, assessment: String, person: PersonID) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(MAX(attempt), 0) FROM assessment_result
            WHERE cohort_id = ? AND assessment_id = ? AND person_id = ? AND current
            """), arguments: [cohort.rawValue, assessment, person.rawValue]) ?? 0
    }

    /// Records a score for an attempt; a current score of the same attempt is kept but superseded. Returns whether
    /// it corrected one.
    @discardableResult
    public func recordScore(cohort: CohortID, assessment: String, person: PersonID, attempt: Int, score: Double,
                            recordedBy actor: Actor) throws -> Bool {
        let previous = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM assessment_result
            WHERE cohort_id = ? AND assessment_id = ? AND person_id = ? AND attempt = ? AND current
            """), arguments: [cohort.rawValue, assessment, person.rawValue, attempt])
        if let previous {
            try db.cachedStatement(sql: "UPDATE assessment_result SET current = 0 WHERE id = ?").execute(arguments: [previous])
        }
        try db.cachedStatement(sql: """
            INSERT INTO assessment_result (cohort_id, assessment_id, person_id, attempt, score, recorded_by, recorded_at, supersedes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [cohort.rawValue, assessment, person.rawValue, attempt, score, actor.rawValue, timestamp, previous])
        return previous != nil
    }

    /// Brings the report rollups of some people (nil: everyone) in a cohort up to date with the ledgers, after any
    /// write of attendance, results or enrolments.
    public func refreshRollups(cohort: CohortID, people: [PersonID]?) throws {
        try AppDatabase.refreshRollups(cohortID: cohort.rawValue, personIDs: people?.map(\.rawValue), db)
    }

    /// The cohort's report rollups after a change of who holds a place (an enrolment decision).
    public func refreshPlaceRollups(cohort: CohortID) throws {
        try AppDatabase.refreshCohortRollup(cohortID: cohort.rawValue, db)
    }
}

// MARK: What the progress rules read

extension StoreTransaction {
    /// What the progress rules need about some (nil: every) place holder of a cohort at `now`, by name: each
    /// scheduled session with its length, whether it is held and the person's current mark, and their current
    /// scores by assessment in attempt order.
    public func progressFacts(_ cohort: Cohort, people: [PersonID]?, now: LocalDateTime) throws -> [EnrolmentFacts] {
        // Only the people asked for (bound as a JSON array): a department's few in a cohort need not read everyone's
        // marks. Cached statements: a department page reads hundreds of cohorts in one transaction.
        let only = people.map { "[" + $0.map { String($0.rawValue) }.joined(separator: ",") + "]" }
        let sessions = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, module_id, starts_at, ends_at FROM session WHERE cohort_id = ? AND status = 'scheduled'
            """), arguments: [cohort.id.rawValue]).map { row -> (id: Int64, module: String, minutes: Int, held: Bool) in
            let starts = LocalDateTime(iso: row["starts_at"])!, ends = LocalDateTime(iso: row["ends_at"])!
            return (row["id"], row["module_id"], ends.minutesSinceEpoch - starts.minutesSinceEpoch, ends <= now)
        }
        let holders = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT p.*, e.status AS e_status FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id = ?1 AND \(RuleSQL.holdsPlace())
              AND (?2 IS NULL OR e.person_id IN (SELECT value FROM json_each(?2)))
            ORDER BY p.family_name, p.given_name, p.personal_number
            """), arguments: [cohort.id.rawValue, only])
        var marks: [Int64: [Int64: AttendanceMark]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.person_id, a.session_id, a.status, a.minutes_present FROM attendance a JOIN session s ON s.id = a.session_id
            WHERE s.cohort_id = ?1 AND a.current AND (?2 IS NULL OR a.person_id IN (SELECT value FROM json_each(?2)))
            """), arguments: [cohort.id.rawValue, only]) {
            marks[row["person_id"], default: [:]][row["session_id"]] = AttendanceMark(
                status: AttendanceStatus(rawValue: row["status"]) ?? .absent, minutesPresent: row["minutes_present"])
        }
        var scores: [Int64: [String: [Double]]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT person_id, assessment_id, score FROM assessment_result
            WHERE cohort_id = ?1 AND current AND (?2 IS NULL OR person_id IN (SELECT value FROM json_each(?2)))
            ORDER BY attempt
            """), arguments: [cohort.id.rawValue, only]) {
            scores[row["person_id"], default: [:]][row["assessment_id"], default: []].append(row["score"])
        }
        return try holders.map { row in
            let person = try PersonRecord(row: row).person
            return EnrolmentFacts(
                person: person, status: EnrolmentStatus(rawValue: row["e_status"]) ?? .approved,
                sessions: sessions.map { session in
                    SessionFact(moduleID: session.module, scheduledMinutes: session.minutes, held: session.held,
                                mark: marks[person.id.rawValue]?[session.id])
                },
                scores: scores[person.id.rawValue] ?? [:])
        }
    }

    /// The cohorts in which a person holds (or held) a place, in cohort order.
    public func cohortsWithPlace(of person: PersonID) throws -> [CohortID] {
        try Int64.fetchAll(db, sql: """
            SELECT e.cohort_id FROM enrolment e WHERE e.person_id = ? AND \(RuleSQL.holdsPlace()) ORDER BY e.cohort_id
            """, arguments: [person.rawValue]).map(CohortID.init(rawValue:))
    }

    /// The place holders now in a department, per cohort, in cohort order.
    public func placesHeld(department: DepartmentCode) throws -> [(cohort: CohortID, people: [PersonID])] {
        var result: [(cohort: CohortID, people: [PersonID])] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT e.cohort_id, e.person_id FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE p.department = ? AND \(RuleSQL.holdsPlace()) ORDER BY e.cohort_id, e.person_id
            """, arguments: [department.rawValue]) {
            let cohort = CohortID(rawValue: row["cohort_id"]), person = PersonID(rawValue: row["person_id"])
            if result.last?.cohort == cohort { result[result.count - 1].people.append(person) } else { result.append((cohort, [person])) }
        }
        return result
    }

}

// MARK: Decisions that come due with time

extension StoreTransaction {
    /// The cohorts whose completion decisions have come due by `now` (their last scheduled session has ended), the
    /// earliest first: one query on the `completion_due` index.
    public func completionsDue(by now: LocalDateTime) throws -> [CohortID] {
        try Int64.fetchAll(db.cachedStatement(sql: "SELECT cohort_id FROM completion_due WHERE due_at <= ? ORDER BY due_at"),
                           arguments: [now.iso]).map(CohortID.init(rawValue:))
    }

    /// Notes that a cohort's completion decisions are made (until its schedule changes again).
    public func completionsDecided(cohort: CohortID) throws {
        try db.execute(sql: "DELETE FROM completion_due WHERE cohort_id = ?", arguments: [cohort.rawValue])
    }
}

extension AppDatabase {
    /// After a change to a cohort's sessions: its completion decisions come due when its last scheduled session ends.
    static func refreshCompletionDue(cohortID: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM completion_due WHERE cohort_id = ?", arguments: [cohortID])
        try db.execute(sql: """
            INSERT INTO completion_due (cohort_id, due_at)
            SELECT cohort_id, MAX(last_ends_at) FROM schedule_rollup WHERE cohort_id = ? GROUP BY cohort_id
            """, arguments: [cohortID])
    }
}

// MARK: Reading a session's attendance

extension AppDatabase {
    /// The attendance of a session: current records, or every record with `history`.
    public func attendance(session sessionID: SessionID, history: Bool = false) throws -> [AttendanceRecordView] {
        try read { tx in
            _ = try tx.session(sessionID)
            return try Row.fetchAll(tx.db, sql: """
                SELECT a.id AS a_id, a.status AS a_status, a.minutes_present, a.note, a.recorded_by, a.recorded_at,
                       a.supersedes, a.current, p.*
                FROM attendance a JOIN person p ON p.id = a.person_id
                WHERE a.session_id = ? AND (? OR a.current)
                ORDER BY p.family_name, p.given_name, p.personal_number, a.id
                """, arguments: [sessionID.rawValue, history]).map { row in
                AttendanceRecordView(
                    id: row["a_id"], person: try PersonRecord(row: row).person,
                    status: AttendanceStatus(rawValue: row["a_status"]) ?? .absent, minutesPresent: row["minutes_present"],
                    note: row["note"], recordedBy: row["recorded_by"], recordedAt: row["recorded_at"],
                    supersedes: row["supersedes"], current: row["current"])
            }
        }
    }

    /// Everyone holding a place in the session's cohort, by name.
    public func participants(session sessionID: SessionID) throws -> [Person] {
        try read { tx in
            let cohort = try tx.cohort(code: try tx.session(sessionID).cohortCode)
            return try PersonRecord.fetchAll(tx.db, sql: """
                SELECT p.* FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.cohort_id = ? AND \(RuleSQL.holdsPlace())
                ORDER BY p.family_name, p.given_name, p.personal_number
                """, arguments: [cohort.id.rawValue]).map(\.person)
        }
    }

    /// Personal number → person id of everyone holding a place in the cohort.
    static func placeHolderIDs(_ cohort: Cohort, _ db: Database) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.personal_number, p.id FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id = ? AND \(RuleSQL.holdsPlace())
            """, arguments: [cohort.id.rawValue]) {
            result[row["personal_number"]] = row["id"]
        }
        return result
    }

    static func cohort(id: CohortID, _ db: Database) throws -> Cohort {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cohort WHERE id = ?", arguments: [id.rawValue]) else {
            throw CohortError.unknownCohort(code: String(id.rawValue))
        }
        return Cohort(row: row)
    }
}
