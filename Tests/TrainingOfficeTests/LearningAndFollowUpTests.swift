import Foundation
import GRDB
import Localization
import Reports
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// Learning gain (a pre-test against the module's test, never counted toward completion) and follow-ups on use at
/// work (due some months after a completion, answered by the trainee and by their department's head, personal data).
@Suite struct LearningAndFollowUpTests {
    /// The sample program's version 2: a pre-test before each module.
    static func storePretestVersion(_ database: AppDatabase) throws {
        func module(_ id: String, _ order: Int, weight: Double) -> Module {
            Module(id: id, order: order, hours: 4, title: LocalizedText([.bosnian: "Modul \(order)"]), assessments: [
                AssessmentDefinition(id: "\(id)-P", moduleID: id, kind: .test, maxScore: 50, passScore: 30, weight: 0, attempts: 1,
                                     required: false, pretest: true),
                AssessmentDefinition(id: "\(id)-T", moduleID: id, kind: .test, maxScore: 100, passScore: 60, weight: weight,
                                     attempts: 2, required: true),
            ])
        }
        let program = Program(id: "probni", version: 2, year: 2026, serialCode: "PRB", validYears: 5,
                              title: LocalizedText([.bosnian: "Probni program"]), provider: DepartmentCode("EIMS"), goal: nil,
                              completion: CompletionRule(attendancePercent: 80, excused: .absent, finalPass: 60),
                              modules: [module("M1", 1, weight: 0.5), module("M2", 2, weight: 0.5)])
        _ = try office(database).curriculum.load([ProgramFile(program: program, source: "<program/>", file: "probni-2.xml")],
                                                 actor: testActor)
    }

    /// Cohort P on the pre-test version: people 1…n present at both modules' sessions (10 and 11 March).
    static func pretestCohort(people: Int) throws -> AppDatabase {
        let database = try makeCohortFixture(people: people, capacity: people)
        try storePretestVersion(database)
        _ = try office(database).cohorts.create(code: "P", name: "Grupa P", program: "probni", version: 2,
                                                starts: LocalDate(iso: "2026-03-01")!, ends: LocalDate(iso: "2026-06-30")!,
                                                capacity: people, actor: testActor)
        let numbers = (1...people).map(String.init)
        _ = try office(database).enrolment.enrol(cohort: "P", people: numbers, actor: testActor)
        for (index, day) in ["2026-03-10", "2026-03-11"].enumerated() {
            let (session, _) = try office(database).scheduling.schedule(
                cohort: "P", module: index == 0 ? "M1" : "M2", starts: at("\(day) 09:00"), ends: at("\(day) 13:00"),
                venue: nil, trainer: nil, force: false, actor: testActor)
            try office(database, at: at("2026-04-30 18:00")).attendance.record(
                session: session.id, entries: numbers.map { AttendanceEntry(personalNumber: $0, status: .present) }, actor: testActor)
        }
        return database
    }

    static func score(_ database: AppDatabase, _ person: String, _ assessment: String, _ score: Double) throws {
        try office(database, at: at("2026-04-30 18:00")).scores.record(cohort: "P", person: person, assessment: assessment, score: score,
                                                                        actor: testActor)
    }

