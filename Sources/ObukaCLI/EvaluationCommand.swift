import ArgumentParser
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// `obuka evaluation results|deadline`: a cohort's module questionnaires, as the coordinator reads and times them.
struct EvaluationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation", abstract: helpText("cli.help.evaluation.abstract"), subcommands: [Results.self, Deadline.self])

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
}
