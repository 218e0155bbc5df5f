/// One enrolment as a report sees it: who, where they belonged when enrolled, and their progress.
public struct ReportEntry: Sendable {
    public var person: Person
    /// The department the person belonged to when enrolled (training counts there).
    public var department: DepartmentCode
    public var cohortCode: String
    public var program: Program
    public var status: EnrolmentStatus
    public var progress: ProgramProgress

    public init(person: Person, department: DepartmentCode, cohortCode: String, program: Program, status: EnrolmentStatus,
                progress: ProgramProgress) {
        self.person = person
        self.department = department
        self.cohortCode = cohortCode
        self.program = program
        self.status = status
        self.progress = progress
    }

    /// Minutes present over all modules.
    public var presentMinutes: Int { progress.modules.reduce(0) { $0 + $1.presentMinutes } }
    /// Minutes counted for attendance over all modules.
    public var countedMinutes: Int { progress.modules.reduce(0) { $0 + $1.countedMinutes } }
}

/// What a department or program report shows from the data: the scope's figures beside the District's, each
/// department's (program report), hours per month, and the per-person table. Read by the store, laid out by Reports.
public struct ReportContents: Sendable {
    /// Enrolments in the department, for the per-person table (empty for a program report).
    public var entries: [ReportEntry]
    /// The department's figures (for a program report: the District's).
    public var figures: ReportFigures
    /// The District's figures in the same period and program, beside each of the department's.
    public var districtFigures: ReportFigures
    /// Each department's figures, for the program report.
    public var departmentFigures: [DepartmentCode: ReportFigures]
    public var hoursPerMonth: [(month: String, hours: Double)]
    public var districtHoursPerMonth: [(month: String, hours: Double)]

    public init(entries: [ReportEntry], figures: ReportFigures, districtFigures: ReportFigures,
                departmentFigures: [DepartmentCode: ReportFigures] = [:], hoursPerMonth: [(month: String, hours: Double)],
                districtHoursPerMonth: [(month: String, hours: Double)]) {
        self.entries = entries
        self.figures = figures
        self.districtFigures = districtFigures
        self.departmentFigures = departmentFigures
        self.hoursPerMonth = hoursPerMonth
        self.districtHoursPerMonth = districtHoursPerMonth
    }
}

/// The figures of a report, for one department or the whole District.
public struct ReportFigures: Hashable, Sendable {
    /// Figures of one sex (nil: not recorded).
    public struct BySex: Hashable, Sendable {
        public var enrolled = 0
        public var completed = 0
        public var presentMinutes = 0

        public init() {}
    }

    /// Figures of one module of one program.
    public struct ModuleFigures: Hashable, Sendable {
        public var programID: String
        public var moduleID: String
        public var order: Int
        public var title: LocalizedText
        public var presentMinutes = 0
        public var countedMinutes = 0
        /// Participants who completed the module's attendance and assessments, of those counted.
        public var attempted = 0
        public var passed = 0
        public var scoreSum = 0.0
        public var scored = 0

        public init(programID: String, moduleID: String, order: Int, title: LocalizedText) {
            self.programID = programID
            self.moduleID = moduleID
            self.order = order
            self.title = title
        }

        public var attendancePercent: Double? { countedMinutes > 0 ? Double(presentMinutes) * 100 / Double(countedMinutes) : nil }
        public var passRate: Double? { attempted > 0 ? Double(passed) * 100 / Double(attempted) : nil }
        public var averageScore: Double? { scored > 0 ? scoreSum / Double(scored) : nil }
    }

    /// People currently in the department (the District: everyone).
    public var headcount: Int
    /// People who held a place (approved or completed) in a cohort of the period.
    public var enrolled: Int
    /// Of those, people who completed.
    public var completed: Int
    /// Minutes present, all enrolments.
    public var presentMinutes: Int
    /// Minutes counted for attendance (held sessions, excused per program rule).
    public var countedMinutes: Int
    public var bySex: [Sex?: BySex]
    public var modules: [ModuleFigures]

    /// Figures from sums and counts (the store's SQL aggregates).
    public init(headcount: Int, enrolled: Int, completed: Int, presentMinutes: Int, countedMinutes: Int,
                bySex: [Sex?: BySex], modules: [ModuleFigures]) {
        self.headcount = headcount
        self.enrolled = enrolled
        self.completed = completed
        self.presentMinutes = presentMinutes
        self.countedMinutes = countedMinutes
        self.bySex = bySex
        self.modules = modules
    }

    /// Completed of enrolled, in percent.
    public var completionPercent: Double? { enrolled > 0 ? Double(completed) * 100 / Double(enrolled) : nil }
    /// Minutes present of minutes counted, in percent.
    public var attendancePercent: Double? { countedMinutes > 0 ? Double(presentMinutes) * 100 / Double(countedMinutes) : nil }
    /// Training hours delivered (minutes present / 60).
    public var hoursDelivered: Double { Double(presentMinutes) / 60 }

    /// Computes the figures of a set of enrolments; people are counted once even with several enrolments.
    public static func compute(_ entries: [ReportEntry], headcount: Int) -> ReportFigures {
        let holding = entries.filter { $0.status.occupiesPlace }
        var figures = ReportFigures(
            headcount: headcount, enrolled: Set(holding.map(\.person.id)).count,
            completed: Set(holding.filter { $0.status == .completed }.map(\.person.id)).count,
            presentMinutes: holding.reduce(0) { $0 + $1.presentMinutes },
            countedMinutes: holding.reduce(0) { $0 + $1.countedMinutes }, bySex: [:], modules: [])
        // People are counted once per sex, as in `enrolled`; minutes add up over every enrolment.
        for (sex, group) in Dictionary(grouping: holding, by: \.person.sex) {
            var value = BySex()
            value.enrolled = Set(group.map(\.person.id)).count
            value.completed = Set(group.filter { $0.status == .completed }.map(\.person.id)).count
            value.presentMinutes = group.reduce(0) { $0 + $1.presentMinutes }
            figures.bySex[sex] = value
        }
        var modules: [String: ModuleFigures] = [:]
        for entry in holding {
            for (module, state) in zip(entry.program.modules, entry.progress.modules) {
                let key = "\(entry.program.id)#\(module.id)"
                var figure = modules[key] ?? ModuleFigures(programID: entry.program.id, moduleID: module.id, order: module.order,
                                                           title: module.title)
                figure.presentMinutes += state.presentMinutes
                figure.countedMinutes += state.countedMinutes
                for assessment in entry.progress.assessments
                where assessment.definition.moduleID == module.id && !assessment.definition.isPretest {
                    guard let best = assessment.best else { continue }
                    figure.attempted += 1
                    if assessment.passed { figure.passed += 1 }
                    figure.scoreSum += best / assessment.definition.maxScore * 100
                    figure.scored += 1
                }
                modules[key] = figure
            }
        }
        figures.modules = modules.values.sorted { ($0.programID, $0.order) < ($1.programID, $1.order) }
        return figures
    }
}