    @Test func aPretestIsShownButNeverCountsTowardCompletionNorInTheReportsFigures() throws {
        let database = try Self.pretestCohort(people: 2)
        // Person 1 fails both pre-tests badly and passes both tests; person 2 only sat the pre-tests.
        for (assessment, value) in [("M1-P", 5.0), ("M2-P", 10), ("M1-T", 80), ("M2-T", 70)] { try Self.score(database, "1", assessment, value) }
        for assessment in ["M1-P", "M2-P"] { try Self.score(database, "2", assessment, 50) }
        let rows = try office(database, at: at("2026-07-01 08:00")).progress.cohort("P")
        let first = try #require(rows.first { $0.person.personalNumber == "1" })
        #expect(first.progress.isComplete)
        #expect(abs(first.progress.finalScore - 75) < 1e-9)
        // The pre-test's score is there to show, with its failing mark, and decides nothing.
        #expect(first.progress.assessments.first { $0.definition.id == "M1-P" }?.best == 5)
        let second = try #require(rows.first { $0.person.personalNumber == "2" })
        #expect(!second.progress.isComplete)
        // The report's figures count the tests only, in Swift and in the rollup alike.
        let scope = ReportScope(department: nil, from: LocalDate(iso: "2026-01-01")!, to: LocalDate(iso: "2026-12-31")!, programID: nil)
        let reading = try database.reportReading(scope, now: at("2026-07-01 08:00"))
        let module = try #require(reading.figures.modules.first { $0.moduleID == "M1" })
        #expect(module.attempted == 1 && module.passed == 1)
        let rollup = try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT SUM(attempted) FROM district_rollup WHERE cohort_id = (SELECT id FROM cohort WHERE code = 'P') AND module_id = 'M1'")
        }
        #expect(rollup == 1)
    }

    @Test func theGainIsTheMeanTestScoreLessTheMeanPretestScoreOfTheSameTraineesInPercent() throws {
        let database = try Self.pretestCohort(people: 3)
        // Pre-tests are marked out of 50, tests out of 100: 20/50 = 40 % → 80 %, 25/50 = 50 % → 70 %.
        try Self.score(database, "1", "M1-P", 20)
        try Self.score(database, "1", "M1-T", 80)
        try Self.score(database, "2", "M1-P", 25)
        try Self.score(database, "2", "M1-T", 70)
        // Person 3 took only the test: not a pair.
        try Self.score(database, "3", "M1-T", 100)
        let gains = try office(database).evaluation.learningGain(cohort: "P")
        #expect(gains.map(\.moduleID) == ["M1", "M2"])
        #expect(gains[0].pairs == 2 && gains[0].pretestID == "M1-P" && gains[0].testID == "M1-T")
        #expect(abs(gains[0].meanBefore! - 45) < 1e-9 && abs(gains[0].meanAfter! - 75) < 1e-9 && abs(gains[0].meanGain! - 30) < 1e-9)
        #expect(gains[1].pairs == 0 && gains[1].meanGain == nil)
        // The same through a report's scope; a department with none of them has no pairs.
        let scope = ReportScope(department: nil, from: LocalDate(iso: "2026-01-01")!, to: LocalDate(iso: "2026-12-31")!, programID: "probni")
        #expect(try office(database).evaluation.figures(scope, reaction: false).gains.first?.pairs == 2)
        var other = scope
        other.department = DepartmentCode("ZOU")
        #expect(try office(database).evaluation.figures(other, reaction: false).gains.allSatisfy { $0.pairs == 0 })
        // A program without pre-tests has no gain to show.
        #expect(try office(database).evaluation.learningGain(cohort: "A").isEmpty)
    }

    // MARK: Follow-ups

    static let followUpDue = at("2026-09-28 09:00")

    /// Cohort A (ends 30 June) with `people` trainees, every one completed, and the District's follow-up questionnaires.
    static func followUpFixture(people: Int) throws -> AppDatabase {
        let database = try makeCompletedCohort(people: people, passing: (1...people).map(String.init))
        try office(database, at: at("2026-07-01 08:00")).clockTick.run()
        let files = ["upitnik-primjena-polaznik.xml", "upitnik-primjena-rukovodilac.xml"].map {
            repositoryRoot.appendingPathComponent("Curriculum/\($0)")
        }
        let reading = try office(database).curriculum.read(files, language: .bosnian)
        #expect(reading.problems.isEmpty && reading.questionnaires.count == 2)
        _ = try office(database).curriculum.load([], questionnaires: reading.questionnaires, actor: testActor)
        return database
    }

    static let traineeAnswers: [String: ReactionValue] = ["F1": .scale(4), "F2": .scale(3), "F3": .choice("sedmicno")]
    static let headAnswers: [String: ReactionValue] = ["R1": .scale(5), "R2": .scale(4), "R3": .choice("da"),
                                                        "R4": .text("Primjenjuje nova pravila na šalteru.")]

    @Test func followUpsComeDueOnTheTickNinetyDaysAfterTheCohortEndsOncePerTraineeAndHead() throws {
        let database = try Self.followUpFixture(people: 3)
        // The day before, the tick has only the day's reminders to do, and then nothing.
        let before = office(database, at: at("2026-09-27 23:00")).clockTick
        #expect(try before.run().followUps == 0)
        #expect(try before.isDue() == false)
        #expect(try office(database, at: at("2026-09-27 23:00")).followUps.pending(personalNumber: "1").isEmpty)
        let tick = office(database, at: Self.followUpDue).clockTick
        #expect(try tick.isDue())
        #expect(try tick.run().followUps == 6)
        // Once: the next tick finds nothing due and writes nothing.
        #expect(try tick.isDue() == false)
        #expect(try tick.run().followUps == 0)
        let pending = try office(database, at: Self.followUpDue).followUps.pending(personalNumber: "1")
        #expect(pending.count == 1 && pending[0].followUp.respondent == .trainee && pending[0].questionnaire.id == "primjena-polaznik")
        #expect(pending[0].followUp.due == LocalDate(iso: "2026-09-28") && pending[0].followUp.closes == LocalDate(iso: "2026-10-28"))
        let head = try office(database, at: Self.followUpDue).followUps.headPending(department: DepartmentCode("EIMS"))
        #expect(head.map(\.followUp.person.personalNumber) == ["1", "2", "3"] && head.allSatisfy { $0.questionnaire.id == "primjena-rukovodilac" })
        #expect(try office(database, at: Self.followUpDue).followUps.headPending(department: DepartmentCode("ZOU")).isEmpty)
        // A completion whose window has passed is never asked about: a new database ticking late creates none.
        let late = try Self.followUpFixture(people: 2)
        #expect(try office(late, at: at("2026-11-01 09:00")).clockTick.run().followUps == 0)
        #expect(try office(late, at: at("2026-11-01 09:00")).clockTick.isDue() == false)
    }

    @Test func aFollowUpIsAnsweredOnceByItsOwnRespondentAuditedAndClosesAfterItsWindow() throws {
        let database = try Self.followUpFixture(people: 2)
        let desk = office(database, at: Self.followUpDue)
        try desk.clockTick.run()
        let mine = try #require(desk.followUps.pending(personalNumber: "1").first)
        let headsFollowUp = try #require(desk.followUps.headPending(department: DepartmentCode("EIMS")).first)
        // Another person's follow-up, or another department's head, is simply not found.
        #expect(throws: FollowUpError.unknown(id: mine.followUp.id)) {
            try desk.followUps.answer(id: mine.followUp.id, as: .trainee(personalNumber: "2"), answers: Self.traineeAnswers, actor: testActor)
        }
        #expect(throws: FollowUpError.unknown(id: headsFollowUp.followUp.id)) {
            try desk.followUps.answer(id: headsFollowUp.followUp.id, as: .head(department: DepartmentCode("ZOU")),
                                      answers: Self.headAnswers, actor: testActor)
        }
        #expect(throws: FollowUpError.unknown(id: headsFollowUp.followUp.id)) {
            try desk.followUps.answer(id: headsFollowUp.followUp.id, as: .trainee(personalNumber: "1"), answers: Self.headAnswers,
                                      actor: testActor)
        }
        // A scale out of range is refused with the item named, nothing written.
        #expect(throws: ReactionError.invalid(item: "F1")) {
            var answers = Self.traineeAnswers
            answers["F1"] = .scale(6)
            try desk.followUps.answer(id: mine.followUp.id, as: .trainee(personalNumber: "1"), answers: answers, actor: testActor)
        }
        let events = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_event WHERE action = 'follow_up.answer'") }
        #expect(events == 0)
        try desk.followUps.answer(id: mine.followUp.id, as: .trainee(personalNumber: "1"), answers: Self.traineeAnswers,
                                  actor: Actor("account:polaznik")!)
        try desk.followUps.answer(id: headsFollowUp.followUp.id, as: .head(department: DepartmentCode("EIMS")), answers: Self.headAnswers,
                                  actor: Actor("account:rukovodilac")!)
        #expect(throws: FollowUpError.alreadyAnswered(id: mine.followUp.id)) {
            try desk.followUps.answer(id: mine.followUp.id, as: .trainee(personalNumber: "1"), answers: Self.traineeAnswers, actor: testActor)
        }
        #expect(try desk.followUps.pending(personalNumber: "1").isEmpty)
        #expect(try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_event WHERE action = 'follow_up.answer'")
        } == 2)
        // After its window the other trainee's follow-up is no longer open.
        let closed = office(database, at: at("2026-10-29 09:00"))
        #expect(try closed.followUps.pending(personalNumber: "2").isEmpty)
        let theirs = try #require(try database.read { tx in try tx.followUps(person: try tx.person(personalNumber: "2")!.id) }.first)
        #expect(throws: FollowUpError.notOpen(id: theirs.id)) {
            try closed.followUps.answer(id: theirs.id, as: .trainee(personalNumber: "2"), answers: Self.traineeAnswers, actor: testActor)
        }
    }

    @Test func theHeadsAnswerIsPersonalDataInTheExportAndErasedWithThePerson() throws {
        let database = try Self.followUpFixture(people: 2)
        let desk = office(database, at: Self.followUpDue)
        try desk.clockTick.run()
        let about = try #require(desk.followUps.headPending(department: DepartmentCode("EIMS")).first { $0.followUp.person.personalNumber == "1" })
        try desk.followUps.answer(id: about.followUp.id, as: .head(department: DepartmentCode("EIMS")), answers: Self.headAnswers,
                                  actor: Actor("account:rukovodilac")!)
        let export = try desk.privacy.export(person: "1", reader: testActor)
        let heads = try #require(export.followUps.first { $0.respondent == "head" })
        #expect(heads.answers?["R4"] == .text("Primjenjuje nova pravila na šalteru.") && heads.answeredBy == "account:rukovodilac")
        #expect(export.followUps.contains { $0.respondent == "trainee" && $0.answers == nil })
        _ = try desk.privacy.erase(person: "1", actor: testActor)
        #expect(try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM follow_up WHERE person_id = (SELECT id FROM person WHERE given_name = '—')")
        } == 0)
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM follow_up") } == 2)
    }

    @Test func aDepartmentsFollowUpResultsShowFromFiveAnswersUp() throws {
        let database = try Self.followUpFixture(people: 5)
        let desk = office(database, at: Self.followUpDue)
        try desk.clockTick.run()
        let year = (LocalDate(iso: "2026-01-01")!, LocalDate(iso: "2026-12-31")!)
        for (index, followUp) in try desk.followUps.headPending(department: DepartmentCode("EIMS")).enumerated() {
            try desk.followUps.answer(id: followUp.followUp.id, as: .head(department: DepartmentCode("EIMS")), answers: Self.headAnswers,
                                      actor: testActor)
            let results = try desk.followUps.results(department: DepartmentCode("EIMS"), programID: nil, from: year.0, to: year.1)
            let head = try #require(results.first { $0.respondent == .head })
            #expect(head.asked == 5 && head.summary.answers == index + 1)
            // Four answers show nothing; the fifth shows the figures.
            #expect((head.summary.items != nil) == (index == 4))
        }
        let results = try desk.followUps.results(department: DepartmentCode("EIMS"), programID: nil, from: year.0, to: year.1)
        let head = try #require(results.first { $0.respondent == .head })
        #expect(head.summary.items?.first { $0.itemID == "R1" }?.mean == 5 && head.responseRate == 100)
        #expect(results.first { $0.respondent == .trainee }?.summary.items == nil)
        // Another department has none.
        #expect(try desk.followUps.results(department: DepartmentCode("ZOU"), programID: nil, from: year.0, to: year.1)
            .allSatisfy { $0.asked == 0 })
    }

    // MARK: The realisation report

    @Test func aPlanLineCarriesItsCohortsRatingsFromFiveAnswersAfterTheDeadlineAndTheirGain() throws {
        let database = try Self.pretestCohort(people: 6)
        let reading = try office(database).curriculum.read([repositoryRoot.appendingPathComponent("Curriculum/upitnik-reakcija-modul.xml")],
                                                           language: .bosnian)
        _ = try office(database).curriculum.load([], questionnaires: reading.questionnaires, actor: testActor)
        let plan = office(database).plan
        _ = try plan.addItem(year: 2026, .init(programID: "probni", quarter: 1, cohorts: 1, places: [DepartmentCode("EIMS"): 6],
                                               participantHours: 48, costKM: 500, funding: .budget), actor: testActor)
        let approved = try plan.approve(year: 2026, decisionNumber: "01-1/26", decisionDate: LocalDate(iso: "2026-01-15")!, actor: testActor)
        try plan.link(cohort: "P", item: approved.items[0].id, actor: testActor)
        // Module 1: four answers (never shown); module 2: five, rating 4 and 5 on every scale item.
        let evaluation = office(database, at: at("2026-03-12 10:00")).evaluation
        for number in 1...5 {
            var answers = ReactionTests.answers(number % 2 == 0 ? 4 : 5)
            answers["Q6"] = .choice("dobro")
            if number < 5 { try evaluation.answer(personalNumber: String(number), cohort: "P", module: "M1", answers: answers) }
            try evaluation.answer(personalNumber: String(number), cohort: "P", module: "M2", answers: answers)
        }
        try Self.score(database, "1", "M1-P", 20)
        try Self.score(database, "1", "M1-T", 80)
        // Before the deadlines (14 days after each module) nothing shows.
        let early = try office(database, at: at("2026-03-20 10:00")).plan.realisation(year: 2026).lines[0]
        #expect(early.ratings.answers == 0 && early.ratings.mean == nil)
        let line = try office(database, at: at("2026-04-01 10:00")).plan.realisation(year: 2026).lines[0]
        #expect(line.ratings.answers == 5)
        // Three trainees gave 5 and two gave 4 on each of five scale items: 23 / 5.
        #expect(line.ratings.points == [0, 0, 0, 10, 15] && abs(line.ratings.mean! - 4.6) < 1e-9)
        #expect(line.gainPairs == 1 && abs(line.gain! - 40) < 1e-9)
        // The report's table says so.
        let document = ReportBuilder(localizer: Localizer(.english)).realisation(
            try office(database, at: at("2026-04-01 10:00")).plan.realisation(year: 2026))
        let table = try #require(document.tables.first { $0.title == "Evaluation by plan line" })
        #expect(table.rows == [["probni", "Q1", "5", "4.6", "1", "40 pp"]])
    }
}
