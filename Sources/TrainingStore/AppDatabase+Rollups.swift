import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    /// The rollup rows of some people (or everyone) in a cohort, recomputed from the ledgers.
    static func refreshRollups(cohortID: Int64, personIDs: [Int64]?, _ db: Database) throws {
        // The people in scope travel as one bound JSON array (NULL: everyone in the cohort).
        let people = personIDs.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
        let arguments: StatementArguments = [cohortID, people]
        try db.execute(sql: """
            DELETE FROM attendance_rollup WHERE cohort_id = ?1
              AND (?2 IS NULL OR person_id IN (SELECT value FROM json_each(?2)))
            """, arguments: arguments)
        try db.execute(sql: """
            DELETE FROM score_rollup WHERE cohort_id = ?1
              AND (?2 IS NULL OR person_id IN (SELECT value FROM json_each(?2)))
            """, arguments: arguments)
        try db.execute(sql: """
            INSERT INTO attendance_rollup (cohort_id, person_id, module_id, present_minutes, excused_minutes)
            SELECT s.cohort_id, a.person_id, s.module_id, SUM(a.minutes_present),
                   SUM(CASE WHEN a.status = 'excused'
                            THEN (strftime('%s', s.ends_at) - strftime('%s', s.starts_at)) / 60 ELSE 0 END)
            FROM attendance a JOIN session s ON s.id = a.session_id
            WHERE a.current AND s.status = 'scheduled' AND s.cohort_id = ?1
              AND (?2 IS NULL OR a.person_id IN (SELECT value FROM json_each(?2)))
            GROUP BY s.cohort_id, a.person_id, s.module_id
            """, arguments: arguments)
        // The month rows are per cohort, so the whole cohort's are recomputed (a few hundred ledger rows).
        try db.execute(sql: "DELETE FROM month_rollup WHERE cohort_id = ?", arguments: [cohortID])
        try db.execute(sql: """
            INSERT INTO month_rollup (cohort_id, department, month, present_minutes)
            SELECT s.cohort_id, e.department_at_enrolment, substr(s.starts_at, 1, 7), SUM(a.minutes_present)
            FROM attendance a JOIN session s ON s.id = a.session_id
            JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id
            WHERE a.current AND s.status = 'scheduled' AND s.cohort_id = ?
            GROUP BY s.cohort_id, e.department_at_enrolment, substr(s.starts_at, 1, 7)
            """, arguments: [cohortID])
        try db.execute(sql: """
            INSERT INTO score_rollup (cohort_id, person_id, assessment_id, best_score, attempts)
            SELECT cohort_id, person_id, assessment_id, MAX(score), COUNT(*)
            FROM assessment_result WHERE current AND cohort_id = ?1
              AND (?2 IS NULL OR person_id IN (SELECT value FROM json_each(?2)))
            GROUP BY cohort_id, person_id, assessment_id
            """, arguments: arguments)
    }

    /// Recomputes every rollup from the ledgers.
    static func rebuildRollups(_ db: Database) throws {
        for cohortID in try Int64.fetchAll(db, sql: "SELECT id FROM cohort") {
            try refreshRollups(cohortID: cohortID, personIDs: nil, db)
        }
    }

    /// Rebuilds the report rollups from the attendance and results ledgers (`obuka report rebuild`).
    public func rebuildRollups(actor: Actor, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM attendance_rollup; DELETE FROM score_rollup; DELETE FROM month_rollup")
            try Self.rebuildRollups(db)
            try AuditLog.append(AuditEntry(actor: actor, action: "report.rebuild", entityType: "rollup", entityID: "all"), at: date, in: db)
        }
    }

    /// Every rollup row, in a stable order (for comparing the incremental state with a rebuild).
    public func rollupSnapshot() throws -> [String] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attendance_rollup ORDER BY cohort_id, person_id, module_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM score_rollup ORDER BY cohort_id, person_id, assessment_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM month_rollup ORDER BY cohort_id, department, month").map { "\($0)" }
        }
    }
}
