import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    /// The rollup rows of some people (or everyone) in a cohort, recomputed from the ledgers, and the District's dated
    /// sums of its groups (unless `datedSums` is false: a bulk rebuild sums them once at the end).
    static func refreshRollups(cohortID: Int64, personIDs: [Int64]?, datedSums: Bool = true, _ db: Database) throws {
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
            INSERT INTO attendance_rollup (cohort_id, person_id, module_id, present_minutes, excused_minutes, attended)
            SELECT s.cohort_id, a.person_id, s.module_id, SUM(a.minutes_present),
                   SUM(\(RuleSQL.excusedMinutes())), SUM(\(RuleSQL.attended()))
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
        // And the District's, in a table of its own, so a District-wide chart reads a row per cohort and month and
        // no department's.
        try db.execute(sql: "DELETE FROM district_month_rollup WHERE cohort_id = ?", arguments: [cohortID])
        try db.execute(sql: """
            INSERT INTO district_month_rollup (cohort_id, month, present_minutes)
            SELECT cohort_id, month, SUM(present_minutes) FROM month_rollup WHERE cohort_id = ? GROUP BY cohort_id, month
            """, arguments: [cohortID])
        try db.execute(sql: """
            INSERT INTO score_rollup (cohort_id, person_id, assessment_id, best_score, attempts)
            SELECT cohort_id, person_id, assessment_id, MAX(score), COUNT(*)
            FROM assessment_result WHERE current AND cohort_id = ?1
              AND (?2 IS NULL OR person_id IN (SELECT value FROM json_each(?2)))
            GROUP BY cohort_id, person_id, assessment_id
            """, arguments: arguments)
        // The schedule first: the cohort rollup's rows copy its minutes.
        try refreshScheduleRollup(cohortID: cohortID, copyingToCohortRollup: false, db)
        try refreshCohortRollup(cohortID: cohortID, datedSums: datedSums, db)
    }

    /// The scheduled minutes of the module of a row of `table` (`cohort_rollup` or `district_rollup`) in its cohort,
    /// from `schedule_rollup` (0 for a module without sessions).
    static func scheduledMinutes(ofRowIn table: String) -> String {
        """
        COALESCE((SELECT s.minutes FROM schedule_rollup s
                  WHERE s.cohort_id = \(table).cohort_id AND s.module_id = \(table).module_id), 0)
        """
    }

    /// The cohort's rows of `schedule_rollup`: scheduled minutes and the end of the last session per module.
    /// Called after any change to its sessions (a report takes the held minutes from here, and looks at the
    /// sessions themselves only where one is still to come).
    /// The cohort's rows of `cohort_rollup` carry those minutes too, and are updated here.
    static func refreshScheduleRollup(cohortID: Int64, _ db: Database) throws {
        try refreshScheduleRollup(cohortID: cohortID, copyingToCohortRollup: true, db)
    }

    private static func refreshScheduleRollup(cohortID: Int64, copyingToCohortRollup: Bool, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM schedule_rollup WHERE cohort_id = ?", arguments: [cohortID])
        try db.execute(sql: """
            INSERT INTO schedule_rollup (cohort_id, module_id, minutes, last_ends_at)
            SELECT cohort_id, module_id, SUM((unixepoch(ends_at) - unixepoch(starts_at)) / 60), MAX(ends_at)
            FROM session WHERE cohort_id = ? AND status = 'scheduled' GROUP BY cohort_id, module_id
            """, arguments: [cohortID])
        if copyingToCohortRollup {
            for table in ["cohort_rollup", "district_rollup"] {
                try db.execute(sql: "UPDATE \(table) SET scheduled_minutes = \(scheduledMinutes(ofRowIn: table)) WHERE cohort_id = ?",
                               arguments: [cohortID])
            }
            try refreshDatedSums(cohortID: cohortID, db)
        }
    }

    /// The cohort's rows of `cohort_rollup`, from its enrolments and person-level rollups (and its modules' scheduled
    /// minutes, from `schedule_rollup`), and its rows of `district_rollup` summed from them. Called after any change to
    /// them, including enrolment decisions (who holds a place). Per module: per department at enrolment and sex, and
    /// for the District over all (in `district_rollup`, which a District report reads: a table of its own, so the
    /// District's rows lie together and not among twenty Districts' department rows), with the minutes of women and
    /// of men apart, from which the District's minutes by sex are summed.
    static func refreshCohortRollup(cohortID: Int64, datedSums: Bool = true, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM cohort_rollup WHERE cohort_id = ?", arguments: [cohortID])
        try db.execute(sql: "DELETE FROM district_rollup WHERE cohort_id = ?", arguments: [cohortID])
        try db.execute(sql: """
            WITH base AS (
                SELECT e.cohort_id, e.department_at_enrolment AS department, COALESCE(p.sex, '') AS sex, m.id AS module_id,
                       COALESCE(a.present_minutes, 0) AS present, COALESCE(a.excused_minutes, 0) AS excused,
                       COALESCE(s.attempted, 0) AS attempted, COALESCE(s.passed, 0) AS passed, COALESCE(s.score_sum, 0) AS score_sum
                FROM enrolment e JOIN person p ON p.id = e.person_id JOIN cohort c ON c.id = e.cohort_id
                JOIN module m ON m.program_id = c.program_id AND m.program_version = c.program_version
                LEFT JOIN attendance_rollup a ON a.cohort_id = e.cohort_id AND a.person_id = e.person_id AND a.module_id = m.id
                LEFT JOIN (
                    SELECT r.person_id, d.module_id, COUNT(*) AS attempted, SUM(\(RuleSQL.passes("r.best_score", "d"))) AS passed,
                           SUM(r.best_score * 100.0 / d.max_score) AS score_sum
                    FROM score_rollup r JOIN cohort c2 ON c2.id = r.cohort_id
                    JOIN assessment_def d ON d.program_id = c2.program_id AND d.program_version = c2.program_version
                         AND d.id = r.assessment_id
                    WHERE r.cohort_id = ?1 AND NOT d.pretest GROUP BY r.person_id, d.module_id
                ) s ON s.person_id = e.person_id AND s.module_id = m.id
                WHERE e.cohort_id = ?1 AND \(RuleSQL.holdsPlace())),
            grouped AS (
                SELECT cohort_id, department, sex, module_id, COUNT(*) AS placed, SUM(present) AS present, SUM(excused) AS excused,
                       SUM(attempted) AS attempted, SUM(passed) AS passed, SUM(score_sum) AS score_sum
                FROM base GROUP BY cohort_id, department, sex, module_id)
            INSERT INTO cohort_rollup (cohort_id, department, sex, module_id, placed, present_minutes, excused_minutes,
                                       attempted, passed, score_sum, scheduled_minutes)
            SELECT g.*, COALESCE(s.minutes, 0)
            FROM grouped g LEFT JOIN schedule_rollup s ON s.cohort_id = g.cohort_id AND s.module_id = g.module_id
            """, arguments: [cohortID])
        try db.execute(sql: """
            INSERT INTO district_rollup (cohort_id, module_id, placed, present_minutes, excused_minutes, attempted, passed,
                                         score_sum, present_female, present_male, scheduled_minutes)
            SELECT cohort_id, module_id, SUM(placed), SUM(present_minutes), SUM(excused_minutes), SUM(attempted), SUM(passed),
                   SUM(score_sum), SUM(CASE sex WHEN 'female' THEN present_minutes ELSE 0 END),
                   SUM(CASE sex WHEN 'male' THEN present_minutes ELSE 0 END), MAX(scheduled_minutes)
            FROM cohort_rollup WHERE cohort_id = ? GROUP BY cohort_id, module_id
            """, arguments: [cohortID])
        if datedSums { try refreshDatedSums(cohortID: cohortID, db) }
    }

    /// The District's rows summed per program version and module over the cohorts that end on a day, and over those
    /// that start on a day (`district_dated_rollup`, v36): a period's cohorts (starting by its last day and ending on
    /// or after its first) are those ending on or after its first day less those starting after its last, so a
    /// District report reads a row per day and module of a period, however many Districts' cohorts share the days.
    /// Summed again for the two days of a cohort after any change to its District rows; a sum is made anew from its
    /// cohorts' rows, never by adding to it, so it stays exactly what summing them gives.
    static func refreshDatedSums(cohortID: Int64, _ db: Database) throws {
        guard let cohort = try Row.fetchOne(db, sql: "SELECT program_id, program_version, starts, ends FROM cohort WHERE id = ?",
                                            arguments: [cohortID]) else { return }
        try refreshDatedSums(program: cohort[0], version: cohort[1], starts: cohort[2], ends: cohort[3], db)
    }

    /// The dated sums of the cohorts of a program version that start on `starts` and of those that end on `ends`.
    static func refreshDatedSums(program: String, version: Int, starts: String, ends: String, _ db: Database) throws {
        let arguments: StatementArguments = [program, version, starts, ends]
        try db.cachedStatement(sql: """
            DELETE FROM district_dated_rollup WHERE program_id = ?1 AND program_version = ?2
                AND ((side = 'starts' AND day = ?3) OR (side = 'ends' AND day = ?4))
            """).execute(arguments: arguments)
        try db.cachedStatement(sql: """
            INSERT INTO district_dated_rollup (side, program_id, day, program_version, module_id, cohort_rows, placed,
                held_in_full, present_minutes, excused_minutes, attempted, passed, score_sum, present_female, present_male)
            SELECT side, ?1, day, ?2, r.module_id, COUNT(*), SUM(r.placed), SUM(r.placed * r.scheduled_minutes), SUM(r.present_minutes),
                   SUM(r.excused_minutes), SUM(r.attempted), SUM(r.passed), SUM(r.score_sum), SUM(r.present_female),
                   SUM(r.present_male)
            FROM (SELECT 'starts' AS side, ?3 AS day, id FROM cohort WHERE starts = ?3 AND program_id = ?1 AND program_version = ?2
                  UNION ALL
                  SELECT 'ends', ?4, id FROM cohort WHERE ends = ?4 AND program_id = ?1 AND program_version = ?2) AS c
            CROSS JOIN district_rollup r ON r.cohort_id = c.id
            GROUP BY side, r.module_id
            """).execute(arguments: arguments)
    }

    /// Every dated sum, made anew, group by group as `refreshDatedSums` makes each.
    static func rebuildDatedSums(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM district_dated_rollup")
        for row in try Row.fetchAll(db, sql: "SELECT DISTINCT program_id, program_version, starts, ends FROM cohort") {
            try refreshDatedSums(program: row[0], version: row[1], starts: row[2], ends: row[3], db)
        }
    }

    /// The rows of `cohort_rollup` of every cohort a person is enrolled in, after their sex changed (a correction,
    /// an import, erasure): those rows are kept per sex.
    static func refreshCohortRollups(personID: Int64, _ db: Database) throws {
        for cohortID in try Int64.fetchAll(db, sql: "SELECT cohort_id FROM enrolment WHERE person_id = ?", arguments: [personID]) {
            try refreshCohortRollup(cohortID: cohortID, db)
        }
    }

    /// The code of a place in `place_rollup`, from an enrolment row named `row`: its person's sex (1 not recorded,
    /// 2 female, 3 male) plus 4 once completed.
    static func placeCode(_ row: String) -> String {
        "CASE \(row).person_sex WHEN 'female' THEN 2 WHEN 'male' THEN 3 ELSE 1 END + 4 * (\(row).status = '\(EnrolmentStatus.completed.rawValue)')"
    }

    /// Fills `place_rollup` from the enrolments (its triggers keep it from then on).
    static func rebuildPlaceRollup(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM place_rollup;
            INSERT INTO place_rollup (cohort_id, person_id, place)
            SELECT e.cohort_id, e.person_id, \(placeCode("e")) FROM enrolment e WHERE \(RuleSQL.holdsPlace());
            """)
    }

    /// Counts each department's people not erased into `headcount` (its triggers keep it from then on).
    static func rebuildHeadcount(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM headcount;
            INSERT INTO headcount (department, people)
            SELECT department, COUNT(*) FROM person WHERE erased_at IS NULL GROUP BY department;
            """)
    }

    /// Recomputes every rollup from the ledgers.
    static func rebuildRollups(_ db: Database) throws {
        for cohortID in try Int64.fetchAll(db, sql: "SELECT id FROM cohort") {
            try refreshRollups(cohortID: cohortID, personIDs: nil, datedSums: false, db)
        }
        try rebuildDatedSums(db)
    }

    /// Every rollup row, in a stable order (for comparing the incremental state with a rebuild).
    func rollupSnapshot() throws -> [String] {
        try readDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attendance_rollup ORDER BY cohort_id, person_id, module_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM score_rollup ORDER BY cohort_id, person_id, assessment_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM month_rollup ORDER BY cohort_id, department, month").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM cohort_rollup ORDER BY cohort_id, department, sex, module_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM schedule_rollup ORDER BY cohort_id, module_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM place_rollup ORDER BY cohort_id, person_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM district_rollup ORDER BY cohort_id, module_id").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM district_month_rollup ORDER BY cohort_id, month").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM district_dated_rollup ORDER BY side, program_id, day, program_version, module_id")
                    .map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM headcount WHERE people > 0 ORDER BY department").map { "\($0)" }
        }
    }
}

extension StoreTransaction {
    /// Recomputes every report rollup from the ledgers (`obuka report rebuild`).
    public func rebuildRollups() throws {
        try db.execute(sql: """
            DELETE FROM attendance_rollup; DELETE FROM score_rollup; DELETE FROM month_rollup; DELETE FROM cohort_rollup;
            DELETE FROM schedule_rollup; DELETE FROM district_rollup; DELETE FROM district_month_rollup;
            DELETE FROM district_dated_rollup
            """)
        try AppDatabase.rebuildRollups(db)
        try AppDatabase.rebuildPlaceRollup(db)
        try AppDatabase.rebuildHeadcount(db)
    }
}
