/// The annual training plan: per year, versions; a draft takes items, an approval (who, when, and the number and date
/// of the decision that adopted it) makes a version immutable, and an amendment (izmjene i dopune) is a new version
/// that starts as a copy of the approved one.
public struct PlanVersion: Hashable, Sendable {
    /// The decision that adopted a version.
    public struct Approval: Hashable, Sendable {
        public var by: String
        public var at: String
        public var decisionNumber: String
        public var decisionDate: LocalDate

        public init(by: String, at: String, decisionNumber: String, decisionDate: LocalDate) {
            self.by = by
            self.at = at
            self.decisionNumber = decisionNumber
            self.decisionDate = decisionDate
        }
    }

    public var year: Int
    public var version: Int
    public var approval: Approval?
    public var items: [PlanItem]

    public init(year: Int, version: Int, approval: Approval?, items: [PlanItem]) {
        self.year = year
        self.version = version
        self.approval = approval
        self.items = items
    }

    public var isApproved: Bool { approval != nil }

    /// Planned places of every item, by department.
    public var placesByDepartment: [DepartmentCode: Int] {
        items.reduce(into: [:]) { total, item in for (department, places) in item.places { total[department, default: 0] += places } }
    }
}

/// Where the money for a plan item comes from.
public enum Funding: Hashable, Sendable {
    case budget
    /// A donor project, by name.
    case donor(String)
}

/// A line of the plan: a program in a quarter, how many cohorts, the places per department, participant-hours and cost.
public struct PlanItem: Hashable, Sendable {
    public var id: Int64
    public var programID: String
    public var quarter: Int
    public var cohorts: Int
    public var places: [DepartmentCode: Int]
    public var participantHours: Double
    /// Planned cost in KM, in fenings (1 KM = 100), so sums are exact.
    public var costFenings: Int
    public var funding: Funding

    public init(id: Int64, programID: String, quarter: Int, cohorts: Int, places: [DepartmentCode: Int], participantHours: Double,
                costFenings: Int, funding: Funding) {
        self.id = id
        self.programID = programID
        self.quarter = quarter
        self.cohorts = cohorts
        self.places = places
        self.participantHours = participantHours
        self.costFenings = costFenings
        self.funding = funding
    }

    public var totalPlaces: Int { places.values.reduce(0, +) }

    /// What identifies the same line across versions: the program and the quarter.
    public var key: String { Self.key(programID: programID, quarter: quarter) }

    /// The line of a program in a quarter.
    public static func key(programID: String, quarter: Int) -> String { "\(programID)#\(quarter)" }
}

/// How one version of a plan differs from another, line by line (a line is a program in a quarter).
public struct PlanDifference: Hashable, Sendable {
    public enum Change: Hashable, Sendable {
        case added(PlanItem)
        case removed(PlanItem)
        case changed(from: PlanItem, to: PlanItem, fields: [String])
    }

    public var changes: [Change]

    /// The lines added, removed or changed from `old` to `new`, in program and quarter order.
    public init(from old: PlanVersion, to new: PlanVersion) {
        let before = Dictionary(old.items.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.items.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [(String, Change)] = []
        for (key, item) in after {
            guard let previous = before[key] else {
                changes.append((key, .added(item)))
                continue
            }
            var fields: [String] = []
            if previous.cohorts != item.cohorts { fields.append("cohorts") }
            if previous.places != item.places { fields.append("places") }
            if previous.participantHours != item.participantHours { fields.append("participant_hours") }
            if previous.costFenings != item.costFenings { fields.append("cost") }
            if previous.funding != item.funding { fields.append("funding") }
            if !fields.isEmpty { changes.append((key, .changed(from: previous, to: item, fields: fields))) }
        }
        for (key, item) in before where after[key] == nil { changes.append((key, .removed(item))) }
        self.changes = changes.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// Places per department as people write them: `EIMS=10`, several separated by commas or given one by one.
public enum PlannedPlaces {
    /// The places of each department named; a part without `=` or with a bad number is refused, naming it.
    public static func parse(_ entries: [String]) throws -> [DepartmentCode: Int] {
        var places: [DepartmentCode: Int] = [:]
        let parts: [String] = entries.flatMap { entry in entry.split(separator: ",").map { String($0).trimmingWhitespace } }
        for part in parts where !part.isEmpty {
            let halves = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace }
            guard halves.count == 2, !halves[0].isEmpty else { throw PlanError.badPlaces(value: part) }
            let code = halves[0].uppercased()
            places[DepartmentCode(code), default: 0] += try NumberField.plannedPlaces.readWhole(halves[1], field: code)
        }
        return places
    }
}

/// Why a plan change is refused.
public enum PlanError: UserFacingError, Equatable {
    case noPlan(year: Int)
    /// The version is approved: an amendment is a new version.
    case approved(year: Int, version: Int)
    case draftExists(year: Int, version: Int)
    case quarterOutOfRange(value: Int)
    case noPlaces
    case emptyPlan(year: Int)
    case decisionRequired
    case unknownItem(id: Int64)
    case donorRequired
    /// A part of the places that is not `DEPARTMENT=NUMBER`.
    case badPlaces(value: String)

    public var messageKey: String {
        switch self {
        case .noPlan: "plan.error.no_plan"
        case .approved: "plan.error.approved"
        case .draftExists: "plan.error.draft_exists"
        case .quarterOutOfRange: "plan.error.quarter"
        case .noPlaces: "plan.error.no_places"
        case .emptyPlan: "plan.error.empty"
        case .decisionRequired: "plan.error.decision"
        case .unknownItem: "plan.error.unknown_item"
        case .donorRequired: "plan.error.donor"
        case .badPlaces: "plan.error.places"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .noPlan(let year), .emptyPlan(let year): ["year": String(year)]
        case .approved(let year, let version), .draftExists(let year, let version): ["year": String(year), "version": String(version)]
        case .quarterOutOfRange(let value): ["value": String(value)]
        case .unknownItem(let id): ["id": String(id)]
        case .badPlaces(let value): ["value": value]
        case .noPlaces, .decisionRequired, .donorRequired: [:]
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .noPlan, .unknownItem: .notFound
        default: .refused
        }
    }

    public var field: String? {
        switch self {
        case .quarterOutOfRange: "quarter"
        case .noPlaces, .badPlaces: "places"
        case .decisionRequired: "decision_number"
        case .donorRequired: "donor"
        default: nil
        }
    }
}
