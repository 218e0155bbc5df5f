/// A web account as stored (the password only as a bcrypt hash).
public struct Account: Hashable, Sendable {
    public var id: Int64
    public var login: String
    public var displayName: String
    public var passwordHash: String
    public var roles: Set<Role>
    public var department: DepartmentCode?
    public var personalNumber: String?
    public var disabled: Bool
    public var sessionGeneration: Int

    /// What the access rules need to know about this account.
    public var principal: Principal {
        Principal(login: login, roles: roles, department: department, personalNumber: personalNumber)
    }

    /// The actor written into the audit log for this account's changes.
    public var actor: Actor { Actor("account:\(login)")! }

    /// Creates a value from its fields.
    public init(id: Int64, login: String, displayName: String, passwordHash: String, roles: Set<Role>,
                department: DepartmentCode? = nil, personalNumber: String? = nil, disabled: Bool, sessionGeneration: Int) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.roles = roles
        self.department = department
        self.personalNumber = personalNumber
        self.disabled = disabled
        self.sessionGeneration = sessionGeneration
    }
}

/// What a new account is made of.
public struct AccountDraft: Sendable {
    public var login: String
    public var displayName: String
    public var passwordHash: String
    public var roles: Set<Role>
    public var department: DepartmentCode?
    public var personalNumber: String?

    public init(login: String, displayName: String, passwordHash: String, roles: Set<Role>,
                department: DepartmentCode? = nil, personalNumber: String? = nil) {
        self.login = login
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.roles = roles
        self.department = department
        self.personalNumber = personalNumber
    }
}

/// A signed-in session found by its token.
public struct WebSession: Sendable {
    public var account: Account
    public var csrfToken: String
    public var refreshedAt: Int64
    public var idleExpiresAt: Int64
    public var absoluteExpiresAt: Int64

    /// The session if it has expired neither by idling nor by age at `now`.
    public func live(at now: Int64) -> WebSession? { now < idleExpiresAt && now < absoluteExpiresAt ? self : nil }

    /// Creates a value from its fields.
    public init(account: Account, csrfToken: String, refreshedAt: Int64, idleExpiresAt: Int64, absoluteExpiresAt: Int64) {
        self.account = account
        self.csrfToken = csrfToken
        self.refreshedAt = refreshedAt
        self.idleExpiresAt = idleExpiresAt
        self.absoluteExpiresAt = absoluteExpiresAt
    }
}

/// Why an account could not be created or changed.
public enum AccountError: UserFacingError, Equatable {
    case loginTaken(login: String)
    case unknownAccount(login: String)
    case invalidLogin(login: String)
    case noRoles
    case departmentHeadNeedsDepartment
    case traineeNeedsPerson
    case unknownToken(id: Int64)

    public var messageKey: String {
        switch self {
        case .loginTaken: "error.account.login_taken"
        case .unknownAccount: "error.account.unknown"
        case .invalidLogin: "error.account.invalid_login"
        case .noRoles: "error.account.no_roles"
        case .departmentHeadNeedsDepartment: "error.account.department_head_needs_department"
        case .traineeNeedsPerson: "error.account.trainee_needs_person"
        case .unknownToken: "error.store.not_found"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .loginTaken(let login), .unknownAccount(let login), .invalidLogin(let login): ["login": login]
        case .noRoles, .departmentHeadNeedsDepartment, .traineeNeedsPerson: [:]
        case .unknownToken(let id): ["entity": "token", "id": String(id)]
        }
    }
}

/// A personal API token as listed (never the token itself).
public struct APIToken: Hashable, Sendable {
    public var id: Int64
    public var login: String
    public var name: String
    public var createdAt: String
    /// When it stops working (Unix seconds).
    public var expiresAt: Int64
    public var lastUsedAt: Int64?
    /// Revoked, or ended with its account's sessions (a password change, a role change, disabling).
    public var revoked: Bool

    /// Creates a value from its fields.
    public init(id: Int64, login: String, name: String, createdAt: String, expiresAt: Int64, lastUsedAt: Int64? = nil, revoked: Bool) {
        self.id = id
        self.login = login
        self.name = name
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revoked = revoked
    }
}

/// Why a trainee's own request was refused.
public enum TraineeError: UserFacingError, Equatable {
    case notYourSession
    case sessionAlreadyStarted
    case resetLinkInvalid

    public var messageKey: String {
        switch self {
        case .notYourSession: "error.trainee.not_your_session"
        case .sessionAlreadyStarted: "error.trainee.session_started"
        case .resetLinkInvalid: "error.account.reset_link_invalid"
        }
    }

    public var messageArguments: [String: String] { [:] }
}
