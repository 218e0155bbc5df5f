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
        // Five queries for the whole scope, whatever the number of cohorts: cohorts, their sessions, the
        // rollups and scores of the enrolments in scope, and the enrolments with their people.
        let cohortFilter = "SELECT id FROM cohort WHERE starts <= ?1 AND ends >= ?2 AND (?3 IS NULL OR program_id = ?3)"
        // Two constant spellings: with a department, the planner walks that department's enrolments by index.
        let enrolmentFilter = scope.department == nil ? "(?4 IS NULL)" : "e.department_at_enrolment = ?4"
        let arguments: StatementArguments = [scope.to.iso, scope.from.iso, scope.programID, scope.department?.rawValue]
        let cohortArguments: StatementArguments = [scope.to.iso, scope.from.iso, scope.programID]
        let cohorts = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM cohort WHERE id IN (\(cohortFilter))",
                                                                        arguments: cohortArguments).map { row in
            let cohort = Cohort(row: row)
            return (cohort.id.rawValue, cohort)
        })
        var programs: [String: Program] = [:]
        for cohort in cohorts.values where programs["\(cohort.programID)@\(cohort.programVersion)"] == nil {
            programs["\(cohort.programID)@\(cohort.programVersion)"] = try programDefinition(cohort, db)
        }
        // Session totals per cohort and module: held minutes and the lengths of those to come.
        var held: [Int64: [String: Int]] = [:], upcoming: [Int64: [String: [Int]]] = [:], scheduled: [Int64: Set<String>] = [:]
        let nowText = now.iso
        for row in try Row.fetchAll(db, sql: """
            SELECT cohort_id, module_id, ends_at <= ?5 AS held,
                   (strftime('%s', ends_at) - strftime('%s', starts_at)) / 60 AS minutes
            FROM session WHERE status = 'scheduled' AND cohort_id IN (\(cohortFilter)) AND (?4 IS NULL OR 1)
            """, arguments: arguments + [nowText]) {
            let cohort: Int64 = row["cohort_id"], module: String = row["module_id"], minutes: Int = row["minutes"]
            scheduled[cohort, default: []].insert(module)
            if row["held"] as Bool { held[cohort, default: [:]][module, default: 0] += minutes } else {
                upcoming[cohort, default: [:]][module, default: []].append(minutes)
            }
        }
        var minutes: [Int64: [Int64: [String: (present: Int, excused: Int)]]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT r.cohort_id, r.person_id, r.module_id, r.present_minutes, r.excused_minutes
            FROM cohort c JOIN enrolment e ON e.cohort_id = c.id
            JOIN attendance_rollup r ON r.cohort_id = e.cohort_id AND r.person_id = e.person_id
            WHERE c.id IN (\(cohortFilter)) AND \(enrolmentFilter)
            """, arguments: arguments) {
            minutes[row["cohort_id"], default: [:]][row["person_id"], default: [:]][row["module_id"]] =
                (row["present_minutes"], row["excused_minutes"])
        }
        var scores: [Int64: [Int64: [String: [Double]]]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT r.cohort_id, r.person_id, r.assessment_id, r.best_score, r.attempts
            FROM cohort c JOIN enrolment e ON e.cohort_id = c.id
            JOIN score_rollup r ON r.cohort_id = e.cohort_id AND r.person_id = e.person_id
            WHERE c.id IN (\(cohortFilter)) AND \(enrolmentFilter)
            """, arguments: arguments) {
            // The rules need the best score and how many attempts were used.
            scores[row["cohort_id"], default: [:]][row["person_id"], default: [:]][row["assessment_id"]] =
                Array(repeating: row["best_score"], count: row["attempts"])
        }
        var entries: [ReportEntry] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT p.*, e.cohort_id AS e_cohort, e.status AS e_status, e.department_at_enrolment AS e_department
            FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id IN (\(cohortFilter)) AND \(enrolmentFilter)
            """, arguments: arguments) {
            let cohortID: Int64 = row["e_cohort"]
            guard let cohort = cohorts[cohortID], let program = programs["\(cohort.programID)@\(cohort.programVersion)"] else { continue }
            let person = try PersonRecord(row: row).person
            let own = minutes[cohortID]?[person.id.rawValue] ?? [:]
            let totals = program.modules.map { module in
                ModuleTotals(moduleID: module.id, heldMinutes: held[cohortID]?[module.id] ?? 0,
                             presentMinutes: own[module.id]?.present ?? 0, excusedMinutes: own[module.id]?.excused ?? 0,
                             upcomingSessions: upcoming[cohortID]?[module.id] ?? [],
                             hasSessions: scheduled[cohortID]?.contains(module.id) ?? false)
            }
            entries.append(ReportEntry(
                person: person, department: DepartmentCode(row["e_department"]), cohortCode: cohort.code, program: program,
                status: EnrolmentStatus(rawValue: row["e_status"]) ?? .requested,
                progress: ProgramProgress.evaluate(program: program, totals: totals,
                                                   scores: scores[cohortID]?[person.id.rawValue] ?? [:])))
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

    /// Training hours delivered per month (by session date) in a scope, for the line chart, from the month rollup.
    public func hoursPerMonth(_ scope: ReportScope) throws -> [(month: String, hours: Double)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.month, SUM(r.present_minutes) AS minutes FROM month_rollup r JOIN cohort c ON c.id = r.cohort_id
                WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3) AND (?4 IS NULL OR r.department = ?4)
                  AND r.month >= substr(?2, 1, 7) AND r.month <= substr(?1, 1, 7)
                GROUP BY r.month ORDER BY r.month
                """, arguments: [scope.to.iso, scope.from.iso, scope.programID, scope.department?.rawValue]).map {
                (month: $0["month"] as String, hours: Double($0["minutes"] as Int) / 60)
            }
        }
    }

    /// The figures of a scope as sums and counts from SQL over the rollups and enrolments (completion is the
    /// enrolment status TrainingCore set on write), so a District-wide figure reads thousands of rows, not
    /// the ledger, and evaluates no one.
    public func reportFigures(_ scope: ReportScope, now: LocalDateTime) throws -> ReportFigures {
        try writer.read { db in
            let arguments: StatementArguments = [scope.to.iso, scope.from.iso, scope.programID, scope.department?.rawValue, now.iso]
            // From the cohorts in scope to their enrolments (CROSS JOIN keeps that order), or, for one department,
            // from its enrolments by index.
            let placed = scope.department == nil ? """
                FROM cohort c CROSS JOIN enrolment e ON e.cohort_id = c.id
                WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3)
                  AND (?4 IS NULL) AND e.status IN ('approved', 'completed') AND (?5 IS NULL OR 1)
                """ : """
                FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
                WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3)
                  AND e.department_at_enrolment = ?4 AND e.status IN ('approved', 'completed') AND (?5 IS NULL OR 1)
                """
            // Held minutes per cohort and module, and excused minutes per enrolment and module (exempt programs only).
            let held = """
                SELECT cohort_id, module_id, SUM((strftime('%s', ends_at) - strftime('%s', starts_at)) / 60) AS minutes
                FROM session WHERE status = 'scheduled' AND ends_at <= ?5 GROUP BY cohort_id, module_id
                """
            var figures = ReportFigures(headcount: try headcount(scope.department, db), enrolled: 0, completed: 0, presentMinutes: 0,
                                        countedMinutes: 0, bySex: [:], modules: [])
            for row in try Row.fetchAll(db, sql: """
                SELECT p.sex, COUNT(DISTINCT e.person_id) AS enrolled,
                       COUNT(DISTINCT CASE WHEN e.status = 'completed' THEN e.person_id END) AS completed
                \(placed.replacingOccurrences(of: "WHERE", with: "JOIN person p ON p.id = e.person_id WHERE")) GROUP BY p.sex
                """, arguments: arguments) {
                let sex = (row["sex"] as String?).flatMap(Sex.init(rawValue:))
                figures.bySex[sex, default: .init()].enrolled = row["enrolled"]
                figures.bySex[sex, default: .init()].completed = row["completed"]
            }
            let totals = try Row.fetchOne(db, sql: """
                SELECT COUNT(DISTINCT e.person_id) AS enrolled,
                       COUNT(DISTINCT CASE WHEN e.status = 'completed' THEN e.person_id END) AS completed \(placed)
                """, arguments: arguments)!
            figures.enrolled = totals["enrolled"]
            figures.completed = totals["completed"]
            var modules: [String: ReportFigures.ModuleFigures] = [:]
            var programs: [String: Program] = [:]
            // Sums over cohort_rollup (one department's rows, or the '*' rows for the District), with the held
            // minutes of each cohort's modules multiplied by the places taken.
            for row in try Row.fetchAll(db, sql: """
                WITH scope AS (SELECT * FROM cohort c WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3)),
                held AS (
                    SELECT s.cohort_id, s.module_id, SUM((strftime('%s', s.ends_at) - strftime('%s', s.starts_at)) / 60) AS minutes
                    FROM scope c CROSS JOIN session s ON s.cohort_id = c.id
                    WHERE s.status = 'scheduled' AND s.ends_at <= ?5
                    GROUP BY s.cohort_id, s.module_id)
                SELECT c.program_id, c.program_version, r.module_id, r.sex,
                       SUM(r.placed * COALESCE(h.minutes, 0)) AS held, SUM(r.present_minutes) AS present,
                       SUM(CASE WHEN g.excused = 'exempt' THEN r.excused_minutes ELSE 0 END) AS exempt,
                       SUM(r.attempted) AS attempted, SUM(r.passed) AS passed, SUM(r.score_sum) AS score_sum
                FROM scope c JOIN cohort_rollup r ON r.cohort_id = c.id AND r.department = COALESCE(?4, '*')
                JOIN program g ON g.id = c.program_id AND g.version = c.program_version
                LEFT JOIN held h ON h.cohort_id = c.id AND h.module_id = r.module_id
                GROUP BY c.program_id, c.program_version, r.module_id, r.sex
                """, arguments: arguments) {
                let programKey = "\(row["program_id"] as String)@\(row["program_version"] as Int)"
                if programs[programKey] == nil { programs[programKey] = try programDefinition(id: row["program_id"], version: row["program_version"], db) }
                guard let program = programs[programKey], let module = program.modules.first(where: { $0.id == row["module_id"] }) else { continue }
                let present: Int = row["present"], counted = (row["held"] as Int) - (row["exempt"] as Int)
                let sex = Sex(rawValue: row["sex"] as String)
                figures.presentMinutes += present
                figures.countedMinutes += counted
                figures.bySex[sex, default: .init()].presentMinutes += present
                let key = "\(program.id)#\(module.id)"
                var figure = modules[key] ?? .init(programID: program.id, moduleID: module.id, order: module.order, title: module.title)
                figure.presentMinutes += present
                figure.countedMinutes += counted
                figure.attempted += row["attempted"]
                figure.passed += row["passed"]
                figure.scoreSum += row["score_sum"]
                figure.scored += row["attempted"]
                modules[key] = figure
            }
            figures.modules = modules.values.sorted { ($0.programID, $0.order) < ($1.programID, $1.order) }
            return figures
        }
    }

    private func headcount(_ department: DepartmentCode?, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE erased_at IS NULL AND (?1 IS NULL OR department = ?1)",
                         arguments: [department?.rawValue]) ?? 0
    }

    func programDefinition(id: String, version: Int, _ db: Database) throws -> Program {
        guard let row = try Row.fetchOne(db, sql: "SELECT definition, xml_sha256, loaded_at FROM program WHERE id = ? AND version = ?",
                                         arguments: [id, version]) else {
            throw CurriculumStoreError.unknownProgram(programID: id)
        }
        return try StoredProgram(row: row).program
    }
}

extension AppDatabase {
    /// Participants of a session's cohort with the department they enrolled from, by name.
    public func signInParticipants(session sessionID: SessionID) throws -> [(person: Person, department: DepartmentCode)] {
        try writer.read { db in
            let session = try Self.session(sessionID, db)
            let cohort = try Self.cohort(code: session.cohortCode, db)
            return try Row.fetchAll(db, sql: """
                SELECT p.*, e.department_at_enrolment AS e_department FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.cohort_id = ? AND e.status IN ('approved', 'completed')
                ORDER BY p.family_name, p.given_name, p.personal_number
                """, arguments: [cohort.id.rawValue]).map { row in
                (try PersonRecord(row: row).person, DepartmentCode(row["e_department"]))
            }
        }
    }
}
