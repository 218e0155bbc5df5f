import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// Reaction questionnaires after a module: answers that name no one and no time, asked once of those who attended,
/// and shown only after the deadline and from five answers up.
@Suite struct ReactionTests {
    /// Cohort A (modules M1 on 10 March and M2 on 11 March, everyone present) with the District's questionnaire stored.
    static func fixture(people: Int) throws -> AppDatabase {
        let database = try makeCompletedCohort(people: people, passing: [])
        let reading = try office(database).curriculum.read([repositoryRoot.appendingPathComponent("Curriculum/upitnik-reakcija-modul.xml")],
                                                           language: .bosnian)
        #expect(reading.problems.isEmpty && reading.questionnaires.count == 1)
        _ = try office(database).curriculum.load([], questionnaires: reading.questionnaires, actor: testActor)
        return database
    }

    static let open = at("2026-03-12 10:00"), afterDeadline = at("2026-03-25 08:00")

    /// A complete answer: the scale items at `point`, a choice and a comment.
    static func answers(_ point: Int, comment: String? = nil) -> [String: ReactionValue] {
        var answers: [String: ReactionValue] = ["Q1": .scale(point), "Q2": .scale(point), "Q3": .scale(point), "Q4": .scale(point),
                                                "Q5": .scale(point), "Q6": .choice("dobro")]
        if let comment { answers["Q8"] = .text(comment) }
        return answers
    }

