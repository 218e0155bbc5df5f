import Testing
import TrainingCore

@Suite struct ConflictCheckTests {
    let cohort = CohortID(rawValue: 1)

    func plan(_ day: String, _ from: String, _ to: String, venue: String? = "Sala 1", trainer: String? = "Amra") -> SessionPlan {
        SessionPlan(cohort: cohort, moduleID: "M1", starts: LocalDateTime(iso: "\(day) \(from)")!,
                    ends: LocalDateTime(iso: "\(day) \(to)")!, venue: venue, trainer: trainer)
    }

    func other(_ from: String, _ to: String, venue: String?, trainer: String?, shared: [String] = []) -> ScheduleContext.OtherSession {
        .init(id: SessionID(rawValue: 7), cohortCode: "B", starts: LocalDateTime(iso: "2026-03-10 \(from)")!,
              ends: LocalDateTime(iso: "2026-03-10 \(to)")!, venue: venue, trainer: trainer, sharedParticipants: shared)
    }

    func context(_ others: [ScheduleContext.OtherSession] = [], holidays: [ScheduleContext.HolidayEntry] = [],
                 venueCapacity: Int? = 30, participants: Int = 10) -> ScheduleContext {
        ScheduleContext(overlapping: others, holidays: holidays, venueCapacity: venueCapacity, participantCount: participants)
    }

    @Test func aFreeTuesdayHasNoConflicts() {
        #expect(ConflictCheck.conflicts(of: plan("2026-03-10", "09:00", "13:00"), in: context()).isEmpty)
    }

    @Test func venueAndTrainerClashesAreFound() {
        let found = ConflictCheck.conflicts(
            of: plan("2026-03-10", "09:00", "13:00"),
            in: context([other("12:00", "14:00", venue: "Sala 1", trainer: "Amra")]))
        #expect(found.count == 2)
        #expect(found.allSatisfy { !$0.isWarning })
    }

    @Test func backToBackSessionsDoNotClash() {
        let found = ConflictCheck.conflicts(
            of: plan("2026-03-10", "09:00", "12:00"), in: context([other("12:00", "14:00", venue: "Sala 1", trainer: "Amra")]))
        #expect(found.isEmpty)
    }

    @Test func doubleBookedParticipantsAreNamed() {
        let found = ConflictCheck.conflicts(
            of: plan("2026-03-10", "09:00", "13:00", venue: "Sala 2", trainer: "Edin"),
            in: context([other("10:00", "11:00", venue: "Sala 1", trainer: "Amra", shared: ["1040", "1002"])]))
        #expect(found == [.participantsDoubleBooked(personalNumbers: ["1002", "1040"], sessionID: SessionID(rawValue: 7), cohortCode: "B")])
    }

    @Test func holidaysWeekendsAndSmallRooms() {
        #expect(ConflictCheck.conflicts(of: plan("2026-03-08", "09:00", "10:00"), in: context()).contains {
            if case .districtHoliday(_, _, false) = $0 { return true } else { return false }
        })
        #expect(ConflictCheck.conflicts(of: plan("2026-03-09", "09:00", "10:00"), in: context()) == [
            .districtHoliday(date: LocalDate(iso: "2026-03-09")!, nameKey: "holiday.district_day", carryOver: true),
        ])
        #expect(ConflictCheck.conflicts(of: plan("2026-03-14", "09:00", "10:00"), in: context()) == [.weekend(date: LocalDate(iso: "2026-03-14")!)])
        #expect(ConflictCheck.conflicts(of: plan("2026-03-10", "09:00", "10:00"), in: context(venueCapacity: 8, participants: 10)) == [
            .venueTooSmall(venue: "Sala 1", capacity: 8, participants: 10),
        ])
    }

    @Test func religiousHolidaysOnlyWarnButOneOffDaysRefuse() {
        let day = LocalDate(iso: "2026-03-20")!
        let warnings = ConflictCheck.conflicts(
            of: plan("2026-03-20", "09:00", "10:00"),
            in: context(holidays: [.init(date: day, name: "Ramazanski bajram", kind: .religious)]))
        #expect(warnings.count == 1 && warnings[0].isWarning)
        let refusals = ConflictCheck.conflicts(
            of: plan("2026-03-20", "09:00", "10:00"),
            in: context(holidays: [.init(date: day, name: "Odluka Vlade", kind: .oneOff)]))
        #expect(refusals == [.oneOffHoliday(date: day, name: "Odluka Vlade")])
    }

    @Test func aSessionMustEndAfterItStarts() {
        #expect(ConflictCheck.conflicts(of: plan("2026-03-10", "13:00", "09:00"), in: context()) == [.invalidTimes])
    }
}

@Suite struct EnrolmentPolicyTests {
    @Test func placesThenWaitlist() {
        #expect(EnrolmentPolicy.admission(occupiedPlaces: 1, capacity: 2) == .approved)
        #expect(EnrolmentPolicy.admission(occupiedPlaces: 2, capacity: 2) == .waitlisted)
    }

    @Test func waitlistIsFirstComeFirstServed() {
        let waitlist = [(position: 9, id: "late"), (position: 4, id: "early"), (position: 6, id: "middle")]
        #expect(EnrolmentPolicy.promotions(waitlist: waitlist, freePlaces: 2) == ["early", "middle"])
        #expect(EnrolmentPolicy.promotions(waitlist: waitlist, freePlaces: 0).isEmpty)
    }

    @Test func completedCannotBeWithdrawnAndDeclinedCanAskAgain() {
        #expect(!EnrolmentPolicy.canChange(from: .completed, to: .withdrawn))
        #expect(EnrolmentPolicy.canChange(from: .declined, to: .requested))
    }
}

@Suite struct ICalendarTests {
    let event = CalendarEvent(
        uid: "abc@obuka", sequence: 2, starts: LocalDateTime(iso: "2026-03-10 09:00")!, ends: LocalDateTime(iso: "2026-03-10 13:00")!,
        summary: "Usluge dijaspori; modul 3, grupa A", location: "Sala 1", description: "Predavač: Đorđe", cancelled: true)

    @Test func eventsCarryUIDSequenceStatusAndTimeZone() {
        let text = ICalendar.render([event], calendarName: "DIJ-2022-A", stamp: "20261125T120000Z")
        #expect(text.contains("UID:abc@obuka\r\n"))
        #expect(text.contains("SEQUENCE:2\r\n"))
        #expect(text.contains("STATUS:CANCELLED\r\n"))
        #expect(text.contains("DTSTART;TZID=Europe/Sarajevo:20260310T090000\r\n"))
        #expect(text.contains("SUMMARY:Usluge dijaspori\\; modul 3\\, grupa A\r\n"))
        #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Sarajevo"))
    }

    @Test func longLinesFoldWithoutSplittingCharacters() {
        let long = CalendarEvent(uid: "x", sequence: 0, starts: event.starts, ends: event.ends,
                                 summary: String(repeating: "čćž", count: 40), location: nil, description: nil, cancelled: false)
        let text = ICalendar.render([long], calendarName: "x", stamp: "20261125T120000Z")
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        #expect(text.replacingOccurrences(of: "\r\n ", with: "").contains("SUMMARY:" + String(repeating: "čćž", count: 40)))
    }
}

import Foundation
