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
        commandName: "curriculum", abstract: helpText("cli.help.curriculum.abstract"),
        subcommands: [Validate.self, Load.self, Show.self, List.self, Confirm.self, Publish.self, Unpublish.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate", abstract: helpText("cli.help.curriculum.validate.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.curriculum.validate.files")) var files: [String]

        func run() throws {
            let reading = try CurriculumIntake.validate(files.map { URL(fileURLWithPath: $0) }, home: try global.settings.home.get(),
                                                        language: global.language)
            for problem in reading.problems { Console.error(problem.description) }
            for file in reading.files {
                Console.line(global.localizer("curriculum.valid", [
                    "file": file.file, "program": file.program.id, "version": String(file.program.version),
                ]))
            }
            for file in reading.questionnaires {
                Console.line(global.localizer("curriculum.valid_questionnaire", [
                    "file": file.file, "questionnaire": file.questionnaire.id, "version": String(file.questionnaire.version),
                ]))
            }
            if !reading.problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load", abstract: helpText("cli.help.curriculum.load.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.curriculum.load.paths")) var paths: [String]

        func run() throws {
            let curriculum = try global.office().curriculum
            let reading = try curriculum.read(paths.map { URL(fileURLWithPath: $0) }, language: global.language)
            guard reading.problems.isEmpty else {
                for problem in reading.problems { Console.error(problem.description) }
                Console.error(global.localizer("curriculum.load.nothing_loaded"))
                throw ExitCode(1)
            }
            report(try curriculum.load(reading.files, questionnaires: reading.questionnaires, actor: global.resolvedActor), localizer: global.localizer)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: helpText("cli.help.curriculum.show.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.program_id_example")) var id: String
        @Option(help: .catalog("cli.help.common.program_version")) var version: NumberArgument?
        @Flag(help: .catalog("cli.help.curriculum.show.provenance")) var provenance = false

        func run() throws {
            let standing = try global.readingOffice().curriculum.standing(id, version: try version?.whole(.version, "--version"))
            ProgramOutline(standing: standing, localizer: global.localizer, provenance: provenance).print()
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm",
            abstract: helpText("cli.help.curriculum.confirm.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.program_id_example")) var id: String
        @Option(help: .catalog("cli.help.curriculum.confirm.version")) var version: NumberArgument

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
            commandName: "publish", abstract: helpText("cli.help.curriculum.publish.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.program_id")) var id: String

        func run() throws { try setInCatalogue(id, shown: true, global) }
    }

    struct Unpublish: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unpublish", abstract: helpText("cli.help.curriculum.unpublish.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.program_id")) var id: String

        func run() throws { try setInCatalogue(id, shown: false, global) }
    }

    /// Shows a program in the catalogue or takes it out, and says what changed.
    private static func setInCatalogue(_ id: String, shown: Bool, _ global: GlobalOptions) throws {
        let changed = try global.office().curriculum.setInCatalogue(id, shown: shown, actor: global.resolvedActor)
        let verb = shown ? "publish" : "unpublish"
        Console.line(global.localizer("curriculum.\(verb).\(changed ? "done" : "already")", ["program": id]))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.curriculum.list.abstract"))

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
