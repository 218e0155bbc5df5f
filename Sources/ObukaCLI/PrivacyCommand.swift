import ArgumentParser
import Foundation
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// `obuka privacy`: the rights of access and erasure under the BiH Law on Personal Data Protection.
struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: helpText("cli.help.privacy.abstract"),
        subcommands: [Export.self, Erase.self, Retention.self, Purge.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: helpText("cli.help.privacy.export.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.personal_number")) var personalNumber: String
        @Option(help: .catalog("cli.help.privacy.export.format")) var format: String = "json"
        @Option(name: .shortAndLong, help: .catalog("cli.help.privacy.export.output")) var output: String?

        func validate() throws {
            guard ["json", "pdf"].contains(format) else { throw ValidationError(global.localizer("cli.error.export_format")) }
            if format == "pdf", output == nil { throw ValidationError(global.localizer("cli.error.pdf_needs_output")) }
        }

        func run() throws {
            let office = try global.office()
            let export = try office.privacy.export(person: personalNumber, reader: global.resolvedActor)
            let data = format == "json"
                ? try PersonalDataDocument.json(export)
                : try ReportPDF().render(PersonalDataDocument.report(export, localizer: global.localizer), created: office.clock.today)
            try OutputFile.write(data, to: output)
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase", abstract: helpText("cli.help.privacy.erase.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.personal_number")) var personalNumber: String
        @Flag(help: .catalog("cli.help.privacy.erase.confirm")) var confirm = false

        func run() throws {
            guard confirm else { throw ValidationError(global.localizer("cli.error.erase_confirm")) }
            let pseudonym = try global.office().privacy.erase(person: personalNumber, actor: global.resolvedActor)
            Console.line(global.localizer("privacy.erased", ["pseudonym": pseudonym]))
        }
    }

    struct Retention: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retention", abstract: helpText("cli.help.privacy.retention.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.privacy.retention.days")) var days: NumberArgument?

        func run() throws {
            let privacy = try global.office().privacy
            if let days { try privacy.setRetentionDays(try days.whole(.retentionDays, "--days"), actor: global.resolvedActor) }
            Console.line(global.localizer("privacy.retention", ["days": String(try privacy.retentionDays())]))
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "purge", abstract: helpText("cli.help.privacy.purge.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let summary = try global.office().privacy.purge(actor: global.resolvedActor)
            Console.line(PurgeText.line(summary, global.localizer))
        }
    }
}
