import Foundation
import GRDB
import Synchronization
import TrainingCore

extension ReportReading {
    /// A department's side beside the District's, read from the same data generation.
    init(_ own: DepartmentSide, district: DistrictReading, departmentFigures: [DepartmentCode: ReportFigures] = [:]) {
        self.init(contents: ReportContents(entries: own.entries, figures: own.figures, districtFigures: district.figures,
                                           departmentFigures: departmentFigures, hoursPerMonth: own.hoursPerMonth,
                                           districtHoursPerMonth: district.hoursPerMonth),
                  validity: own.validity.joined(district.validity))
    }

    /// The two sides read side by side, in transactions of their own: joined when both read the same data
    /// generation, else nil (a write came between them, and the report is read again in one transaction).
    init?(_ own: DepartmentSide, sameDataAs district: DistrictReading) {
        guard own.validity.dataGeneration == district.validity.dataGeneration else { return nil }
        self.init(own, district: district)
    }
}

/// A department's own side of a reading: its figures, per-person table and hours per month, and for which data
/// and times they hold (its own cohorts' sessions).
struct DepartmentSide {
    var figures: ReportFigures
    var entries: [ReportEntry]
    var hoursPerMonth: [(month: String, hours: Double)]
    var validity: ReadingValidity
}

/// The sessions still to come in a scope's cohorts, read once per report and shared by every scope in it: their
/// minutes are scheduled but not held yet. The cohorts are the period's or, for a department, those it has
/// enrolments in. (Scheduled minutes per cohort and module are read beside the rows that need them: carried by
/// cohort_rollup's rows, or from schedule_rollup for the per-person table.)
struct ScopeSessions {
    private(set) var upcoming: [Int64: [String: [Int]]] = [:]
    /// When the first session still to come ends: the held minutes change then.
    private(set) var nextEnd: LocalDateTime?
    /// The current marks at those sessions (one under way, marked at its start; one moved later). The rollups sum
    /// every mark, `ProgramProgress` only those of held sessions: a report takes these back out.
    private(set) var pending: [PendingMark] = []

    /// A mark at a session that has not ended, as the rollups counted it.
    struct PendingMark {
        let cohort: Int64
        let person: Int64
        let module: String
        let department: String
        /// 0 not recorded, 1 female, 2 male (the rollups' order).
        let sex: Int
        /// Whether the enrolment holds a place (only those are in the cohort figures).
        let holdsPlace: Bool
        let present: Int
        /// The session's minutes when the mark is an excused absence.
        let excused: Int
        let month: String
    }

    init(_ scope: ReportScope, now: LocalDateTime, _ db: Database) throws {
        // From the modules whose last session has not ended: few, whatever the size of the period (for the District,
        // found by the index of their last ends, v36; a department's few cohorts are looked at one by one). unixepoch
        // (SQLite 3.38+) gives the same whole seconds as strftime('%s') for these texts, three times faster.
        let coming = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT s.cohort_id, s.module_id, (unixepoch(s.ends_at) - unixepoch(s.starts_at)) / 60, s.ends_at, s.id
            FROM \(scope.department == nil
                ? "schedule_rollup r INDEXED BY schedule_rollup_open CROSS JOIN cohort c ON c.id = r.cohort_id AND r.last_ends_at > ?5"
                : AppDatabase.cohortsOf(scope.department) + " CROSS JOIN schedule_rollup r ON r.cohort_id = c.id AND r.last_ends_at > ?5")
            CROSS JOIN session s ON s.cohort_id = r.cohort_id AND s.status = 'scheduled' AND s.module_id = r.module_id
                AND s.ends_at > ?5
            WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3)
            ORDER BY s.cohort_id, s.module_id, s.starts_at
            """), arguments: [scope.to.iso, scope.from.iso, scope.programID, scope.department?.rawValue, now.iso])
        var sessions: [Int64] = []
        while let row = try coming.next() {
            let cohort: Int64 = row[0], module: String = row[1], minutes: Int = row[2]
            upcoming[cohort, default: [:]][module, default: []].append(minutes)
            if let end = LocalDateTime(iso: row[3]), nextEnd.map({ end < $0 }) ?? true { nextEnd = end }
            sessions.append(row[4])
        }
        guard !sessions.isEmpty else { return }
        // Marks are recorded from a session's start: only the sessions under way (or moved later) have any.
        let marks = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT s.cohort_id, a.person_id, s.module_id, e.department_at_enrolment,
                   CASE e.person_sex WHEN 'female' THEN 1 WHEN 'male' THEN 2 ELSE 0 END, \(RuleSQL.holdsPlace()), a.minutes_present,
                   \(RuleSQL.excusedMinutes()),
                   substr(s.starts_at, 1, 7)
            FROM session s JOIN attendance a ON a.session_id = s.id AND a.current
            JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id
            WHERE s.id IN (SELECT value FROM json_each(?))
            """), arguments: ["[" + sessions.map(String.init).joined(separator: ",") + "]"])
        while let row = try marks.next() {
            pending.append(PendingMark(cohort: row[0], person: row[1], module: row[2], department: row[3], sex: row[4], holdsPlace: row[5],
                                       present: row[6], excused: row[7], month: row[8]))
        }
    }

    /// The minutes held so far of a cohort's module, of all it has `scheduled`.
    func heldMinutes(cohort: Int64, module: String, scheduled: Int) -> Int {
        scheduled - (upcoming[cohort]?[module]?.reduce(0, +) ?? 0)
    }
}

/// Program versions decoded once per report, however many cohorts run them.
struct ProgramDefinitions {
    private var programs: [String: Program] = [:]
    /// The one asked for last: rollup rows come a cohort at a time, so most rows ask for it again.
    private var last: Program?

