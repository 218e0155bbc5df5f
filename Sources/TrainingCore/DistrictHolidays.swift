/// Public holidays of Brčko District BiH (Zakon o praznicima Brčko distrikta BiH, "Sl. glasnik Brčko
/// distrikta BiH" 19/2002 and 19/2022), computed from the law's rule rather than stored.
public enum DistrictHolidays {
    /// Why a day is non-working.
    public struct Holiday: Hashable, Sendable {
        /// The day.
        public var date: LocalDate
        /// Catalog key of the holiday's name, e.g. `holiday.new_year`.
        public var nameKey: String
        /// Whether the day is free only because a holiday fell on a Sunday (Article 5).
        public var isCarryOver: Bool
    }

    /// The fixed-date holidays: 1–2 January, 8 March, 1–2 May.
    static let fixed: [(month: Int, day: Int, key: String)] = [
        (1, 1, "holiday.new_year"), (1, 2, "holiday.new_year"),
        (3, 8, "holiday.district_day"),
        (5, 1, "holiday.labour_day"), (5, 2, "holiday.labour_day"),
    ]

    /// Every District holiday of a year, with Article 5's carry-over: when a holiday falls on a Sunday,
    /// the first following day that would otherwise be a working day is non-working.
    public static func holidays(in year: Int) -> [Holiday] {
        var result = fixed.compactMap { entry in
            LocalDate(year: year, month: entry.month, day: entry.day).map { Holiday(date: $0, nameKey: entry.key, isCarryOver: false) }
        }
        var taken = Set(result.map(\.date))
        for holiday in result where holiday.date.weekday == 7 {
            var candidate = holiday.date.adding(days: 1)
            while candidate.isWeekend || taken.contains(candidate) { candidate = candidate.adding(days: 1) }
            taken.insert(candidate)
            result.append(Holiday(date: candidate, nameKey: holiday.nameKey, isCarryOver: true))
        }
        return result.sorted { $0.date < $1.date }
    }

    /// The District holiday on `date`, if any (carry-over days included; a 1 January carry-over can land
    /// in the same year only, so looking at the date's own year is enough).
    public static func holiday(on date: LocalDate) -> Holiday? {
        holidays(in: date.year).first { $0.date == date }
    }
}
