import Foundation
import Testing

/// Startup refusals and backup/restore through the built binary (issue "Reliability").
@Suite struct ReliabilityCommandTests {
    /// Runs `sqlite3` on a file and returns its output.
    static func sqlite(_ path: String, _ sql: String) throws -> String { try CLIRunner.tool("/usr/bin/sqlite3", [path, sql]) }

    static func digest(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func serveRefusesEveryBadStartWithAMessageAndChangesNothing() throws {
        // A missing data directory: not created.
        let missing = CLIRunner()
        defer { missing.cleanUp() }
        let noDirectory = try missing.run("serve", "--port", "0", "--lang", "en")
        #expect(noDirectory.status == 1 && noDirectory.stderr.contains("obuka init"))
        #expect(!FileManager.default.fileExists(atPath: missing.dataDirectory.path))

        // A foreign SQLite file: refused and untouched.
        let foreign = CLIRunner()
        defer { foreign.cleanUp() }
        try FileManager.default.createDirectory(at: foreign.dataDirectory, withIntermediateDirectories: true)
        let file = foreign.dataDirectory.appendingPathComponent("obuka.sqlite").path
        _ = try Self.sqlite(file, "CREATE TABLE notes (x); INSERT INTO notes VALUES (1);")
        let before = Self.digest(file)
        let foreignResult = try foreign.run("serve", "--port", "0", "--lang", "en")
        #expect(foreignResult.status == 1 && foreignResult.stderr.contains("not an obuka database")
                || foreignResult.stderr.contains("another application"))
        #expect(Self.digest(file) == before)

        // A newer schema than this binary knows: refused, nothing migrated.
        let newer = CLIRunner()
        defer { newer.cleanUp() }
        try newer.run("init")
        let database = newer.dataDirectory.appendingPathComponent("obuka.sqlite").path
        _ = try Self.sqlite(database, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        let newerResult = try newer.run("serve", "--port", "0", "--lang", "en")
        #expect(newerResult.status == 1 && newerResult.stderr.contains("v99-from-the-future"))

        // A corrupted file.
        let corrupt = CLIRunner()
        defer { corrupt.cleanUp() }
        try corrupt.run("init")
        let damaged = corrupt.dataDirectory.appendingPathComponent("obuka.sqlite")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: damaged.path + suffix) }
        try Data(repeating: 0x42, count: 8192).write(to: damaged)
        let corruptResult = try corrupt.run("serve", "--port", "0", "--lang", "en")
        #expect(corruptResult.status == 1 && corruptResult.stderr.contains("not a valid database"))
    }

    @Test func unwritableDataDirectoryIsRefused() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        // Root ignores file modes, so make the folder read-only with a read-only bind mount when root.
        let folder = cli.dataDirectory.path
        let root = getuid() == 0
        if root {
            guard Self.mount(["--bind", folder, folder]) == 0, Self.mount(["-o", "remount,ro,bind", folder]) == 0 else { return }
        } else {
            chmod(folder, 0o500)
        }
        defer { if root { _ = Self.mount(["-l", folder], unmount: true) } else { chmod(folder, 0o700) } }
        let result = try cli.run("attendance", "record", "1", "1000", "--status", "present", "--lang", "en")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: Cannot write to ") && result.stderr.contains("permissions"),
                "\(result.stderr)")
    }

    static func mount(_ arguments: [String], unmount: Bool = false) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: unmount ? "/bin/umount" : "/bin/mount")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func backupWhileTheServerWritesThenRestoreGivesEveryTableBack() throws {
        let cli = try CLIRunner.seededForCertificates()
        defer { cli.cleanUp() }
        // The server runs, and a writer keeps recording attendance while the backup is taken.
        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["OBUKA_DATA"] = cli.dataDirectory.path
        environment["OBUKA_HOME"] = CLIRunner.repositoryRoot.path
        environment["OBUKA_NOW"] = "2026-11-25 12:00"
        server.environment = environment
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "for m in 100 110 120 130 140 150; do \"$0\" attendance record 1 1000 --status late --minutes $m; done",
                            CLIRunner.executable.path]
        writer.environment = environment
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        let backup = cli.path("backup.sqlite")
        let made = try cli.run("backup", backup, "--lang", "en")
        writer.waitUntilExit()
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("Backup written"))

        // Restore into a fresh data directory and compare every table with the backup.
        var restored = CLIRunner()
        restored.environment = cli.environment
        defer { restored.cleanUp() }
        try restored.run("init")
        let restoreResult = try restored.run("restore", backup, "--lang", "en")
        #expect(restoreResult.status == 0, "\(restoreResult.stderr)")
        let database = restored.dataDirectory.appendingPathComponent("obuka.sqlite").path
        let tables = try Self.sqlite(backup, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .split(separator: "\n").map(String.init)
        #expect(tables.contains("attendance") && tables.contains("certificate") && tables.count > 20)
        for table in tables {
            let dump = "SELECT * FROM \"\(table)\" ORDER BY 1"
            #expect(try Self.sqlite(backup, dump) == Self.sqlite(database, dump), "table \(table) differs after restore")
        }
        #expect(try restored.run("audit", "verify").status == 0)
        #expect(FileManager.default.fileExists(atPath: database + ".before-restore"))

        // A damaged backup is refused and the database stays as it was.
        let damaged = cli.path("damaged.sqlite")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        for index in stride(from: 8192, to: min(bytes.count, 40960), by: 97) { bytes[index] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let before = Self.digest(database)
        let refused = try restored.run("restore", damaged, "--lang", "en")
        #expect(refused.status == 1 && refused.stderr.contains("nothing was replaced"), "\(refused.stderr)")
        #expect(Self.digest(database) == before)
    }
}
