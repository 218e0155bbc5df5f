/// Everything obuka holds about one person (BiH Law on Personal Data Protection: the right of access).
public struct PersonalDataExport: Codable, Sendable {
    public struct PersonData: Codable, Sendable {
        public var personalNumber, givenName, familyName, email, department: String
        public var sex, jobTitle: String?
        /// The language they chose to read obuka in, if any.
        public var preferredLanguage: String?
        /// The day they started in the District's service, if recorded (`YYYY-MM-DD`).
        public var employedSince: String?
        public var createdAt, updatedAt: String

        /// Creates a value from its fields.
        public init(personalNumber: String, givenName: String, familyName: String, email: String, department: String,
                    sex: String? = nil, jobTitle: String? = nil, preferredLanguage: String? = nil, employedSince: String? = nil,
                    createdAt: String, updatedAt: String) {
            self.employedSince = employedSince
            self.personalNumber = personalNumber
            self.givenName = givenName
            self.familyName = familyName
            self.email = email
            self.department = department
            self.sex = sex
            self.jobTitle = jobTitle
            self.preferredLanguage = preferredLanguage
            self.createdAt = createdAt
            self.updatedAt = updatedAt
        }
    }
    public struct AccountData: Codable, Sendable {
        public var login, displayName, roles, createdAt: String
        public var disabled: Bool
        public var apiTokens: [String]

        /// Creates a value from its fields.
        public init(login: String, displayName: String, roles: String, createdAt: String, disabled: Bool,
                    apiTokens: [String]) {
            self.login = login
            self.displayName = displayName
            self.roles = roles
            self.createdAt = createdAt
            self.disabled = disabled
            self.apiTokens = apiTokens
        }
    }
    public struct EnrolmentData: Codable, Sendable {
        public var cohort, cohortName, status, departmentAtEnrolment: String
        public var reason: String?

        /// Creates a value from its fields.
        public init(cohort: String, cohortName: String, status: String, departmentAtEnrolment: String,
                    reason: String? = nil) {
            self.cohort = cohort
            self.cohortName = cohortName
            self.status = status
            self.departmentAtEnrolment = departmentAtEnrolment
            self.reason = reason
        }
    }
    public struct AttendanceData: Codable, Sendable {
        public var session: Int64
        public var cohort, module, starts, status: String
        public var minutesPresent: Int
        public var note: String?
        public var recordedBy, recordedAt: String
        public var current: Bool

        /// Creates a value from its fields.
        public init(session: Int64, cohort: String, module: String, starts: String, status: String, minutesPresent: Int,
                    note: String? = nil, recordedBy: String, recordedAt: String, current: Bool) {
            self.session = session
            self.cohort = cohort
            self.module = module
            self.starts = starts
            self.status = status
            self.minutesPresent = minutesPresent
            self.note = note
            self.recordedBy = recordedBy
            self.recordedAt = recordedAt
            self.current = current
        }
    }
    public struct ScoreData: Codable, Sendable {
        public var cohort, assessment: String
        public var attempt: Int
        public var score: Double
        public var recordedBy, recordedAt: String
        public var current: Bool

        /// Creates a value from its fields.
        public init(cohort: String, assessment: String, attempt: Int, score: Double, recordedBy: String, recordedAt: String,
                    current: Bool) {
            self.cohort = cohort
            self.assessment = assessment
            self.attempt = attempt
            self.score = score
            self.recordedBy = recordedBy
            self.recordedAt = recordedAt
            self.current = current
        }
    }
    public struct CertificateData: Codable, Sendable {
        public var serial, issued: String
        public var expires, revokedAt, revocationReason: String?
        public var fields: [String: String]

        /// Creates a value from its fields.
        public init(serial: String, issued: String, expires: String? = nil, revokedAt: String? = nil,
                    revocationReason: String? = nil, fields: [String: String]) {
            self.serial = serial
            self.issued = issued
            self.expires = expires
            self.revokedAt = revokedAt
            self.revocationReason = revocationReason
            self.fields = fields
        }
    }
    public struct AbsenceData: Codable, Sendable {
        public var session: Int64
        public var reason, reportedAt: String

        /// Creates a value from its fields.
        public init(session: Int64, reason: String, reportedAt: String) {
            self.session = session
            self.reason = reason
            self.reportedAt = reportedAt
        }
    }
    public struct AuditData: Codable, Sendable {
        public var seq: Int64
        public var at, actor, action, entityType, entityID: String
        public var details: String?

