import Foundation
import Testing

/// A damaged database is never written to: the walk damaged one page, and `obuka serve` started and took writes while
/// `obuka venue add` wrote with exit 0. Now the file is checked when opened for writing (and by the server at its
/// start), a damage marker beside it refuses every later write, and the messages name the file.
@Suite struct DamagedDatabaseTests {
    static func sqlite(_ path: String, _ sql: String) throws -> String {
        try CLIRunner.tool("/usr/bin/sqlite3", [path, sql]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func digest(_ path: String) throws -> String {
        try CLIRunner.tool("/usr/bin/sha256sum", [path]).split(separator: " ").first.map(String.init) ?? ""
    }

    /// Overwrites the page-type byte of the attendance table's root page, as a bad sector or a torn write would.
    static func damage(_ database: String) throws {
        _ = try sqlite(database, "PRAGMA wal_checkpoint(TRUNCATE)")
        let page = try #require(Int(try sqlite(database, "SELECT rootpage FROM sqlite_schema WHERE name = 'attendance'")))
        let size = try #require(Int(try sqlite(database, "PRAGMA page_size")))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: database))
        try handle.seek(toOffset: UInt64((page - 1) * size))
        try handle.write(contentsOf: Data([0x00, 0xFF, 0xFF, 0xFF]))
        try handle.close()
    }

    @Test func aDamagedPageIsFoundAndTheFileIsNeverWrittenTo() throws {
        var cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        cli.timeout = 60
        let database = cli.dataDirectory.appendingPathComponent("obuka.sqlite").path
        let backup = cli.path("prije.sqlite")
        #expect(try cli.run("backup", backup).status == 0)
        try Self.damage(database)
        let before = try Self.digest(database)

        // A CLI write is refused before it writes, naming the file.
        let write = try cli.run("venue", "add", "Sala 9", "--capacity", "10", "--lang", "en")
        #expect(write.status == 1 && write.stderr.contains(database) && write.stderr.contains("damaged"), "\(write.stderr)")
        #expect(FileManager.default.fileExists(atPath: database + ".damaged"))
        #expect(try Self.digest(database) == before)

        // The server refuses to start on it, naming the file.
        let serve = try cli.run("serve", "--port", "0", "--lang", "en")
        #expect(serve.status == 1 && serve.stderr.contains(database) && serve.stderr.contains("damaged"), "\(serve.stderr)")
        #expect(try Self.digest(database) == before)
        // Also when the marker is gone (another copy of the file): the start's check finds the damage itself.
        try FileManager.default.removeItem(atPath: database + ".damaged")
        let again = try cli.run("serve", "--port", "0", "--lang", "en")
        #expect(again.status == 1 && again.stderr.contains(database), "\(again.stderr)")
        #expect(try Self.digest(database) == before)

        // Status says so and points to restore; reading commands still read.
        let status = try cli.run("status", "--lang", "en")
        #expect(status.status == 1 && status.stdout.contains("DAMAGED") && status.stdout.contains("obuka restore"), "\(status.stdout)")
        #expect(try cli.run("cohort", "list").status == 0)

        // Restoring the backup ends it.
        #expect(try cli.run("restore", backup).status == 0)
        #expect(!FileManager.default.fileExists(atPath: database + ".damaged"))
        #expect(try cli.run("venue", "add", "Sala 9", "--capacity", "10").status == 0)
        let checked = try cli.run("status", "--check", "--lang", "en")
        #expect(checked.status == 0 && checked.stdout.contains("no fault found"), "\(checked.stdout)")
    }
}
