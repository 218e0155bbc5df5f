import Localization
import TrainingCore

/// A module's evaluation results in words, the same on the command line, the pages and the API's readers.
public struct EvaluationText: Sendable {
    public let localizer: Localizer
    public let language: Language

    public init(localizer: Localizer, language: Language) {
        self.localizer = localizer
        self.language = language
    }

    /// One question's line: its text, the mean of a scale and how the answers fall.
    public struct Row: Sendable {
        public let itemID, question, mean, distribution: String
    }

    /// Why nothing is shown (nil when the figures are): no session held yet, before the deadline, too few answers.
    public func state(_ results: EvaluationDesk.Results) -> String? {
        if results.deadline == nil { return localizer("web.evaluation.not_held") }
        if !results.visible { return localizer("web.evaluation.not_yet", ["date": results.deadline.map(localizer.date) ?? "–"]) }
        return results.summary.items == nil ? localizer("web.evaluation.too_few") : nil
    }

    /// The scale and choice questions with their figures (none while nothing may be shown).
    public func rows(_ results: EvaluationDesk.Results) -> [Row] {
        (results.summary.items ?? []).compactMap { item in
            guard let question = results.questionnaire.items.first(where: { $0.id == item.itemID }), question.kind != .text else { return nil }
            let labels: [String: String] = if case .choice(let options) = question.kind {
                Dictionary(uniqueKeysWithValues: options.map { ($0.id, $0.text.text(in: language)) })
            } else { [:] }
            return Row(itemID: item.itemID, question: question.text.text(in: language),
                       mean: item.mean.map { DecimalText.format($0, decimals: 1) } ?? "–",
                       distribution: item.counts.map { "\(labels[$0.key] ?? $0.key): \(DecimalText.count($0.count))" }.joined(separator: " · "))
        }
    }

    /// The free-text answers per question, in an order of their own each time, so it says nothing about who answered
    /// first; questions nobody answered are left out.
    public func comments(_ results: EvaluationDesk.Results) -> [(question: String, texts: [String])] {
        (results.summary.items ?? []).compactMap { item in
            guard !item.texts.isEmpty, let question = results.questionnaire.items.first(where: { $0.id == item.itemID }) else { return nil }
            return (question.text.text(in: language), item.texts.shuffled())
        }
    }

    /// `Odgovora: 5`, once the figures are shown.
    public func answers(_ results: EvaluationDesk.Results) -> String? {
        results.summary.items == nil ? nil : localizer("web.evaluation.answers", ["count": DecimalText.count(results.summary.answers)])
    }
}
