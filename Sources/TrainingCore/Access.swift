/// What an account may be: one or more roles, each granting capabilities.
public enum Role: String, CaseIterable, Codable, Hashable, Sendable, Comparable {
    case admin
    case coordinator
    /// Reads reports and people of exactly one department.
    case departmentHead = "department_head"
    /// Sees only their own data.
    case trainee

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a route needs. Every web route declares exactly one; `Access` decides who has it.
public enum Capability: String, CaseIterable, Codable, Hashable, Sendable {
    /// Anyone, signed in or not (sign-in page, public verification).
    case everyone
    /// Any signed-in account (home page, sign-out).
    case signedIn
    /// Programs and modules, read-only.
    case viewCurriculum
    /// Confirming a program's policy as the District's and showing programs in the public catalogue.
    case manageCurriculum
    /// Add, correct, transfer and import people.
    case managePeople
    /// Cohorts, enrolment and the waitlist.
    case manageCohorts
    /// Sessions and the calendar.
    case manageSchedule
    /// Required-training rules (who must hold which certificate, by when) and the year's needs of every department.
    case manageRequiredTraining
    /// A department's proposed training needs (a head: their own department's).
    case proposeDepartmentNeeds
    /// Attendance sheets.
    case recordAttendance
    /// Assessment results.
    case recordScores
    /// Progress of every participant of a cohort.
    case viewCohortProgress
    /// Issuing and downloading certificates.
    case issueCertificates
    /// Revoking certificates.
    case revokeCertificates
    /// Department reports and sign-in sheets; department heads only for their own department.
    case viewDepartmentReports
    /// The program report: every department's figures side by side (not for department heads, who read
    /// their own department only).
    case viewProgramReports
    /// A department's people and their training status; department heads only for their own department.
    case viewDepartmentPeople
    /// Approving or declining enrolment requests of a department's people.
    case decideDepartmentEnrolments
    /// One's own progress, certificates, calendar, enrolment requests, absences, QR check-in and module questionnaires.
    case viewOwnProgress
    /// Answering the follow-ups about a department's people (their head only, never on a head's behalf).
    case answerFollowUps
    /// The anonymous evaluation results of cohorts, free text included, and the deadlines of their questionnaires.
    case viewEvaluationResults
    /// Accounts, signing keys and the audit log.
    case administer
}

/// Who is asking: the roles of a signed-in account and the department a department head reads.
public struct Principal: Hashable, Sendable {
    public var login: String
    public var roles: Set<Role>
    /// The department a `department_head` is limited to.
    public var department: DepartmentCode?
    /// The person a `trainee` account belongs to.
    public var personalNumber: String?

    public init(login: String, roles: Set<Role>, department: DepartmentCode?, personalNumber: String?) {
        self.login = login
        self.roles = roles
        self.department = department
        self.personalNumber = personalNumber
    }
}

/// The one table of who may do what (DESIGN.md §8).
public enum Access {
    /// The capabilities each role grants.
    public static func capabilities(of role: Role) -> Set<Capability> {
        switch role {
        case .admin:
            [.administer]
        case .coordinator:
            [.viewCurriculum, .manageCurriculum, .managePeople, .manageCohorts, .manageSchedule, .manageRequiredTraining, .recordAttendance,
             .recordScores,
             .viewCohortProgress, .issueCertificates, .revokeCertificates, .viewDepartmentReports, .viewProgramReports,
             .viewDepartmentPeople, .decideDepartmentEnrolments, .proposeDepartmentNeeds, .viewEvaluationResults]
        case .departmentHead:
            [.viewCurriculum, .viewDepartmentReports, .viewDepartmentPeople, .decideDepartmentEnrolments, .proposeDepartmentNeeds,
             .answerFollowUps]
        case .trainee:
            [.viewOwnProgress]
        }
    }

    /// Whether a principal (nil: nobody signed in) has a capability, before any record is looked at.
    public static func allows(_ principal: Principal?, _ capability: Capability) -> Bool {
        switch capability {
        case .everyone: return true
        case .signedIn: return principal != nil
        default:
            guard let principal else { return false }
            return principal.roles.contains { capabilities(of: $0).contains(capability) }
        }
    }

    /// Whether a principal may see a department's data under a capability: coordinators see every
    /// department, a department head only their own.
    public static func allows(_ principal: Principal?, _ capability: Capability, department: DepartmentCode) -> Bool {
        guard let principal, allows(principal, capability) else { return false }
        let unscoped = principal.roles.contains { $0 != .departmentHead && capabilities(of: $0).contains(capability) }
        return unscoped || (principal.roles.contains(.departmentHead) && principal.department == department)
    }
}
