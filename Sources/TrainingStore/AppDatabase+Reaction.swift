import Foundation
import GRDB
import TrainingCore

/// Reaction questionnaires (`v28-reaction`): rounds with their deadlines, the anonymous answers and the markers of who
/// answered. An answer is written with no person and no time; nothing here reads an answer together with a marker.
extension StoreTransaction {
    /// The deadline a coordinator set for a cohort's module, if any.
    public func reactionDeadline(cohort: CohortID, module: String) throws -> LocalDate? {
        try String.fetchOne(db, sql: "SELECT deadline FROM reaction_round WHERE cohort_id = ? AND module_id = ?",
                            arguments: [cohort.rawValue, module]).flatMap(LocalDate.init(iso:))
    }

    /// Sets (or moves) the deadline of a cohort's module.
    public func setReactionDeadline(cohort: CohortID, module: String, deadline: LocalDate) throws {
        try db.execute(sql: """
            INSERT INTO reaction_round (cohort_id, module_id, deadline) VALUES (?, ?, ?)
            ON CONFLICT (cohort_id, module_id) DO UPDATE SET deadline = excluded.deadline
            """, arguments: [cohort.rawValue, module, deadline.iso])
    }

    /// When each module's last session (not cancelled) of a cohort ends.
    public func lastSessionEnds(cohort: CohortID) throws -> [String: LocalDateTime] {
        var result: [String: LocalDateTime] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT module_id, MAX(ends_at) AS ends FROM session WHERE cohort_id = ? AND status = 'scheduled' GROUP BY module_id
            """, arguments: [cohort.rawValue]) {
            if let ends = LocalDateTime(iso: row["ends"]) { result[row["module_id"]] = ends }
        }
        return result
    }

    /// The cohorts a person holds a place in, with the modules of which they attended a session (present or late).
    public func attendedModules(person: PersonID) throws -> [(cohort: Cohort, modules: Set<String>)] {
        var modules: [Int64: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT s.cohort_id, s.module_id FROM attendance a JOIN session s ON s.id = a.session_id
            JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id AND \(RuleSQL.holdsPlace())
            WHERE a.person_id = ? AND a.current AND \(RuleSQL.attended()) AND s.status = 'scheduled'
            """, arguments: [person.rawValue]) {
            modules[row["cohort_id"], default: []].insert(row["module_id"])
        }
        guard !modules.isEmpty else { return [] }
        let ids = "[" + modules.keys.sorted().map(String.init).joined(separator: ",") + "]"
        return try Row.fetchAll(db, sql: "SELECT * FROM cohort WHERE id IN (SELECT value FROM json_each(?)) ORDER BY starts, code",
                                arguments: [ids]).map(Cohort.init(row:)).map { ($0, modules[$0.id.rawValue] ?? []) }
    }

    /// The modules of a cohort a person has answered the questionnaire of.
    public func answeredModules(person: PersonID, cohort: CohortID) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT module_id FROM reaction_marker WHERE person_id = ? AND cohort_id = ?",
                                arguments: [person.rawValue, cohort.rawValue]))
    }

    /// Records that a person answered and, apart from it, their answers under a fresh random key. False (nothing
    /// written) when the person had answered already.
    public func insertReaction(person: PersonID, cohort: CohortID, module: String, questionnaire: Questionnaire,
                               values: [String: ReactionValue]) throws -> Bool {
        try db.execute(sql: "INSERT INTO reaction_marker (person_id, cohort_id, module_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       arguments: [person.rawValue, cohort.rawValue, module])
        guard db.changesCount == 1 else { return false }
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let insert = try db.cachedStatement(sql: """
            INSERT INTO reaction_answer (answer_key, item_id, cohort_id, module_id, questionnaire_id, questionnaire_version, scale, choice, text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (item, value) in values {
            let (scale, choice, text): (Int?, String?, String?) = switch value {
            case .scale(let point): (point, nil, nil)
            case .choice(let option): (nil, option, nil)
            case .text(let words): (nil, nil, words)
            }
            try insert.execute(arguments: [key, item, cohort.rawValue, module, questionnaire.id, questionnaire.version, scale, choice, text])
        }
        return true
    }

    /// The answers of a cohort's module (every cohort's, with nil), one dictionary per trainee who answered, in the
    /// order of their random keys.
    public func reactionAnswers(cohort: CohortID?, module: String, programID: String) throws -> [[String: ReactionValue]] {
        var answers: [Data: [String: ReactionValue]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT a.answer_key, a.item_id, a.scale, a.choice, a.text FROM reaction_answer a JOIN cohort c ON c.id = a.cohort_id
            WHERE (?1 IS NULL OR a.cohort_id = ?1) AND a.module_id = ?2 AND c.program_id = ?3
            """, arguments: [cohort?.rawValue, module, programID]) {
            let value: ReactionValue? = if let point = row["scale"] as Int? { .scale(point) }
                else if let option = row["choice"] as String? { .choice(option) }
                else if let text = row["text"] as String? { .text(text) } else { nil }
            if let value { answers[row["answer_key"], default: [:]][row["item_id"]] = value }
        }
        return answers.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
    }

    /// One stored version of a questionnaire.
    public func questionnaire(id: String, version: Int) throws -> Questionnaire? {
        try String.fetchOne(db, sql: "SELECT definition FROM questionnaire WHERE id = ? AND version = ?", arguments: [id, version])
            .map { try JSONDecoder().decode(Questionnaire.self, from: Data($0.utf8)) }
    }

    /// The newest stored version of a questionnaire.
    public func questionnaire(id: String) throws -> Questionnaire? {
        try String.fetchOne(db, sql: "SELECT definition FROM questionnaire WHERE id = ? ORDER BY version DESC LIMIT 1", arguments: [id])
            .map { try JSONDecoder().decode(Questionnaire.self, from: Data($0.utf8)) }
    }
}
