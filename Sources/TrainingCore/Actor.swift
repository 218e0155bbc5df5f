/// Who made a change, as written into the audit log.
///
/// A signed-in account (`account:<login>`), or on the command line `--actor` / `OBUKA_ACTOR`,
/// defaulting to `cli:<os user>`.
public struct Actor: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The actor as stored, e.g. `cli:amra` or `account:coordinator`.
    public let rawValue: String

    /// Wraps an actor string; empty strings are not actors.
    public init?(_ rawValue: String) {
        let trimmed = rawValue.trimmingWhitespace
        guard !trimmed.isEmpty, trimmed.count <= 200 else { return nil }
        self.rawValue = trimmed
    }

    /// The command-line actor for an operating-system user.
    public static func commandLine(osUser: String) -> Actor {
        Actor("cli:\(osUser.isEmpty ? "unknown" : osUser)")!
    }

    /// Chooses the CLI actor: an explicit option wins over the environment, which wins over the OS user.
    public static func resolve(option: String?, environment: String?, osUser: String) -> Actor {
        if let option, let actor = Actor(option) { return actor }
        if let environment, let actor = Actor(environment) { return actor }
        return .commandLine(osUser: osUser)
    }

    public var description: String { rawValue }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    public var trimmingWhitespace: String {
        // Fast path (imports trim every cell): ends that are plain ASCII non-space need no work.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return self
        }
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
