import Foundation
import TrainingCore

/// Today's date and time in the District (Europe/Sarajevo), or `OBUKA_NOW` (`YYYY-MM-DD HH:MM`) when set,
/// so tests and demos can fix the clock.
public enum Clock {
    public static func districtNow(environment: [String: String] = ProcessInfo.processInfo.environment) -> LocalDateTime {
        if let fixed = environment["OBUKA_NOW"].flatMap(LocalDateTime.init(iso:)) { return fixed }
        return district(Date())
    }

    /// An instant as the District's civil time.
    public static func district(_ instant: Date) -> LocalDateTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: ICalendar.timeZoneID) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return LocalDateTime(date: LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!,
                             hour: parts.hour!, minute: parts.minute!)!
    }

    /// The District clock as a function for a long-running server: a fixed `OBUKA_NOW` is parsed once.
    public static func provider(environment: [String: String]) -> @Sendable () -> LocalDateTime {
        if let fixed = environment["OBUKA_NOW"].flatMap(LocalDateTime.init(iso:)) { return { fixed } }
        return { districtNow(environment: [:]) }
    }
}

/// The clocks every use case reads, injected so tests move them: `now` is the District's civil time (what sessions,
/// progress and completion are decided by), `date` the instant audit entries and sign-in sessions are stamped with.
public struct OfficeClock: Sendable {
    /// The District's time now.
    public let now: @Sendable () -> LocalDateTime
    /// The wall clock now.
    public let date: @Sendable () -> Date

    /// A clock of two functions.
    public init(now: @escaping @Sendable () -> LocalDateTime, date: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
        self.date = date
    }

    /// The District's clock, or `OBUKA_NOW` when the environment sets it.
    public static func district(environment: [String: String]) -> OfficeClock {
        OfficeClock(now: Clock.provider(environment: environment))
    }

    /// The District's date today.
    public var today: LocalDate { now().date }
}