    mutating func program(id: String, version: Int, _ db: Database) throws -> Program {
        if let last, last.id == id, last.version == version { return last }
        let key = "\(id)@\(version)"
        let program = try programs[key] ?? AppDatabase.programDefinition(id: id, version: version, db)
        programs[key] = program
        last = program
        return program
    }
}

extension AppDatabase {
    /// What a report shows, read in one transaction: the scope's figures, the District's and, with `perDepartment`,
    /// every department's; with `perPerson`, a department scope's entries too. The sessions are read once for all.
    /// A District reading `known` from an earlier report of the same period and program is taken instead of
    /// reading the District again when it still holds for this transaction's data and `now`.
    public func reportReading(_ scope: ReportScope, perDepartment: Bool = false, perPerson: Bool = true,
                              now: LocalDateTime, known: DistrictReading? = nil) throws -> ReportReading {
        try readDB { db in
            try reportReading(scope, perDepartment: perDepartment, perPerson: perPerson, now: now, known: known, db)
        }
    }

    /// The program report's reading: the District's figures and every department's, in one transaction, read
    /// without holding the caller's thread (the web app's event loops).
    public func programReportReading(_ scope: ReportScope, now: LocalDateTime) async throws -> ReportReading {
        try await readDB { db in
            try self.reportReading(scope, perDepartment: true, perPerson: false, now: now, known: nil, db)
        }
    }

    /// A department's report with its per-person table, as `reportReading`, but with the District's side (when
    /// not `known`) read in a transaction of its own at the same time as the department's, on another of the
    /// pool's connections: the two halves take about as long each. They are joined when both read the same data
    /// generation; when a write came between them, the report is read again in one transaction.
    public func reportReadingSideBySide(_ scope: ReportScope, now: LocalDateTime,
                                        known: DistrictReading? = nil) async throws -> ReportReading {
        // A queue has one connection: its reads would take turns.
        guard scope.department != nil, known == nil, writer is DatabasePool else {
            return try await readDB { db in
                try self.reportReading(scope, perDepartment: false, perPerson: true, now: now, known: known, db)
            }
        }
        async let district = districtReadingInParallel(scope.period, now: now)
        let own = try await readDB { db in try self.departmentSide(scope, perPerson: true, now: now, db) }
        if let reading = ReportReading(own, sameDataAs: try await district) { return reading }
        return try await readDB { db in
            try self.reportReading(scope, perDepartment: false, perPerson: true, now: now, known: nil, db)
        }
    }

