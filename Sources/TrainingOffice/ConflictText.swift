import Localization
import TrainingCore

/// Conflicts in words.
public enum ConflictText {
    public static func line(_ conflict: ScheduleConflict, localizer t: Localizer) -> String {
        switch conflict {
        case .invalidTimes:
            t("conflict.invalid_times")
        case .venueBusy(let venue, let id, let cohort, let starts, let ends):
            t("conflict.venue_busy", ["venue": venue, "session": String(id.rawValue), "cohort": cohort,
                                      "starts": starts.iso, "ends": ends.timeOfDay])
        case .trainerBusy(let trainer, let id, let cohort, let starts, let ends):
            t("conflict.trainer_busy", ["trainer": trainer, "session": String(id.rawValue), "cohort": cohort,
                                        "starts": starts.iso, "ends": ends.timeOfDay])
        case .participantsDoubleBooked(let people, let id, let cohort):
            t("conflict.double_booked", ["people": people.joined(separator: ", "), "session": String(id.rawValue), "cohort": cohort])
        case .districtHoliday(let date, let nameKey, let carryOver):
            t(carryOver ? "conflict.district_holiday_carry_over" : "conflict.district_holiday",
              ["date": date.iso, "holiday": t(nameKey)])
        case .oneOffHoliday(let date, let name):
            t("conflict.one_off_holiday", ["date": date.iso, "holiday": name])
        case .weekend(let date):
            t("conflict.weekend", ["date": date.iso])
        case .venueTooSmall(let venue, let capacity, let participants):
            t("conflict.venue_too_small", ["venue": venue, "capacity": String(capacity), "participants": String(participants)])
        case .religiousHoliday(let date, let name):
            t("conflict.religious_holiday", ["date": date.iso, "holiday": name])
        }
    }
}

/// A day of the holiday calendar in words.
public enum HolidayText {
    /// Its name: a District holiday's from the catalog (with "carried over" when it is), a table entry's as typed.
    public static func name(_ day: Scheduling.HolidayDay, _ t: Localizer) -> String {
        guard let key = day.nameKey else { return day.name ?? "" }
        return t(key) + (day.carriedOver ? " " + t("holiday.carry_over") : "")
    }
}
