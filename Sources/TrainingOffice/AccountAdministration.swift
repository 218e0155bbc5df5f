import Crypto
import Foundation
import HummingbirdBcrypt
import TrainingCore
internal import TrainingStore

/// Passwords: bcrypt at cost 11 (≈ 0.1 s here). Hashing and checking block their thread: the web app calls them off
/// its event loops.
public enum Passwords {
    public static let cost: UInt8 = 11
    /// The fewest characters a password has.
    public static let minimumLength = 10

    /// The bcrypt hash of a password.
    public static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// Whether a password matches a hash.
    public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A hash no password matches, checked for unknown logins so they take as long as known ones.
    static let decoy = Bcrypt.hash("obuka-decoy-\(UUID().uuidString)", cost: cost)

    /// A generated password: 16 characters from an alphabet without look-alikes (≈ 90 bits).
    public static func generate() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

/// Secret tokens for links and sessions: 256 random bits, URL-safe; only their SHA-256 is stored.
public enum SecretToken {
    /// A new token.
    public static func new() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What is stored of a token: its SHA-256, hex.
    public static func digest(_ token: String) -> String {
        // Checked on every signed-in request: hashed from the text's own bytes, written out from the digest's.
        var token = token
        let digest = token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return digest.withUnsafeBytes { hexString($0) }
    }
}

/// Why a password was refused.
public enum PasswordError: UserFacingError, Equatable {
    case tooShort(minimum: Int)

    public var messageKey: String { "web.reset.too_short" }
    public var messageArguments: [String: String] {
        switch self { case .tooShort(let minimum): ["min": String(minimum)] }
    }
}

/// Accounts: who signs in, with which roles, and their personal API tokens. Every change audited; a change of
/// password, roles or state ends the account's sessions.
public struct AccountAdministration: Sendable {
    let context: OfficeContext

    /// Creates an account with a given password (at least ten characters) or a generated one, which is returned.
    /// A department head needs a department, a trainee the person they are.
    public func create(login rawLogin: String, displayName: String, password: String?, roles: Set<Role>, department: DepartmentCode?,
                       person: String?, actor: Actor) throws -> (account: Account, generatedPassword: String?) {
        let created = try create(login: rawLogin, displayName: displayName, password: password, roles: roles, department: department,
                                 person: person, resetLinkLifetime: nil, actor: actor)
        return (created.account, created.generatedPassword)
    }

    /// Creates an account whose password its holder sets through a one-time link (returned), in one transaction: there
    /// is never an account without its link.
    public func createWithResetLink(login: String, displayName: String, roles: Set<Role>, department: DepartmentCode?,
                                    person: String?, lifetime: Int64, actor: Actor) throws -> (account: Account, resetLink: String) {
        let created = try create(login: login, displayName: displayName, password: nil, roles: roles, department: department,
                                 person: person, resetLinkLifetime: lifetime, actor: actor)
        return (created.account, created.resetLink!)
    }

    private func create(login rawLogin: String, displayName: String, password: String?, roles: Set<Role>, department: DepartmentCode?,
                        person: String?, resetLinkLifetime: Int64?, actor: Actor)
        throws -> (account: Account, generatedPassword: String?, resetLink: String?) {
        let login = try CanonicalText.login(rawLogin)
        let displayName = try CanonicalText.line(displayName, field: "name")
        guard !login.isEmpty, login.count <= 64, login.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw AccountError.invalidLogin(login: rawLogin)
        }
        guard !roles.isEmpty else { throw AccountError.noRoles }
        if roles.contains(.departmentHead), department == nil { throw AccountError.departmentHeadNeedsDepartment }
        if roles.contains(.trainee), person == nil { throw AccountError.traineeNeedsPerson }
        let generated = password == nil ? Passwords.generate() : nil
        let chosen = password ?? generated!
        guard chosen.count >= Passwords.minimumLength else { throw PasswordError.tooShort(minimum: Passwords.minimumLength) }
        let hash = Passwords.hash(chosen)
        let resetToken = SecretToken.new()
        let account = try context.write { tx in
            var personID: PersonID?
            if let person {
                guard let found = try tx.person(personalNumber: person) else { throw PeopleError.unknownPerson(personalNumber: person) }
                personID = found.id
            }
            if let department, try tx.department(department) == nil { throw PeopleError.unknownDepartment(code: department.rawValue) }
            let account = try tx.insertAccount(login: login, displayName: displayName, passwordHash: hash, roles: roles,
                                               department: department, person: personID)
            try tx.appendAudit(AuditEntry(actor: actor, action: "account.create", entityType: "account", entityID: login,
                                          details: "roles=\(Self.rolesText(roles))"))
            if let resetLinkLifetime {
                try insertResetLink(tx, account: account, token: resetToken, lifetime: resetLinkLifetime, actor: actor)
            }
            return account
        }
        return (account, generated, resetLinkLifetime.map { _ in resetURL(resetToken) })
    }

