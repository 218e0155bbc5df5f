import ArgumentParser
import Foundation
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// `obuka privacy`: the rights of access and erasure under the BiH Law on Personal Data Protection.
struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: "Personal data: export, erasure, retention.",
        subcommands: [Export.self, Erase.self, Retention.self, Purge.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Everything held about a person, as JSON or a readable PDF.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Personal number.") var personalNumber: String
        @Option(help: "json or pdf.") var format: String = "json"
        @Option(name: .shortAndLong, help: "Output file (default: standard output for JSON).") var output: String?

        func validate() throws {
            guard ["json", "pdf"].contains(format) else { throw ValidationError("--format is json or pdf") }
            if format == "pdf", output == nil { throw ValidationError("a PDF needs -o FILE") }
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
            commandName: "erase", abstract: "Erase a person's data that no legal duty requires (names, e-mail, notes, accounts); certificates stay checkable.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Personal number.") var personalNumber: String
        @Flag(help: "Confirm: erasure cannot be undone.") var confirm = false

        func run() throws {
            guard confirm else { throw ValidationError("erasure cannot be undone: repeat with --confirm") }
            let pseudonym = try global.office().privacy.erase(person: personalNumber, actor: global.resolvedActor)
            Console.line(global.localizer("privacy.erased", ["pseudonym": pseudonym]))
        }
    }

    struct Retention: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retention", abstract: "Show or set how many days the read-access log and ended sessions are kept.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Days to keep (30…3650).") var days: NumberArgument?

        func run() throws {
            let privacy = try global.office().privacy
            if let days { try privacy.setRetentionDays(try days.whole(.retentionDays, "--days"), actor: global.resolvedActor) }
            Console.line(global.localizer("privacy.retention", ["days": String(try privacy.retentionDays())]))
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "purge", abstract: "Delete what is older than the retention period.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let summary = try global.office().privacy.purge(actor: global.resolvedActor)
            Console.line(global.localizer("privacy.purged", [
                "reads": String(summary.readAccesses), "sessions": String(summary.sessions),
                "links": String(summary.resetLinks), "tokens": String(summary.tokens),
            ]))
        }
    }
}
