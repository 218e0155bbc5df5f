import ArgumentParser
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// `obuka evaluation results|deadline|gain|follow-up`: a cohort's module questionnaires, as the coordinator reads and
/// times them, its learning gain, and a department's follow-ups on use at work.
struct EvaluationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation", abstract: helpText("cli.help.evaluation.abstract"), subcommands: [Results.self, Deadline.self, Gain.self, FollowUp.self])

    struct Results: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "results", abstract: helpText("cli.help.evaluation.results.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.evaluation.cohort")) var cohort: String
        @Argument(help: .catalog("cli.help.evaluation.module")) var module: String

        func run() throws {
            let t = global.localizer, text = EvaluationText(localizer: t, language: global.language)
            let results = try global.readingOffice().evaluation.results(cohort: cohort, module: module)
            Console.line(t("evaluation.results.header", ["module": module, "cohort": cohort, "date": results.deadline.map(t.date) ?? "–"]))
            if let state = text.state(results) { return Console.line(state) }
            if let answers = text.answers(results) { Console.line(answers) }
            Console.table([t("web.evaluation.question"), t("web.evaluation.mean"), t("web.evaluation.distribution")],
                          text.rows(results).map { ["\($0.itemID) \($0.question)", $0.mean, $0.distribution] })
            let comments = text.comments(results)
            if !comments.isEmpty { Console.line(t("web.evaluation.comments")) }
            for (question, texts) in comments {
                Console.line(question)
                for comment in texts { Console.line("  – \(comment)") }
            }
        }
    }

    struct Deadline: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deadline", abstract: helpText("cli.help.evaluation.deadline.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.evaluation.cohort")) var cohort: String
        @Argument(help: .catalog("cli.help.evaluation.module")) var module: String
        @Option(help: .catalog("cli.help.evaluation.by")) var by: String

        func validate() throws { _ = try dayArgument(by, "--by") }

        func run() throws {
            let day = try dayArgument(by, "--by")!
            try global.office().evaluation.setDeadline(cohort: cohort, module: module, deadline: day, actor: global.resolvedActor)
            Console.line(global.localizer("evaluation.deadline.saved", ["module": module, "cohort": cohort, "date": global.localizer.date(day)]))
        }
    }

    struct Gain: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "gain", abstract: helpText("cli.help.evaluation.gain.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.evaluation.cohort")) var cohort: String

        func run() throws {
            let t = global.localizer, text = EvaluationText(localizer: t, language: global.language)
            let gains = try global.readingOffice().evaluation.learningGain(cohort: cohort)
            guard !gains.isEmpty else { return Console.line(t("evaluation.gain.no_pretest", ["cohort": cohort])) }
            Console.line(t("evaluation.gain.title"))
            Console.table([t("web.progress.module"), t("evaluation.gain.pairs"), t("evaluation.gain.before"), t("evaluation.gain.after"),
                           t("evaluation.gain.gain")],
                          text.gainRows(gains).map { [$0.module, $0.pairs, $0.before, $0.after, $0.gain] })
        }
    }

    struct FollowUp: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "follow-up", abstract: helpText("cli.help.evaluation.follow-up.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.evaluation.department")) var department: String

        func run() throws {
            let t = global.localizer, text = EvaluationText(localizer: t, language: global.language)
            let office = try global.readingOffice()
            let period = office.reports.defaultPeriod()
            let results = try office.followUps.results(department: DepartmentCode(department), programID: nil, from: period.from, to: period.to)
            Console.line(t("evaluation.follow_up.header", ["department": department, "from": t.date(period.from), "to": t.date(period.to)]))
            for result in results {
                Console.line(t("web.follow_up.results_\(result.respondent.rawValue)") + ": "
                             + text.response(answered: result.summary.answers, asked: result.asked))
                if let state = text.state(result) {
                    Console.line("  " + state)
                    continue
                }
                Console.table([t("web.evaluation.question"), t("web.evaluation.mean"), t("web.evaluation.distribution")],
                              result.questionnaire.map { text.rows($0, result.summary) }?.map { ["\($0.itemID) \($0.question)", $0.mean, $0.distribution] } ?? [])
            }
        }
    }
}
