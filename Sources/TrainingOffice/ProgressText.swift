import Foundation
import Localization
import TrainingCore

/// Numbers as the District writes them.
public enum DecimalText {
    /// A number with a decimal comma and at most two decimals, without trailing zeros: 87,5 · 7,3 · 80.
    public static func number(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text.replacingOccurrences(of: ".", with: ",")
    }
}

/// Progress in words.
public struct ProgressText: Sendable {
    public let localizer: Localizer

    public init(localizer: Localizer) { self.localizer = localizer }

    public func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return DecimalText.number((value * 10).rounded() / 10) + " %"
    }

    public func score(_ value: Double) -> String { DecimalText.number((value * 10).rounded() / 10) }

    public func hours(_ minutes: Int) -> String { DecimalText.number((Double(minutes) / 6).rounded() / 10) }

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
                                                                  "threshold": DecimalText.number(threshold)])
        case .attemptsLeft(let assessment, let module, let left):
            return t.plural("progress.reason.attempts_left", count: left, ["assessment": assessment, "module": module])
        case .assessmentFailed(let assessment, let module):
            return t("progress.reason.assessment_failed", ["assessment": assessment, "module": module])
        case .finalScoreOutOfReach(let best, let finalPass):
            return t("progress.reason.final_out_of_reach", ["best": score(best), "pass": DecimalText.number(finalPass)])
        case .finalScoreNeedsAttempts(let current, let finalPass):
            return t("progress.reason.final_needs_attempts", ["current": score(current), "pass": DecimalText.number(finalPass)])
        }
    }
}
