import ArgumentParser
import TrainingStore
import TrainingCore

/// `obuka init`: creates the data directory and database, or migrates an existing one.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the data directory and database (or migrate an existing one).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let directory = global.dataDirectory
        let (_, created) = try directory.initialize()
        let t = global.localizer
        Console.line(t(created ? "init.created" : "init.existing", ["path": directory.databaseURL.path]))
    }
}

/// `obuka status`: where the data lives, its size, schema version and rows per table.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the data directory, database size, schema version and row counts.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let directory = global.dataDirectory
        let database = try global.openReadOnlyDatabase()
        let status = try database.status()
        let t = global.localizer
        Console.line(t("status.data_directory", ["path": directory.url.path]))
        Console.line(t("status.database", ["path": directory.databaseURL.path, "size": formatBytes(directory.databaseSize())]))
        Console.line(t("status.schema", ["version": status.schemaVersion,
                                         "migrations": t.plural("status.migrations", count: status.migrationCount)]))
        Console.line()
        Console.table([t("status.table"), t("status.rows")], status.tableCounts.map { [$0.table, String($0.rows)] })
    }

    private func formatBytes(_ bytes: Int64) -> String {
        bytes < 1024 * 1024 ? "\(bytes / 1024) KiB" : String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
