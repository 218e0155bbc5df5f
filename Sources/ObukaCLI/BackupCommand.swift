import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka backup FILE`: a consistent copy of the live database, safe while the server runs and writes.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: helpText("cli.help.backup.abstract"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: .catalog("cli.help.backup.file")) var file: String

    func run() throws {
        let summary = try global.office().administration.backup(to: URL(fileURLWithPath: file))
        Console.line(global.localizer("backup.done", ["path": file, "events": String(summary.auditEvents),
                                                      "bytes": String(summary.bytes)]))
    }
}

/// `obuka restore FILE`: replaces the database with a backup after checking it.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: helpText("cli.help.restore.abstract"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: .catalog("cli.help.restore.file")) var file: String

    func run() throws {
        let summary = try DataAdministration.restore(dataDirectory: global.dataDirectory, from: URL(fileURLWithPath: file))
        Console.line(global.localizer("restore.done", ["path": file, "events": String(summary.auditEvents)]))
    }
}
