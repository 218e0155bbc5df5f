/// A training program version as declared by its curriculum file. Immutable once stored:
/// a changed program is a new version.
public struct Program: Hashable, Codable, Sendable {
    /// Program id, e.g. `dijaspora-2022`.
    public var id: String
    /// Version of the program (a new file for every change).
    public var version: Int
    /// The year the program was designed for.
    public var year: Int
    /// Code used in certificate serials, e.g. `DIJ` in `BD-DIJ-2026-000123`.
    public var serialCode: String
    /// Years a certificate stays valid; nil for no expiry.
    public var validYears: Int?
    /// Title in several languages.
    public var title: LocalizedText
    /// The department that runs the program.
    public var provider: DepartmentCode
    /// The program's overall goal, if declared.
    public var goal: LocalizedText?
    /// How completion is decided.
    public var completion: CompletionRule
    /// Modules in their declared order.
    public var modules: [Module]

    /// Creates a program.
    public init(id: String, version: Int, year: Int, serialCode: String, validYears: Int?, title: LocalizedText,
                provider: DepartmentCode, goal: LocalizedText?, completion: CompletionRule, modules: [Module]) {
        self.id = id
        self.version = version
        self.year = year
        self.serialCode = serialCode
        self.validYears = validYears
        self.title = title
        self.provider = provider
        self.goal = goal
        self.completion = completion
        self.modules = modules.sorted { $0.order < $1.order }
    }

    /// Nominal hours of the whole program (what a certificate states).
    public var totalHours: Double { modules.reduce(0) { $0 + $1.hours } }

    /// Every assessment of every module, in module order.
    public var assessments: [AssessmentDefinition] { modules.flatMap(\.assessments) }
}

/// The program's completion rule.
public struct CompletionRule: Hashable, Codable, Sendable {
    /// How an excused absence counts towards attendance.
    public enum ExcusedAbsence: String, Hashable, Codable, Sendable, CaseIterable {
        /// Counts as absent (the minutes stay in the denominator).
        case absent
        /// Exempt: the excused session's minutes leave the denominator.
        case exempt
    }

    /// Minimum attendance per module, in percent of the scheduled minutes of held sessions.
    public var attendancePercent: Double
    /// How an excused absence counts.
    public var excused: ExcusedAbsence
    /// Minimum weighted final score, 0…100.
    public var finalPass: Double

    /// Creates a completion rule.
    public init(attendancePercent: Double, excused: ExcusedAbsence, finalPass: Double) {
        self.attendancePercent = attendancePercent
        self.excused = excused
        self.finalPass = finalPass
    }

    /// The minutes attendance is counted against: those of held sessions, less the excused ones where excused
    /// absences are exempt. (The report rollups sum the same per module and apply this once per sum.)
    public func countedMinutes(held: Int, excused: Int) -> Int {
        held - (self.excused == .exempt ? excused : 0)
    }
}

/// A module of a program.
public struct Module: Hashable, Codable, Sendable {
    /// Module id, unique in the program, e.g. `M3`.
    public var id: String
    /// Position in the program, 1-based.
    public var order: Int
    /// Nominal hours.
    public var hours: Double
    /// Title in several languages.
    public var title: LocalizedText
    /// Topics covered.
    public var topics: [CurriculumItem]
    /// Learning outcomes.
    public var outcomes: [CurriculumItem]
    /// Case studies.
    public var caseStudies: [CaseStudy]
    /// Assessments of the module.
    public var assessments: [AssessmentDefinition]

    /// Creates a module.
    public init(id: String, order: Int, hours: Double, title: LocalizedText, topics: [CurriculumItem] = [],
                outcomes: [CurriculumItem] = [], caseStudies: [CaseStudy] = [], assessments: [AssessmentDefinition] = []) {
        self.id = id
        self.order = order
        self.hours = hours
        self.title = title
        self.topics = topics
        self.outcomes = outcomes
        self.caseStudies = caseStudies
        self.assessments = assessments
    }

    /// Nominal minutes (hours × 60, rounded).
    public var minutes: Int { Int((hours * 60).rounded()) }
}

/// A topic or learning outcome: an id and its text in several languages.
public struct CurriculumItem: Hashable, Codable, Sendable {
    /// Id unique in the program, e.g. `M3.T1`.
    public var id: String
    /// The text.
    public var text: LocalizedText

    /// Creates an item.
    public init(id: String, text: LocalizedText) {
        self.id = id
        self.text = text
    }
}

