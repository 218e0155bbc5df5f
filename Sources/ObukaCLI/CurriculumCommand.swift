import ArgumentParser
import CurriculumXML
import Foundation
import Localization
import SafeXML
import TrainingCore
import TrainingOffice

/// `obuka curriculum validate|load|show|list|confirm|publish|unpublish`.
struct CurriculumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curriculum", abstract: "Training programs from curriculum XML files.",
        subcommands: [Validate.self, Load.self, Show.self, List.self, Confirm.self, Publish.self, Unpublish.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate", abstract: "Check curriculum files against the schema and the rules; exit 1 with every problem found.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Curriculum XML files.") var files: [String]

        func run() throws {
            let reading = try CurriculumIntake.validate(files.map { URL(fileURLWithPath: $0) }, home: try global.settings.home.get(),
                                                        language: global.language)
            for problem in reading.problems { Console.error(problem.description) }
            for file in reading.files {
                Console.line(global.localizer("curriculum.valid", [
                    "file": file.file, "program": file.program.id, "version": String(file.program.version),
                ]))
            }
            if !reading.problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load", abstract: "Store curriculum files (or every .xml file of a folder); all or nothing.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Curriculum XML files or folders.") var paths: [String]

        func run() throws {
            let curriculum = try global.office().curriculum
            let reading = try curriculum.read(paths.map { URL(fileURLWithPath: $0) }, language: global.language)
            guard reading.problems.isEmpty else {
                for problem in reading.problems { Console.error(problem.description) }
                Console.error(global.localizer("curriculum.load.nothing_loaded"))
                throw ExitCode(1)
            }
            report(try curriculum.load(reading.files, actor: global.resolvedActor), localizer: global.localizer)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print a program's outline: modules, hours, topics, outcomes, assessments, completion rule.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Program id, e.g. dijaspora-2022.") var id: String
        @Option(help: "Program version (default: the newest).") var version: NumberArgument?
        @Flag(help: "Name where every part comes from: the source it quotes, or reconstructed, or illustrative.")
        var provenance = false

        func run() throws {
            let standing = try global.readingOffice().curriculum.standing(id, version: try version?.whole(.version, "--version"))
            ProgramOutline(standing: standing, localizer: global.localizer, provenance: provenance).print()
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm",
            abstract: "Confirm a version 2 program's policy (completion rule, validity, reconstructed parts) as the District's; its cohorts can then issue certificates.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Program id, e.g. dijaspora-2022.") var id: String
        @Option(help: "Program version (required: a confirmation is of one version).") var version: NumberArgument

        func run() throws {
            let version = try version.whole(.version, "--version")
            let office = try global.office()
            let standing = try office.curriculum.standing(id, version: version)
            let t = global.localizer
            ProgramOutline(standing: standing, localizer: t, provenance: true).print()
            Console.line()
            let key = try office.curriculum.confirmPolicy(id, version: version, actor: global.resolvedActor)
                ? "curriculum.confirm.done" : "curriculum.confirm.already"
            Console.line(t(key, ["program": id, "version": String(version)]))
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish", abstract: "Show a program in the public curriculum catalogue (/catalogue).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Program id.") var id: String

        func run() throws { try setInCatalogue(id, shown: true, global) }
    }

    struct Unpublish: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unpublish", abstract: "Take a program out of the public curriculum catalogue.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Program id.") var id: String

        func run() throws { try setInCatalogue(id, shown: false, global) }
    }

    /// Shows a program in the catalogue or takes it out, and says what changed.
    private static func setInCatalogue(_ id: String, shown: Bool, _ global: GlobalOptions) throws {
        let changed = try global.office().curriculum.setInCatalogue(id, shown: shown, actor: global.resolvedActor)
        let verb = shown ? "publish" : "unpublish"
        Console.line(global.localizer("curriculum.\(verb).\(changed ? "done" : "already")", ["program": id]))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored program versions.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            let language = global.language
            let programs = try global.readingOffice().curriculum.programs()
            Console.table(
                [t("curriculum.column.id"), t("curriculum.column.version"), t("curriculum.column.title"),
                 t("curriculum.column.modules"), t("curriculum.column.hours"), t("curriculum.column.loaded")],
                programs.map { stored in
                    let program = stored.program
                    return [program.id, String(program.version), program.title.text(in: language),
                            String(program.modules.count), ProgramPresentation.hours(program.totalHours), stored.loadedAt]
                })
        }
    }
}

/// Prints what a load did.
func report(_ outcomes: [CurriculumLoadOutcome], localizer t: Localizer) {
    for outcome in outcomes {
        switch outcome {
        case .added(let id, let version):
            Console.line(t("curriculum.load.added", ["program": id, "version": String(version)]))
        case .unchanged(let id, let version):
            Console.line(t("curriculum.load.unchanged", ["program": id, "version": String(version)]))
        }
    }
}