    /// Every account, by login.
    public func list() throws -> [Account] { try context.database.accounts() }

    /// The account with a login, or nil.
    public func account(login: String) throws -> Account? { try context.database.account(login: login) }

    /// Disables an account (its sessions end) or enables it again.
    public func setDisabled(login: String, _ disabled: Bool, actor: Actor) throws {
        try context.write { tx in
            try tx.setDisabled(login: login, disabled)
            try tx.appendAudit(AuditEntry(actor: actor, action: disabled ? "account.disable" : "account.enable", entityType: "account",
                                          entityID: login))
        }
    }

    /// Sets a new password (a generated one when none is given, returned) and ends the account's sessions.
    @discardableResult
    public func setPassword(login: String, to password: String? = nil, actor: Actor) throws -> String {
        let chosen = password ?? Passwords.generate()
        guard chosen.count >= Passwords.minimumLength else { throw PasswordError.tooShort(minimum: Passwords.minimumLength) }
        let hash = Passwords.hash(chosen)
        try context.write { tx in
            try tx.setPasswordHash(login: login, hash)
            try tx.appendAudit(AuditEntry(actor: actor, action: "account.password", entityType: "account", entityID: login))
        }
        return chosen
    }

    /// Replaces an account's roles and department scope; its sessions end so the new roles apply at once.
    public func setRoles(login: String, roles: Set<Role>, department: DepartmentCode?, actor: Actor) throws {
        guard !roles.isEmpty else { throw AccountError.noRoles }
        if roles.contains(.departmentHead), department == nil { throw AccountError.departmentHeadNeedsDepartment }
        try context.write { tx in
            guard let account = try tx.account(login: login) else { throw AccountError.unknownAccount(login: login) }
            if roles.contains(.trainee), account.personalNumber == nil { throw AccountError.traineeNeedsPerson }
            if let department, try tx.department(department) == nil { throw PeopleError.unknownDepartment(code: department.rawValue) }
            try tx.setRoles(login: account.login, roles, department: roles.contains(.departmentHead) ? department : nil)
            try tx.appendAudit(AuditEntry(actor: actor, action: "account.roles", entityType: "account", entityID: account.login,
                                          details: Self.rolesText(roles)))
        }
    }

    /// A one-time link that lets the account's owner set a new password, valid for `lifetime` seconds; an unused
    /// earlier link stops working.
    public func resetLink(login: String, lifetime: Int64, actor: Actor) throws -> String {
        let token = SecretToken.new()
        try context.write { tx in
            guard let account = try tx.account(login: login) else { throw AccountError.unknownAccount(login: login) }
            try insertResetLink(tx, account: account, token: token, lifetime: lifetime, actor: actor)
        }
        return resetURL(token)
    }

    private func insertResetLink(_ tx: StoreTransaction, account: Account, token: String, lifetime: Int64, actor: Actor) throws {
        let expires = Int64(context.clock.date().timeIntervalSince1970) + lifetime
        try tx.createPasswordReset(account: account, tokenSHA256: SecretToken.digest(token), expiresAt: expires)
        try tx.appendAudit(AuditEntry(actor: actor, action: "account.reset_link", entityType: "account", entityID: account.login))
    }

    private func resetURL(_ token: String) -> String { "\(context.settings.publicURL)/reset/\(token)" }

    /// The account a live reset link belongs to, or nil.
    public func account(resetToken token: String) throws -> Account? {
        guard token.count < 100 else { return nil }
        return try context.database.passwordResetAccount(tokenSHA256: SecretToken.digest(token), now: now())
    }

    /// Uses a reset link once: sets the new password (at least ten characters) and ends the account's sessions.
    @discardableResult
    public func completeReset(token: String, password: String) throws -> Account {
        guard password.count >= Passwords.minimumLength else { throw PasswordError.tooShort(minimum: Passwords.minimumLength) }
        let hash = Passwords.hash(password)
        return try context.write { tx in
            guard let account = try tx.usePasswordReset(tokenSHA256: SecretToken.digest(token), passwordHash: hash, now: now()) else {
                throw TraineeError.resetLinkInvalid
            }
            try tx.appendAudit(AuditEntry(actor: account.actor, action: "account.password_reset", entityType: "account",
                                          entityID: account.login))
            return account
        }
    }

    // MARK: API tokens

