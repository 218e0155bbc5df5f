import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The District relay obuka hands mail to, from `OBUKA_SMTP_*`: host and port, STARTTLS (or TLS from the first byte,
/// or none on loopback), the login, the sender, and a time limit on each hand-over. The password is never here: it
/// lives in `smtp-password` (0600) in the data directory, which msmtp reads itself.
public struct MailSettings: Sendable, Equatable {
    public enum Security: String, Sendable {
        case starttls, tls, none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String?
    public var from: String
    public var fromName: String
    /// Seconds a hand-over may take, connection included.
    public var timeout: Int
    /// A CA file to trust instead of the system's (a test's own certificate).
    public var trustFile: String?

    public init(host: String, port: Int, security: Security, user: String?, from: String, fromName: String, timeout: Int,
                trustFile: String?) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.from = from
        self.fromName = fromName
        self.timeout = timeout
        self.trustFile = trustFile
    }

    /// Why settings could not be read: the variable and what is wrong with it.
    public struct Problem: Error, Equatable, Sendable {
        public var variable: String
        public var value: String

        public init(variable: String, value: String) {
            self.variable = variable
            self.value = value
        }
    }

    /// The settings in an environment, nil when `OBUKA_SMTP_HOST` is not set (mail is then "not configured": queued
    /// and shown, not sent).
    public static func from(environment: [String: String]) throws(Problem) -> MailSettings? {
        guard let host = environment["OBUKA_SMTP_HOST"]?.trimmingCharacters(in: .whitespaces), !host.isEmpty else { return nil }
        guard !host.contains(where: { $0.isWhitespace || $0 == "\"" || $0.isNewline }) else {
            throw Problem(variable: "OBUKA_SMTP_HOST", value: host)
        }
        let security = try environment["OBUKA_SMTP_SECURITY"].map { value throws(Problem) -> Security in
            guard let security = Security(rawValue: value) else { throw Problem(variable: "OBUKA_SMTP_SECURITY", value: value) }
            return security
        } ?? .starttls
        let port = try number("OBUKA_SMTP_PORT", environment, default: security == .tls ? 465 : 587, range: 1...65_535)
        let timeout = try number("OBUKA_SMTP_TIMEOUT", environment, default: 30, range: 1...600)
        let from = environment["OBUKA_SMTP_FROM"] ?? "obuka@\(host)"
        for (variable, value) in [("OBUKA_SMTP_FROM", from), ("OBUKA_SMTP_USER", environment["OBUKA_SMTP_USER"] ?? "")]
        where value.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "\"" }) {
            throw Problem(variable: variable, value: value)
        }
        return MailSettings(host: host, port: port, security: security, user: environment["OBUKA_SMTP_USER"].flatMap { $0.isEmpty ? nil : $0 },
                            from: from, fromName: environment["OBUKA_SMTP_FROM_NAME"] ?? "obuka", timeout: timeout,
                            trustFile: environment["OBUKA_SMTP_TRUST_FILE"])
    }

    private static func number(_ variable: String, _ environment: [String: String], default value: Int,
                               range: ClosedRange<Int>) throws(Problem) -> Int {
        guard let text = environment[variable] else { return value }
        guard let number = Int(text), range.contains(number) else { throw Problem(variable: variable, value: text) }
        return number
    }
}

/// Hands a message to `msmtp`, the system's mail submission program, which speaks SMTP with STARTTLS and
/// authentication to the relay. obuka writes msmtp's configuration into the data directory (0600) and names the
/// password file there; nothing secret is ever an argument. Each hand-over is bounded by the settings' timeout.
public struct MailSubmission: Sendable {
    public let settings: MailSettings
    /// The data directory: `msmtp.conf` is written there, `smtp-password` read from there.
    public let directory: URL
    public var program = "/usr/bin/msmtp"

    public init(settings: MailSettings, directory: URL) {
        self.settings = settings
        self.directory = directory
    }

    /// The password file's place.
    public var passwordFile: URL { directory.appendingPathComponent("smtp-password") }

    /// Why a hand-over failed: the relay's or msmtp's own words, or that it took too long.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: String
    }

    /// msmtp's configuration for the settings.
    public func configuration() -> String {
        var lines = [
            "# Written by obuka from OBUKA_SMTP_*; changes here are overwritten.",
            "defaults", "auth \(settings.user == nil ? "off" : "on")",
            "tls \(settings.security == .none ? "off" : "on")",
            "tls_starttls \(settings.security == .starttls ? "on" : "off")",
            "timeout \(settings.timeout)",
        ]
        if let trust = settings.trustFile { lines.append("tls_trust_file \(trust)") } else if settings.security != .none {
            lines.append("tls_trust_file system")
        }
        lines += ["account obuka", "host \(settings.host)", "port \(settings.port)", "from \(settings.from)"]
        if let user = settings.user {
            lines += ["user \(user)", "passwordeval \"cat '\(passwordFile.path)'\""]
        }
        lines.append("account default : obuka")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Submits a message to one recipient. Returns when the relay accepted it; throws `Failure` otherwise.
    public func submit(_ message: Data, to recipient: String) throws(Failure) {
        guard !recipient.hasPrefix("-"), !recipient.contains(where: { $0.isWhitespace }) else {
            throw Failure(reason: "invalid recipient address")
        }
        let config = directory.appendingPathComponent("msmtp.conf")
        do {
            try Data(configuration().utf8).write(to: config, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config.path)
        } catch {
            throw Failure(reason: "cannot write \(config.path): \(error.localizedDescription)")
        }
        // The message and msmtp's answer go through files, not pipes: nothing can block on a pipe nobody reads.
        let spool = directory.appendingPathComponent("msmtp-\(UUID().uuidString)")
        let file = spool.appendingPathExtension("eml"), answer = spool.appendingPathExtension("log")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: answer)
        }
        guard FileManager.default.createFile(atPath: file.path, contents: message, attributes: [.posixPermissions: 0o600]) else {
            throw Failure(reason: "cannot write in \(directory.path)")
        }
        // Spawned and waited for directly (waitpid with a deadline), not through Foundation's Process, whose exit
        // notification a host process (a test runner) can hold back.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, file.path, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, answer.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let words: [String] = [program, "--file=\(config.path)", "--", recipient]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, arguments, environ)
        guard spawned == 0 else { throw Failure(reason: "\(program): \(String(cString: strerror(spawned)))") }
        // msmtp has its own timeout for the network; this one also ends a hang anywhere else.
        let deadline = Date().addingTimeInterval(Double(settings.timeout + 5))
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw Failure(reason: "no answer from \(settings.host):\(settings.port) within \(settings.timeout) s")
            }
            usleep(10_000)
        }
        let said = ((try? String(contentsOf: answer, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        guard exitStatus == 0 else {
            throw Failure(reason: said.isEmpty ? "msmtp exit status \(exitStatus)" : String(said.prefix(500)))
        }
    }
}
