import Testing
@testable import TrainingCore

@Suite struct CheckInRuleTests {
    let starts = LocalDateTime(iso: "2026-11-25 09:00")!
    let ends = LocalDateTime(iso: "2026-11-25 13:00")!

    func outcome(_ time: String) -> CheckInRule.Outcome {
        CheckInRule.outcome(arrival: LocalDateTime(iso: "2026-11-25 \(time)")!, starts: starts, ends: ends)
    }

    @Test func opensHalfAnHourBeforeTheStart() {
        #expect(outcome("08:29") == .notYetOpen(opens: LocalDateTime(iso: "2026-11-25 08:30")!))
        #expect(outcome("08:30") == .present(minutes: 240))
    }

    @Test func upToTenMinutesAfterTheStartIsPresentForTheWholeSessionThenLateWithMinutesFromArrival() {
        #expect(outcome("09:10") == .present(minutes: 240))
        #expect(outcome("09:11") == .late(minutes: 229))
        #expect(outcome("12:59") == .late(minutes: 1))
    }

    @Test func closedFromTheEnd() {
        #expect(outcome("13:00") == .closed)
        #expect(outcome("17:00") == .closed)
    }
}
