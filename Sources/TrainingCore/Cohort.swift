/// Identifies a cohort.
public struct CohortID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// One run of a program version, e.g. "Dijaspora 2022 – grupa A".
public struct Cohort: Hashable, Codable, Sendable {
    /// Row id.
    public var id: CohortID
    /// Short handle used on the command line, e.g. `DIJ-2022-A`.
    public var code: String
    /// Display name.
    public var name: String
    /// The program it runs.
    public var programID: String
    /// The program version it runs.
    public var programVersion: Int
    /// First day.
    public var starts: LocalDate
    /// Last day.
    public var ends: LocalDate
    /// Places; further approved requests go to the waitlist.
    public var capacity: Int

    /// Creates a cohort.
    public init(id: CohortID, code: String, name: String, programID: String, programVersion: Int,
                starts: LocalDate, ends: LocalDate, capacity: Int) {
        self.id = id
        self.code = code
        self.name = name
        self.programID = programID
        self.programVersion = programVersion
        self.starts = starts
        self.ends = ends
        self.capacity = capacity
    }
}

/// Where a person stands in a cohort.
public enum EnrolmentStatus: String, Hashable, Codable, Sendable, CaseIterable {
    /// Asked for a place; a coordinator or department head decides.
    case requested
    /// Has a place.
    case approved
    /// Request refused (kept with its reason).
    case declined
    /// Approved but the cohort is full: first come, promoted automatically when a place frees.
    case waitlisted
    /// Left the cohort.
    case withdrawn
    /// Completed the program in this cohort.
    case completed

    /// Whether the enrolment takes one of the cohort's places.
    public var occupiesPlace: Bool { self == .approved || self == .completed }

    /// Whether the person is (or may still become) a participant.
    public var isActive: Bool { self == .approved || self == .completed || self == .waitlisted || self == .requested }
}

/// The enrolment rules: who gets a place, who waits, who moves up.
public enum EnrolmentPolicy {
    /// The status of an admitted person: a place if one is free, else the waitlist.
    public static func admission(occupiedPlaces: Int, capacity: Int) -> EnrolmentStatus {
        occupiedPlaces < capacity ? .approved : .waitlisted
    }

    /// The waitlisted enrolments to promote, first come first served, given the free places.
    public static func promotions<ID>(waitlist: [(position: Int, id: ID)], freePlaces: Int) -> [ID] {
        guard freePlaces > 0 else { return [] }
        return waitlist.sorted { $0.position < $1.position }.prefix(freePlaces).map(\.id)
    }

    /// Whether a change from one status to another is allowed.
    public static func canChange(from old: EnrolmentStatus, to new: EnrolmentStatus) -> Bool {
        switch (old, new) {
        case (.requested, .approved), (.requested, .waitlisted), (.requested, .declined), (.requested, .withdrawn),
             (.waitlisted, .approved), (.waitlisted, .withdrawn),
             (.approved, .withdrawn), (.approved, .completed),
             (.declined, .requested), (.withdrawn, .requested), (.withdrawn, .approved), (.withdrawn, .waitlisted),
             (.declined, .approved), (.declined, .waitlisted):
            true
        default:
            false
        }
    }
}

/// One of a person's enrolments, whatever its status.
public struct PersonEnrolment: Hashable, Sendable {
    public var cohort: Cohort
    public var status: EnrolmentStatus
    public var reason: String?

    /// Creates a value from its fields.
    public init(cohort: Cohort, status: EnrolmentStatus, reason: String? = nil) {
        self.cohort = cohort
        self.status = status
        self.reason = reason
    }
}

/// Why a cohort or enrolment change was refused.
public enum CohortError: UserFacingError, Equatable {
    case unknownCohort(code: String)
    case duplicateCohort(code: String)
    /// The last day is before the first.
    case endsBeforeStarts(starts: LocalDate, ends: LocalDate)
    /// Fewer than one place.
    case noPlaces
    case notEnrolled(personalNumber: String, cohort: String)
    case transitionNotAllowed(personalNumber: String, from: EnrolmentStatus, to: EnrolmentStatus)
    /// Fewer places than people who hold one.
    case placesBelowTaken(capacity: Int, taken: Int)
    /// New dates that would leave scheduled sessions outside the cohort (the first such day is named).
    case sessionsOutsideDates(count: Int, first: LocalDate)

