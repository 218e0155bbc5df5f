import Hummingbird
import TrainingCore
import TrainingOffice
import TrainingStore

/// Programs and their modules, read-only (they come from the curriculum XML).
struct CurriculumController {
    let services: WebServices

    func register(on routes: RouteTable) {
        routes.get("/programs", .viewCurriculum) { _, context in
            let language = context.language
            let programs = try services.database.programs().map { stored in
                ["id": stored.program.id, "version": String(stored.program.version), "year": String(stored.program.year),
                 "title": stored.program.title.text(in: language), "hours": DecimalText.format(stored.program.totalHours),
                 "modules": String(stored.program.modules.count)]
            }
            return services.pages.render("programs", ["programs": programs], context: context)
        }
        routes.get("/programs/{id}", .viewCurriculum) { _, context in
            let id = try context.parameters.require("id")
            guard let stored = try? services.database.program(id: id) else { throw WebError.notFound }
            let program = stored.program, language = context.language, t = context.localizer
            let modules = program.modules.map { module in
                [
                    "order": String(module.order), "id": module.id, "title": module.title.text(in: language),
                    "hours": DecimalText.format(module.hours),
                    "topics": module.topics.map { $0.text.text(in: language) },
                    "outcomes": module.outcomes.map { $0.text.text(in: language) },
                    "case_studies": module.caseStudies.map { study in
                        ["title": study.title.text(in: language),
                         "figures": study.figures.map { ["value": String($0.value), "label": $0.label.text(in: language)] }]
                    },
                    "assessments": module.assessments.map { assessment in
                        ["id": assessment.id, "kind": t("assessment.kind.\(assessment.kind.rawValue)"),
                         "pass": DecimalText.format(assessment.passScore), "max": DecimalText.format(assessment.maxScore),
                         "weight": DecimalText.format(assessment.weight * 100), "attempts": String(assessment.attempts)]
                    },
                ] as [String: Any]
            }
            return services.pages.render("program", [
                "title": program.title.text(in: language), "id": program.id, "version": String(program.version),
                "goal": (program.goal?.text(in: language)).section,
                "completion": t("curriculum.show.completion", [
                    "attendance": DecimalText.format(program.completion.attendancePercent),
                    "excused": t("curriculum.excused.\(program.completion.excused.rawValue)"),
                    "final": DecimalText.format(program.completion.finalPass),
                ]),
                "modules": modules,
            ], context: context)
        }
    }
}
