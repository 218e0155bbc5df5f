/// A problem found in an XML file, with its position.
///
/// Printed as `file:line:col: message`, or `file:line: message` where libxml2 gives no column
/// (schema validity errors), or `file: message` for whole-file problems (size, unreadable).
public struct XMLDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of check found the problem.
    public enum Kind: String, Hashable, Sendable {
        /// The file could not be read or is too large.
        case file
        /// A construct refused for safety (DOCTYPE, external resources).
        case forbidden
        /// Not well-formed XML; parsing stopped here.
        case wellFormedness
        /// Well-formed but not valid against the schema.
        case validity
        /// Valid against the schema but breaking a rule the schema cannot express.
        case semantic
    }

    /// The file's name as given by the caller.
    public var file: String
    /// 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column where libxml2 knows it.
    public var column: Int?
    /// What is wrong.
    public var message: String
    /// Which check found it.
    public var kind: Kind

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int? = nil, message: String, kind: Kind) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.kind = kind
    }

    public var description: String {
        guard line > 0 else { return "\(file): \(message)" }
        return "\(file):\(line):\(column.map { "\($0):" } ?? "") \(message)"
    }
}

/// One or more problems that stop a file from being used; all validity and semantic problems are
/// reported together, a well-formedness problem alone (the parse stops there).
public struct XMLDiagnostics: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var items: [XMLDiagnostic]

    /// Wraps a non-empty list of problems.
    public init(_ items: [XMLDiagnostic]) { self.items = items }

    public var description: String { items.map(\.description).joined(separator: "\n") }
}
