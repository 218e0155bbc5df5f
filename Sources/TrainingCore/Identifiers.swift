/// A typed database identifier, so a person id cannot be passed where a session id is expected.
public protocol TypedID: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// The raw row id.
    var rawValue: Int64 { get }
    /// Wraps a raw row id.
    init(rawValue: Int64)
}

extension TypedID {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// Identifies a person (a civil servant).
public struct PersonID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A department code such as `EIMS`, as listed in the District's organisation.
public struct DepartmentCode: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// The code in upper case, e.g. `EIMS`.
    public let rawValue: String
    /// Wraps a department code; codes are compared exactly.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