    @Test func theAnswerTableCanNameNoOneAndNoTimeAndTheMarkerHoldsOnlyWhoAnsweredWhat() throws {
        let database = try Self.fixture(people: 2)
        try office(database, at: Self.open).evaluation.answer(personalNumber: "1", cohort: "A", module: "M1", answers: Self.answers(4))
        try database.writer.read { db in
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(reaction_answer)").map { $0["name"] as String }
            #expect(columns == ["answer_key", "item_id", "cohort_id", "module_id", "questionnaire_id", "questionnaire_version", "scale",
                                "choice", "text"])
            var indexed: [String] = []
            for index in try Row.fetchAll(db, sql: "PRAGMA index_list(reaction_answer)") {
                indexed += try Row.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?)", arguments: [index["name"] as String])
                    .compactMap { $0["name"] as String? }
            }
            for name in columns + indexed {
                for word in ["person", "account", "login", "actor", "time", "_at", "date", "created", "seq"] {
                    #expect(!name.contains(word), "reaction_answer has \(name)")
                }
            }
            #expect(try Row.fetchAll(db, sql: "PRAGMA table_info(reaction_marker)").map { $0["name"] as String } == ["person_id", "cohort_id", "module_id"])
            // No rowid to order either table by; the answer's key is sixteen random bytes.
            #expect(throws: (any Error).self) { try Row.fetchAll(db, sql: "SELECT rowid FROM reaction_answer") }
            #expect(throws: (any Error).self) { try Row.fetchAll(db, sql: "SELECT rowid FROM reaction_marker") }
            let keys = try Data.fetchAll(db, sql: "SELECT DISTINCT answer_key FROM reaction_answer")
            #expect(keys.count == 1 && keys[0].count == 16 && Set(keys[0]).count > 4)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reaction_answer") == 6)
        }
        try office(database, at: Self.open).evaluation.answer(personalNumber: "2", cohort: "A", module: "M1", answers: Self.answers(2))
        let keys = try database.writer.read { db in try Data.fetchAll(db, sql: "SELECT DISTINCT answer_key FROM reaction_answer") }
        #expect(keys.count == 2 && keys[0] != keys[1])
    }

    @Test func answeringWritesNoAuditEventAndIsAskedOnceOfThoseWhoAttended() throws {
        let database = try Self.fixture(people: 3)
        let evaluation = office(database, at: Self.open).evaluation
        #expect(try evaluation.pending(personalNumber: "1").map(\.moduleID) == ["M1", "M2"])
        let events = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_event") }
        try evaluation.answer(personalNumber: "1", cohort: "A", module: "M1", answers: Self.answers(5, comment: "Više primjera"))
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_event") } == events)
        // Once: no longer pending, and a second answer is refused with nothing written.
        #expect(try evaluation.pending(personalNumber: "1").map(\.moduleID) == ["M2"])
        #expect(throws: ReactionError.alreadyAnswered(cohort: "A", module: "M1")) {
            try evaluation.answer(personalNumber: "1", cohort: "A", module: "M1", answers: Self.answers(1))
        }
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT answer_key) FROM reaction_answer") } == 1)
        // Someone who attended nothing of the module is not asked.
        _ = try office(database).people.importDrafts([draft("9", "Gost", "Gostić")], file: "g.csv", sha256: String(repeating: "1", count: 64),
                                                     actor: testActor)
        #expect(try evaluation.pending(personalNumber: "9").isEmpty)
        #expect(throws: ReactionError.notAsked(cohort: "A", module: "M1")) {
            try evaluation.answer(personalNumber: "9", cohort: "A", module: "M1", answers: Self.answers(3))
        }
        // Before the module's last session ends, and after the deadline, it is not open.
        #expect(try office(database, at: at("2026-03-10 12:00")).evaluation.pending(personalNumber: "2").isEmpty)
        #expect(throws: ReactionError.notOpen(cohort: "A", module: "M1")) {
            try office(database, at: Self.afterDeadline).evaluation.answer(personalNumber: "2", cohort: "A", module: "M1", answers: Self.answers(3))
        }
        // A bad answer names its item and stores nothing.
        #expect(throws: ReactionError.invalid(item: "Q2")) {
            try evaluation.answer(personalNumber: "2", cohort: "A", module: "M1", answers: Self.answers(3).merging(["Q2": .scale(6)]) { $1 })
        }
        #expect(throws: ReactionError.missing(item: "Q6")) {
            try evaluation.answer(personalNumber: "2", cohort: "A", module: "M1", answers: Self.answers(3).filter { $0.key != "Q6" })
        }
        #expect(throws: ReactionError.invalid(item: "Q6")) {
            try evaluation.answer(personalNumber: "2", cohort: "A", module: "M1", answers: Self.answers(3).merging(["Q6": .choice("x")]) { $1 })
        }
        #expect(try evaluation.pending(personalNumber: "2").map(\.moduleID) == ["M1", "M2"])
    }

    @Test func resultsShowAfterTheDeadlineAndFromFiveAnswers() throws {
        let database = try Self.fixture(people: 6)
        for (index, point) in [5, 4, 4, 3].enumerated() {
            try office(database, at: Self.open).evaluation.answer(personalNumber: String(index + 1), cohort: "A", module: "M1",
                                                                  answers: Self.answers(point, comment: "komentar \(index + 1)"))
        }
        // Before the deadline nothing shows, not even how many answered.
        let early = try office(database, at: Self.open).evaluation.results(cohort: "A", module: "M1")
        #expect(!early.visible && early.summary.answers == 0 && early.summary.items == nil && early.deadline == LocalDate(iso: "2026-03-24"))
        // After it, four answers show nothing.
        let four = try office(database, at: Self.afterDeadline).evaluation.results(cohort: "A", module: "M1")
        #expect(four.visible && four.summary.answers == 4 && four.summary.items == nil)
        // The coordinator moves the deadline (audited); a fifth answer, and the figures show.
        try office(database, at: Self.open).evaluation.setDeadline(cohort: "A", module: "M1", deadline: LocalDate(iso: "2026-03-31")!, actor: testActor)
        try office(database, at: Self.afterDeadline).evaluation.answer(personalNumber: "5", cohort: "A", module: "M1", answers: Self.answers(2))
        #expect(!(try office(database, at: Self.afterDeadline).evaluation.results(cohort: "A", module: "M1")).visible)
        let five = try office(database, at: at("2026-04-01 08:00")).evaluation.results(cohort: "A", module: "M1")
        let items = try #require(five.summary.items)
        #expect(five.summary.answers == 5)
        let q1 = try #require(items.first { $0.itemID == "Q1" })
        #expect(q1.mean == 3.6 && q1.counts.map(\.count) == [0, 1, 1, 2, 1])
        let q6 = try #require(items.first { $0.itemID == "Q6" })
        #expect(q6.counts.map(\.key) == ["kratko", "dobro", "dugo"] && q6.counts.map(\.count) == [0, 5, 0])
        #expect(Set(try #require(items.first { $0.itemID == "Q8" }).texts) == Set((1...4).map { "komentar \($0)" }))
        #expect(try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_event WHERE action = 'reaction.deadline'")
        } == 1)
    }

    @Test func whoAnsweredIsInTheirExportAndGoesWithThemWhileTheAnswersStay() throws {
        let database = try Self.fixture(people: 2)
        try office(database, at: Self.open).evaluation.answer(personalNumber: "1", cohort: "A", module: "M1", answers: Self.answers(4))
        let export = try office(database).privacy.export(person: "1", reader: testActor)
        #expect(export.questionnairesAnswered.map { "\($0.cohort)/\($0.module)" } == ["A/M1"])
        #expect(try office(database).privacy.export(person: "2", reader: testActor).questionnairesAnswered.isEmpty)
        _ = try office(database).privacy.erase(person: "1", actor: testActor)
        let (markers, answers) = try database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reaction_marker"),
             try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT answer_key) FROM reaction_answer"))
        }
        #expect(markers == 0 && answers == 1)
    }
    /// Who was asked (attended a session of the module while holding a place) is counted from the attendance rollup's
    /// sessions attended: the same as counting the ledger's current marks, after marks are rewritten (late with no
    /// minutes still attended), someone withdraws, and someone who answered is erased (their answer still counts).
    @Test func whoWasAskedCountedFromTheRollupEqualsTheLedger() throws {
        let database = try Self.fixture(people: 7)
        let desk = office(database, at: at("2026-04-30 18:00"))
        let sessions = try database.writer.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM session ORDER BY id") }
        try desk.attendance.record(session: SessionID(rawValue: sessions[0]), entries: [
            AttendanceEntry(personalNumber: "2", status: .late, minutes: 0), AttendanceEntry(personalNumber: "3", status: .absent),
            AttendanceEntry(personalNumber: "4", status: .excused),
        ], actor: testActor)
        _ = try office(database).enrolment.withdraw(cohort: "A", person: "5", reason: nil, actor: testActor)
        try office(database, at: Self.open).evaluation.answer(personalNumber: "1", cohort: "A", module: "M1", answers: Self.answers(4))
        _ = try office(database).privacy.erase(person: "1", actor: testActor)
        let rounds = try database.read { tx in
            try tx.reactionRounds(programID: nil, from: LocalDate(iso: "2026-01-01")!, to: LocalDate(iso: "2026-12-31")!, now: Self.afterDeadline)
        }
        #expect(rounds.map(\.moduleID) == ["M1", "M2"])
        for round in rounds {
            let ledger = try database.writer.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(DISTINCT a.person_id) FROM attendance a JOIN session s ON s.id = a.session_id
                    JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id AND e.status IN ('approved', 'completed')
                    WHERE s.cohort_id = ? AND s.module_id = ? AND a.current AND a.status IN ('present', 'late') AND s.status = 'scheduled'
                    """, arguments: [round.cohort.id.rawValue, round.moduleID])
            }
            #expect(round.asked == ledger, "\(round.moduleID)")
        }
        #expect(rounds.map(\.asked) == [4, 6] && rounds.map(\.answered) == [0, 0] && rounds.map(\.hasAnswers) == [true, false])
        let scope = ReportScope(department: nil, from: LocalDate(iso: "2026-01-01")!, to: LocalDate(iso: "2026-12-31")!, programID: nil)
        let figures = try office(database, at: Self.afterDeadline).evaluation.figures(scope, reaction: true)
        #expect(figures.modules.first { $0.moduleID == "M1" }?.summary.answers == 1)
    }
}
