import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

@Suite struct AttendanceStoreTests {
    let later = at("2026-04-30 18:00")

    /// Cohort A (3 people) with two 2-hour sessions per module, all held by `later`.
    func fixture() throws -> (AppDatabase, [SessionID]) {
        let database = try makeCohortFixture(people: 3, capacity: 3)
        _ = try office(database).enrolment.enrol(cohort: "A", people: ["1", "2", "3"], actor: testActor)
        var ids: [SessionID] = []
        for (index, day) in ["2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"].enumerated() {
            let (session, _) = try office(database).scheduling.schedule(cohort: "A", module: index < 2 ? "M1" : "M2", starts: at("\(day) 09:00"), ends: at("\(day) 11:00"), venue: nil, trainer: nil, force: false, actor: testActor)
            ids.append(session.id)
        }
        return (database, ids)
    }

    func allPresent(_ database: AppDatabase, _ sessions: [SessionID]) throws {
        for session in sessions {
            try office(database, at: later).attendance.record(session: session, entries: ["1", "2", "3"].map { AttendanceEntry(personalNumber: $0, status: .present) }, actor: testActor)
        }
    }

    @Test func completionMarksTheEnrolmentCompletedAndAuditsIt() throws {
        let (database, sessions) = try fixture()
        try allPresent(database, sessions)
        try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 80, actor: testActor)
        #expect(try office(database).enrolment.enrolments(cohort: "A").first { $0.person.personalNumber == "1" }?.status == .approved)
        try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M2-T", score: 70, actor: testActor)
        #expect(try office(database).enrolment.enrolments(cohort: "A").first { $0.person.personalNumber == "1" }?.status == .completed)
        #expect(try office(database).administration.auditEvents(limit: 1).first?.action == "enrolment.complete")
    }

    @Test func aCorrectionSupersedesButKeepsTheHistory() throws {
        let (database, sessions) = try fixture()
        try office(database, at: later).attendance.record(session: sessions[0], entries: [AttendanceEntry(personalNumber: "2", status: .absent)], actor: testActor)
        try office(database, at: later).attendance.record(session: sessions[0], entries: [AttendanceEntry(personalNumber: "2", status: .late, minutes: 90,
                                                                                      note: "ispravka")], actor: Actor("koordinator")!)
        let current = try office(database).attendance.records(session: sessions[0])
        #expect(current.count == 1 && current[0].status == .late && current[0].minutesPresent == 90)
        let history = try office(database).attendance.records(session: sessions[0], history: true)
        #expect(history.map(\.status) == [.absent, .late])
        #expect(history[1].supersedes == history[0].id)
        #expect(!history[0].current)
    }

    @Test func minutesMustFitTheSessionAndOnlyParticipantsCount() throws {
        let (database, sessions) = try fixture()
        #expect(throws: RecordingError.invalidMinutes(personalNumber: "1", status: .late, minutes: 150, sessionMinutes: 120)) {
            try office(database, at: later).attendance.record(session: sessions[0], entries: [AttendanceEntry(personalNumber: "1", status: .late, minutes: 150)], actor: testActor)
        }
        _ = try office(database).people.importDrafts([draft("9", "Neko", "Drugi")], file: "x", sha256: String(repeating: "9", count: 64), actor: testActor)
        #expect(throws: RecordingError.notAParticipant(personalNumber: "9", cohort: "A")) {
            try office(database, at: later).attendance.record(session: sessions[0], entries: [AttendanceEntry(personalNumber: "9", status: .present)], actor: testActor)
        }
        #expect(throws: RecordingError.sessionNotStarted(session: sessions[0].rawValue, starts: at("2026-03-10 09:00"))) {
            try office(database, at: at("2026-03-10 08:00")).attendance.record(session: sessions[0], entries: [AttendanceEntry(personalNumber: "1", status: .present)], actor: testActor)
        }
        #expect(try office(database).attendance.records(session: sessions[0]).isEmpty)
    }

    @Test func scoresOutsideTheRangeAndAttemptsBeyondTheLimitAreRefused() throws {
        let (database, _) = try fixture()
        #expect(throws: RecordingError.scoreOutOfRange(personalNumber: "1", assessmentID: "M1-T", score: 101, max: 100)) {
            try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 101, actor: testActor)
        }
        #expect(throws: RecordingError.scoreOutOfRange(personalNumber: "1", assessmentID: "M1-T", score: -1, max: 100)) {
            try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M1-T", score: -1, actor: testActor)
        }
        #expect(try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M2-T", score: 40, actor: testActor) == 1)
        #expect(throws: RecordingError.attemptNotAllowed(personalNumber: "1", assessmentID: "M2-T", attempt: 2, allowed: 1)) {
            try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M2-T", score: 90, actor: testActor)
        }
        // Correcting the one allowed attempt is a new record, not a new attempt.
        #expect(try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M2-T", score: 45, attempt: 1, actor: testActor) == 1)
        let progress = try office(database, at: later).progress.person("1")
        #expect(progress[0].progress.assessments[1].scores == [45])
    }

    @Test func aMovedSessionCountsWithItsNewLengthAndTime() throws {
        let (database, sessions) = try fixture()
        try allPresent(database, Array(sessions.prefix(3)))
        // The last M2 session moves to after `now` and becomes 3 hours long: it is still to come.
        _ = try office(database).scheduling.move(session: sessions[3], starts: at("2026-05-04 09:00"), ends: at("2026-05-04 12:00"), venue: nil, trainer: nil, force: false, actor: testActor)
        let module = try office(database, at: later).progress.person("1")[0].progress.modules[1]
        #expect(module.heldMinutes == 120 && module.remainingMinutes == 180)
        #expect(module.minutesNeeded == 120)
    }

    @Test func aPersonInTwoCohortsHasSeparateResults() throws {
        let (database, sessions) = try fixture()
        try allPresent(database, sessions)
        _ = try office(database).cohorts.create(code: "B", name: "Grupa B", program: "probni", starts: LocalDate(iso: "2026-09-01")!, ends: LocalDate(iso: "2026-10-01")!, capacity: 5, actor: testActor)
        _ = try office(database).enrolment.enrol(cohort: "B", people: ["1"], actor: testActor)
        try office(database, at: later).scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 90, actor: testActor)
        try office(database, at: later).scores.record(cohort: "B", person: "1", assessment: "M1-T", score: 30, actor: testActor)
        let progress = try office(database, at: later).progress.person("1")
        #expect(progress.map(\.cohort.code) == ["A", "B"])
        #expect(progress.map { $0.progress.assessments[0].scores } == [[90], [30]])
        #expect(progress[1].progress.modules.allSatisfy { $0.heldMinutes == 0 })
    }

    /// The department head's page reads a whole department at once; it must say what the per-person
    /// reads say, for everyone now in the department and no one else.
    @Test func departmentWideReadsEqualPerPersonReads() throws {
        let (database, sessions) = try fixture()
        try allPresent(database, Array(sessions.prefix(2)))
        _ = try office(database).cohorts.create(code: "B", name: "Grupa B", program: "probni", starts: LocalDate(iso: "2026-09-01")!, ends: LocalDate(iso: "2026-10-01")!, capacity: 1, actor: testActor)
        _ = try office(database).enrolment.enrol(cohort: "B", people: ["1"], actor: testActor)
        _ = try office(database).enrolment.request(cohort: "B", person: "2", actor: testActor)
        try office(database, at: later).scores.record(cohort: "A", person: "2", assessment: "M1-T", score: 75, actor: testActor)
        _ = try office(database).people.transfer("3", to: DepartmentCode("KG"), actor: testActor)

        let progress = try office(database, at: later).progress.department(DepartmentCode("EIMS"))
        let enrolments = try office(database).enrolment.enrolments(department: DepartmentCode("EIMS"))
        #expect(Set(progress.keys) == ["1", "2"] && Set(enrolments.keys) == ["1", "2"])
        for number in ["1", "2"] {
            let single = try office(database, at: later).progress.person(number)
            #expect(progress[number]?.map(\.cohort.code) == single.map(\.cohort.code))
            #expect(progress[number]?.map(\.progress) == single.map(\.progress))
            let own = try office(database).enrolment.enrolments(person: number)
            #expect(enrolments[number]?.map(\.cohort.code) == own.map(\.cohort.code))
            #expect(enrolments[number]?.map(\.status) == own.map(\.status))
        }
        #expect(progress["1"]?.map(\.cohort.code) == ["A", "B"])
        #expect(enrolments["2"]?.map(\.status) == [.approved, .requested])
        #expect(try office(database, at: later).progress.department(DepartmentCode("KG"))["3"]?.map(\.cohort.code) == ["A"])
    }
}
