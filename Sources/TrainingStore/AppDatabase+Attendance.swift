import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    // MARK: Attendance

    /// Records attendance for several people at one session, all or nothing, with one audit event.
    /// A person already recorded gets a correction: a new record superseding the old one.
    @discardableResult
    public func recordAttendance(session sessionID: SessionID, entries: [AttendanceEntry], source: String? = nil,
                                 actor: Actor, now: LocalDateTime, at date: Date = Date()) throws -> Int {
        try write { db in
            let session = try Self.session(sessionID, db)
            if session.cancelled { throw ScheduleError.sessionCancelled(id: sessionID.rawValue) }
            guard now >= session.starts else {
                throw RecordingError.sessionNotStarted(session: sessionID.rawValue, starts: session.starts)
            }
            let cohort = try Self.cohort(code: session.cohortCode, db)
            let sessionMinutes = session.ends.minutesSinceEpoch - session.starts.minutesSinceEpoch
            let participants = try participantIDs(cohort, db)
            let stamp = AuditLog.timestamp(date)
            let supersede = try db.cachedStatement(sql: "UPDATE attendance SET current = 0 WHERE id = ?")
            let insert = try db.cachedStatement(sql: """
                INSERT INTO attendance (session_id, person_id, status, minutes_present, note, recorded_by, recorded_at, supersedes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var affected: [Int64] = []
            for entry in entries {
                guard let personID = participants[entry.personalNumber] else {
                    throw RecordingError.notAParticipant(personalNumber: entry.personalNumber, cohort: cohort.code)
                }
                guard let mark = AttendanceMark.make(status: entry.status, minutes: entry.minutes, sessionMinutes: sessionMinutes) else {
                    throw RecordingError.invalidMinutes(personalNumber: entry.personalNumber, status: entry.status,
                                                        minutes: entry.minutes, sessionMinutes: sessionMinutes)
                }
                let previous = try Int64.fetchOne(db, sql: "SELECT id FROM attendance WHERE session_id = ? AND person_id = ? AND current",
                                                  arguments: [sessionID.rawValue, personID])
                if let previous { try supersede.execute(arguments: [previous]) }
                try insert.execute(arguments: [sessionID.rawValue, personID, mark.status.rawValue, mark.minutesPresent,
                                               entry.note, actor.rawValue, stamp, previous])
                affected.append(personID)
            }
            try AuditLog.append(AuditEntry(
                actor: actor, action: "attendance.record", entityType: "session", entityID: String(sessionID.rawValue),
                details: #"{"entries":\#(entries.count)\#(source.map { #","source":\#(jsonString($0))"# } ?? "")}"#),
                at: date, in: db)
            try Self.refreshRollups(cohortID: cohort.id.rawValue, personIDs: affected, db)
            try updateCompletion(cohort, personIDs: affected, actor: actor, now: now, date: date, db: db)
            return entries.count
        }
    }

    /// The attendance of a session: current records, or every record with `history`.
    public func attendance(session sessionID: SessionID, history: Bool = false) throws -> [AttendanceRecordView] {
        try writer.read { db in
            _ = try Self.session(sessionID, db)
            return try Row.fetchAll(db, sql: """
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

    // MARK: Assessments

    /// Records a score for an attempt (the next one unless given). Refuses scores outside 0…max and
    /// attempts beyond the number allowed; re-recording an attempt supersedes the earlier score.
    @discardableResult
    public func recordScore(cohortCode: String, personalNumber: String, assessmentID: String, score: Double,
                            attempt: Int? = nil, actor: Actor, now: LocalDateTime, at date: Date = Date()) throws -> Int {
        try recordScores(cohortCode: cohortCode, assessmentID: assessmentID,
                         entries: [ScoreEntry(personalNumber: personalNumber, score: score, attempt: attempt)],
                         source: nil, actor: actor, now: now, at: date)[0]
    }

    /// Records scores of one assessment for several people, all or nothing, with one audit event for the
    /// batch; returns the attempt numbers used.
    @discardableResult
    public func recordScores(cohortCode: String, assessmentID: String, entries: [ScoreEntry], source: String?,
                             actor: Actor, now: LocalDateTime, at date: Date = Date()) throws -> [Int] {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            let participants = try participantIDs(cohort, db)
            guard let definition = try Row.fetchOne(db, sql: """
                SELECT max_score, attempts FROM assessment_def WHERE program_id = ? AND program_version = ? AND id = ?
                """, arguments: [cohort.programID, cohort.programVersion, assessmentID]) else {
                throw RecordingError.unknownAssessment(assessmentID: assessmentID, cohort: cohort.code)
            }
            let maxScore: Double = definition["max_score"], allowed: Int = definition["attempts"]
            let stamp = AuditLog.timestamp(date)
            var attempts: [Int] = []
            var corrections = 0
            for entry in entries {
                guard let personID = participants[entry.personalNumber] else {
                    throw RecordingError.notAParticipant(personalNumber: entry.personalNumber, cohort: cohort.code)
                }
                guard entry.score >= 0, entry.score <= maxScore, entry.score.isFinite else {
                    throw RecordingError.scoreOutOfRange(assessmentID: assessmentID, score: entry.score, max: maxScore)
                }
                let used = try Int.fetchOne(db, sql: """
                    SELECT COALESCE(MAX(attempt), 0) FROM assessment_result
                    WHERE cohort_id = ? AND assessment_id = ? AND person_id = ? AND current
                    """, arguments: [cohort.id.rawValue, assessmentID, personID]) ?? 0
                let number = entry.attempt ?? used + 1
                guard number >= 1, number <= allowed, number <= used + 1 else {
                    throw RecordingError.attemptNotAllowed(assessmentID: assessmentID, attempt: number, allowed: allowed)
                }
                let previous = try Int64.fetchOne(db, sql: """
                    SELECT id FROM assessment_result
                    WHERE cohort_id = ? AND assessment_id = ? AND person_id = ? AND attempt = ? AND current
                    """, arguments: [cohort.id.rawValue, assessmentID, personID, number])
                if let previous {
                    try db.execute(sql: "UPDATE assessment_result SET current = 0 WHERE id = ?", arguments: [previous])
                    corrections += 1
                }
                try db.cachedStatement(sql: """
                    INSERT INTO assessment_result (cohort_id, assessment_id, person_id, attempt, score, recorded_by, recorded_at, supersedes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [cohort.id.rawValue, assessmentID, personID, number, entry.score, actor.rawValue,
                                             stamp, previous])
                attempts.append(number)
            }
            let single = entries.count == 1 ? entries[0] : nil
            try AuditLog.append(AuditEntry(
                actor: actor, action: corrections > 0 && single != nil ? "assessment.correct" : "assessment.record",
                entityType: single == nil ? "cohort" : "enrolment",
                entityID: single.map { "\(cohort.code)/\($0.personalNumber)" } ?? cohort.code,
                details: single.map { #"{"assessment":\#(jsonString(assessmentID)),"attempt":\#(attempts[0]),"score":\#($0.score)}"# }
                    ?? #"{"assessment":\#(jsonString(assessmentID)),"entries":\#(entries.count),"corrections":\#(corrections)\#(source.map { #","source":\#(jsonString($0))"# } ?? "")}"#),
                at: date, in: db)
            let people = entries.compactMap { participants[$0.personalNumber] }
            try Self.refreshRollups(cohortID: cohort.id.rawValue, personIDs: people, db)
            try updateCompletion(cohort, personIDs: people, actor: actor, now: now, date: date, db: db)
            return attempts
        }
    }

    // MARK: Progress

    /// A person's progress in every cohort they hold (or held) a place in.
    public func progress(personalNumber: String, now: LocalDateTime) throws -> [CohortProgress] {
        let person = try person(personalNumber: personalNumber)
        return try writer.read { db in
            let cohortIDs = try Int64.fetchAll(db, sql: """
                SELECT cohort_id FROM enrolment WHERE person_id = ? AND status IN ('approved', 'completed') ORDER BY cohort_id
                """, arguments: [person.id.rawValue])
            return try cohortIDs.map { id in
                let cohort = try Self.cohort(id: CohortID(rawValue: id), db)
                return try cohortProgress(cohort, personIDs: [person.id.rawValue], now: now, db: db)[0]
            }
        }
    }

    /// The approved and completed enrolments' progress of everyone now in a department, by personal number
    /// (each person's list in cohort order, as `progress(personalNumber:now:)` gives it): one evaluation per
    /// cohort, not one per person, so a department of hundreds is a handful of queries.
    public func progress(department: DepartmentCode, now: LocalDateTime) throws -> [String: [CohortProgress]] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.cohort_id, e.person_id FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE p.department = ? AND e.status IN ('approved', 'completed') ORDER BY e.cohort_id, e.person_id
                """, arguments: [department.rawValue])
            var cohortIDs: [Int64] = []
            var people: [Int64: [Int64]] = [:]
            for row in rows {
                let cohortID: Int64 = row["cohort_id"]
                if people[cohortID] == nil { cohortIDs.append(cohortID) }
                people[cohortID, default: []].append(row["person_id"])
            }
            var result: [String: [CohortProgress]] = [:]
            var programs: [String: Program] = [:]  // many cohorts run one program version
            for id in cohortIDs {
                let cohort = try Self.cohort(id: CohortID(rawValue: id), db)
                let key = "\(cohort.programID)@\(cohort.programVersion)"
                let program = try programs[key] ?? programDefinition(cohort, db)
                programs[key] = program
                for entry in try cohortProgress(cohort, personIDs: people[id] ?? [], now: now, db: db, program: program) {
                    result[entry.person.personalNumber, default: []].append(entry)
                }
            }
            return result
        }
    }

    /// Progress of every participant of a cohort, by name.
    public func progress(cohortCode: String, now: LocalDateTime) throws -> [CohortProgress] {
        try writer.read { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            return try cohortProgress(cohort, personIDs: nil, now: now, db: db)
        }
    }

    /// Evaluates progress for some (or all) participants of a cohort: SQL gathers sessions, marks and scores;
    /// `ProgramProgress.evaluate` decides.
    /// `program`, when the caller already has the cohort's program, saves decoding it again.
    func cohortProgress(_ cohort: Cohort, personIDs: [Int64]?, now: LocalDateTime, db: Database,
                        program known: Program? = nil) throws -> [CohortProgress] {
        let program = try known ?? programDefinition(cohort, db)
        // Cached statements: a department page evaluates hundreds of cohorts in one read.
        // Only the people asked for (bound as a JSON array): a department's few in a cohort need not read
        // everyone's marks.
        let only = personIDs.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
        let sessions = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, module_id, starts_at, ends_at, status FROM session WHERE cohort_id = ? AND status = 'scheduled'
            """), arguments: [cohort.id.rawValue]).map { row -> (id: Int64, module: String, minutes: Int, held: Bool) in
            let starts = LocalDateTime(iso: row["starts_at"])!, ends = LocalDateTime(iso: row["ends_at"])!
            return (row["id"], row["module_id"], ends.minutesSinceEpoch - starts.minutesSinceEpoch, ends <= now)
        }
        let people = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT p.*, e.status AS e_status FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id = ?1 AND e.status IN ('approved', 'completed')
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
        return try people.map { row in
            let person = try PersonRecord(row: row).person
            let facts = sessions.map { session in
                SessionFact(moduleID: session.module, scheduledMinutes: session.minutes, held: session.held,
                            mark: marks[person.id.rawValue]?[session.id])
            }
            return CohortProgress(
                cohort: cohort, program: program, person: person,
                status: EnrolmentStatus(rawValue: row["e_status"]) ?? .approved,
                progress: ProgramProgress.evaluate(program: program, sessions: facts, scores: scores[person.id.rawValue] ?? [:]))
        }
    }

    /// Marks enrolments completed (audited) when the program's rule is met.
    private func updateCompletion(_ cohort: Cohort, personIDs: [Int64], actor: Actor, now: LocalDateTime, date: Date,
                                  db: Database) throws {
        for entry in try cohortProgress(cohort, personIDs: personIDs, now: now, db: db)
        where entry.progress.isComplete && entry.status == .approved {
            try db.execute(sql: "UPDATE enrolment SET status = 'completed', updated_at = ? WHERE cohort_id = ? AND person_id = ?",
                           arguments: [AuditLog.timestamp(date), cohort.id.rawValue, entry.person.id.rawValue])
            try AuditLog.append(AuditEntry(
                actor: actor, action: "enrolment.complete", entityType: "enrolment",
                entityID: "\(cohort.code)/\(entry.person.personalNumber)",
                details: #"{"final_score":\#((entry.progress.finalScore * 100).rounded() / 100)}"#), at: date, in: db)
        }
    }

    /// Re-evaluates completion for a whole cohort (after sessions end, nothing is written to trigger it).
    @discardableResult
    public func refreshCompletion(cohortCode: String, actor: Actor, now: LocalDateTime, at date: Date = Date()) throws -> Int {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            let before = try occupiedCompleted(cohort, db)
            let ids = try Int64.fetchAll(db, sql: "SELECT person_id FROM enrolment WHERE cohort_id = ? AND status = 'approved'",
                                         arguments: [cohort.id.rawValue])
            try updateCompletion(cohort, personIDs: ids, actor: actor, now: now, date: date, db: db)
            return try occupiedCompleted(cohort, db) - before
        }
    }

    private func occupiedCompleted(_ cohort: Cohort, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment WHERE cohort_id = ? AND status = 'completed'",
                         arguments: [cohort.id.rawValue]) ?? 0
    }

    /// Personal number → person id of everyone holding a place in the cohort.
    func participantIDs(_ cohort: Cohort, _ db: Database) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.personal_number, p.id FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id = ? AND e.status IN ('approved', 'completed')
            """, arguments: [cohort.id.rawValue]) {
            result[row["personal_number"]] = row["id"]
        }
        return result
    }

    func programDefinition(_ cohort: Cohort, _ db: Database) throws -> Program {
        try Self.programDefinition(id: cohort.programID, version: cohort.programVersion, db)
    }

    static func cohort(id: CohortID, _ db: Database) throws -> Cohort {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cohort WHERE id = ?", arguments: [id.rawValue]) else {
            throw CohortError.unknownCohort(code: String(id.rawValue))
        }
        return Cohort(row: row)
    }
}

