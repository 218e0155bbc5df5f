import Foundation
import GRDB
import TrainingCore

/// What the clock tick's daily reminder pass reads and records (`v32-reminders`): which day's pass ran, the last
/// forecast told to each trainee, and the subjects of the time-driven messages. The rules (which day, which threshold,
/// which change) are `ReminderRules` and `ForecastNotice`; these are their inputs.
extension StoreTransaction {
    // MARK: The daily pass

    /// Whether the reminder pass of `day` has run.
    public func reminderPassRan(on day: LocalDate) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM reminder_pass WHERE day = ?)", arguments: [day.iso]) ?? false
    }

    /// Records that the reminder pass of `day` ran (with the rest of the pass, in its transaction).
    public func recordReminderPass(on day: LocalDate) throws {
        try db.execute(sql: "INSERT INTO reminder_pass (day, ran_at) VALUES (?, ?) ON CONFLICT (day) DO NOTHING",
                       arguments: [day.iso, timestamp])
    }

    /// Whether a message of `kind` about `subjectKey` was ever queued to `person` (on any day): a notice told once is
    /// not told again however many days its window lasts.
    public func messageQueued(kind: MessageKind, subjectKey: String, person: PersonID) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = ? AND subject_key = ? AND person_id = ?)
            """, arguments: [kind.rawValue, subjectKey, person.rawValue]) ?? false
    }

    // MARK: People

    /// The people (not erased, with an account that is not disabled) who head a department.
    public func departmentHeads(_ department: DepartmentCode) throws -> [Person] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT p.* FROM account a JOIN person p ON p.id = a.person_id AND p.erased_at IS NULL
            WHERE a.department = ? AND a.disabled_at IS NULL AND (',' || a.roles || ',') LIKE '%,department_head,%'
            ORDER BY p.id
            """), arguments: [department.rawValue]).map { try PersonRecord(row: $0).person }
    }

    /// Switches a person's reminders off or on again.
    public func setRemindersOff(_ off: Bool, person: PersonID) throws {
        try db.execute(sql: "UPDATE person SET reminders_off = ? WHERE id = ?", arguments: [off, person.rawValue])
    }

    /// Whether a person switched their reminders off.
    public func remindersOff(person: PersonID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT reminders_off FROM person WHERE id = ?", arguments: [person.rawValue]) ?? false
    }

    /// People who cannot be written to (no e-mail address) but whom obuka has something to tell: holders of a place
    /// in a cohort that has not ended by `today`, and department heads. Sorted by name.
    public func peopleWithoutEmail(today: LocalDate) throws -> [UnreachablePerson] {
        try Row.fetchAll(db, sql: """
            SELECT p.*,
                   (SELECT group_concat(code, ', ') FROM (SELECT c.code FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
                     WHERE e.person_id = p.id AND \(RuleSQL.holdsPlace()) AND c.ends >= ?1 ORDER BY c.starts, c.code)) AS cohorts,
                   EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id AND a.disabled_at IS NULL
                           AND (',' || a.roles || ',') LIKE '%,department_head,%') AS heads
            FROM person p
            WHERE p.erased_at IS NULL AND trim(p.email) = ''
              AND (EXISTS (SELECT 1 FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
                           WHERE e.person_id = p.id AND \(RuleSQL.holdsPlace()) AND c.ends >= ?1)
                   OR EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id AND a.disabled_at IS NULL
                              AND (',' || a.roles || ',') LIKE '%,department_head,%'))
            ORDER BY p.sort_key, p.personal_number
            """, arguments: [today.iso]).map { row in
            UnreachablePerson(person: try PersonRecord(row: row).person,
                              cohorts: (row["cohorts"] as String?).map { $0.components(separatedBy: ", ") } ?? [],
                              headsDepartment: row["heads"])
        }
    }

    // MARK: Subjects

    /// The sessions (not cancelled) that start on any of `days`.
    public func sessionsStarting(on days: [LocalDate]) throws -> [ScheduledSession] {
        guard let first = days.min(), let last = days.max() else { return [] }
        return try Row.fetchAll(db, sql: AppDatabase.sessionSelect + """
             WHERE s.status = 'scheduled' AND s.starts_at >= ? AND s.starts_at < ? ORDER BY s.starts_at, s.id
            """, arguments: [first.iso, last.adding(days: 1).iso]).map(ScheduledSession.init(row:))
    }

    /// Cohorts running on `today` (from their first day through their last).
    public func cohortsRunning(on today: LocalDate) throws -> [Cohort] {
        try Row.fetchAll(db, sql: "SELECT * FROM cohort WHERE starts <= ?1 AND ends >= ?1 ORDER BY starts, code",
                         arguments: [today.iso]).map(Cohort.init(row:))
    }

    /// Whether a session of the cohort has ended by `now` with no attendance recorded for anyone: its register is
    /// behind, and a forecast read from it would count everyone absent.
    public func registerIsBehind(cohort: CohortID, now: LocalDateTime) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM session s WHERE s.cohort_id = ? AND s.status = 'scheduled' AND s.ends_at <= ?
                           AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id))
            """), arguments: [cohort.rawValue, now.iso]) ?? false
    }

    /// The last forecast told to each trainee of a cohort, with how many changes were told.
    public func forecastNotices(cohort: CohortID) throws -> [PersonID: (forecast: String, changes: Int)] {
        var result: [PersonID: (forecast: String, changes: Int)] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT person_id, forecast, changes FROM forecast_notice WHERE cohort_id = ?"),
                                    arguments: [cohort.rawValue]) {
            result[PersonID(rawValue: row["person_id"])] = (row["forecast"], row["changes"])
        }
        return result
    }

    /// Records the forecast now told (or silently remembered) for a trainee.
    public func setForecastNotice(cohort: CohortID, person: PersonID, forecast: String, changes: Int) throws {
        try db.cachedStatement(sql: """
            INSERT INTO forecast_notice (cohort_id, person_id, forecast, changes) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (cohort_id, person_id) DO UPDATE SET forecast = ?3, changes = ?4
            """).execute(arguments: [cohort.rawValue, person.rawValue, forecast, changes])
    }

    /// How many enrolment requests wait for a decision, per department (of the person at the request).
    public func waitingRequests() throws -> [(department: DepartmentCode, count: Int)] {
        try Row.fetchAll(db, sql: """
            SELECT e.department_at_enrolment AS department, COUNT(*) AS n
            FROM enrolment e JOIN person p ON p.id = e.person_id AND p.erased_at IS NULL
            WHERE e.status = 'requested' GROUP BY e.department_at_enrolment ORDER BY e.department_at_enrolment
            """).map { (DepartmentCode($0["department"]), $0["n"]) }
    }

    /// Reaction rounds whose deadline is within `days` of `today` (inclusive), with the people who attended the module
    /// (present or late, holding a place) and have not answered.
    public func reactionRoundsClosing(today: LocalDate, within days: Int)
        throws -> [(cohort: Cohort, module: String, deadline: LocalDate, people: [PersonID])] {
        try Row.fetchAll(db, sql: """
            SELECT r.cohort_id, r.module_id, r.deadline FROM reaction_round r WHERE r.deadline >= ? AND r.deadline <= ?
            ORDER BY r.deadline, r.cohort_id, r.module_id
            """, arguments: [today.iso, today.adding(days: days).iso]).map { row in
            let cohortID: Int64 = row["cohort_id"], module: String = row["module_id"]
            let people = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT a.person_id FROM attendance a JOIN session s ON s.id = a.session_id
                JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id AND \(RuleSQL.holdsPlace())
                WHERE s.cohort_id = ?1 AND s.module_id = ?2 AND s.status = 'scheduled' AND a.current AND \(RuleSQL.attended())
                  AND NOT EXISTS (SELECT 1 FROM reaction_marker m WHERE m.person_id = a.person_id AND m.cohort_id = ?1 AND m.module_id = ?2)
                ORDER BY a.person_id
                """, arguments: [cohortID, module]).map(PersonID.init(rawValue:))
            return (try cohort(id: CohortID(rawValue: cohortID)), module, LocalDate(iso: row["deadline"])!, people)
        }
    }

    /// Follow-ups open on `today` and not answered: id, respondent, the person it is about, their department.
    public func followUpsWaiting(today: LocalDate) throws
        -> [(id: Int64, respondent: FollowUpRespondent, person: PersonID, department: DepartmentCode, closes: LocalDate)] {
        try Row.fetchAll(db, sql: """
            SELECT id, respondent, person_id, department, closes FROM follow_up
            WHERE answered_at IS NULL AND due <= ?1 AND closes >= ?1 ORDER BY id
            """, arguments: [today.iso]).compactMap { row in
            guard let respondent = FollowUpRespondent(rawValue: row["respondent"]), let closes = LocalDate(iso: row["closes"]) else {
                return nil
            }
            return (row["id"], respondent, PersonID(rawValue: row["person_id"]), DepartmentCode(row["department"]), closes)
        }
    }

    /// Departments (with people) that proposed no need for a planning year.
    public func departmentsWithoutNeeds(year: Int) throws -> [DepartmentCode] {
        try String.fetchAll(db, sql: """
            SELECT d.code FROM department d
            WHERE EXISTS (SELECT 1 FROM person p WHERE p.department = d.code AND p.erased_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM training_need n WHERE n.department = d.code AND n.year = ? AND n.withdrawn_at IS NULL)
            ORDER BY d.code
            """, arguments: [year]).map(DepartmentCode.init)
    }
}
