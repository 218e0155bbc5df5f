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
    /// Where the program's title comes from; nil for a version 1 file (see `declaresProvenance`).
    public var provenance: Provenance?
    /// The verbatim source passage a sourced title rests on, where grammar keeps the title itself from being one.
    public var titleQuote: String?
    /// The published texts the file quotes (version 2).
    public var sources: [ProgramSource]?
    /// Where the goal comes from (version 2).
    public var goalProvenance: Provenance?
    /// Where the completion rule comes from (version 2).
    public var completionProvenance: Provenance?
    /// Where the validity comes from (version 2).
    public var validityProvenance: Provenance?
    /// The evaluation questionnaires the program and its modules name (version 3); nil: the District default.
    public var questionnaires: QuestionnaireChoice?

    /// Creates a program.
    public init(id: String, version: Int, year: Int, serialCode: String, validYears: Int?, title: LocalizedText,
                provider: DepartmentCode, goal: LocalizedText?, completion: CompletionRule, modules: [Module],
                provenance: Provenance? = nil, titleQuote: String? = nil, sources: [ProgramSource]? = nil,
                goalProvenance: Provenance? = nil, completionProvenance: Provenance? = nil,
                validityProvenance: Provenance? = nil, questionnaires: QuestionnaireChoice? = nil) {
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
        self.provenance = provenance
        self.titleQuote = titleQuote
        self.sources = sources
        self.goalProvenance = goalProvenance
        self.completionProvenance = completionProvenance
        self.validityProvenance = validityProvenance
        self.questionnaires = questionnaires
    }

    /// Nominal (planned) hours of the whole program: what a version 1 certificate states. A version 2 certificate
    /// states the cohort's held hours instead.
    public var totalHours: Double { modules.reduce(0) { $0 + $1.hours } }

    /// Every assessment of every module, in module order.
    public var assessments: [AssessmentDefinition] { modules.flatMap(\.assessments) }

    /// The assessments that count toward completion: all but pre-tests.
    public var countedAssessments: [AssessmentDefinition] { assessments.filter { !$0.isPretest } }
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
    /// Where the module (its title and place in the program) comes from (version 2).
    public var provenance: Provenance?
    /// What the module is about (version 2).
    public var description: Passage?

    /// Creates a module.
    public init(id: String, order: Int, hours: Double, title: LocalizedText, topics: [CurriculumItem] = [],
                outcomes: [CurriculumItem] = [], caseStudies: [CaseStudy] = [], assessments: [AssessmentDefinition] = [],
                provenance: Provenance? = nil, description: Passage? = nil) {
        self.id = id
        self.order = order
        self.hours = hours
        self.title = title
        self.topics = topics
        self.outcomes = outcomes
        self.caseStudies = caseStudies
        self.assessments = assessments
        self.provenance = provenance
        self.description = description
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
    /// Where it comes from (version 2).
    public var provenance: Provenance?

    /// Creates an item.
    public init(id: String, text: LocalizedText, provenance: Provenance? = nil) {
        self.id = id
        self.text = text
        self.provenance = provenance
    }
}

/// A case study used in a module, with its reported figures.
public struct CaseStudy: Hashable, Codable, Sendable {
    /// A reported figure such as "9.680 posjeta iz dijaspore na web stranici".
    public struct Figure: Hashable, Codable, Sendable {
        /// Key unique in the case study, e.g. `web-visits`.
        public var key: String
        /// The value.
        public var value: Int
        /// What the value counts (in Bosnian, the words that follow the number in the source).
        public var label: LocalizedText
        /// Where or how it was counted, e.g. "preko modula za dijasporu" (version 2).
        public var context: LocalizedText?
        /// The id of the case study's period the figure covers (version 2).
        public var period: String?
        /// Whether the source gives the value as an estimate rather than a count.
        public var estimated: Bool?
        /// Where it comes from (version 2).
        public var provenance: Provenance?

        /// Creates a figure.
        public init(key: String, value: Int, label: LocalizedText, context: LocalizedText? = nil, period: String? = nil,
                    estimated: Bool? = nil, provenance: Provenance? = nil) {
            self.key = key
            self.value = value
            self.label = label
            self.context = context
            self.period = period
            self.estimated = estimated
            self.provenance = provenance
        }

        /// Whether the value is an estimate.
        public var isEstimate: Bool { estimated ?? false }
    }

    /// The time a case study's figures cover, e.g. "U prethodnih 12 mjeseci" reported in 2019.
    public struct Period: Hashable, Codable, Sendable {
        /// Id unique in the case study.
        public var id: String
        /// The year it was reported in.
        public var year: Int
        /// The period as the source words it.
        public var text: LocalizedText
        /// Where it comes from.
        public var provenance: Provenance

        /// Creates a period.
        public init(id: String, year: Int, text: LocalizedText, provenance: Provenance) {
            self.id = id
            self.year = year
            self.text = text
            self.provenance = provenance
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
    /// Where the case study comes from (version 2).
    public var provenance: Provenance?
    /// Its text paragraph by paragraph, each with its provenance (version 2; `text` then joins them).
    public var paragraphs: [Passage]?
    /// The periods its figures cover (version 2).
    public var periods: [Period]?

    /// Creates a case study.
    public init(id: String, title: LocalizedText, text: LocalizedText, figures: [Figure], provenance: Provenance? = nil,
                paragraphs: [Passage]? = nil, periods: [Period]? = nil) {
        self.id = id
        self.title = title
        self.text = text
        self.figures = figures
        self.provenance = provenance
        self.paragraphs = paragraphs
        self.periods = periods
    }

    /// The period a figure covers.
    public func period(of figure: Figure) -> Period? {
        guard let id = figure.period else { return nil }
        return periods?.first { $0.id == id }
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
    /// Where it comes from (version 2).
    public var provenance: Provenance?
    /// True for a pre-test (version 3): taken before the module to measure what trainees knew, compared with the
    /// module's test for the learning gain, never counted toward completion. Nil otherwise, so definitions stored
    /// before version 3 read unchanged.
    public var pretest: Bool?

    /// Whether this is a pre-test.
    public var isPretest: Bool { pretest == true }

    /// Creates an assessment definition.
    public init(id: String, moduleID: String, kind: Kind, maxScore: Double, passScore: Double, weight: Double,
                attempts: Int, required: Bool, title: LocalizedText? = nil, provenance: Provenance? = nil, pretest: Bool = false) {
        self.id = id
        self.moduleID = moduleID
        self.kind = kind
        self.maxScore = maxScore
        self.passScore = passScore
        self.weight = weight
        self.attempts = attempts
        self.required = required
        self.title = title
        self.provenance = provenance
        self.pretest = pretest ? true : nil
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
    /// A program names a questionnaire neither stored nor loaded with it.
    case unknownQuestionnaire(file: String, programID: String, questionnaire: String)

    public var messageKey: String {
        switch self {
        case .changedVersion: "curriculum.error.changed_version"
        case .duplicateInBatch: "curriculum.error.duplicate_in_batch"
        case .unknownProgram: "curriculum.error.unknown_program"
        case .unknownQuestionnaire: "curriculum.error.unknown_questionnaire"
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
        case .unknownQuestionnaire(let file, let id, let questionnaire):
            ["file": file, "program": id, "questionnaire": questionnaire]
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