extension AppDatabase {
    /// Every problem a batch of attendance entries would meet, by position in the batch (read-only), so
    /// an import can report all bad rows at once before writing anything.
    public func attendanceProblems(session sessionID: SessionID, entries: [AttendanceEntry]) throws -> [(index: Int, error: RecordingError)] {
        try writer.read { db in
            let session = try Self.session(sessionID, db)
            let cohort = try Self.cohort(code: session.cohortCode, db)
            let participants = try participantIDs(cohort, db)
            let sessionMinutes = session.ends.minutesSinceEpoch - session.starts.minutesSinceEpoch
            var problems: [(index: Int, error: RecordingError)] = []
            for (index, entry) in entries.enumerated() {
                if participants[entry.personalNumber] == nil {
                    problems.append((index, .notAParticipant(personalNumber: entry.personalNumber, cohort: cohort.code)))
                } else if AttendanceMark.make(status: entry.status, minutes: entry.minutes, sessionMinutes: sessionMinutes) == nil {
                    problems.append((index, .invalidMinutes(personalNumber: entry.personalNumber, status: entry.status,
                                                            minutes: entry.minutes, sessionMinutes: sessionMinutes)))
                }
            }
            return problems
        }
    }

    /// Personal numbers of everyone holding a place in the session's cohort, by name.
    public func participants(session sessionID: SessionID) throws -> [Person] {
        try writer.read { db in
            let session = try Self.session(sessionID, db)
            let cohort = try Self.cohort(code: session.cohortCode, db)
            return try PersonRecord.fetchAll(db, sql: """
                SELECT p.* FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.cohort_id = ? AND e.status IN ('approved', 'completed')
                ORDER BY p.family_name, p.given_name, p.personal_number
                """, arguments: [cohort.id.rawValue]).map(\.person)
        }
    }
}