    /// `reportReadingSideBySide` for a caller without Swift concurrency (the CLI): the District's side is read on
    /// a thread of its own, through a pool's other connection or a side connection opened on that thread. Without
    /// either, the report is read in one transaction.
    public func reportReadingSideBySide(_ scope: ReportScope, now: LocalDateTime) throws -> ReportReading {
        guard scope.department != nil, let districtReader = secondReader else {
            return try reportReading(scope, perDepartment: false, perPerson: true, now: now)
        }
        let district = Mutex<Result<DistrictReading, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            let reading = Result { try districtReader().read { db in try self.districtReading(scope.period, now: now, db) } }
            district.withLock { $0 = reading }
            finished.signal()
        }.start()
        let own = Result { try readDB { db in try self.departmentSide(scope, perPerson: true, now: now, db) } }
        finished.wait()
        if let reading = ReportReading(try own.get(), sameDataAs: try district.withLock { $0! }.get()) { return reading }
        return try reportReading(scope, perDepartment: false, perPerson: true, now: now)
    }

    /// Where a read can run beside one on `writer`: a pool's other connection, or a side connection.
    private var secondReader: (@Sendable () throws -> any DatabaseReader)? {
        if let pool = writer as? DatabasePool { return { pool } }
        return sideConnection
    }

    private func reportReading(_ scope: ReportScope, perDepartment: Bool, perPerson: Bool, now: LocalDateTime,
                               known: DistrictReading?, _ db: Database) throws -> ReportReading {
        let generation = try Self.dataGeneration(db)
        // A department's report beside a District side that still holds reads only the department's cohorts.
        if scope.department != nil, !perDepartment, let known, known.validity.holds(generation: generation, at: now) {
            return ReportReading(try departmentSide(scope, perPerson: perPerson, now: now, db), district: known)
        }
        // Else the sessions of all the period's cohorts, read once for the District and every department.
        let sessions = try ScopeSessions(scope.period, now: now, db)
        var programs = ProgramDefinitions()
        let district = try districtReading(scope.period, sessions: sessions, programs: &programs, generation: generation,
                                           now: now, db)
        let departmentFigures = perDepartment
            ? try everyDepartmentFigures(scope.period, sessions: sessions, programs: &programs, db) : [:]
        let own = scope.department == nil
            ? DepartmentSide(figures: district.figures, entries: [], hoursPerMonth: district.hoursPerMonth,
                             validity: district.validity)
            : try departmentSide(scope, perPerson: perPerson, sessions: sessions, programs: &programs,
                                 generation: generation, now: now, db)
        return ReportReading(own, district: district, departmentFigures: departmentFigures)
    }

    /// The District's side of a period and program, its places (a row per place: 100,000 at twenty Districts) read
    /// in a transaction of their own beside one reading its dated sums, sessions and months, on another of the pool's
    /// connections; joined when both read the same data generation, else read again in one transaction.
    private func districtReadingInParallel(_ period: ReportScope, now: LocalDateTime) async throws -> DistrictReading {
        async let placed = readDB { db in
            (generation: try Self.dataGeneration(db), places: try self.placeTallies(period, of: .district, db),
             headcounts: try self.headcounts(of: .district, db))
        }
        let summed = try await readDB { db in
            let sessions = try ScopeSessions(period, now: now, db)
            var programs = ProgramDefinitions()
            return (generation: try Self.dataGeneration(db), nextEnd: sessions.nextEnd,
                    pass: try self.rollupPass(period, of: .district, sessions: sessions, programs: &programs, db),
                    hoursPerMonth: try self.hoursPerMonth(period, sessions: sessions, db))
        }
        let places = try await placed
        guard places.generation == summed.generation else {
            return try await readDB { db in try self.districtReading(period, now: now, db) }
        }
        return DistrictReading(
            figures: summed.pass.figures(places: places.places, headcounts: places.headcounts)[FigureScope.districtKey] ?? Self.noFigures,
            hoursPerMonth: summed.hoursPerMonth,
            validity: ReadingValidity(dataGeneration: summed.generation, readAt: now, nextSessionEnd: summed.nextEnd))
    }

    /// The District's side of a period and program, in a transaction of its own.
    private func districtReading(_ period: ReportScope, now: LocalDateTime, _ db: Database) throws -> DistrictReading {
        var programs = ProgramDefinitions()
        return try districtReading(period, sessions: try ScopeSessions(period, now: now, db), programs: &programs,
                                   generation: try Self.dataGeneration(db), now: now, db)
    }

    private func districtReading(_ period: ReportScope, sessions: ScopeSessions, programs: inout ProgramDefinitions,
                                 generation: Int64, now: LocalDateTime, _ db: Database) throws -> DistrictReading {
        DistrictReading(figures: try reportFigures(period, sessions: sessions, programs: &programs, db),
                        hoursPerMonth: try hoursPerMonth(period, sessions: sessions, db),
                        validity: ReadingValidity(dataGeneration: generation, readAt: now, nextSessionEnd: sessions.nextEnd))
    }

    /// A department's side from the sessions of its own cohorts, in a transaction of its own.
    private func departmentSide(_ scope: ReportScope, perPerson: Bool, now: LocalDateTime, _ db: Database) throws -> DepartmentSide {
        var programs = ProgramDefinitions()
        return try departmentSide(scope, perPerson: perPerson, sessions: try ScopeSessions(scope, now: now, db),
                                  programs: &programs, generation: try Self.dataGeneration(db), now: now, db)
    }

    private func departmentSide(_ scope: ReportScope, perPerson: Bool, sessions: ScopeSessions,
                                programs: inout ProgramDefinitions, generation: Int64, now: LocalDateTime,
                                _ db: Database) throws -> DepartmentSide {
        DepartmentSide(figures: try reportFigures(scope, sessions: sessions, programs: &programs, db),
                       entries: perPerson ? try reportEntries(scope, sessions: sessions, programs: &programs, db) : [],
                       hoursPerMonth: try hoursPerMonth(scope, sessions: sessions, db),
                       validity: ReadingValidity(dataGeneration: generation, readAt: now, nextSessionEnd: sessions.nextEnd))
    }

    /// The enrolments in a scope with their progress, read from the rollups (person × module minutes and best
    /// scores) and the cohorts' sessions; the figures and forecasts are decided in TrainingCore.
    func reportEntries(_ scope: ReportScope, now: LocalDateTime) throws -> [ReportEntry] {
        try readDB { db in
            var programs = ProgramDefinitions()
            return try reportEntries(scope, sessions: try ScopeSessions(scope, now: now, db), programs: &programs, db)
        }
    }

    private func reportEntries(_ scope: ReportScope, sessions: ScopeSessions, programs: inout ProgramDefinitions,
                               _ db: Database) throws -> [ReportEntry] {
        // Four queries for the whole scope, whatever the number of cohorts: cohorts, the rollups and scores of the
        // enrolments in scope, and the enrolments with their people.
        let enrolments = Self.enrolmentsOf(scope.department)
        let arguments: StatementArguments = [scope.to.iso, scope.from.iso, scope.programID, scope.department?.rawValue]
        // Only the cohorts with enrolments in scope (a department is in few of the District's).
        let cohorts = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM cohort WHERE id IN (SELECT e.cohort_id FROM \(enrolments.from) WHERE \(enrolments.filter))
            """), arguments: arguments).map { row in
            let cohort = Cohort(row: row)
            return (cohort.id.rawValue, cohort)
        })
        // Scheduled minutes of those cohorts' modules (a module without any has no row).
        var scheduled: [Int64: [String: Int]] = [:]
        try db.cachedStatement(sql: """
            SELECT r.cohort_id, r.module_id, r.minutes FROM schedule_rollup r
            WHERE r.cohort_id IN (SELECT e.cohort_id FROM \(enrolments.from) WHERE \(enrolments.filter))
            """).forEachRow(arguments: arguments) { row in
            scheduled[row.int64(0), default: [:]][row.text(1)] = row.int(2)
        }
        // Rows by cursor and columns by position, read raw: a large department has thousands of rollup rows. Each
        // enrolment's rows by the rollup's primary key (cohort, person; the implicit index of a WITHOUT ROWID table):
        // the planner took the person index, which costs a second look-up per row.
        var minutes: [Int64: [Int64: [String: (present: Int, excused: Int)]]] = [:]
        try db.cachedStatement(sql: """
            SELECT r.cohort_id, r.person_id, r.module_id, r.present_minutes, r.excused_minutes
            FROM \(enrolments.from) CROSS JOIN attendance_rollup r INDEXED BY sqlite_autoindex_attendance_rollup_1
                ON r.cohort_id = e.cohort_id AND r.person_id = e.person_id
            WHERE \(enrolments.filter)
            """).forEachRow(arguments: arguments) { row in
            minutes[row.int64(0), default: [:]][row.int64(1), default: [:]][row.text(2)] = (row.int(3), row.int(4))
        }
        for mark in sessions.pending {
            if let counted = minutes[mark.cohort]?[mark.person]?[mark.module] {
                minutes[mark.cohort]?[mark.person]?[mark.module] = (counted.present - mark.present, counted.excused - mark.excused)
            }
        }
        var scores: [Int64: [Int64: [String: [Double]]]] = [:]
        try db.cachedStatement(sql: """
            SELECT r.cohort_id, r.person_id, r.assessment_id, r.best_score, r.attempts
            FROM \(enrolments.from) CROSS JOIN score_rollup r INDEXED BY sqlite_autoindex_score_rollup_1
                ON r.cohort_id = e.cohort_id AND r.person_id = e.person_id
            WHERE \(enrolments.filter)
            """).forEachRow(arguments: arguments) { row in
            // The rules need the best score and how many attempts were used.
            scores[row.int64(0), default: [:]][row.int64(1), default: [:]][row.text(2)]
                = Array(repeating: row.double(3), count: row.int(4))
        }
        var entries: [ReportEntry] = []
        let enrolmentRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT p.*, e.cohort_id AS e_cohort, e.status AS e_status, e.department_at_enrolment AS e_department
            FROM \(enrolments.from) CROSS JOIN person p ON p.id = e.person_id
            WHERE \(enrolments.filter)
            """), arguments: arguments)
        while let row = try enrolmentRows.next() {
            let cohortID: Int64 = row["e_cohort"]
            guard let cohort = cohorts[cohortID] else { continue }
            let program = try programs.program(id: cohort.programID, version: cohort.programVersion, db)
            let person = try PersonRecord(row: row).person
            let own = minutes[cohortID]?[person.id.rawValue] ?? [:]
            let totals = program.modules.map { module in
                ModuleTotals(moduleID: module.id,
                             heldMinutes: sessions.heldMinutes(cohort: cohortID, module: module.id,
                                                               scheduled: scheduled[cohortID]?[module.id] ?? 0),
                             presentMinutes: own[module.id]?.present ?? 0, excusedMinutes: own[module.id]?.excused ?? 0,
                             upcomingSessions: sessions.upcoming[cohortID]?[module.id] ?? [],
                             hasSessions: scheduled[cohortID]?[module.id] != nil)
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
    func headcount(_ department: DepartmentCode?) throws -> Int {
        try readDB { db in try headcount(department, db) }
    }

    /// Training hours delivered per month (by session date) in a scope, for the line chart, from the month rollup.
    func hoursPerMonth(_ scope: ReportScope, now: LocalDateTime) throws -> [(month: String, hours: Double)] {
        try readDB { db in try hoursPerMonth(scope, sessions: try ScopeSessions(scope, now: now, db), db) }
    }

    private func hoursPerMonth(_ scope: ReportScope, sessions: ScopeSessions, _ db: Database) throws -> [(month: String, hours: Double)] {
        // From the cohorts in scope to their rows by primary key (cohort, department, month; or the District's,
        // cohort and month), summed per month here: GROUP BY in SQL sorted them in a temporary tree first.
        var minutes: [String: Int] = [:]
        let rows = scope.department == nil
            ? "district_month_rollup r ON r.cohort_id = c.id AND ?4 IS NULL"
            : "month_rollup r ON r.cohort_id = c.id AND r.department = ?4"
        try db.cachedStatement(sql: """
            SELECT r.month, r.present_minutes FROM \(Self.cohortsOf(scope.department)) CROSS JOIN \(rows)
            WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3)
              AND r.month >= substr(?2, 1, 7) AND r.month <= substr(?1, 1, 7)
            """).forEachRow(arguments: [scope.to.iso, scope.from.iso, scope.programID, scope.department?.rawValue]) { row in
            minutes[row.text(0), default: 0] += row.int(1)
        }
        for mark in sessions.pending where scope.department.map({ $0.rawValue == mark.department }) ?? true {
            minutes[mark.month, default: 0] -= mark.present
        }
        return minutes.sorted { $0.key < $1.key }.map { (month: $0.key, hours: Double($0.value) / 60) }
    }

    /// Where a scope's query finds its cohorts (as `c`, with the period's filter still to apply): every cohort, by the
    /// period's index, or with a department (bound as ?4) only those it has enrolments in, by the enrolment index: a
    /// department's report then reads as many rows at twenty Districts as at one.
    static func cohortsOf(_ department: DepartmentCode?) -> String {
        department == nil ? "cohort c"
            : "(SELECT DISTINCT cohort_id FROM enrolment WHERE department_at_enrolment = ?4) AS d CROSS JOIN cohort c ON c.id = d.cohort_id"
    }

    /// Where a scope's per-person queries find its enrolments (as `e`, their cohorts as `c`, the period's filter
    /// applied): with a department (bound as ?4), its own enrolments by the department index, then their cohorts;
    /// else every cohort of the period by the period's index, then its enrolments. (A department's enrolments filtered
    /// by a list of the period's cohorts looked the department up once per cohort of the District: 4,000 at twenty.)
    static func enrolmentsOf(_ department: DepartmentCode?) -> (from: String, filter: String) {
        let period = "c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3)"
        return department == nil
            ? ("cohort c CROSS JOIN enrolment e ON e.cohort_id = c.id", "\(period) AND ?4 IS NULL")
            : ("enrolment e INDEXED BY enrolment_department CROSS JOIN cohort c ON c.id = e.cohort_id",
               "e.department_at_enrolment = ?4 AND \(period)")
    }

    /// The figures of a scope as sums and counts from SQL over the rollups and enrolments (completion is the
    /// enrolment status TrainingCore set on write), so a District-wide figure reads thousands of rows, not
    /// the ledger, and evaluates no one.
    func reportFigures(_ scope: ReportScope, now: LocalDateTime) throws -> ReportFigures {
        try readDB { db in
            var programs = ProgramDefinitions()
            return try reportFigures(scope, sessions: try ScopeSessions(scope, now: now, db), programs: &programs, db)
        }
    }

    private func reportFigures(_ scope: ReportScope, sessions: ScopeSessions, programs: inout ProgramDefinitions,
                               _ db: Database) throws -> ReportFigures {
        let tallied = try figures(scope, of: scope.department.map(FigureScope.department) ?? .district, sessions: sessions,
                                  programs: &programs, db)
        return tallied[scope.department?.rawValue ?? FigureScope.districtKey]
            ?? Self.noFigures
    }

    /// The figures of a scope with no one in it.
    private static let noFigures = ReportFigures(headcount: 0, enrolled: 0, completed: 0, presentMinutes: 0, countedMinutes: 0,
                                                 bySex: [:], modules: [])

    /// Every department's figures of a period, in one pass over the period's rows (a pass per department read
    /// each cohort's rollup once per department: 340 passes at twenty Districts). A department without places
    /// has figures too (its headcount, no enrolments).
    private func everyDepartmentFigures(_ period: ReportScope, sessions: ScopeSessions, programs: inout ProgramDefinitions,
                                        _ db: Database) throws -> [DepartmentCode: ReportFigures] {
        let tallied = try figures(period, of: .everyDepartment, sessions: sessions, programs: &programs, db)
        var figures: [DepartmentCode: ReportFigures] = [:]
        for code in try String.fetchAll(db, sql: "SELECT code FROM department ORDER BY code") {
            figures[DepartmentCode(code)] = tallied[code]
                ?? Self.noFigures
        }
        return figures
    }

    /// Whose figures a pass sums: the District's, one department's, or each department's apart.
    private enum FigureScope {
        case district, department(DepartmentCode), everyDepartment
        /// The District's key among the figures (no department has this code: the rollups use it the same way).
        static let districtKey = "*"
    }

    /// The figures of a scope as sums and counts from SQL over the rollups and enrolments (completion is the
    /// enrolment status TrainingCore set on write), so a District-wide figure reads thousands of rows, not the
    /// ledger, and evaluates no one. Keyed by department code (the District's by `FigureScope.districtKey`).
    private func figures(_ scope: ReportScope, of whom: FigureScope, sessions: ScopeSessions,
                         programs: inout ProgramDefinitions, _ db: Database) throws -> [String: ReportFigures] {
        let places = try placeTallies(scope, of: whom, db)
        return try rollupPass(scope, of: whom, sessions: sessions, programs: &programs, db)
            .figures(places: places, headcounts: try headcounts(of: whom, db))
    }

    /// Who held a place in a scope, once per person: for the District, from the cohorts in scope to their rows of
    /// place_rollup (v16, integers only; CROSS JOIN keeps that order), counted in an array by person id (100,000 at
    /// twenty Districts); for one department, from its enrolments by index, each carrying its person's sex (v14); for
    /// each department, from the cohorts in scope to their enrolments. Keyed as the figures.
    private func placeTallies(_ scope: ReportScope, of whom: FigureScope, _ db: Database) throws -> [String: PlaceTally] {
        let department: String? = if case .department(let code) = whom { code.rawValue } else { nil }
        let arguments: StatementArguments = [scope.to.iso, scope.from.iso, scope.programID, department]
        let placed = switch whom {
        case .district: """
            SELECT '*', p.person_id, p.place FROM cohort c CROSS JOIN place_rollup p ON p.cohort_id = c.id
            WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3) AND (?4 IS NULL)
            """
        case .department: """
            SELECT e.department_at_enrolment, e.person_id, \(Self.placeCode("e")) FROM \(Self.enrolmentsOf(department.map(DepartmentCode.init)).from)
            WHERE \(Self.enrolmentsOf(department.map(DepartmentCode.init)).filter) AND \(RuleSQL.holdsPlace())
            """
        case .everyDepartment: """
            SELECT e.department_at_enrolment, e.person_id, \(Self.placeCode("e")) FROM cohort c CROSS JOIN enrolment e ON e.cohort_id = c.id
            WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3) AND ?4 IS NULL AND \(RuleSQL.holdsPlace())
            """
        }
        if case .everyDepartment = whom {
            var tallies: [String: PlaceTally] = [:]
            try db.cachedStatement(sql: placed).forEachRow(arguments: arguments) { row in
                tallies[row.text(0), default: PlaceTally()].place(person: row.int64(1), code: row.int(2))
            }
            return tallies
        }
        let denseUpTo = if case .district = whom { try Int.fetchOne(db, sql: "SELECT MAX(id) FROM person").map { $0 + 1 } ?? 0 } else { 0 }
        var tally = PlaceTally(denseUpTo: denseUpTo)
        try db.cachedStatement(sql: placed).forEachRow(arguments: arguments) { row in
            tally.place(person: row.int64(1), code: row.int(2))
        }
        return [department ?? FigureScope.districtKey: tally]
    }

    /// The headcounts of a scope: the District's, one department's, or each department's (v36's counts).
    private func headcounts(of whom: FigureScope, _ db: Database) throws -> [String: Int] {
        switch whom {
        case .district: return [FigureScope.districtKey: try headcount(nil, db)]
        case .department(let code): return [code.rawValue: try headcount(code, db)]
        case .everyDepartment:
            var headcounts: [String: Int] = [:]
            try db.cachedStatement(sql: "SELECT department, people FROM headcount")
                .forEachRow(arguments: []) { row in headcounts[row.text(0)] = row.int(1) }
            return headcounts
        }
    }

    /// The rollup rows of a scope summed per program version and module (a tally per key of the figures), with the
    /// definitions of those versions: what the figures need besides the places and headcounts.
    private func rollupPass(_ scope: ReportScope, of whom: FigureScope, sessions: ScopeSessions,
                            programs: inout ProgramDefinitions, _ db: Database) throws -> RollupPass {
        if case .district = whom { return try districtRollupPass(scope, sessions: sessions, programs: &programs, db) }
        // One department's rows, or each department's, to a tally per department code.
        let department: String? = if case .department(let code) = whom { code.rawValue } else { nil }
        let arguments: StatementArguments = [scope.to.iso, scope.from.iso, scope.programID, department]
        var tallies: [String: FigureTally] = [:]
        // Marks at sessions not yet held are in the rows but not in the rule: taken back out, per sex code.
        var withheld: [String: [Int64: [String: FigureTally.Withheld]]] = [:]
        for mark in sessions.pending where mark.holdsPlace && (department == nil || mark.department == department) {
            withheld[mark.department, default: [:]][mark.cohort, default: [:]][mark.module, default: .init()].add(mark)
        }
        // The cohorts' rows of cohort_rollup, read by primary key in cohort order, per sex. Each cohort's held minutes
        // of a module (its scheduled minutes, carried by the row since v15, less those still to come) count once per
        // place taken. A cohort's program is read once per cohort, not per row (its rows come together).
        let rows = department == nil ? """
            FROM cohort c CROSS JOIN cohort_rollup r ON r.cohort_id = c.id
            WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3) AND ?4 IS NULL
            """ : """
            FROM \(Self.cohortsOf(department.map(DepartmentCode.init))) CROSS JOIN cohort_rollup r
                ON r.cohort_id = c.id AND r.department = ?4
            WHERE c.starts <= ?1 AND c.ends >= ?2 AND (?3 IS NULL OR c.program_id = ?3)
            """
        var versions: [(program: String, version: Int)] = []
        var slots = ModuleSlots()
        var cohortID: Int64 = -1, version = 0, position = 0, cohortHasUpcoming = false
        try db.cachedStatement(sql: """
            SELECT c.id, c.program_id, c.program_version, r.module_id, CASE r.sex WHEN 'female' THEN 1 WHEN 'male' THEN 2 ELSE 0 END,
                   r.placed, r.present_minutes, r.excused_minutes, r.attempted, r.passed, r.score_sum, r.scheduled_minutes,
                   r.department \(rows)
            """).forEachRow(arguments: arguments) { row in
            if row.int64(0) != cohortID {
                cohortID = row.int64(0)
                let program = row.text(1), programVersion = row.int(2)
                if let known = versions.firstIndex(where: { $0.program == program && $0.version == programVersion }) {
                    version = known
                } else {
                    versions.append((program, programVersion))
                    version = versions.count - 1
                }
                cohortHasUpcoming = sessions.upcoming[cohortID] != nil
                position = 0
            } else {
                position += 1
            }
            let key = row.text(12)
            let slot = slots.slot(version: version, position: position, moduleIn: row, column: 3), scheduled = row.int(11)
            let module = cohortHasUpcoming ? slots.pairs[slot].module : ""
            let held = row.int(5) * (cohortHasUpcoming
                ? sessions.heldMinutes(cohort: cohortID, module: module, scheduled: scheduled) : scheduled)
            let figures = FigureTally.RollupRow(
                slot: slot, rows: 1, sex: row.int(4), held: held, present: row.int(6), excused: row.int(7),
                attempted: row.int(8), passed: row.int(9), scoreSum: row.double(10), female: 0, male: 0)
            tallies[key, default: FigureTally(district: false)].add(figures, less: cohortHasUpcoming ? withheld[key]?[cohortID]?[module] : nil)
        }
        return RollupPass(district: false, tallies: tallies, slots: slots.pairs,
                          definitions: try versions.map { try programs.program(id: $0.program, version: $0.version, db) })
    }

    /// The District's rollup pass, from the dated sums: those of the cohorts ending on or after the period's first
    /// day, less those of the cohorts starting after its last (see `refreshDatedSums`): rows per day and module, not
    /// per cohort (40,000 at twenty Districts). Then the few cohorts with sessions still to come: their minutes not
    /// yet held, and the marks at those sessions, taken back out.
    private func districtRollupPass(_ scope: ReportScope, sessions: ScopeSessions, programs: inout ProgramDefinitions,
                                    _ db: Database) throws -> RollupPass {
        var tally = FigureTally(district: true)
        var versions: [(program: String, version: Int)] = []
        var slots = ModuleSlots()
        func slot(program: String, version: Int, moduleIn row: RawColumns, column: Int32) -> Int {
            let index = versions.firstIndex { $0.program == program && $0.version == version } ?? {
                versions.append((program, version))
                return versions.count - 1
            }()
            return slots.slot(version: index, position: 0, moduleIn: row, column: column)
        }
        try db.cachedStatement(sql: """
            SELECT program_id, program_version, module_id, CASE side WHEN 'starts' THEN -1 ELSE 1 END, cohort_rows,
                   held_in_full, present_minutes, excused_minutes, attempted, passed, score_sum, present_female, present_male
            FROM district_dated_rollup
            WHERE ((side = 'ends' AND day >= ?2) OR (side = 'starts' AND day > ?1)) AND (?3 IS NULL OR program_id = ?3)
            """).forEachRow(arguments: [scope.to.iso, scope.from.iso, scope.programID]) { row in
            let sign = row.int(3)
            tally.add(.init(slot: slot(program: row.text(0), version: row.int(1), moduleIn: row, column: 2), rows: sign * row.int(4),
                            sex: 0, held: sign * row.int(5), present: sign * row.int(6), excused: sign * row.int(7),
                            attempted: sign * row.int(8), passed: sign * row.int(9), scoreSum: Double(sign) * row.double(10),
                            female: sign * row.int(11), male: sign * row.int(12)), less: nil)
        }
        if !sessions.upcoming.isEmpty {
            var withheld: [Int64: [String: FigureTally.Withheld]] = [:]
            for mark in sessions.pending where mark.holdsPlace {
                withheld[mark.cohort, default: [:]][mark.module, default: .init()].add(mark)
            }
            try db.cachedStatement(sql: """
                SELECT c.id, c.program_id, c.program_version, r.module_id, r.placed
                FROM cohort c CROSS JOIN district_rollup r ON r.cohort_id = c.id WHERE c.id IN (SELECT value FROM json_each(?))
                """).forEachRow(arguments: ["[" + sessions.upcoming.keys.map(String.init).joined(separator: ",") + "]"]) { row in
                let cohort = row.int64(0), module = row.text(3)
                let notYetHeld = row.int(4) * (sessions.upcoming[cohort]?[module]?.reduce(0, +) ?? 0)
                tally.add(.init(slot: slot(program: row.text(1), version: row.int(2), moduleIn: row, column: 3), rows: 0, sex: 0,
                                held: -notYetHeld, present: 0, excused: 0, attempted: 0, passed: 0, scoreSum: 0, female: 0, male: 0),
                          less: withheld[cohort]?[module])
            }
        }
        return RollupPass(district: true, tallies: [FigureScope.districtKey: tally], slots: slots.pairs,
                          definitions: try versions.map { try programs.program(id: $0.program, version: $0.version, db) })
    }

    private func headcount(_ department: DepartmentCode?, _ db: Database) throws -> Int {
        // Kept per department by triggers on person (v36): the District's is the sum of a few hundred rows.
        let sql = "SELECT COALESCE(SUM(people), 0) FROM headcount WHERE ?1 IS NULL OR department = ?1"
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [department?.rawValue]) ?? 0
    }

    static func programDefinition(id: String, version: Int, _ db: Database) throws -> Program {
        let sql = "SELECT definition, xml_sha256, loaded_at FROM program WHERE id = ? AND version = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [id, version]) else {
            throw CurriculumStoreError.unknownProgram(programID: id)
        }
        return try StoredProgram(row: row).program
    }
}

