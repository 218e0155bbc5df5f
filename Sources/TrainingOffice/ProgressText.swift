import Foundation
import Localization
import TrainingCore

/// Progress in words.
public struct ProgressText: Sendable {
    public let localizer: Localizer

    public init(localizer: Localizer) { self.localizer = localizer }

    public func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return DecimalText.format((value * 10).rounded() / 10) + " %"
    }

    public func score(_ value: Double) -> String { DecimalText.format((value * 10).rounded() / 10) }

    public func hours(_ minutes: Int) -> String { DecimalText.format((Double(minutes) / 6).rounded() / 10) }

    /// "completed" takes the person's grammatical gender.
    public func forecastWord(_ forecast: Forecast, person: Person) -> String {
        if case .completed = forecast {
            return localizer("progress.forecast.completed.\(person.sex?.rawValue ?? "unknown")")
        }
        return localizer("progress.forecast.\(forecast.code)")
    }

    public func reason(_ reason: ProgressReason) -> String {
        let t = localizer
        switch reason {
        case .needsRemainingAttendance(let module, let needed, let remaining):
            return t("progress.reason.needs_hours", ["needed": hours(needed), "remaining": hours(remaining), "module": module])
        case .attendanceOutOfReach(let module, let percent, let threshold):
            return t("progress.reason.attendance_out_of_reach", ["module": module, "percent": self.percent(percent),
                                                                  "threshold": DecimalText.format(threshold)])
        case .attemptsLeft(let assessment, let module, let left):
            return t.plural("progress.reason.attempts_left", count: left, ["assessment": assessment, "module": module])
        case .assessmentFailed(let assessment, let module):
            return t("progress.reason.assessment_failed", ["assessment": assessment, "module": module])
        case .finalScoreOutOfReach(let best, let finalPass):
            return t("progress.reason.final_out_of_reach", ["best": score(best), "pass": DecimalText.format(finalPass)])
        case .finalScoreNeedsAttempts(let current, let finalPass):
            return t("progress.reason.final_needs_attempts", ["current": score(current), "pass": DecimalText.format(finalPass)])
        }
    }
}
