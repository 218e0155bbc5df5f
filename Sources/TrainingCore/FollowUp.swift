/// Use at work (Kirkpatrick level 3): some months after a trainee completed a program, they and their department head
/// are each asked whether what was learnt is used at work. Unlike a module's reaction, a follow-up is about a named
/// person, so it is personal data: kept with the person, in their export, erased with them, its reads logged.
public enum FollowUpRules {
    /// Days after a cohort ends that its completed trainees' follow-ups come due.
    public static let defaultDaysAfterCompletion = 90
    /// Days a follow-up stays open once due; a completion whose follow-up window has passed is not asked about (a
    /// District loading years of history is not asked about all of it at once).
    public static let openDays = 30
    /// The District's questionnaires for the trainee and for the head, shipped in `Curriculum/`.
    public static let traineeQuestionnaire = "primjena-polaznik"
    public static let headQuestionnaire = "primjena-rukovodilac"

    /// When a completion's follow-up comes due.
    public static func due(cohortEnds: LocalDate, days: Int = defaultDaysAfterCompletion) -> LocalDate {
        cohortEnds.adding(days: days)
    }

    /// The last day a follow-up due on `due` can be answered.
    public static func closes(due: LocalDate) -> LocalDate { due.adding(days: openDays) }

    /// The questionnaire a respondent answers.
    public static func questionnaire(for respondent: FollowUpRespondent) -> String {
        switch respondent {
        case .trainee: traineeQuestionnaire
        case .head: headQuestionnaire
        }
    }
}

/// Who answers a follow-up: the trainee about themselves, or the head of their department about them.
public enum FollowUpRespondent: String, Hashable, Codable, Sendable, CaseIterable {
    case trainee
    case head
}

/// A follow-up waiting for an answer, or answered.
public struct FollowUp: Hashable, Sendable {
    public var id: Int64
    /// The trainee it is about.
    public var person: Person
    public var cohort: Cohort
    public var respondent: FollowUpRespondent
    /// The department whose head answers (the trainee's when it came due).
    public var department: DepartmentCode
    public var due: LocalDate
    public var closes: LocalDate
    public var questionnaireID: String
    public var questionnaireVersion: Int
    /// The answers, once given.
    public var answers: [String: ReactionValue]?

    /// Creates a value from its fields.
    public init(id: Int64, person: Person, cohort: Cohort, respondent: FollowUpRespondent, department: DepartmentCode, due: LocalDate,
                closes: LocalDate, questionnaireID: String, questionnaireVersion: Int, answers: [String: ReactionValue]?) {
        self.id = id
        self.person = person
        self.cohort = cohort
        self.respondent = respondent
        self.department = department
        self.due = due
        self.closes = closes
        self.questionnaireID = questionnaireID
        self.questionnaireVersion = questionnaireVersion
        self.answers = answers
    }

    /// Whether it can be answered on `today`: due, not past its window, not answered yet.
    public func isOpen(today: LocalDate) -> Bool { answers == nil && due <= today && today <= closes }
}

/// Why a follow-up answer was refused.
public enum FollowUpError: UserFacingError, Equatable {
    /// No such follow-up for this respondent (another person's, another department's, or none).
    case unknown(id: Int64)
    case notOpen(id: Int64)
    case alreadyAnswered(id: Int64)

    public var messageKey: String {
        switch self {
        case .unknown: "follow_up.error.unknown"
        case .notOpen: "follow_up.error.not_open"
        case .alreadyAnswered: "follow_up.error.already"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .unknown: .notFound
        case .notOpen, .alreadyAnswered: .refused
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .unknown(let id), .notOpen(let id), .alreadyAnswered(let id): ["id": String(id)]
        }
    }
}
