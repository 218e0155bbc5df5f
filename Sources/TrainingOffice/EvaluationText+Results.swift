import Reports
import TrainingCore

/// A cohort's module round in words.
extension EvaluationText {
    /// Why nothing is shown (nil when the figures are): no session held yet, before the deadline, too few answers.
    public func state(_ results: EvaluationDesk.Results) -> String? {
        if results.deadline == nil { return localizer("web.evaluation.not_held") }
        if !results.visible { return localizer("web.evaluation.not_yet", ["date": results.deadline.map(localizer.date) ?? "–"]) }
        return results.summary.items == nil ? localizer("web.evaluation.too_few") : nil
    }

    /// The scale and choice questions with their figures (none while nothing may be shown).
    public func rows(_ results: EvaluationDesk.Results) -> [Row] { rows(results.questionnaire, results.summary) }

    /// The free-text answers per question, in random order.
    public func comments(_ results: EvaluationDesk.Results) -> [(question: String, texts: [String])] {
        comments(results.questionnaire, results.summary)
    }

    /// `Odgovora: 5`, once the figures are shown.
    public func answers(_ results: EvaluationDesk.Results) -> String? { answers(results.summary) }
}