/// A case study used in a module, with its reported figures.
public struct CaseStudy: Hashable, Codable, Sendable {
    /// A reported figure such as "9,680 visits to the diaspora web portal".
    public struct Figure: Hashable, Codable, Sendable {
        /// Key unique in the case study, e.g. `portal-visits`.
        public var key: String
        /// The value.
        public var value: Int
        /// What the value counts.
        public var label: LocalizedText

        /// Creates a figure.
        public init(key: String, value: Int, label: LocalizedText) {
            self.key = key
            self.value = value
            self.label = label
        }
    }

    /// Id unique in the program.
    public var id: String
    /// Title.
    public var title: LocalizedText
    /// Description.
    public var text: LocalizedText
    /// Reported figures.
    public var figures: [Figure]

    /// Creates a case study.
    public init(id: String, title: LocalizedText, text: LocalizedText, figures: [Figure]) {
        self.id = id
        self.title = title
        self.text = text
        self.figures = figures
    }
}

/// An assessment declared by a module.
public struct AssessmentDefinition: Hashable, Codable, Sendable {
    /// The kind of assessment.
    public enum Kind: String, Hashable, Codable, Sendable, CaseIterable {
        case test, project, oral, practical, participation
    }

    /// Id unique in the program, e.g. `M3-T`.
    public var id: String
    /// The module it belongs to.
    public var moduleID: String
    /// Kind.
    public var kind: Kind
    /// Highest possible score.
    public var maxScore: Double
    /// Lowest passing score.
    public var passScore: Double
    /// Weight in the final score, 0…1; the weights of a program add up to 1.
    public var weight: Double
    /// Attempts allowed.
    public var attempts: Int
    /// Whether passing it is required for completion.
    public var required: Bool
    /// Title, if declared.
    public var title: LocalizedText?

    /// Creates an assessment definition.
    public init(id: String, moduleID: String, kind: Kind, maxScore: Double, passScore: Double, weight: Double,
                attempts: Int, required: Bool, title: LocalizedText? = nil) {
        self.id = id
        self.moduleID = moduleID
        self.kind = kind
        self.maxScore = maxScore
        self.passScore = passScore
        self.weight = weight
        self.attempts = attempts
        self.required = required
        self.title = title
    }

    /// Whether a score passes: at least the pass mark. (The cohort rollup counts passes with the same comparison in
    /// SQL, `best_score >= pass_score`; `RuleAgreementTests` holds the two together.)
    public func isPassed(by score: Double) -> Bool { score >= passScore }
}

/// A curriculum file read and validated: the program it declares plus what identifies the file.
public struct ProgramFile: Sendable {
    /// The program the file declares.
    public var program: Program
    /// The file's text, kept with the stored program version; the store fingerprints it (SHA-256) so the
    /// same file loads as a no-op and a changed one is refused.
    public var source: String
    /// Where it came from (as named in messages).
    public var file: String

    /// Creates a program file.
    public init(program: Program, source: String, file: String) {
        self.program = program
        self.source = source
        self.file = file
    }
}

/// Why a curriculum could not be stored.
public enum CurriculumStoreError: UserFacingError, Equatable {
    /// The same program id and version is already stored with different content.
    case changedVersion(file: String, programID: String, version: Int)
    /// Two files in one load declare the same program id and version.
    case duplicateInBatch(file: String, otherFile: String, programID: String, version: Int)
    /// No stored program has this id (and version).
    case unknownProgram(programID: String)

    public var messageKey: String {
        switch self {
        case .changedVersion: "curriculum.error.changed_version"
        case .duplicateInBatch: "curriculum.error.duplicate_in_batch"
        case .unknownProgram: "curriculum.error.unknown_program"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .changedVersion(let file, let id, let version):
            ["file": file, "program": id, "version": String(version)]
        case .duplicateInBatch(let file, let other, let id, let version):
            ["file": file, "other": other, "program": id, "version": String(version)]
        case .unknownProgram(let id):
            ["program": id]
        }
    }
}

/// What loading one curriculum file did.
public enum CurriculumLoadOutcome: Equatable, Sendable {
    /// A new program version was stored.
    case added(programID: String, version: Int)
    /// The identical file was already stored; nothing changed.
    case unchanged(programID: String, version: Int)
}

/// A stored program version with its bookkeeping.
public struct StoredProgram: Sendable {
    /// The program as declared.
    public var program: Program
    /// SHA-256 of the file it was loaded from.
    public var sha256: String
    /// When it was loaded (ISO 8601 UTC).
    public var loadedAt: String

    /// Creates a value from its fields.
    public init(program: Program, sha256: String, loadedAt: String) {
        self.program = program
        self.sha256 = sha256
        self.loadedAt = loadedAt
    }
}
