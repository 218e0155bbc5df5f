import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// Programs and their modules, read-only (they come from the curriculum XML).
struct CurriculumController {
    let curriculum: CurriculumIntake
    let pages: Pages

    struct ListPage {
        struct Program {
            let id, version, year, title, hours, modules: String
        }
        let programs: [Program]
    }

    struct ProgramPage {
        struct Module {
            struct CaseStudy {
                struct Figure {
                    let value, label: String
                }
                let title: String
                let figures: [Figure]
            }
            struct Assessment {
                let id, kind, pass, max, weight, attempts: String
            }
            let order, id, title, hours: String
            let topics, outcomes: [String]
            let case_studies: [CaseStudy]
            let assessments: [Assessment]
        }
        let title, id, version: String
        let goal: String?
        let completion: String
        let modules: [Module]
    }

    func register(on routes: RouteTable) {
        routes.get("/programs", .viewCurriculum) { _, context in
            let language = context.language
            let programs = try curriculum.programs().map { stored in
                ListPage.Program(id: stored.program.id, version: String(stored.program.version), year: String(stored.program.year),
                                 title: stored.program.title.text(in: language), hours: DecimalText.format(stored.program.totalHours),
                                 modules: String(stored.program.modules.count))
            }
            return pages.render("programs", ListPage(programs: programs), context: context)
        }
        routes.get("/programs/{id}", .viewCurriculum) { _, context in
            let id = try context.parameters.require("id")
            guard let stored = try? curriculum.program(id) else { throw WebError.notFound }
            let program = stored.program, language = context.language, t = context.localizer
            let modules = program.modules.map { module in
                ProgramPage.Module(
                    order: String(module.order), id: module.id, title: module.title.text(in: language), hours: DecimalText.format(module.hours),
                    topics: module.topics.map { $0.text.text(in: language) }, outcomes: module.outcomes.map { $0.text.text(in: language) },
                    case_studies: module.caseStudies.map { study in
                        .init(title: study.title.text(in: language),
                              figures: study.figures.map { .init(value: String($0.value), label: $0.label.text(in: language)) })
                    },
                    assessments: module.assessments.map { assessment in
                        .init(id: assessment.id, kind: t("assessment.kind.\(assessment.kind.rawValue)"),
                              pass: DecimalText.format(assessment.passScore), max: DecimalText.format(assessment.maxScore),
                              weight: DecimalText.format(assessment.weight * 100), attempts: String(assessment.attempts))
                    })
            }
            let page = ProgramPage(
                title: program.title.text(in: language), id: program.id, version: String(program.version),
                goal: program.goal?.text(in: language).nonEmpty,
                completion: t("curriculum.show.completion", [
                    "attendance": DecimalText.format(program.completion.attendancePercent),
                    "excused": t("curriculum.excused.\(program.completion.excused.rawValue)"),
                    "final": DecimalText.format(program.completion.finalPass),
                ]),
                modules: modules)
            return pages.render("program", page, context: context)
        }
    }
}
