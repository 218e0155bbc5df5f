import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka backup FILE`: a consistent copy of the live database, safe while the server runs and writes.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the database into FILE (SQLite online backup; the server may keep running).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to write.") var file: String

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
        abstract: "Replace the database with a backup: integrity, schema version and audit chain are checked first (stop the server).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file.") var file: String

    func run() throws {
        let summary = try DataAdministration.restore(dataDirectory: global.dataDirectory, from: URL(fileURLWithPath: file))
        Console.line(global.localizer("restore.done", ["path": file, "events": String(summary.auditEvents)]))
    }
}