        /// Creates a value from its fields.
        public init(seq: Int64, at: String, actor: String, action: String, entityType: String, entityID: String,
                    details: String? = nil) {
            self.seq = seq
            self.at = at
            self.actor = actor
            self.action = action
            self.entityType = entityType
            self.entityID = entityID
            self.details = details
        }
    }
    public struct ReadAccessData: Codable, Sendable {
        public var at, actor, what: String

        /// Creates a value from its fields.
        public init(at: String, actor: String, what: String) {
            self.at = at
            self.actor = actor
            self.what = what
        }
    }

    /// A need a department head proposed naming them.
    public struct NominationData: Codable, Sendable {
        public var year: Int
        public var department, programID, priority, reason: String

        /// Creates a value from its fields.
        public init(year: Int, department: String, programID: String, priority: String, reason: String) {
            self.year = year
            self.department = department
            self.programID = programID
            self.priority = priority
            self.reason = reason
        }
    }

    public var exportedAt: String
    public var person: PersonData
    public var accounts: [AccountData]
    public var enrolments: [EnrolmentData]
    public var attendance: [AttendanceData]
    public var scores: [ScoreData]
    public var certificates: [CertificateData]
    public var absenceNotices: [AbsenceData]
    public var calendarSubscription: Bool
    public var auditEvents: [AuditData]
    /// Who read this person's data (coordinators, department heads, administrators).
    public var readAccesses: [ReadAccessData]
    /// Needs that name them.
    public var nominations: [NominationData]
    /// The modules whose questionnaire they answered (the answers themselves name no one and are not theirs to export).
    public var questionnairesAnswered: [QuestionnaireAnswered]

    /// The follow-ups about them, their own and their department head's, with the answers given.
    public var followUps: [FollowUpData]
    /// The e-mails obuka queued or sent them.
    public var messages: [MessageData]

    /// An e-mail: what it was about, its subject, when it was queued and whether it was sent.
    public struct MessageData: Codable, Sendable {
        public var kind, subject, queuedAt, state: String
        public var sentAt: String?

        public init(kind: String, subject: String, queuedAt: String, state: String, sentAt: String?) {
            self.kind = kind
            self.subject = subject
            self.queuedAt = queuedAt
            self.state = state
            self.sentAt = sentAt
        }
    }

    /// A follow-up about them: the cohort, who answers it, when it was due and the answers (nil: not answered).
    public struct FollowUpData: Codable, Sendable {
        public var cohort, respondent, due: String
        public var answeredAt, answeredBy: String?
        public var answers: [String: ReactionValue]?

        public init(cohort: String, respondent: String, due: String, answeredAt: String?, answeredBy: String?,
                    answers: [String: ReactionValue]?) {
            self.cohort = cohort
            self.respondent = respondent
            self.due = due
            self.answeredAt = answeredAt
            self.answeredBy = answeredBy
            self.answers = answers
        }
    }

    /// A module questionnaire they answered: the cohort and the module.
    public struct QuestionnaireAnswered: Codable, Sendable {
        public var cohort, module: String

        public init(cohort: String, module: String) {
            self.cohort = cohort
            self.module = module
        }
    }

    /// Creates a value from its fields.
    public init(exportedAt: String, person: PersonData, accounts: [AccountData], enrolments: [EnrolmentData],
                attendance: [AttendanceData], scores: [ScoreData], certificates: [CertificateData],
                absenceNotices: [AbsenceData], calendarSubscription: Bool, auditEvents: [AuditData],
                readAccesses: [ReadAccessData], nominations: [NominationData] = [], questionnairesAnswered: [QuestionnaireAnswered] = [],
                followUps: [FollowUpData] = [], messages: [MessageData] = []) {
        self.nominations = nominations
        self.followUps = followUps
        self.messages = messages
        self.questionnairesAnswered = questionnairesAnswered
        self.exportedAt = exportedAt
        self.person = person
        self.accounts = accounts
        self.enrolments = enrolments
        self.attendance = attendance
        self.scores = scores
        self.certificates = certificates
        self.absenceNotices = absenceNotices
        self.calendarSubscription = calendarSubscription
        self.auditEvents = auditEvents
        self.readAccesses = readAccesses
    }
}

/// One logged read of another person's data.
public struct ReadAccess: Sendable, Hashable {
    public var at: String
    public var actor: String
    public var what: String
    public var subject: String

    public init(at: String, actor: String, what: String, subject: String) {
        self.at = at
        self.actor = actor
        self.what = what
        self.subject = subject
    }
}

/// What the purge removed.
public struct PurgeSummary: Sendable, Equatable {
    /// Nothing removed yet.
    public init() {}

    public var readAccesses = 0
    public var sessions = 0
    public var resetLinks = 0
    public var tokens = 0
    public var messages = 0
}
