import ArgumentParser
import CSVImport
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka people import|list|show|transfer`.
struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: helpText("cli.help.people.abstract"),
        subcommands: [Import.self, List.self, Show.self, Transfer.self, SetLanguage.self, SetReminders.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: helpText("cli.help.people.import.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.people.import.file")) var file: String
        @Flag(help: .catalog("cli.help.people.import.dry_run")) var dryRun = false
        @Option(help: .catalog("cli.help.people.import.delimiter")) var delimiter: String?

        func validate() throws {
            if let delimiter, delimiter.count != 1 { throw ValidationError(global.localizer("cli.error.delimiter_character")) }
        }

        func run() throws {
            let t = global.localizer
            // Every row is checked before the database is opened for writing: a bad file leaves it untouched, byte for byte.
            let outcome = try RowProblemText.reporting(file: file, localizer: t) {
                try global.readingOffice().people.importFile(try InputFile.read(file), file: file, delimiter: delimiter.flatMap(\.first),
                                                             dryRun: dryRun, actor: global.resolvedActor)
            }
            let summary = outcome.summary
            if dryRun {
                for number in summary.added { Console.line(t("people.import.would_add", ["personal_number": number])) }
                for (number, fields) in summary.updated {
                    Console.line(t("people.import.would_update", ["personal_number": number, "fields": fields.joined(separator: ", ")]))
                }
            }
            Console.line(t(dryRun ? "people.import.dry_run_summary" : "people.import.summary", [
                "added": String(summary.added.count), "updated": String(summary.updated.count),
                "unchanged": String(summary.unchanged), "encoding": outcome.encoding, "delimiter": String(outcome.delimiter),
            ]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.people.list.abstract"))

        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.common.department_code_example")) var department: String?

        func run() throws {
            let t = global.localizer
            let people = try global.readingOffice().people.list(department: department.map { DepartmentCode($0.uppercased()) })
            Console.table(
                [t("people.column.personal_number"), t("people.column.name"), t("people.column.department"),
                 t("people.column.email"), t("people.column.job_title")],
                people.map { [$0.personalNumber, "\($0.familyName) \($0.givenName)", $0.department.rawValue, $0.email, $0.jobTitle ?? ""] })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: helpText("cli.help.people.show.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.personal_number")) var personalNumber: String

        func run() throws {
            let t = global.localizer
            let people = try global.readingOffice().people
            let person = try people.person(personalNumber)
            let department = try people.department(person.department)
            Console.line("\(person.fullName) (\(person.personalNumber))")
            Console.line("\(t("people.column.department")): \(person.department.rawValue) – \(department?.name(in: global.language) ?? "")")
            Console.line("\(t("people.column.email")): \(person.email.isEmpty ? "–" : person.email)")
            Console.line("\(t("web.my.reminders")): \(t(try people.remindersEnabled(personalNumber) ? "people.reminders.on" : "people.reminders.off"))")
            if let title = person.jobTitle { Console.line("\(t("people.column.job_title")): \(title)") }
            if let sex = person.sex { Console.line("\(t("people.column.sex")): \(t("sex.\(sex.rawValue)"))") }
        }
    }

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfer", abstract: helpText("cli.help.people.transfer.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.personal_number")) var personalNumber: String
        @Option(help: .catalog("cli.help.people.transfer.to")) var to: String

        func run() throws {
            let person = try global.office().people.transfer(personalNumber, to: DepartmentCode(to.uppercased()), actor: global.resolvedActor)
            Console.line(global.localizer("people.transferred", ["name": person.fullName, "department": person.department.rawValue]))
        }
    }

    struct SetLanguage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "language",
            abstract: helpText("cli.help.people.language.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.personal_number")) var personalNumber: String
        @Argument(help: .catalog("cli.help.people.language.language")) var language: String

        func validate() throws {
            guard language == "none" || Language(tag: language) != nil else {
                throw ValidationError(global.localizer("people.error.language", ["value": language]))
            }
        }

        func run() throws {
            let person = try global.office().people.setPreferredLanguage(personalNumber, Language(tag: language), actor: global.resolvedActor)
            Console.line(global.localizer("people.language_set", [
                "name": person.fullName,
                "language": person.preferredLanguage.map { global.localizer("language.autonym.\($0.rawValue)") } ?? "–",
            ]))
        }
    }
}

extension PeopleCommand {
    struct SetReminders: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reminders",
            abstract: helpText("cli.help.people.reminders.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.personal_number")) var personalNumber: String
        @Argument(help: .catalog("cli.help.people.reminders.choice")) var choice: String

        func validate() throws {
            guard ["on", "off"].contains(choice) else {
                throw ValidationError(global.localizer("web.my.reminders_invalid", ["value": choice]))
            }
        }

        func run() throws {
            let people = try global.office().people
            let enabled = try people.setReminders(personalNumber, enabled: choice == "on", actor: global.resolvedActor)
            let person = try people.person(personalNumber)
            Console.line(global.localizer(enabled ? "people.reminders_on" : "people.reminders_off", ["name": person.fullName]))
        }
    }
}

extension RowProblemText {
    /// Runs an import; when its file has bad rows, prints each (`file: row 5, email: …`) and that nothing was imported,
    /// and exits 1.
    static func reporting<T>(file: String, localizer t: Localizer, _ run: () throws -> T) throws -> T {
        do {
            return try run()
        } catch let problems as RowProblems {
            for item in problems.items { Console.error(line(item, file: file, localizer: t)) }
            Console.error(t.plural("people.import.nothing_imported", count: problems.items.count))
            throw ExitCode(1)
        }
    }
}
