import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

@Suite struct SchedulingStoreTests {
    func fixture() throws -> AppDatabase {
        let database = try makeCohortFixture(people: 3, capacity: 3)
        _ = try office(database).enrolment.enrol(cohort: "A", people: ["1", "2", "3"], actor: testActor)
        try office(database).scheduling.addVenue(name: "Sala 1", capacity: 20, actor: testActor)
        try office(database).scheduling.addVenue(name: "Sala 2", capacity: 20, actor: testActor)
        try office(database).scheduling.addVenue(name: "Kabinet", capacity: 2, actor: testActor)
        return database
    }

    @Test func districtHolidaysAndCarriedOverMondaysAreRefused() throws {
        let database = try fixture()
        for (day, carryOver) in [("2027-03-08", false), ("2026-03-09", true)] {
            #expect(throws: ScheduleError.conflicts([.districtHoliday(date: LocalDate(iso: day)!, nameKey: "holiday.district_day",
                                                                      carryOver: carryOver)])) {
                try office(database).scheduling.schedule(cohort: "A", module: "M1", starts: at("\(day) 09:00"), ends: at("\(day) 13:00"), venue: "Sala 1", trainer: nil, force: false, actor: testActor)
            }
        }
        #expect(try office(database).scheduling.sessions(cohort: "A").isEmpty)
    }

    @Test func aDoubleBookedPersonIsRefusedAndAForcedOverrideIsAudited() throws {
        let database = try fixture()
        _ = try office(database).cohorts.create(code: "B", name: "Grupa B", program: "probni", starts: LocalDate(iso: "2026-03-01")!, ends: LocalDate(iso: "2026-06-30")!, capacity: 5, actor: testActor)
        _ = try office(database).enrolment.enrol(cohort: "B", people: ["2"], actor: testActor)
        _ = try office(database).scheduling.schedule(cohort: "B", module: "M1", starts: at("2026-03-10 10:00"), ends: at("2026-03-10 12:00"), venue: "Sala 2", trainer: "Edin", force: false, actor: testActor)
        let plan = { (force: Bool) in
            try office(database).scheduling.schedule(cohort: "A", module: "M1", starts: at("2026-03-10 09:00"), ends: at("2026-03-10 13:00"), venue: "Sala 1", trainer: "Amra", force: force, actor: testActor)
        }
        #expect(throws: ScheduleError.conflicts([.participantsDoubleBooked(personalNumbers: ["2"], sessionID: SessionID(rawValue: 1), cohortCode: "B")])) {
            try plan(false)
        }
        let (forced, _) = try plan(true)
        let history = try office(database).scheduling.history(session: forced.id)
        #expect(history.first?.overridden == #"["double_booked:1:2"]"#)
        #expect(try office(database).administration.auditEvents(limit: 1).first?.action == "session.create.forced")
    }

    @Test func venueAndTrainerClashesAndASmallRoom() throws {
        let database = try fixture()
        _ = try office(database).scheduling.schedule(cohort: "A", module: "M1", starts: at("2026-03-10 09:00"), ends: at("2026-03-10 13:00"), venue: "Sala 1", trainer: "Amra", force: false, actor: testActor)
        do {
            _ = try office(database).scheduling.schedule(cohort: "A", module: "M2", starts: at("2026-03-10 12:00"), ends: at("2026-03-10 14:00"), venue: "Sala 1", trainer: "Amra", force: false, actor: testActor)
            Issue.record("a clash was accepted")
        } catch ScheduleError.conflicts(let conflicts) {
            // The venue, the trainer, and the cohort's own people, who would be in two sessions at once.
            #expect(conflicts.count == 3)
            #expect(conflicts.contains { if case .participantsDoubleBooked(_, _, "A") = $0 { true } else { false } })
        }
        #expect(throws: ScheduleError.conflicts([.venueTooSmall(venue: "Kabinet", capacity: 2, participants: 3)])) {
            try office(database).scheduling.schedule(cohort: "A", module: "M2", starts: at("2026-03-11 09:00"), ends: at("2026-03-11 10:00"), venue: "Kabinet", trainer: nil, force: false, actor: testActor)
        }
    }

    @Test func movingRaisesTheSequenceAndKeepsHistoryCancellingToo() throws {
        let database = try fixture()
        let (session, _) = try office(database).scheduling.schedule(cohort: "A", module: "M1", starts: at("2026-03-10 09:00"), ends: at("2026-03-10 13:00"), venue: "Sala 1", trainer: nil, force: false, actor: testActor)
        #expect(session.sequence == 0)
        let (moved, _) = try office(database).scheduling.move(session: session.id, starts: at("2026-03-11 09:00"), ends: at("2026-03-11 13:00"), venue: nil, trainer: nil, force: false, actor: testActor)
        #expect(moved.sequence == 1)
        #expect(moved.uid == session.uid)
        let cancelled = try office(database).scheduling.cancel(session: session.id, reason: "predavač bolestan", actor: testActor)
        #expect(cancelled.sequence == 2 && cancelled.cancelled)
        let history = try office(database).scheduling.history(session: session.id)
        #expect(history.map(\.kind) == ["created", "moved", "cancelled"])
        #expect(history.map(\.starts.iso) == ["2026-03-10 09:00", "2026-03-11 09:00", "2026-03-11 09:00"])
        // The cancelled session no longer blocks its room.
        _ = try office(database).scheduling.schedule(cohort: "A", module: "M1", starts: at("2026-03-11 09:00"), ends: at("2026-03-11 13:00"), venue: "Sala 1", trainer: nil, force: false, actor: testActor)
    }

    @Test func religiousHolidaysWarnButSchedule() throws {
        let database = try fixture()
        try office(database).scheduling.addHoliday(.init(date: LocalDate(iso: "2026-03-20")!, name: "Ramazanski bajram", kind: .religious), actor: testActor)
        let (_, warnings) = try office(database).scheduling.schedule(cohort: "A", module: "M1", starts: at("2026-03-20 09:00"), ends: at("2026-03-20 13:00"), venue: nil, trainer: nil, force: false, actor: testActor)
        #expect(warnings == [.religiousHoliday(date: LocalDate(iso: "2026-03-20")!, name: "Ramazanski bajram")])
    }
}
