import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    private static let accountSelect = """
        SELECT account.*, person.personal_number FROM account LEFT JOIN person ON person.id = account.person_id
        """

    /// Creates an account, audited.
    @discardableResult
    public func createAccount(_ draft: AccountDraft, actor: Actor, at date: Date = Date()) throws -> Account {
        let login = draft.login.trimmingWhitespace
        guard !login.isEmpty, login.count <= 64, login.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw AccountError.invalidLogin(login: draft.login)
        }
        guard !draft.roles.isEmpty else { throw AccountError.noRoles }
        if draft.roles.contains(.departmentHead), draft.department == nil { throw AccountError.departmentHeadNeedsDepartment }
        if draft.roles.contains(.trainee), draft.personalNumber == nil { throw AccountError.traineeNeedsPerson }
        return try write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE login = ?", arguments: [login]) != nil {
                throw AccountError.loginTaken(login: login)
            }
            var personID: Int64?
            if let number = draft.personalNumber {
                guard let person = try PersonRecord.fetch(personalNumber: number, db) else {
                    throw PeopleError.unknownPerson(personalNumber: number)
                }
                personID = person.id
            }
            if let department = draft.department, try !DepartmentRecord.exists(db, key: department.rawValue) {
                throw PeopleError.unknownDepartment(code: department.rawValue)
            }
            let now = AuditLog.timestamp(date)
            try db.execute(sql: """
                INSERT INTO account (login, display_name, password_hash, roles, department, person_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [login, draft.displayName, draft.passwordHash, Self.rolesText(draft.roles),
                                 draft.department?.rawValue, personID, now, now])
            try AuditLog.append(AuditEntry(actor: actor, action: "account.create", entityType: "account", entityID: login,
                                           details: "roles=\(Self.rolesText(draft.roles))"), at: date, in: db)
            return try Self.fetchAccount(login: login, db)!
        }
    }

    /// The account with a login (case-insensitive), or nil.
    public func account(login: String) throws -> Account? {
        try writer.read { db in try Self.fetchAccount(login: login, db) }
    }

    /// Every account, by login.
    public func accounts() throws -> [Account] {
        try writer.read { db in
            try Row.fetchAll(db, sql: Self.accountSelect + " ORDER BY account.login").map(Self.account(row:))
        }
    }

    /// Sets a new password hash and ends every session of the account.
    public func setPassword(login: String, passwordHash: String, actor: Actor, at date: Date = Date()) throws {
        try changeAccount(login: login, action: "account.password", actor: actor, at: date,
                          sql: "password_hash = ?, session_generation = session_generation + 1", [passwordHash])
    }

    /// Disables or re-enables an account; disabling ends every session.
    public func setDisabled(login: String, _ disabled: Bool, actor: Actor, at date: Date = Date()) throws {
        try changeAccount(login: login, action: disabled ? "account.disable" : "account.enable", actor: actor, at: date,
                          sql: disabled ? "disabled_at = ?, session_generation = session_generation + 1" : "disabled_at = NULL",
                          disabled ? [AuditLog.timestamp(date)] : [])
    }

    private func changeAccount(login: String, action: String, actor: Actor, at date: Date, sql: String,
                               _ arguments: [(any DatabaseValueConvertible)?]) throws {
        try write { db in
            var values = StatementArguments(arguments)
            values += [AuditLog.timestamp(date), login]
            try db.execute(sql: "UPDATE account SET \(sql), updated_at = ? WHERE login = ?", arguments: values)
            guard db.changesCount == 1 else { throw AccountError.unknownAccount(login: login) }
            try db.execute(sql: "DELETE FROM web_session WHERE account_id = (SELECT id FROM account WHERE login = ?)",
                           arguments: [login])
            try AuditLog.append(AuditEntry(actor: actor, action: action, entityType: "account", entityID: login), at: date, in: db)
        }
    }

    // MARK: Sessions

    /// Stores a new session for an account at its current session generation.
    public func createSession(tokenSHA256: String, accountID: Int64, csrfToken: String, now: Int64,
                              idleExpiresAt: Int64, absoluteExpiresAt: Int64) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO web_session (token_sha256, account_id, generation, csrf_token, created_at, refreshed_at,
                                         idle_expires_at, absolute_expires_at)
                SELECT ?, id, session_generation, ?, ?, ?, ?, ? FROM account WHERE id = ?
                """, arguments: [tokenSHA256, csrfToken, now, now, idleExpiresAt, absoluteExpiresAt, accountID])
            // Expired sessions are swept at sign-in, not on every request.
            try db.execute(sql: "DELETE FROM web_session WHERE idle_expires_at < ? OR absolute_expires_at < ?",
                           arguments: [now, now])
        }
    }

    /// The live session for a token: not expired, of an enabled account, and of the account's current
    /// session generation. Read-only, so viewing a page writes nothing.
    public func session(tokenSHA256: String, now: Int64) throws -> WebSession? {
        try storedSession(tokenSHA256: tokenSHA256)?.live(at: now)
    }

    /// The session for a token if its account is enabled and still at the session's generation; the caller
    /// checks the expiry times (`WebSession.live(at:)`), so the value may be cached until the next write.
    public func storedSession(tokenSHA256: String) throws -> WebSession? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT web_session.csrf_token, web_session.refreshed_at, web_session.idle_expires_at,
                       web_session.absolute_expires_at, web_session.generation AS session_gen, account.*, person.personal_number
                FROM web_session JOIN account ON account.id = web_session.account_id
                LEFT JOIN person ON person.id = account.person_id
                WHERE web_session.token_sha256 = ?
                """, arguments: [tokenSHA256]) else { return nil }
            let account = try Self.account(row: row)
            let idle: Int64 = row["idle_expires_at"], absolute: Int64 = row["absolute_expires_at"]
            guard !account.disabled, row["session_gen"] as Int == account.sessionGeneration else { return nil }
            return WebSession(account: account, csrfToken: row["csrf_token"], refreshedAt: row["refreshed_at"],
                              idleExpiresAt: idle, absoluteExpiresAt: absolute)
        }
    }

    /// Moves a session's idle expiry forward (callers do this at most once a minute).
    public func refreshSession(tokenSHA256: String, now: Int64, idleExpiresAt: Int64) throws {
        try writeBookkeeping { db in
            try db.execute(sql: "UPDATE web_session SET refreshed_at = ?, idle_expires_at = ? WHERE token_sha256 = ?",
                           arguments: [now, idleExpiresAt, tokenSHA256])
        }
    }

    /// Ends one session (sign-out).
    public func deleteSession(tokenSHA256: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM web_session WHERE token_sha256 = ?", arguments: [tokenSHA256]) }
    }

    static func fetchAccount(login: String, _ db: Database) throws -> Account? {
        try Row.fetchOne(db, sql: Self.accountSelect + " WHERE account.login = ?", arguments: [login]).map(account(row:))
    }

    static func account(row: Row) throws -> Account {
        let roles = (row["roles"] as String).split(separator: ",").compactMap { Role(rawValue: String($0)) }
        return Account(id: row["id"], login: row["login"], displayName: row["display_name"], passwordHash: row["password_hash"],
                       roles: Set(roles), department: (row["department"] as String?).map(DepartmentCode.init),
                       personalNumber: row["personal_number"], disabled: row["disabled_at"] != nil,
                       sessionGeneration: row["session_generation"])
    }

    static func rolesText(_ roles: Set<Role>) -> String { roles.sorted().map(\.rawValue).joined(separator: ",") }
}
