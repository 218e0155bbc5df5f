/// The window in which department heads propose their training needs for a year: open from a day, read-only after its
/// deadline.
public struct NominationWindow: Hashable, Sendable {
    public var year: Int
    public var opens: LocalDate
    /// The last day proposals may be made or changed.
    public var deadline: LocalDate

    public init(year: Int, opens: LocalDate, deadline: LocalDate) {
        self.year = year
        self.opens = opens
        self.deadline = deadline
    }

    /// Whether proposals may be made or changed on a day.
    public func isOpen(on day: LocalDate) -> Bool { opens <= day && day <= deadline }
}

/// How much a department needs a training.
public enum NeedPriority: String, CaseIterable, Hashable, Sendable {
    case high, medium, low
}

/// A department's proposed need for a year: a program, the people nominated (or only a head count), a priority and a
/// reason.
public struct TrainingNeed: Hashable, Sendable {
    public var id: Int64
    public var year: Int
    public var department: DepartmentCode
    public var programID: String
    /// The people nominated by name (personal numbers); may be empty when only a head count is given.
    public var nominees: [Person]
    /// People asked for without naming them (nil: as many as are named).
    public var headCount: Int?
    public var priority: NeedPriority
    public var reason: String
    public var proposedBy: String
    public var withdrawn: Bool

    public init(id: Int64, year: Int, department: DepartmentCode, programID: String, nominees: [Person], headCount: Int?,
                priority: NeedPriority, reason: String, proposedBy: String, withdrawn: Bool = false) {
        self.id = id
        self.year = year
        self.department = department
        self.programID = programID
        self.nominees = nominees
        self.headCount = headCount
        self.priority = priority
        self.reason = reason
        self.proposedBy = proposedBy
        self.withdrawn = withdrawn
    }

    /// The places it asks for: the head count where given, else the people named.
    public var places: Int { max(headCount ?? 0, nominees.count) }
}

/// Why a proposal or a window is refused.
public enum NeedsError: UserFacingError, Equatable {
    case noWindow(year: Int)
    case windowClosed(year: Int, deadline: LocalDate)
    case windowNotYetOpen(year: Int, opens: LocalDate)
    case deadlineBeforeOpening(opens: LocalDate, deadline: LocalDate)
    /// Neither a person nor a head count.
    case nobody
    case headCountOutOfRange(value: Int)
    case reasonRequired
    case notInDepartment(personalNumber: String, department: String)
    case unknownNeed(id: Int64)

    public var messageKey: String {
        switch self {
        case .noWindow: "needs.error.no_window"
        case .windowClosed: "needs.error.closed"
        case .windowNotYetOpen: "needs.error.not_open"
        case .deadlineBeforeOpening: "needs.error.deadline"
        case .nobody: "needs.error.nobody"
        case .headCountOutOfRange: "needs.error.head_count"
        case .reasonRequired: "needs.error.reason"
        case .notInDepartment: "needs.error.not_in_department"
        case .unknownNeed: "needs.error.unknown"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .noWindow(let year), .windowClosed(let year, _), .windowNotYetOpen(let year, _): ["year": String(year)]
        case .headCountOutOfRange(let value): ["value": String(value)]
        case .notInDepartment(let number, let department): ["personal_number": number, "department": department]
        case .unknownNeed(let id): ["id": String(id)]
        case .deadlineBeforeOpening, .nobody, .reasonRequired: [:]
        }
    }

    public var dateArguments: [String: LocalDate] {
        switch self {
        case .windowClosed(_, let deadline): ["deadline": deadline]
        case .windowNotYetOpen(_, let opens): ["opens": opens]
        case .deadlineBeforeOpening(let opens, let deadline): ["opens": opens, "deadline": deadline]
        default: [:]
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .noWindow, .unknownNeed: .notFound
        default: .refused
        }
    }

    public var field: String? {
        switch self {
        case .nobody, .notInDepartment: "people"
        case .headCountOutOfRange: "head_count"
        case .reasonRequired: "reason"
        case .deadlineBeforeOpening: "deadline"
        default: nil
        }
    }
}
