/// A cohort of a year as the realisation report sees it: the plan line it delivers (if linked), the places held and
/// completions by the department people were enrolled from, the hours attended, its actual cost, and who held a place.
public struct DeliveredCohort: Hashable, Sendable {
    public var code: String
    public var programID: String
    /// The plan line (program and quarter) of the item it is linked to, in the plan's year.
    public var planKey: String?
    public var places: [DepartmentCode: Int]
    public var completions: [DepartmentCode: Int]
    public var presentMinutes: Int
    public var actualCostFenings: Int?
    /// Personal numbers of those holding a place.
    public var placeHolders: Set<String>

    public init(code: String, programID: String, planKey: String?, places: [DepartmentCode: Int], completions: [DepartmentCode: Int],
                presentMinutes: Int, actualCostFenings: Int?, placeHolders: Set<String>) {
        self.code = code
        self.programID = programID
        self.planKey = planKey
        self.places = places
        self.completions = completions
        self.presentMinutes = presentMinutes
        self.actualCostFenings = actualCostFenings
        self.placeHolders = placeHolders
    }

    public var totalPlaces: Int { places.values.reduce(0, +) }
    public var totalCompletions: Int { completions.values.reduce(0, +) }
}

/// Planned against delivered for a year: per plan line, per department, training outside the plan, needs met.
public struct RealisationFigures: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var item: PlanItem
        public var cohorts: [String]
        public var deliveredPlaces, completions: Int
        public var deliveredHours: Double
        public var actualCostFenings: Int
        /// Its cohorts' module ratings whose deadlines have passed (figures from `ReactionRules.minimumAnswers` answers).
        public var ratings = RatingTally()
        /// Its cohorts' learning gain in percentage points, over `gainPairs` trainees' pre-test and test (nil without).
        public var gain: Double?
        public var gainPairs = 0
    }
    public struct DepartmentLine: Hashable, Sendable {
        public var department: DepartmentCode
        public var plannedPlaces, deliveredPlaces, completions: Int
        /// People named in the department's needs, and how many of them held a place in a cohort of that program.
        public var nominated, nominatedServed: Int
    }

    public var year: Int
    public var plan: PlanVersion?
    public var lines: [Line]
    /// Cohorts of the year linked to no line of its plan.
    public var unplanned: [DeliveredCohort]
    public var departments: [DepartmentLine]

    public var plannedPlaces: Int { lines.reduce(0) { $0 + $1.item.totalPlaces } }
    public var deliveredPlaces: Int { lines.reduce(0) { $0 + $1.deliveredPlaces } + unplanned.reduce(0) { $0 + $1.totalPlaces } }
    public var completions: Int { lines.reduce(0) { $0 + $1.completions } + unplanned.reduce(0) { $0 + $1.totalCompletions } }
    public var plannedCostFenings: Int { lines.reduce(0) { $0 + $1.item.costFenings } }
    public var actualCostFenings: Int { lines.reduce(0) { $0 + $1.actualCostFenings } + unplanned.reduce(0) { $0 + ($1.actualCostFenings ?? 0) } }
}

/// The realisation of a year's plan, decided once here from what the store gathers.
public enum Realisation {
    /// Planned (the newest approved version) against the year's cohorts; a cohort counts for the line it is linked to.
    public static func figures(year: Int, plan: PlanVersion?, cohorts: [DeliveredCohort], needs: [TrainingNeed]) -> RealisationFigures {
        let items = plan?.items ?? []
        let keys = Set(items.map(\.key))
        let lines = items.map { item in
            let delivering = cohorts.filter { $0.planKey == item.key }
            return RealisationFigures.Line(
                item: item, cohorts: delivering.map(\.code).sorted(), deliveredPlaces: delivering.reduce(0) { $0 + $1.totalPlaces },
                completions: delivering.reduce(0) { $0 + $1.totalCompletions },
                deliveredHours: Double(delivering.reduce(0) { $0 + $1.presentMinutes }) / 60,
                actualCostFenings: delivering.reduce(0) { $0 + ($1.actualCostFenings ?? 0) })
        }
        let unplanned = cohorts.filter { cohort in cohort.planKey.map { !keys.contains($0) } ?? true }.sorted { $0.code < $1.code }
        var departments: [DepartmentCode: RealisationFigures.DepartmentLine] = [:]
        func line(_ code: DepartmentCode) -> RealisationFigures.DepartmentLine {
            departments[code] ?? .init(department: code, plannedPlaces: 0, deliveredPlaces: 0, completions: 0, nominated: 0, nominatedServed: 0)
        }
        for item in items {
            for (department, places) in item.places { departments[department] = { var l = line(department); l.plannedPlaces += places; return l }() }
        }
        for cohort in cohorts {
            for (department, places) in cohort.places { departments[department] = { var l = line(department); l.deliveredPlaces += places; return l }() }
            for (department, done) in cohort.completions { departments[department] = { var l = line(department); l.completions += done; return l }() }
        }
        // Who held a place in each program's cohorts, gathered once per program rather than once per need.
        var servedByProgram: [String: Set<String>] = [:]
        for cohort in cohorts where needs.contains(where: { $0.programID == cohort.programID }) {
            servedByProgram[cohort.programID, default: []].formUnion(cohort.placeHolders)
        }
        for need in needs where !need.withdrawn {
            let served = servedByProgram[need.programID] ?? []
            var l = line(need.department)
            l.nominated += need.nominees.count
            l.nominatedServed += need.nominees.filter { served.contains($0.personalNumber) }.count
            departments[need.department] = l
        }
        return RealisationFigures(year: year, plan: plan, lines: lines, unplanned: unplanned,
                                  departments: departments.values.sorted { $0.department.rawValue < $1.department.rawValue })
    }
}

/// Module ratings summed over groups of rounds (a plan line's cohorts): how many answers, and how many gave each point
/// of the 1–5 scale over every scale item. The mean shows from `ReactionRules.minimumAnswers` answers up.
public struct RatingTally: Hashable, Sendable {
    public var answers = 0
    /// Scale points given: index 0 is 1, … index 4 is 5.
    public var points = [0, 0, 0, 0, 0]

    public init(answers: Int = 0, points: [Int] = [0, 0, 0, 0, 0]) {
        self.answers = answers
        self.points = points
    }

    /// The mean point given (nil below the threshold or with none).
    public var mean: Double? {
        let total = points.reduce(0, +)
        guard answers >= ReactionRules.minimumAnswers, total > 0 else { return nil }
        return Double(points.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(total)
    }

    /// Adds another group's.
    public mutating func add(_ other: RatingTally) {
        answers += other.answers
        for index in 0..<5 { points[index] += other.points[index] }
    }
}