/// Who held a place in a scope, once per person (completed in any cohort of the scope counts as completed). Counted
/// here: COUNT(DISTINCT) per sex in SQL sorts a District's enrolments twice and costs three times as much. A byte per
/// person: its sex code (1 not recorded, 2 female, 3 male; the same on each of its rows) and 4 once completed in any
/// of its cohorts.
struct PlaceTally: Sendable {
    private var people: [Int64: UInt8] = [:]
    /// The same, by person id, for ids below its count (the District's: a look-up per place in a dictionary of
    /// 100,000 cost more than the query that read them).
    private var dense: [UInt8]

    /// A tally in which the places of people with an id below `denseUpTo` are counted in an array.
    init(denseUpTo: Int = 0) {
        dense = [UInt8](repeating: 0, count: denseUpTo)
        if denseUpTo == 0 { people.reserveCapacity(256) }
    }

    mutating func place(person: Int64, code: Int) {
        if person >= 0, person < dense.count {
            dense[Int(person)] |= UInt8(truncatingIfNeeded: code)
        } else {
            people[person, default: 0] |= UInt8(truncatingIfNeeded: code)
        }
    }

    /// How many people have each byte (index 0 unused).
    var counts: [Int] {
        var counts = [Int](repeating: 0, count: 8)
        for flags in people.values { counts[Int(flags)] += 1 }
        for flags in dense where flags != 0 { counts[Int(flags)] += 1 }
        return counts
    }
}

