import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka mail send|list|retry|password|unreachable`: the outbox handed to the District's relay (for cron, beside the
/// server, which delivers in the background too; the day's reminders are queued first), what it holds, a retry, the
/// relay's password stored where msmtp reads it, and who cannot be written to.
struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: helpText("cli.help.mail.abstract"), subcommands: [Send.self, List.self, Retry.self, Password.self, Unreachable.self])

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: helpText("cli.help.mail.send.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            let office = try global.office()
            // Without a server, cron's `mail send` is what moves the clock: the day's reminders go out with it.
            try office.clockTick.run()
            let outcome = try office.mail.deliver()
            guard outcome.configured else {
                let counts = try office.mail.counts()
                return Console.line(t("mail.send.not_configured", ["queued": DecimalText.count(counts.queued)]))
            }
            Console.line(t("mail.send.done", ["sent": DecimalText.count(outcome.sent), "failed": DecimalText.count(outcome.failed.count)]))
            for failure in outcome.failed { Console.line("  #\(failure.id): \(failure.reason)") }
            if !outcome.failed.isEmpty { throw ExitCode(3) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.mail.list.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.mail.list.limit")) var limit: NumberArgument = "50"

        func run() throws {
            let t = global.localizer
            let office = try global.readingOffice()
            let rows = try office.mail.outbox(limit: try limit.whole(.listLimit, "--limit"))
            Console.table(["#", t("web.outbox.queued"), t("web.outbox.recipient"), t("web.outbox.kind"), t("web.outbox.state"),
                           t("web.outbox.attempts"), t("web.outbox.answer")],
                          rows.map { row in
                              [String(row.id), row.createdAt, "\(row.recipientName) <\(row.recipientEmail)>", t("mail.kind.\(row.kind)"),
                               t("mail.state.\(row.state.rawValue)"), String(row.attempts), row.lastError ?? "–"]
                          })
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry", abstract: helpText("cli.help.mail.retry.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.mail.retry.id")) var id: NumberArgument

        func run() throws {
            try global.office().mail.retry(id: try id.record("ID"), actor: global.resolvedActor)
            Console.line(global.localizer("web.notice.mail_retried"))
        }
    }

    struct Unreachable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unreachable", abstract: helpText("cli.help.mail.unreachable.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            let people = try global.readingOffice().mail.unreachable()
            guard !people.isEmpty else { return Console.line(t("web.unreachable.none")) }
            Console.table([t("people.column.personal_number"), t("people.column.name"), t("people.column.department"), t("web.unreachable.why")],
                          people.map { entry in
                              [entry.person.personalNumber, t.listName(entry.person), entry.person.department.rawValue,
                               ((entry.cohorts.isEmpty ? [] : [t("web.unreachable.cohorts", ["cohorts": entry.cohorts.joined(separator: ", ")])])
                                + (entry.headsDepartment ? [t("web.unreachable.head")] : [])).joined(separator: "; ")]
                          })
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "password", abstract: helpText("cli.help.mail.password.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            // From standard input, never an argument (arguments show in the process list and the shell's history).
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError(global.localizer("mail.password.empty"))
            }
            try global.office().mail.setPassword(line, actor: global.resolvedActor)
            Console.line(global.localizer("mail.password.saved"))
        }
    }
}
