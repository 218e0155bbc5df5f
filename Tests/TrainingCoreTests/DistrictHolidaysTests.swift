import Testing
import TrainingCore

@Suite struct DistrictHolidaysTests {
    func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test func fixedHolidaysAreNonWorking() {
        for iso in ["2026-01-01", "2026-01-02", "2026-03-08", "2026-05-01", "2026-05-02"] {
            #expect(DistrictHolidays.holiday(on: date(iso)) != nil, "\(iso)")
        }
        #expect(DistrictHolidays.holiday(on: date("2026-03-10")) == nil)
        #expect(DistrictHolidays.holiday(on: date("2025-07-11")) == nil, "11 July is a day of mourning, a working day")
    }

    @Test func sundayHolidayCarriesOverToMonday() {
        // 2 January 2022 was a Sunday: Monday 3 January was free.
        #expect(date("2022-01-02").weekday == 7)
        let monday = DistrictHolidays.holiday(on: date("2022-01-03"))
        #expect(monday?.isCarryOver == true)
        #expect(monday?.nameKey == "holiday.new_year")
    }

    @Test func carryOverSkipsTheOtherHolidayDay() {
        // 1 January 2023 was a Sunday and 2 January a holiday anyway: Tuesday 3 January was free.
        #expect(DistrictHolidays.holiday(on: date("2023-01-03"))?.isCarryOver == true)
        #expect(DistrictHolidays.holidays(in: 2023).count == 6)
    }

    @Test func marchEighthOnSundayMovesToMonday() {
        // 8 March 2026 is a Sunday.
        #expect(date("2026-03-08").weekday == 7)
        #expect(DistrictHolidays.holiday(on: date("2026-03-09"))?.isCarryOver == true)
    }

    @Test func aSaturdayHolidayDoesNotCarryOver() {
        // 8 March 2025 was a Saturday.
        #expect(date("2025-03-08").weekday == 6)
        #expect(DistrictHolidays.holiday(on: date("2025-03-10")) == nil)
    }
}

@Suite struct LocalDateTests {
    @Test func weekdaysAndArithmetic() {
        #expect(LocalDate(iso: "2026-11-25")!.weekday == 3)
        #expect(LocalDate(iso: "1970-01-01")!.weekday == 4)
        #expect(LocalDate(iso: "2024-02-28")!.adding(days: 1).iso == "2024-02-29")
        #expect(LocalDate(iso: "2023-02-29") == nil)
        #expect(LocalDate(iso: "2026-12-31")!.adding(days: 1).iso == "2027-01-01")
        for days in [-1000, -1, 0, 1, 19_000, 30_000] {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func dateTimesParseAndCompare() {
        let start = LocalDateTime(iso: "2026-03-09 09:00")!
        #expect(LocalDateTime(iso: "2026-03-09T09:00") == start)
        #expect(start.adding(minutes: 15 * 60 + 30).iso == "2026-03-10 00:30")
        #expect(LocalDateTime(iso: "2026-03-09 24:00") == nil)
        #expect(start < LocalDateTime(iso: "2026-03-09 09:01")!)
    }
}
