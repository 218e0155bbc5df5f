import Foundation

/// Runs the built `obuka` executable as a user would, in its own data directory.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let dataDirectory: URL
    var environment: [String: String] = [:]
    /// Seconds after which a run is killed (`timeout` exits 124), for commands that might not return.
    var timeout: Int?

    /// A runner with a fresh, not yet created, data directory under the temporary folder.
    init() {
        dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("obuka-cli-\(UUID().uuidString)")
            .appendingPathComponent("var")
    }

    /// The `obuka` binary next to the test bundle (SwiftPM puts products and tests in one folder).
    static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !folder.path.isEmpty, folder.path != "/" {
            let candidate = folder.appendingPathComponent("obuka")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/obuka")
    }

    /// The repository root (holds `Curriculum/`), found from this source file.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @discardableResult
    func run(_ arguments: String...) throws -> Result {
        try run(arguments)
    }

    func run(_ arguments: [String]) throws -> Result {
        let process = try makeProcess(arguments)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and deadlock.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts a command that keeps running (`serve`), its output discarded; the caller terminates it.
    func start(_ arguments: [String]) throws -> Process {
        let process = try makeProcess(arguments)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func makeProcess(_ arguments: [String]) throws -> Process {
        let process = Process()
        if let timeout {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = [String(timeout), Self.executable.path] + arguments
        } else {
            process.executableURL = Self.executable
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["OBUKA_DATA"] = dataDirectory.path
        environment["OBUKA_HOME"] = Self.repositoryRoot.path
        environment.removeValue(forKey: "OBUKA_LANG")
        environment.removeValue(forKey: "OBUKA_ACTOR")
        for (key, value) in self.environment { environment[key] = value }
        process.environment = environment
        return process
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: dataDirectory.deletingLastPathComponent())
    }
}

extension CLIRunner {
    /// A data directory with the demo seeded on 2026-11-25.
    static func seededDemo(environment: [String: String] = [:]) throws -> CLIRunner {
        var cli = CLIRunner()
        cli.environment = environment.merging(["OBUKA_NOW": "2026-11-25 12:00"]) { given, _ in given }
        try cli.run("init")
        try cli.run("demo", "seed")
        return cli
    }

    /// A data directory with the demo seeded on 2026-11-25 and DIJ-A's certificate signatory set.
    static func seededForCertificates(publicURL: String? = nil) throws -> CLIRunner {
        let cli = try seededDemo(environment: publicURL.map { ["OBUKA_PUBLIC_URL": $0] } ?? [:])
        try cli.run("certificate", "settings", "DIJ-A", "--signatory-name", "Amra Hadžić", "--signatory-title",
                    "Šefica Odjeljenja", "--place", "Brčko")
        return cli
    }

    /// A file beside the data directory (removed with it by `cleanUp`).
    func path(_ name: String) -> String {
        dataDirectory.deletingLastPathComponent().appendingPathComponent(name).path
    }
}

extension CLIRunner {
    /// Runs another program (sqlite3, pdftotext) and returns what it printed.
    static func tool(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
