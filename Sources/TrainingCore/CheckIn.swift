/// When a trainee's own QR check-in counts, and as what (issue "QR self check-in").
public enum CheckInRule {
    /// Check-in opens this many minutes before the start.
    public static let opensBefore = 30
    /// Arriving more than this many minutes after the start is late.
    public static let lateAfter = 10

    public enum Outcome: Equatable, Sendable {
        /// Too early: check-in opens at this time.
        case notYetOpen(opens: LocalDateTime)
        /// Present (within the grace period): the whole session counts.
        case present(minutes: Int)
        /// Late; the minutes count from arrival.
        case late(minutes: Int)
        /// The session is over.
        case closed
    }

    public static func outcome(arrival: LocalDateTime, starts: LocalDateTime, ends: LocalDateTime) -> Outcome {
        let opens = starts.adding(minutes: -opensBefore)
        if arrival < opens { return .notYetOpen(opens: opens) }
        if arrival >= ends { return .closed }
        if arrival.minutesSinceEpoch - starts.minutesSinceEpoch > lateAfter {
            return .late(minutes: ends.minutesSinceEpoch - arrival.minutesSinceEpoch)
        }
        return .present(minutes: ends.minutesSinceEpoch - starts.minutesSinceEpoch)
    }
}
