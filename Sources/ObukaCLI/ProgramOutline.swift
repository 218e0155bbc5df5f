import Localization
import TrainingOffice
import TrainingCore

/// A program printed as an outline in one language. Parts not quoted from the program's sources carry their mark
/// ("rekonstruisano", "ilustrativno"); with `provenance` every part names where it comes from.
struct ProgramOutline {
    let standing: ProgramStanding
    let localizer: Localizer
    var provenance = false

    func print() {
        let t = localizer
        let outline = ProgramPresentation(standing.stored.program, localizer: t)
        Console.line("\(line(outline.title)) (\(outline.id), v\(outline.version), \(outline.year))")
        if let goal = outline.goal { Console.line(line(goal)) }
        Console.line()
        Console.line(line(outline.completion))
        if let validity = outline.validity { Console.line(line(validity)) }
        if outline.marksProvenance {
            Console.line(standing.confirmedAt.map { t("curriculum.show.policy_confirmed", ["date": t.day(ofTimestamp: $0)]) }
                ?? t("curriculum.show.policy_unconfirmed"))
        }
        Console.line(outline.total)
        for module in outline.modules {
            Console.line()
            Console.line(t("curriculum.show.module", [
                "order": String(module.order), "id": module.id, "title": line(module.title), "hours": module.hours,
            ]))
            if let description = module.description { Console.line("  " + line(description)) }
            section(t("curriculum.show.topics"), module.topics)
            section(t("curriculum.show.outcomes"), module.outcomes)
            for study in module.caseStudies {
                Console.line("  \(t("curriculum.show.case_study")): \(line(study.title))")
                for paragraph in study.paragraphs { Console.line("    " + line(paragraph)) }
                for figure in study.figures {
                    var text = "    \(figure.value) \(figure.label)"
                    if let context = figure.context { text += " (\(context))" }
                    if let period = figure.period { text += "; \(period)" }
                    if figure.estimated { text += "; \(t("curriculum.show.estimate"))" }
                    if provenance, let source = figure.provenance { text += " [\(source)]" }
                    Console.line(text)
                }
            }
            for assessment in module.assessments { Console.line("  " + line(assessment)) }
        }
        if outline.marksProvenance {
            Console.line()
            Console.line(t("curriculum.show.legend"))
            if !outline.sources.isEmpty {
                Console.line(t("curriculum.show.sources") + ":")
                for source in outline.sources { Console.line("  [\(source.id)] \(source.citation)") }
            }
        }
    }

    /// A text with its mark, or with its whole provenance when asked for.
    private func line(_ text: ProgramPresentation.Marked) -> String {
        if provenance, let source = text.provenance { return "\(text.text) [\(source)]" }
        return text.mark.map { "\(text.text) [\($0)]" } ?? text.text
    }

    private func section(_ heading: String, _ lines: [ProgramPresentation.Marked]) {
        guard !lines.isEmpty else { return }
        Console.line("  \(heading):")
        for (index, text) in lines.enumerated() { Console.line("   \(index + 1). \(line(text))") }
    }
}
