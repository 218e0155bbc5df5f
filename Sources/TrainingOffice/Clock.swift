import Foundation
import TrainingCore

/// Today's date and time in the District (Europe/Sarajevo), or `OBUKA_NOW` (`YYYY-MM-DD HH:MM`) when set,
/// so tests and demos can fix the clock.
public enum Clock {
    public static func districtNow(environment: [String: String] = ProcessInfo.processInfo.environment) -> LocalDateTime {
        if let fixed = environment["OBUKA_NOW"].flatMap(LocalDateTime.init(iso:)) { return fixed }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: ICalendar.timeZoneID) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date())
        return LocalDateTime(date: LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!,
                             hour: parts.hour!, minute: parts.minute!)!
    }

    public static func districtToday() -> LocalDate { districtNow().date }

    /// The District clock as a function for a long-running server: a fixed `OBUKA_NOW` is parsed once.
    public static func provider(environment: [String: String]) -> @Sendable () -> LocalDateTime {
        if let fixed = environment["OBUKA_NOW"].flatMap(LocalDateTime.init(iso:)) { return { fixed } }
        return { districtNow(environment: [:]) }
    }
}
