import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka init`: creates the data directory and database, or migrates an existing one.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: helpText("cli.help.init.abstract"))

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (office, created) = try TrainingOffice.initialize(dataDirectory: global.dataDirectory, settings: global.settings)
        let t = global.localizer
        Console.line(t(created ? "init.created" : "init.existing", ["path": try office.administration.status().databaseFile.path]))
    }
}

/// `obuka status`: where the data lives, its size, schema version and rows per table.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: helpText("cli.help.status.abstract"))

    @OptionGroup var global: GlobalOptions
    @Flag(help: .catalog("cli.help.status.check")) var check = false

    func run() throws {
        let status = try global.readingOffice().administration.status(check: check)
        let t = global.localizer
        Console.line(t("status.data_directory", ["path": status.dataDirectory.path]))
        Console.line(t("status.database", ["path": status.databaseFile.path, "size": formatBytes(status.bytes)]))
        if let damage = status.damage {
            Console.line(t("status.damaged", ["finding": damage]))
        } else if status.checked == true {
            Console.line(t("status.integrity_ok"))
        }
        guard let store = status.store else { throw ExitCode(1) }
        Console.line(t("status.schema", ["version": store.schemaVersion,
                                         "migrations": t.plural("status.migrations", count: store.migrationCount)]))
        // The outbox: what waits, what failed for good, and whether a relay is set at all.
        let office = try global.readingOffice()
        let counts = try office.mail.counts()
        var figures = ["queued": DecimalText.count(counts.queued), "retrying": DecimalText.count(counts.retrying),
                       "failed": DecimalText.count(counts.failed), "sent": DecimalText.count(counts.sent)]
        do {
            Console.line(t(try office.mail.settings() == nil ? "status.mail.not_configured" : "status.mail", figures))
        } catch let error as any UserFacingError {
            // Wrong settings are as good as none, and the line says which one is wrong.
            figures["problem"] = t.message(for: error)
            Console.line(t("status.mail.wrong_settings", figures))
        }
        Console.line()
        Console.table([t("status.table"), t("status.rows")], store.tableCounts.map { [$0.table, String($0.rows)] })
        if status.damage != nil { throw ExitCode(1) }
    }

    private func formatBytes(_ bytes: Int64) -> String {
        bytes < 1024 * 1024 ? "\(bytes / 1024) KiB" : String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
