import Foundation
import GRDB
import TrainingCore

/// Which enrolments a report covers.
public struct ReportScope: Sendable {
    /// One department (by the department at enrolment), or nil for the whole District.
    public var department: DepartmentCode?
    /// First and last day of the period: cohorts running at any time in it are counted.
    public var from: LocalDate
    public var to: LocalDate
    /// One program, or nil for all.
    public var programID: String?

    public init(department: DepartmentCode?, from: LocalDate, to: LocalDate, programID: String?) {
        self.department = department
        self.from = from
        self.to = to
        self.programID = programID
    }
}

extension AppDatabase {
    /// The enrolments in a scope with their progress, read from the rollups (person × module minutes and best
    /// scores) and the cohorts' sessions; the figures and forecasts are decided in TrainingCore.
    public func reportEntries(_ scope: ReportScope, now: LocalDateTime) throws -> [ReportEntry] {
        try writer.read { db in try reportEntries(scope, now: now, db) }
    }

    func reportEntries(_ scope: ReportScope, now: LocalDateTime, _ db: Database) throws -> [ReportEntry] {
        let cohorts = try Row.fetchAll(db, sql: """
            SELECT * FROM cohort WHERE starts <= ? AND ends >= ? AND (? IS NULL OR program_id = ?)
            """, arguments: [scope.to.iso, scope.from.iso, scope.programID, scope.programID]).map(Cohort.init(row:))
        var entries: [ReportEntry] = []
        var programs: [String: Program] = [:]
        for cohort in cohorts {
            let key = "\(cohort.programID)@\(cohort.programVersion)"
            if programs[key] == nil { programs[key] = try programDefinition(cohort, db) }
            let program = programs[key]!
            // Session totals per module: held minutes and the lengths of those to come.
            var held: [String: Int] = [:], upcoming: [String: [Int]] = [:], scheduled: Set<String> = []
            for row in try Row.fetchAll(db, sql: """
                SELECT module_id, starts_at, ends_at FROM session WHERE cohort_id = ? AND status = 'scheduled'
                """, arguments: [cohort.id.rawValue]) {
                let module: String = row["module_id"]
                let starts = LocalDateTime(iso: row["starts_at"])!, ends = LocalDateTime(iso: row["ends_at"])!
                let minutes = ends.minutesSinceEpoch - starts.minutesSinceEpoch
                scheduled.insert(module)
                if ends <= now { held[module, default: 0] += minutes } else { upcoming[module, default: []].append(minutes) }
            }
            var minutes: [Int64: [String: (present: Int, excused: Int)]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT person_id, module_id, present_minutes, excused_minutes FROM attendance_rollup WHERE cohort_id = ?
                """, arguments: [cohort.id.rawValue]) {
                minutes[row["person_id"], default: [:]][row["module_id"]] = (row["present_minutes"], row["excused_minutes"])
            }
            var scores: [Int64: [String: [Double]]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT person_id, assessment_id, best_score, attempts FROM score_rollup WHERE cohort_id = ?
                """, arguments: [cohort.id.rawValue]) {
                // The rules need the best score and how many attempts were used.
                scores[row["person_id"], default: [:]][row["assessment_id"]] = Array(repeating: row["best_score"], count: row["attempts"])
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT p.*, e.status AS e_status, e.department_at_enrolment AS e_department
                FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.cohort_id = ? AND (? IS NULL OR e.department_at_enrolment = ?)
                """, arguments: [cohort.id.rawValue, scope.department?.rawValue, scope.department?.rawValue]) {
                let person = try PersonRecord(row: row).person
                let own = minutes[person.id.rawValue] ?? [:]
                let totals = program.modules.map { module in
                    ModuleTotals(moduleID: module.id, heldMinutes: held[module.id] ?? 0,
                                 presentMinutes: own[module.id]?.present ?? 0, excusedMinutes: own[module.id]?.excused ?? 0,
                                 upcomingSessions: upcoming[module.id] ?? [], hasSessions: scheduled.contains(module.id))
                }
                entries.append(ReportEntry(
                    person: person, department: DepartmentCode(row["e_department"]), cohortCode: cohort.code, program: program,
                    status: EnrolmentStatus(rawValue: row["e_status"]) ?? .requested,
                    progress: ProgramProgress.evaluate(program: program, totals: totals, scores: scores[person.id.rawValue] ?? [:])))
            }
        }
        return entries.sorted { ($0.person.familyName, $0.person.givenName, $0.cohortCode) < ($1.person.familyName, $1.person.givenName, $1.cohortCode) }
    }

    /// People currently in a department (nil: the District).
    public func headcount(_ department: DepartmentCode?) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE erased_at IS NULL AND (?1 IS NULL OR department = ?1)",
                             arguments: [department?.rawValue]) ?? 0
        }
    }

    /// Training hours delivered per month (by session date) in a scope, for the line chart.
    public func hoursPerMonth(_ scope: ReportScope) throws -> [(month: String, hours: Double)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT substr(s.starts_at, 1, 7) AS month, SUM(a.minutes_present) AS minutes
                FROM attendance a JOIN session s ON s.id = a.session_id JOIN cohort c ON c.id = s.cohort_id
                JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id
                WHERE a.current AND s.status = 'scheduled' AND s.starts_at >= ?1 AND s.starts_at <= ?2 || ' 23:59'
                  AND (?3 IS NULL OR e.department_at_enrolment = ?3) AND (?4 IS NULL OR c.program_id = ?4)
                GROUP BY month ORDER BY month
                """, arguments: [scope.from.iso, scope.to.iso, scope.department?.rawValue, scope.programID]).map {
                (month: $0["month"] as String, hours: Double($0["minutes"] as Int) / 60)
            }
        }
    }
}
