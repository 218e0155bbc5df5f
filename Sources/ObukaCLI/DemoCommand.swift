import ArgumentParser
import Foundation
import Localization
import SafeXML
import TrainingCore
import TrainingOffice

/// `obuka demo seed|generate`: demonstration data.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: helpText("cli.help.demo.abstract"), subcommands: [Seed.self, Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate", abstract: helpText("cli.help.demo.generate.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.demo.generate.people")) var people: NumberArgument = "5000"
        @Option(help: .catalog("cli.help.demo.generate.seed")) var seed: NumberArgument = "1"
        @Option(help: .catalog("cli.help.demo.generate.scale")) var scale: NumberArgument = "1"

        func run() throws {
            let t = global.localizer
            let started = Date()
            let counts = try global.office().demo.generate(
                people: try people.whole(.generatedPeople, "--people"), seed: UInt64(try seed.whole(.seed, "--seed")),
                scale: try scale.whole(.generatedScale, "--scale"), actor: global.resolvedActor) { step in
                let seconds = Int(Date().timeIntervalSince(started))
                switch step {
                case .district(let district, let of):
                    Console.progress(done: district - 1, of: of, t("demo.generate.step.district", ["district": String(district),
                                                                                                   "of": String(of)]), seconds: seconds)
                case .completion: Console.progress(done: 1, of: 1, t("demo.generate.step.completion"), seconds: seconds)
                case .certificates: Console.progress(done: 1, of: 1, t("demo.generate.step.certificates"), seconds: seconds)
                case .trainingYear: Console.progress(done: 1, of: 1, t("demo.generate.step.training_year"), seconds: seconds)
                }
            }
            Console.progressEnd()
            Console.line(global.localizer("demo.generate.done", [
                "people": String(counts.people), "cohorts": String(counts.cohorts), "sessions": String(counts.sessions),
                "attendance": String(counts.attendance), "scores": String(counts.scores), "completed": String(counts.completed),
                "certificates": String(counts.certificates), "rules": String(counts.rules), "items": String(counts.planItems),
                "needs": String(counts.needs),
            ]))
        }
    }

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed", abstract: helpText("cli.help.demo.seed.abstract"))

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            do {
                try global.office().demo.seed(actor: global.resolvedActor) { step in
                    switch step {
                    case .departments(let count):
                        Console.line(t("demo.seed.departments", ["count": String(count)]))
                    case .curriculum(let folder, let outcomes):
                        Console.line(t("demo.seed.curriculum", ["path": folder.path]))
                        report(outcomes, localizer: t)
                    case .people(let file, let added):
                        Console.line(t("demo.seed.people", ["file": file, "added": String(added)]))
                    case .cohortExists(let code):
                        Console.line(t("demo.seed.cohort_exists", ["cohort": code]))
                    case .cohort(let code, let people):
                        Console.line(t("demo.seed.cohort", ["cohort": code, "people": String(people)]))
                    case .login(let role, let login, let password):
                        Console.line(t("demo.seed.login", ["role": t("role.\(role.rawValue)"), "login": login, "password": password]))
                    }
                }
            } catch let problems as XMLDiagnostics {
                for problem in problems.items { Console.error(problem.description) }
                throw ExitCode(1)
            }
        }
    }
}
