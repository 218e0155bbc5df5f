import Localization
import TrainingOffice
import TrainingCore

/// A program printed as an outline in one language.
struct ProgramOutline {
    let program: Program
    let localizer: Localizer

    func print() {
        let t = localizer
        let language = localizer.language
        Console.line("\(program.title.text(in: language)) (\(program.id), v\(program.version), \(program.year))")
        if let goal = program.goal { Console.line(goal.text(in: language)) }
        Console.line()
        Console.line(t("curriculum.show.completion", [
            "attendance": DecimalText.format(program.completion.attendancePercent),
            "excused": t("curriculum.excused.\(program.completion.excused.rawValue)"),
            "final": DecimalText.format(program.completion.finalPass),
        ]))
        Console.line(t("curriculum.show.total", [
            "modules": t.plural("curriculum.modules", count: program.modules.count),
            "hours": Self.hours(program.totalHours),
        ]))
        for module in program.modules {
            Console.line()
            Console.line(t("curriculum.show.module", [
                "order": String(module.order), "id": module.id, "title": module.title.text(in: language),
                "hours": Self.hours(module.hours),
            ]))
            section(t("curriculum.show.topics"), module.topics.map { $0.text.text(in: language) })
            section(t("curriculum.show.outcomes"), module.outcomes.map { $0.text.text(in: language) })
            for caseStudy in module.caseStudies {
                Console.line("  \(t("curriculum.show.case_study")): \(caseStudy.title.text(in: language))")
                for figure in caseStudy.figures {
                    Console.line("    \(figure.value.formatted(.number.grouping(.automatic).locale(.init(identifier: "bs_BA")))) \(figure.label.text(in: language))")
                }
            }
            for assessment in module.assessments {
                Console.line("  " + t("curriculum.show.assessment", [
                    "id": assessment.id, "kind": t("assessment.kind.\(assessment.kind.rawValue)"),
                    "title": assessment.title?.text(in: language) ?? t("assessment.kind.\(assessment.kind.rawValue)"),
                    "pass": DecimalText.format(assessment.passScore), "max": DecimalText.format(assessment.maxScore),
                    "weight": DecimalText.format(assessment.weight * 100),
                    "attempts": t.plural("curriculum.attempts", count: assessment.attempts),
                    "required": assessment.required ? t("curriculum.required") : t("curriculum.optional"),
                ]))
            }
        }
    }

    private func section(_ heading: String, _ lines: [String]) {
        guard !lines.isEmpty else { return }
        Console.line("  \(heading):")
        for (index, line) in lines.enumerated() { Console.line("   \(index + 1). \(line)") }
    }

    static func hours(_ value: Double) -> String { DecimalText.format(value) + " h" }
}

import Foundation
