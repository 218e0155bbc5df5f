import Foundation
import Testing

@Suite struct SkeletonCommandTests {
    /// cairo, pango and libqrencode bring some forty shared objects: they are opened when something is drawn,
    /// so a command that draws nothing does not load them at its start.
    @Test func theBinaryDoesNotLinkTheGraphicsLibraries() throws {
        let dynamic = try CLIRunner.tool("/usr/bin/readelf", ["--dynamic", CLIRunner.executable.path])
        let needed = dynamic.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(needed.contains { $0.contains("libsqlite3") }, "\(dynamic)")
        #expect(!needed.contains { $0.contains("pango") || $0.contains("cairo") || $0.contains("qrencode") || $0.contains("glib") },
                "\(needed.joined(separator: "\n"))")
    }

    @Test func commandsRefuseAMissingDataDirectoryWithoutCreatingOne() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let result = try cli.run("status")
        #expect(result.status != 0)
        #expect(result.stderr.contains("obuka init"))
        #expect(!FileManager.default.fileExists(atPath: cli.dataDirectory.path))
    }

    @Test func initThenStatusShowsTablesAndSchema() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run("init").status == 0)
        let status = try cli.run("status", "--lang", "en")
        #expect(status.status == 0)
        #expect(status.stdout.range(of: #"Schema version: v\d+-[a-z-]+ \(\d+ migrations\)"#, options: .regularExpression) != nil)
        #expect(status.stdout.range(of: #"department\s+17"#, options: .regularExpression) != nil)
    }

    @Test func departmentsListInCyrillic() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        let result = try cli.run("departments", "list", "--lang", "sr-Cyrl")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Одјељење за европске интеграције и међународну сарадњу"))
    }

    @Test func aCorruptedDatabaseIsAClearErrorNotACrash() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        let file = cli.dataDirectory.appendingPathComponent("obuka.sqlite")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        try Data(repeating: 0x41, count: 4096).write(to: file)
        let result = try cli.run("status", "--lang", "en")
        #expect(result.status == 1)
        #expect(result.stderr == "Error: The file \(file.path) is not a valid database (damaged or not SQLite). Nothing was changed; restore a backup.\n")
    }

    @Test func auditVerifyOnAFreshDatabaseIsIntact() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        let result = try cli.run("audit", "verify", "--lang", "en")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("The audit log is intact: 0 events"))
    }
}
