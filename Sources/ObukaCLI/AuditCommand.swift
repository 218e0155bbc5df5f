import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka audit show|verify`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: helpText("cli.help.audit.abstract"), subcommands: [Show.self, Verify.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: helpText("cli.help.audit.show.abstract"))

        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.audit.show.limit")) var limit: NumberArgument = "50"
        @Option(help: .catalog("cli.help.audit.show.entity_type")) var entityType: String?
        @Option(help: .catalog("cli.help.audit.show.entity")) var entity: String?

        func run() throws {
            let events = try global.readingOffice().administration.auditEvents(limit: try limit.whole(.eventLimit, "--limit"),
                                                                                entityType: entityType, entityID: entity)
            let t = global.localizer
            Console.table(
                [t("audit.seq"), t("audit.at"), t("audit.actor"), t("audit.action"), t("audit.entity"), t("audit.details")],
                events.map { [String($0.seq), $0.at, $0.actor, $0.action, "\($0.entityType):\($0.entityID)",
                              $0.details ?? ($0.detailsDigest == nil ? "" : t("audit.details_erased"))] })
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: helpText("cli.help.audit.verify.abstract"))

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            switch try global.readingOffice().administration.verifyAudit() {
            case .intact(let events, let head):
                Console.line(t("audit.verify.intact", ["count": String(events), "head": head]))
            case .broken(let seq, let reason):
                Console.error(t("audit.verify.broken", ["seq": String(seq), "reason": t("audit.break.\(reason.rawValue)")]))
                throw ExitCode(1)
            }
        }
    }
}