    /// Makes a personal API token for an account's scripts: the token (shown once; only its SHA-256 is kept) and the
    /// token as listed. It works for `days` days, and ends sooner with the account's sessions (a password change, a role
    /// change, disabling).
    public func createToken(login: String, name: String, days: Int = AccountAdministration.tokenDays,
                            actor: Actor) throws -> (token: String, listed: APIToken) {
        let token = "obk_" + SecretToken.new()
        let label = String(try CanonicalText.line(name, field: "name").prefix(100))
        let expires = now() + Int64(days) * 86_400
        let listed = try context.write { tx in
            guard let account = try tx.account(login: login) else { throw AccountError.unknownAccount(login: login) }
            let listed = try tx.insertAPIToken(account: account, name: label, tokenSHA256: SecretToken.digest(token), expiresAt: expires)
            try tx.appendAudit(AuditEntry(actor: actor, action: "token.create", entityType: "account", entityID: account.login,
                                          details: "token=\(listed.id)"))
            return listed
        }
        return (token, listed)
    }

    /// How long a new API token works, in days, unless its maker says otherwise.
    public static let tokenDays = 90

    /// An account's tokens, newest first (never the tokens themselves).
    public func tokens(login: String) throws -> [APIToken] { try context.database.apiTokens(login: login) }

    /// Revokes one of an account's tokens; false when it has no such live token.
    @discardableResult
    public func revokeToken(id: Int64, login: String, actor: Actor) throws -> Bool {
        try context.write { tx in
            guard try tx.revokeAPIToken(id: id, login: login) else { return false }
            try tx.appendAudit(AuditEntry(actor: actor, action: "token.revoke", entityType: "account", entityID: login,
                                          details: "token=\(id)"))
            return true
        }
    }

    private func now() -> Int64 { Int64(context.clock.date().timeIntervalSince1970) }

    static func rolesText(_ roles: Set<Role>) -> String { roles.sorted().map(\.rawValue).joined(separator: ",") }
}

/// Signing in: checking a password, and the sessions and API tokens a request is recognised by. (Throttling wrong
/// passwords and the cookies themselves belong to the web app.)
public struct SignInDesk: Sendable {
    let context: OfficeContext

    /// The enabled account a login and password belong to, or nil; an unknown login takes as long as a wrong password.
    /// Blocks its thread for bcrypt.
    public func authenticate(login: String, password: String) throws -> Account? {
        guard let login = try? CanonicalText.login(login), let account = try context.database.account(login: login),
              !account.disabled else {
            _ = Passwords.verify(password, hash: Passwords.decoy)
            return nil
        }
        return Passwords.verify(password, hash: account.passwordHash) ? account : nil
    }

    /// The language the person behind an account chose to read obuka in, if any.
    public func preferredLanguage(of account: Account) -> Language? {
        guard let number = account.personalNumber else { return nil }
        return (try? context.database.person(personalNumber: number))?.preferredLanguage
    }

    /// Stores a new session for an account at its current session generation (and sweeps expired ones).
    public func startSession(tokenSHA256: String, account: Account, csrfToken: String, now: Int64, idleExpiresAt: Int64,
                             absoluteExpiresAt: Int64) throws {
        try context.database.createSession(tokenSHA256: tokenSHA256, accountID: account.id, csrfToken: csrfToken, now: now,
                                           idleExpiresAt: idleExpiresAt, absoluteExpiresAt: absoluteExpiresAt)
    }

    /// The session a token names if its account is enabled and still at the session's generation (expiry is the
    /// caller's to check: `WebSession.live(at:)`).
    public func session(tokenSHA256: String) throws -> WebSession? { try context.database.storedSession(tokenSHA256: tokenSHA256) }

    /// Moves a session's idle expiry forward (at most once a minute).
    public func refreshSession(tokenSHA256: String, now: Int64, idleExpiresAt: Int64) throws {
        try context.database.refreshSession(tokenSHA256: tokenSHA256, now: now, idleExpiresAt: idleExpiresAt)
    }

    /// Ends one session (sign-out).
    public func endSession(tokenSHA256: String) throws { try context.database.deleteSession(tokenSHA256: tokenSHA256) }

    /// The enabled account a live API token belongs to, with the token's id and when it was last recorded as used.
    public func account(apiToken token: String) throws -> (account: Account, tokenID: Int64, lastUsedAt: Int64?)? {
        try context.database.apiTokenAccount(tokenSHA256: SecretToken.digest(token), now: Int64(context.clock.date().timeIntervalSince1970))
    }

    /// Records that an API token was used (at most once a minute per token).
    public func touchToken(id: Int64, now: Int64) throws { try context.database.touchAPIToken(id: id, now: now) }
}
