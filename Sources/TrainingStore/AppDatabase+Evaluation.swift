import Foundation
import GRDB
import TrainingCore

/// Learning gain (the scores of pre-tests and the tests they are compared with), the reaction rounds a report sums,
/// and the follow-ups on use at work (`v30-follow-up`), which name their person.
extension StoreTransaction {
    // MARK: Learning gain

    /// The best scores of the place-holders of one cohort in its pre-tests and tests, per trainee.
    public func learningScores(cohort: CohortID) throws -> [(program: Program, scores: LearningGain.Scores)] {
        try learningScores(filter: "e.cohort_id = ?1", arguments: [cohort.rawValue])
    }

    /// The best scores, in their pre-tests and tests, of the place-holders of the cohorts a report's scope covers (a
    /// department's by the department at enrolment), per trainee and cohort.
    public func learningScores(_ scope: ReportScope) throws -> [(program: Program, scores: LearningGain.Scores)] {
        guard try anyPretest() else { return [] }
        return try learningScores(filter: """
            e.cohort_id IN (SELECT id FROM cohort WHERE starts <= ?1 AND ends >= ?2 AND (?3 IS NULL OR program_id = ?3))
            AND (?4 IS NULL OR e.department_at_enrolment = ?4)
            """, arguments: [scope.to.iso, scope.from.iso, scope.programID, scope.department?.rawValue])
    }

