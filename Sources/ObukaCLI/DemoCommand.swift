import ArgumentParser
import Foundation

/// `obuka demo seed`: demonstration data, idempotent.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Demonstration data.", subcommands: [Seed.self])

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the curriculum and demo data; running it again changes nothing.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let database = try global.openDatabase()
            let t = global.localizer
            Console.line(t("demo.seed.departments", ["count": String(try database.departments().count)]))
            let home = try HomeDirectory.resolve(environment: global.environment)
            let reader = try CurriculumReader(global: global, database: database)
            let (files, problems) = reader.read(try CurriculumReader.expand([home.curriculumFolder]))
            guard problems.isEmpty else {
                for problem in problems { Console.error(problem.description) }
                throw ExitCode(1)
            }
            Console.line(t("demo.seed.curriculum", ["path": home.curriculumFolder.path]))
            report(try database.loadPrograms(files, actor: global.resolvedActor), localizer: t)
        }
    }
}
