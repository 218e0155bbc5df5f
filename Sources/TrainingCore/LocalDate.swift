/// A calendar date without a time zone (the District's civil date), e.g. 2026-11-25.
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Year, e.g. 2026.
    public let year: Int
    /// Month, 1…12.
    public let month: Int
    /// Day of the month, 1…31.
    public let day: Int

    /// A date, if the values name a real calendar day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year),
              (1...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses ISO 8601 `YYYY-MM-DD`.
    public init?(iso: String) {
        // Byte by byte: stores read thousands of dates a page, and splitting by characters was most of their cost.
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Parses a date as people in the District type it: `15. 3. 2027.`, `15.03.2027`, `15.3.2027.` (day, month, a
    /// four-digit year; spaces after the dots and a final dot optional).
    public init?(districtText text: String) {
        var trimmed = Substring(text.trimmingWhitespace)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ part in part.allSatisfy { $0.isASCII && $0.isNumber } }),
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// A date typed by a person: ISO 8601 or the District's way (`15. 3. 2027.`).
    public init?(typed text: String) {
        guard let date = LocalDate(iso: text.trimmingWhitespace) ?? LocalDate(districtText: text) else { return nil }
        self = date
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's civil-calendar algorithm.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    /// The date `days` later (earlier if negative).
    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// ISO weekday: 1 = Monday … 7 = Sunday (the week starts on Monday in BiH).
    public var weekday: Int {
        let value = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday (index 3 from Monday).
        return (value < 0 ? value + 7 : value) + 1
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    /// `YYYY-MM-DD`.
    public var iso: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    public var description: String { iso }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Zero-padded decimal.
    public static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// A wall-clock time in the District (Europe/Sarajevo), to the minute, e.g. 2026-11-25 09:00.
public struct LocalDateTime: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The calendar day.
    public let date: LocalDate
    /// Minutes after midnight, 0…1439.
    public let minuteOfDay: Int

    /// A date and time of day.
    public init?(date: LocalDate, hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.date = date
        self.minuteOfDay = hour * 60 + minute
    }

    /// Parses `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM`.
    public init?(iso: String) {
        guard iso.count == 16 else { return nil }
        let separatorIndex = iso.index(iso.startIndex, offsetBy: 10)
        guard iso[separatorIndex] == " " || iso[separatorIndex] == "T",
              let date = LocalDate(iso: String(iso[..<separatorIndex])) else { return nil }
        let time = iso[iso.index(after: separatorIndex)...].split(separator: ":")
        guard time.count == 2, time[0].count == 2, time[1].count == 2,
              let hour = Int(time[0]), let minute = Int(time[1]) else { return nil }
        self.init(date: date, hour: hour, minute: minute)
    }

    /// Hour of day.
    public var hour: Int { minuteOfDay / 60 }
    /// Minute of the hour.
    public var minute: Int { minuteOfDay % 60 }

    /// Minutes since 1970-01-01 00:00 on the same wall clock (for differences within the District).
    public var minutesSinceEpoch: Int { date.daysSinceEpoch * 1440 + minuteOfDay }

    /// The wall-clock time `minutes` later.
    public func adding(minutes: Int) -> LocalDateTime {
        let total = minutesSinceEpoch + minutes
        let days = total >= 0 ? total / 1440 : (total - 1439) / 1440
        return LocalDateTime(date: LocalDate(daysSinceEpoch: days), hour: (total - days * 1440) / 60, minute: (total - days * 1440) % 60)!
    }

    /// `YYYY-MM-DD HH:MM`.
    public var iso: String { "\(date.iso) \(timeOfDay)" }

    /// `HH:MM`.
    public var timeOfDay: String { "\(LocalDate.pad(hour, 2)):\(LocalDate.pad(minute, 2))" }

    public var description: String { iso }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.minuteOfDay) < (rhs.date, rhs.minuteOfDay)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDateTime(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date-time: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