    private func learningScores(filter: String, arguments: StatementArguments) throws -> [(program: Program, scores: LearningGain.Scores)] {
        // Only programs with a pre-test have a gain; their versions are few, the scores rows many.
        var programs = ProgramDefinitions()
        var trainees: [String: (program: Program, scores: LearningGain.Scores)] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.program_id, c.program_version, e.cohort_id, e.person_id, r.assessment_id, r.best_score
            FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
            JOIN score_rollup r ON r.cohort_id = e.cohort_id AND r.person_id = e.person_id
            JOIN assessment_def d ON d.program_id = c.program_id AND d.program_version = c.program_version AND d.id = r.assessment_id
            WHERE \(filter) AND \(RuleSQL.holdsPlace()) AND (d.pretest OR d.kind = 'test')
              AND EXISTS (SELECT 1 FROM assessment_def p
                          WHERE p.program_id = c.program_id AND p.program_version = c.program_version AND p.pretest)
            """, arguments: arguments)
        while let row = try rows.next() {
            let key = "\(row["cohort_id"] as Int64)/\(row["person_id"] as Int64)"
            if trainees[key] == nil {
                trainees[key] = (try programs.program(id: row["program_id"], version: row["program_version"], db), [:])
            }
            trainees[key]?.scores[row["assessment_id"]] = row["best_score"]
        }
        return trainees.keys.sorted().compactMap { trainees[$0] }
    }

    /// The best scores of the place-holders of the named cohorts in their pre-tests and tests (nothing is read when no
    /// program has a pre-test).
    public func learningScores(cohorts codes: [String]) throws -> [(program: Program, scores: LearningGain.Scores)] {
        guard try anyPretest() else { return [] }
        return try learningScores(filter: "e.cohort_id IN (SELECT id FROM cohort WHERE code IN (SELECT value FROM json_each(?1)))",
                                  arguments: [Self.jsonList(codes)])
    }

    /// Whether any stored program has a pre-test: without one there is no gain to read (a scan of the few definitions).
    private func anyPretest() throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM assessment_def WHERE pretest)")) ?? false
    }

    static func jsonList(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    // MARK: Reaction rounds

    /// The rounds of the named cohorts as times only: when each module's last session ends (the schedule rollup) and
    /// the deadline a coordinator set; with each round's answers and scale points given, read in two grouped queries.
    public func ratingRounds(cohorts codes: [String]) throws
        -> [(cohort: String, module: String, lastSessionEnds: LocalDateTime, deadline: LocalDate?, tally: RatingTally)] {
        let list = Self.jsonList(codes)
        var tallies: [String: RatingTally] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT a.cohort_id, a.module_id, COUNT(DISTINCT a.answer_key) AS answers,
                   SUM(a.scale = 1), SUM(a.scale = 2), SUM(a.scale = 3), SUM(a.scale = 4), SUM(a.scale = 5)
            FROM reaction_answer a WHERE a.cohort_id IN (SELECT id FROM cohort WHERE code IN (SELECT value FROM json_each(?)))
            GROUP BY a.cohort_id, a.module_id
            """, arguments: [list]) {
            tallies["\(row[0] as Int64)#\(row[1] as String)"] = RatingTally(answers: row[2], points: (3...7).map { (row[$0] as Int?) ?? 0 })
        }
        // Only the rounds that have answers: a year of District cohorts has thousands of rounds, most never rated.
        guard !tallies.isEmpty else { return [] }
        let answered = "[" + Set(tallies.keys.compactMap { $0.split(separator: "#").first }).joined(separator: ",") + "]"
        return try Row.fetchAll(db, sql: """
            SELECT c.id, c.code, s.module_id, s.last_ends_at, r.deadline FROM schedule_rollup s JOIN cohort c ON c.id = s.cohort_id
            LEFT JOIN reaction_round r ON r.cohort_id = s.cohort_id AND r.module_id = s.module_id
            WHERE s.cohort_id IN (SELECT value FROM json_each(?)) ORDER BY c.code, s.module_id
            """, arguments: [answered]).compactMap { row in
            guard let ends = LocalDateTime(iso: row["last_ends_at"]) else { return nil }
            return (row["code"], row["module_id"], ends, (row["deadline"] as String?).flatMap(LocalDate.init(iso:)),
                    tallies["\(row["id"] as Int64)#\(row["module_id"] as String)"] ?? RatingTally())
        }
    }

    /// A reaction round (a cohort's module) as a report sums it: when its last session ended, its deadline if set,
    /// the trainers of its sessions, and how many were asked (attended a session while holding a place) and answered.
    public struct ReactionRound: Sendable {
        public var cohort: Cohort
        public var moduleID: String
        public var lastSessionEnds: LocalDateTime
        public var deadline: LocalDate?
        public var trainers: [String]
        public var asked: Int
        public var answered: Int
        /// Whether answers are stored: they outlive the marker of a person erased since, so `answered` may be less.
        public var hasAnswers: Bool
    }

    /// The reaction rounds of the cohorts of a program running in a period, whose modules' last sessions have ended by
    /// `now`.
    public func reactionRounds(programID: String?, from: LocalDate, to: LocalDate, now: LocalDateTime) throws -> [ReactionRound] {
        // The period's cohorts, then each figure for all of them in one grouped query (not a query per cohort).
        let period = "SELECT id FROM cohort WHERE starts <= ?1 AND ends >= ?2 AND (?3 IS NULL OR program_id = ?3)"
        let arguments: StatementArguments = [to.iso, from.iso, programID]
        let cohorts = try Row.fetchAll(db, sql: "SELECT * FROM cohort WHERE id IN (\(period)) ORDER BY starts, code", arguments: arguments)
            .map(Cohort.init(row:))
        func grouped(_ sql: String, _ each: (Row) -> Void) throws {
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) { each(row) }
        }
        func key(_ row: Row) -> String { "\(row["cohort_id"] as Int64)#\(row["module_id"] as String)" }
        var ends: [Int64: [String: LocalDateTime]] = [:], trainers: [String: [String]] = [:], asked: [String: Int] = [:]
        var answered: [String: Int] = [:], deadlines: [String: LocalDate] = [:]
        try grouped("""
            SELECT cohort_id, module_id, MAX(ends_at) AS ends FROM session
            WHERE cohort_id IN (\(period)) AND status = 'scheduled' GROUP BY cohort_id, module_id
            """) { row in ends[row["cohort_id"], default: [:]][row["module_id"]] = LocalDateTime(iso: row["ends"]) }
        try grouped("""
            SELECT DISTINCT s.cohort_id, s.module_id, t.name FROM session s JOIN trainer t ON t.id = s.trainer_id
            WHERE s.cohort_id IN (\(period)) AND s.status = 'scheduled' ORDER BY t.name
            """) { row in trainers[key(row), default: []].append(row["name"]) }
        try grouped("""
            SELECT r.cohort_id, r.module_id, COUNT(*) AS asked FROM attendance_rollup r
            JOIN enrolment e ON e.cohort_id = r.cohort_id AND e.person_id = r.person_id AND \(RuleSQL.holdsPlace())
            WHERE r.cohort_id IN (\(period)) AND r.attended > 0
            GROUP BY r.cohort_id, r.module_id
            """) { row in asked[key(row)] = row["asked"] }
        try grouped("""
            SELECT cohort_id, module_id, COUNT(*) AS answered FROM reaction_marker WHERE cohort_id IN (\(period))
            GROUP BY cohort_id, module_id
            """) { row in answered[key(row)] = row["answered"] }
        var withAnswers: Set<String> = []
        try grouped("SELECT DISTINCT cohort_id, module_id FROM reaction_answer WHERE cohort_id IN (\(period))") { row in
            withAnswers.insert(key(row))
        }
        try grouped("SELECT cohort_id, module_id, deadline FROM reaction_round WHERE cohort_id IN (\(period))") { row in
            deadlines[key(row)] = LocalDate(iso: row["deadline"])
        }
        var rounds: [ReactionRound] = []
        for cohort in cohorts {
            for (module, last) in (ends[cohort.id.rawValue] ?? [:]).sorted(by: { $0.key < $1.key }) where last <= now {
                let round = "\(cohort.id.rawValue)#\(module)"
                rounds.append(ReactionRound(cohort: cohort, moduleID: module, lastSessionEnds: last, deadline: deadlines[round],
                                            trainers: trainers[round] ?? [], asked: asked[round] ?? 0, answered: answered[round] ?? 0,
                                            hasAnswers: withAnswers.contains(round)))
            }
        }
        return rounds
    }

    // MARK: Follow-ups

    /// Creates the follow-ups that have come due by `today`: for each trainee whose place in a cohort is completed, whose
    /// cohort ended `days` days ago or more but not so long that the follow-up's window has passed, one for the
    /// trainee and one for the head of their department. Returns how many were created.
    public func createFollowUpsDue(today: LocalDate, days: Int) throws -> Int {
        let latestEnd = today.adding(days: -days), earliestEnd = today.adding(days: -(days + FollowUpRules.openDays))
        var created = 0
        for respondent in FollowUpRespondent.allCases {
            let id = FollowUpRules.questionnaire(for: respondent)
            guard let version = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM questionnaire WHERE id = ?", arguments: [id]) else {
                continue
            }
            try db.execute(sql: """
                INSERT INTO follow_up (person_id, cohort_id, respondent, department, due, closes, questionnaire_id, questionnaire_version)
                SELECT e.person_id, c.id, ?1, p.department, date(c.ends, '+' || ?2 || ' days'),
                       date(c.ends, '+' || (?2 + ?3) || ' days'), ?4, ?5
                FROM cohort c JOIN enrolment e ON e.cohort_id = c.id AND e.status = 'completed'
                JOIN person p ON p.id = e.person_id AND p.erased_at IS NULL
                WHERE c.ends BETWEEN ?6 AND ?7
                ON CONFLICT (person_id, cohort_id, respondent) DO NOTHING
                """, arguments: [respondent.rawValue, days, FollowUpRules.openDays, id, version, earliestEnd.iso, latestEnd.iso])
            created += db.changesCount
        }
        return created
    }

    /// Whether any follow-up has come due by `today` and is not created yet (one read over the cohorts that ended in
    /// the window).
    public func followUpsComingDue(today: LocalDate, days: Int) throws -> Bool {
        let latestEnd = today.adding(days: -days), earliestEnd = today.adding(days: -(days + FollowUpRules.openDays))
        // Only for the respondents whose questionnaire is loaded: without it nothing would be created, and the tick
        // would find the same work due every minute.
        return try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM cohort c JOIN enrolment e ON e.cohort_id = c.id AND e.status = 'completed'
                           JOIN person p ON p.id = e.person_id AND p.erased_at IS NULL
                           JOIN (SELECT 'trainee' AS respondent WHERE EXISTS (SELECT 1 FROM questionnaire WHERE id = ?3)
                                 UNION ALL SELECT 'head' WHERE EXISTS (SELECT 1 FROM questionnaire WHERE id = ?4)) r
                           WHERE c.ends BETWEEN ?1 AND ?2
                             AND NOT EXISTS (SELECT 1 FROM follow_up f
                                             WHERE f.person_id = e.person_id AND f.cohort_id = c.id AND f.respondent = r.respondent))
            """, arguments: [earliestEnd.iso, latestEnd.iso, FollowUpRules.traineeQuestionnaire, FollowUpRules.headQuestionnaire]) ?? false
    }

    /// A trainee's own follow-ups (those they answer).
    public func followUps(person: PersonID) throws -> [FollowUp] {
        try followUps(where: "person_id = ? AND respondent = 'trainee'", [person.rawValue])
    }

    /// The follow-ups a department's head answers, about that department's trainees.
    public func headFollowUps(department: DepartmentCode) throws -> [FollowUp] {
        try followUps(where: "department = ? AND respondent = 'head'", [department.rawValue])
    }

    /// One follow-up.
    public func followUp(id: Int64) throws -> FollowUp? {
        try followUps(where: "id = ?", [id]).first
    }

    private func followUps(where condition: String, _ arguments: StatementArguments) throws -> [FollowUp] {
        var people: [Int64: Person] = [:], cohorts: [Int64: Cohort] = [:]
        return try Row.fetchAll(db, sql: "SELECT * FROM follow_up WHERE \(condition) ORDER BY due, id", arguments: arguments).map { row in
            let personID: Int64 = row["person_id"], cohortID: Int64 = row["cohort_id"]
            if people[personID] == nil {
                people[personID] = try Row.fetchOne(db, sql: "SELECT * FROM person WHERE id = ?", arguments: [personID])
                    .map { try PersonRecord(row: $0).person }
            }
            if cohorts[cohortID] == nil {
                cohorts[cohortID] = try Row.fetchOne(db, sql: "SELECT * FROM cohort WHERE id = ?", arguments: [cohortID]).map(Cohort.init(row:))
            }
            let answers = try (row["answers"] as String?).map { try JSONDecoder().decode([String: ReactionValue].self, from: Data($0.utf8)) }
            return FollowUp(id: row["id"], person: people[personID]!, cohort: cohorts[cohortID]!,
                            respondent: FollowUpRespondent(rawValue: row["respondent"]) ?? .trainee,
                            department: DepartmentCode(row["department"]), due: LocalDate(iso: row["due"])!,
                            closes: LocalDate(iso: row["closes"])!, questionnaireID: row["questionnaire_id"],
                            questionnaireVersion: row["questionnaire_version"], answers: answers)
        }
    }

    /// Stores the answers of a follow-up, once: false (nothing written) when it was answered already.
    public func answerFollowUp(id: Int64, answers: [String: ReactionValue], by actor: Actor) throws -> Bool {
        let json = String(decoding: try JSONEncoder.sorted.encode(answers), as: UTF8.self)
        try db.execute(sql: """
            UPDATE follow_up SET answers = ?, answered_at = ?, answered_by = ? WHERE id = ? AND answers IS NULL
            """, arguments: [json, timestamp, actor.rawValue, id])
        return db.changesCount == 1
    }

    /// The answered follow-ups of one respondent, of the trainees of a department (nil: every department) who completed
    /// a cohort of a program (nil: any) running in a period.
    public func followUpAnswers(respondent: FollowUpRespondent, department: DepartmentCode?, programID: String?,
                                from: LocalDate, to: LocalDate) throws -> (asked: Int, answers: [[String: ReactionValue]]) {
        var asked = 0
        var answers: [[String: ReactionValue]] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT f.answers FROM follow_up f JOIN cohort c ON c.id = f.cohort_id
            WHERE f.respondent = ?1 AND (?2 IS NULL OR f.department = ?2) AND (?3 IS NULL OR c.program_id = ?3)
              AND c.starts <= ?4 AND c.ends >= ?5
            """, arguments: [respondent.rawValue, department?.rawValue, programID, to.iso, from.iso]) {
            asked += 1
            if let json = row["answers"] as String? {
                answers.append(try JSONDecoder().decode([String: ReactionValue].self, from: Data(json.utf8)))
            }
        }
        return (asked, answers)
    }
}