/// A scope's rollup rows summed (a tally per key of the figures), with the definitions of the program versions the
/// tallies' keys index: with the places and headcounts, the figures, worked out without the database.
struct RollupPass: Sendable {
    let district: Bool
    let tallies: [String: FigureTally]
    /// The (program version, module) of each of the tallies' slots.
    let slots: [(version: Int, module: String)]
    let definitions: [Program]

    /// The figures per key, with each key's places and headcount.
    func figures(places: [String: PlaceTally], headcounts: [String: Int]) -> [String: ReportFigures] {
        var figures: [String: ReportFigures] = [:]
        for key in Set(tallies.keys).union(headcounts.keys).union(places.keys) {
            figures[key] = (tallies[key] ?? FigureTally(district: district))
                .figures(headcount: headcounts[key] ?? 0, places: places[key] ?? PlaceTally(), slots: slots,
                         definitions: definitions)
        }
        return figures
    }
}

/// The (program version, module) pairs of a rollup pass, numbered in the order met. A cohort's rows come in module
/// order, so a row's module is matched by its bytes against the one its version had at the same position: no text
/// is made or hashed per row (40,000 rows at twenty Districts).
struct ModuleSlots {
    private(set) var pairs: [(version: Int, module: String)] = []
    /// Per version, its modules in the order met: their bytes and slots.
    private var modulesOf: [[(bytes: [UInt8], slot: Int)]] = []