    public var messageKey: String {
        switch self {
        case .unknownCohort: "cohort.error.unknown"
        case .duplicateCohort: "cohort.error.duplicate"
        case .endsBeforeStarts: "cohort.error.ends_before_starts"
        case .noPlaces: "cohort.error.no_places"
        case .notEnrolled: "enrolment.error.not_enrolled"
        case .transitionNotAllowed: "enrolment.error.transition"
        case .placesBelowTaken: "cohort.error.places_below_taken"
        case .sessionsOutsideDates: "cohort.error.sessions_outside"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .unknownCohort(let code), .duplicateCohort(let code): ["cohort": code]
        case .endsBeforeStarts, .noPlaces: [:]
        case .notEnrolled(let number, let cohort): ["personal_number": number, "cohort": cohort]
        case .transitionNotAllowed(let number, let from, let to):
            ["personal_number": number, "from": from.rawValue, "to": to.rawValue]
        case .placesBelowTaken(let capacity, let taken): ["capacity": String(capacity), "taken": String(taken)]
        case .sessionsOutsideDates(let count, _): ["count": String(count)]
        }
    }

    public var dateArguments: [String: LocalDate] {
        switch self {
        case .endsBeforeStarts(let starts, let ends): ["starts": starts, "ends": ends]
        case .sessionsOutsideDates(_, let first): ["first": first]
        default: [:]
        }
    }

    /// Statuses are shown as their words (“na listi čekanja”), never as codes.
    public var wordArguments: [String: String] {
        guard case .transitionNotAllowed(_, let from, let to) = self else { return [:] }
        return ["from": "enrolment.status.\(from.rawValue)", "to": "enrolment.status.\(to.rawValue)"]
    }

    public var field: String? {
        switch self {
        case .duplicateCohort: "code"
        case .endsBeforeStarts: "ends"
        case .noPlaces, .placesBelowTaken: "capacity"
        case .sessionsOutsideDates: "starts"
        default: nil
        }
    }
}

/// A person's enrolment in a cohort, as listed.
public struct EnrolmentEntry: Hashable, Sendable {
    public var person: Person
    public var status: EnrolmentStatus
    /// Arrival order (the waitlist is first come, first served).
    public var position: Int
    /// The department the person belonged to when enrolled.
    public var departmentAtEnrolment: DepartmentCode
    /// Reason given for a decline or withdrawal.
    public var reason: String?

    /// Creates a value from its fields.
    public init(person: Person, status: EnrolmentStatus, position: Int, departmentAtEnrolment: DepartmentCode,
                reason: String? = nil) {
        self.person = person
        self.status = status
        self.position = position
        self.departmentAtEnrolment = departmentAtEnrolment
        self.reason = reason
    }
}

/// What an enrolment change did, including automatic promotions from the waitlist.
public struct EnrolmentChange: Hashable, Sendable {
    public var personalNumber: String
    public var status: EnrolmentStatus
    /// Personal numbers promoted from the waitlist because this change freed a place.
    public var promoted: [String]

    /// Creates a value from its fields.
    public init(personalNumber: String, status: EnrolmentStatus, promoted: [String]) {
        self.personalNumber = personalNumber
        self.status = status
        self.promoted = promoted
    }
}

/// What enrolling a whole department into a cohort would do, shown before it is done.
public struct DepartmentEnrolmentPlan: Sendable {
    public var department: DepartmentCode
    /// Those who would be enrolled (a place, or the waitlist when the cohort is full).
    public var toEnrol: [Person]
    /// Those already holding, waiting for or having asked for a place in the cohort: skipped.
    public var alreadyInCohort: [Person]
    /// Those who completed the cohort's program in another cohort: skipped.
    public var completedProgram: [Person]

    /// Creates a plan.
    public init(department: DepartmentCode, toEnrol: [Person], alreadyInCohort: [Person], completedProgram: [Person]) {
        self.department = department
        self.toEnrol = toEnrol
        self.alreadyInCohort = alreadyInCohort
        self.completedProgram = completedProgram
    }
}
