import Localization
import TrainingCore

/// Evaluation results in words, the same on the command line, the pages, the reports and the API's readers: a
/// questionnaire's figures, learning gain and response rates. (`EvaluationText+Results` in the office words a cohort's
/// module round.)
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

    private var comma: Bool { language != .english }

    /// The scale and choice questions of a questionnaire with a summary's figures (none below the threshold).
    public func rows(_ questionnaire: Questionnaire, _ summary: ReactionSummary) -> [Row] {
        (summary.items ?? []).compactMap { item in
            guard let question = questionnaire.items.first(where: { $0.id == item.itemID }), question.kind != .text else { return nil }
            let labels: [String: String] = if case .choice(let options) = question.kind {
                Dictionary(uniqueKeysWithValues: options.map { ($0.id, $0.text.text(in: language)) })
            } else { [:] }
            return Row(itemID: item.itemID, question: question.text.text(in: language),
                       mean: item.mean.map { DecimalText.format($0, decimals: 1, comma: comma) } ?? "–",
                       distribution: item.counts.map { "\(labels[$0.key] ?? $0.key): \(DecimalText.count($0.count))" }.joined(separator: " · "))
        }
    }

    /// The free-text answers per question, in an order of their own each time, so it says nothing about who answered
    /// first; questions nobody answered are left out.
    public func comments(_ questionnaire: Questionnaire, _ summary: ReactionSummary) -> [(question: String, texts: [String])] {
        (summary.items ?? []).compactMap { item in
            guard !item.texts.isEmpty, let question = questionnaire.items.first(where: { $0.id == item.itemID }) else { return nil }
            return (question.text.text(in: language), item.texts.shuffled())
        }
    }

    /// `Odgovora: 5`, once the figures are shown.
    public func answers(_ summary: ReactionSummary) -> String? {
        summary.items == nil ? nil : localizer("web.evaluation.answers", ["count": DecimalText.count(summary.answers)])
    }

    /// A mean on the 1–5 scale (`4,2`), or `–`.
    public func mean(_ value: Double?) -> String { value.map { DecimalText.format($0, decimals: 1, comma: comma) } ?? "–" }

    /// A learning gain's line: the module, how many trainees have both scores, the two means and the gain.
    public struct GainRow: Sendable {
        public let programID, moduleID, module, pairs, before, after, gain: String
    }

    /// Each module's learning gain in words (`45 %`, `75 %`, `+30 p. p.`); `–` where no trainee has both scores yet.
    public func gainRows(_ gains: [LearningGain]) -> [GainRow] {
        gains.map { gain in
            GainRow(programID: gain.programID, moduleID: gain.moduleID, module: "\(gain.moduleOrder). \(gain.moduleTitle.text(in: language))",
                    pairs: DecimalText.count(gain.pairs), before: DecimalText.percent(gain.meanBefore, comma: comma),
                    after: DecimalText.percent(gain.meanAfter, comma: comma), gain: self.gain(gain.meanGain))
        }
    }

    /// A gain in percentage points (`30 p. p.`; a loss with a minus sign, `−4 p. p.`), or `–`. The minus is U+2212, so
    /// neither a spreadsheet nor the CSV writer takes the cell for a formula.
    public func gain(_ value: Double?) -> String {
        guard let value else { return "–" }
        return localizer("evaluation.gain.points", ["value": (value < 0 ? "\u{2212}" : "") + DecimalText.format(abs(value), decimals: 1, comma: comma)])
    }

    /// Why a follow-up's results are not shown (nil when they are): nobody asked yet, or too few answers.
    public func state(_ followUps: EvaluationFigures.FollowUps) -> String? {
        if followUps.asked == 0 {
            return localizer("follow_up.results.none", ["days": String(FollowUpRules.defaultDaysAfterCompletion)])
        }
        return followUps.summary.items == nil ? localizer("web.evaluation.too_few") : nil
    }

    /// `Odgovorilo 6 od 8 (75 %)`: how many answered of those asked.
    public func response(answered: Int, asked: Int) -> String {
        localizer("evaluation.response", ["answered": DecimalText.count(answered), "asked": DecimalText.count(asked),
                                          "percent": DecimalText.percent(asked > 0 ? Double(answered) * 100 / Double(asked) : nil,
                                                                         comma: comma)])
    }
}