    /// The slot of the module in `column` of `row`, the `position`th row of a cohort on `version`.
    mutating func slot(version: Int, position: Int, moduleIn row: RawColumns, column: Int32) -> Int {
        while modulesOf.count <= version { modulesOf.append([]) }
        let known = modulesOf[version]
        if position < known.count, row.text(column, equals: known[position].bytes) { return known[position].slot }
        if let match = known.first(where: { row.text(column, equals: $0.bytes) }) { return match.slot }
        let module = row.text(column)
        pairs.append((version, module))
        modulesOf[version].append((Array(module.utf8), pairs.count - 1))
        return pairs.count - 1
    }
}

/// What one scope's report figures are summed from besides its places: its rows of cohort_rollup (or district_rollup)
/// per program version and module, in plain integers (GROUP BY in SQL needs a sort that costs more); the definitions
/// (module order and title, whether excused minutes are exempt) are looked up once per key at the end.
struct FigureTally: Sendable {
    /// Whether the rows are the District's (with women's and men's minutes apart) or a department's per sex.
    let district: Bool
    /// By slot (`ModuleSlots`).
    private var sums: [Sums] = []
    /// By sex code (0 not recorded, 1 female, 2 male): a department's, where it has rows.
    private var presentBySex: [Int?] = [nil, nil, nil]
    /// The same, the District's.
    private var districtBySex = [0, 0, 0]

