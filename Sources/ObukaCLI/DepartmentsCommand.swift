import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka departments list`.
struct DepartmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "departments", abstract: helpText("cli.help.departments.abstract"), subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.departments.list.abstract"))

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let administration = try global.readingOffice().administration
            let t = global.localizer
            let language = global.language
            Console.table([t("departments.code"), t("departments.name")],
                          try administration.departments().map { [$0.code.rawValue, $0.name(in: language)] })
        }
    }
}
