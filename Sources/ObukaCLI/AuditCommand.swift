import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka audit show|verify`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log of every change.", subcommands: [Show.self, Verify.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the latest audit events, newest first.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "How many events to show.") var limit: NumberArgument = "50"
        @Option(help: "Only events about this kind of entity (e.g. program).") var entityType: String?
        @Option(help: "Only events about this entity id.") var entity: String?

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
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify the audit hash chain; exit 1 at the first broken link.")

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