    /// A tally of the District's rows or a department's.
    init(district: Bool) {
        self.district = district
    }

    struct Sums {
        /// How many rows of the rollup were added (a slot of the pass this tally has no rows of has none).
        var rows = 0
        var present = 0, held = 0, excused = 0, attempted = 0, passed = 0, scoreSum = 0.0

        mutating func add(_ row: RollupRow, present: Int, excused: Int) {
            rows += row.rows
            self.present += present
            held += row.held
            self.excused += excused
            attempted += row.attempted
            passed += row.passed
            scoreSum += row.scoreSum
        }
    }

    /// A row of cohort_rollup, its held minutes worked out (its scheduled minutes less those still to come, once
    /// per place).
    struct RollupRow {
        /// How many rows of the rollup this is (a dated sum's count, negative when taken away; 0 for a correction).
        let slot: Int, rows: Int, sex: Int, held: Int, present: Int, excused: Int, attempted: Int, passed: Int
        let scoreSum: Double, female: Int, male: Int
    }

    /// Marks at sessions not yet held, per sex code: the rows count them, the rule does not.
    struct Withheld {
        var present = [0, 0, 0], excused = [0, 0, 0]

        mutating func add(_ mark: ScopeSessions.PendingMark) {
            present[mark.sex] += mark.present
            excused[mark.sex] += mark.excused
        }
    }

