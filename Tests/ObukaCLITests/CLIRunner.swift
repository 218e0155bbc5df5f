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
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OBUKA_DATA"] = dataDirectory.path
        environment["OBUKA_HOME"] = Self.repositoryRoot.path
        environment.removeValue(forKey: "OBUKA_LANG")
        environment.removeValue(forKey: "OBUKA_ACTOR")
        for (key, value) in self.environment { environment[key] = value }
        process.environment = environment
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

    func cleanUp() {
        try? FileManager.default.removeItem(at: dataDirectory.deletingLastPathComponent())
    }
}