    /// A row of cohort_rollup, less the marks `taken` at sessions not yet held.
    mutating func add(_ row: RollupRow, less taken: Withheld?) {
        var present = row.present, excused = row.excused, female = row.female, male = row.male
        let sex = row.sex
        if let taken {
            present -= district ? taken.present.reduce(0, +) : taken.present[sex]
            excused -= district ? taken.excused.reduce(0, +) : taken.excused[sex]
            female -= taken.present[1]
            male -= taken.present[2]
        }
        while sums.count <= row.slot { sums.append(Sums()) }
        sums[row.slot].add(row, present: present, excused: excused)
        if district {
            districtBySex[0] += present - female - male
            districtBySex[1] += female
            districtBySex[2] += male
        } else {
            presentBySex[sex] = (presentBySex[sex] ?? 0) + present
        }
    }

    /// The figures, with module figures per program and module over its versions (titled as in the newest);
    /// `definitions` are the versions the keys index.
    func figures(headcount: Int, places: PlaceTally, slots: [(version: Int, module: String)],
                 definitions: [Program]) -> ReportFigures {
        var figures = ReportFigures(headcount: headcount, enrolled: 0, completed: 0, presentMinutes: 0, countedMinutes: 0,
                                    bySex: [:], modules: [])
        // Counted per sex code and completion, then per sex (`sexes` by code less one).
        let sexes: [Sex?] = [nil, .female, .male]
        let counts = places.counts
        for (code, sex) in sexes.enumerated() {
            let enrolled = counts[code + 1] + counts[code + 5], completed = counts[code + 5]
            guard enrolled > 0 else { continue }
            figures.bySex[sex, default: .init()].enrolled += enrolled
            figures.bySex[sex, default: .init()].completed += completed
        }
        figures.enrolled = counts[1...].reduce(0, +)
        figures.completed = counts[5...].reduce(0, +)
        // (The rollup's modules are its version's, so every key has a module in its definition.)
        var modules: [String: [String: ReportFigures.ModuleFigures]] = [:]
        let keyed = sums.indices.filter { sums[$0].rows > 0 }
            .map { (definition: definitions[slots[$0].version], module: slots[$0].module, sum: sums[$0]) }
        for key in keyed.sorted(by: { ($0.definition.id, -$0.definition.version, $0.module)
                                      < ($1.definition.id, -$1.definition.version, $1.module) }) {
            let sum = key.sum, definition = key.definition
            guard let module = definition.modules.first(where: { $0.id == key.module }) else { continue }
            let counted = definition.completion.countedMinutes(held: sum.held, excused: sum.excused)
            figures.presentMinutes += sum.present
            figures.countedMinutes += counted
            var figure = modules[definition.id]?[key.module]
                ?? .init(programID: definition.id, moduleID: key.module, order: module.order, title: module.title)
            figure.presentMinutes += sum.present
            figure.countedMinutes += counted
            figure.attempted += sum.attempted
            figure.passed += sum.passed
            figure.scoreSum += sum.scoreSum
            figure.scored += sum.attempted
            modules[definition.id, default: [:]][key.module] = figure
        }
        for (code, sex) in sexes.enumerated() {
            if let present = presentBySex[code] { figures.bySex[sex, default: .init()].presentMinutes += present }
        }
        // The District's minutes by sex, for each sex that has places (its rows come from the same enrolments).
        if district {
            for (code, sex) in sexes.enumerated() {
                figures.bySex[sex]?.presentMinutes += districtBySex[code]
            }
        }
        figures.modules = modules.values.flatMap(\.values).sorted { ($0.programID, $0.order) < ($1.programID, $1.order) }
        return figures
    }
}

extension AppDatabase {
    /// Participants of a session's cohort with the department they enrolled from, by name.
    public func signInParticipants(session sessionID: SessionID) throws -> [(person: Person, department: DepartmentCode)] {
        try readDB { db in
            let session = try Self.session(sessionID, db)
            let cohort = try Self.cohort(code: session.cohortCode, db)
            return try Row.fetchAll(db.cachedStatement(sql: """
                SELECT p.*, e.department_at_enrolment AS e_department FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.cohort_id = ? AND \(RuleSQL.holdsPlace())
                ORDER BY p.family_name, p.given_name, p.personal_number
                """), arguments: [cohort.id.rawValue]).map { row in
                (try PersonRecord(row: row).person, DepartmentCode(row["e_department"]))
            }
        }
    }
}
