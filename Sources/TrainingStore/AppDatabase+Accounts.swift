import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    static let accountSelect = """
        SELECT account.*, person.personal_number FROM account LEFT JOIN person ON person.id = account.person_id
        """

}

extension StoreTransaction {
    /// Stores a new account; a login already taken is refused.
    public func insertAccount(login: String, displayName: String, passwordHash: String, roles: Set<Role>,
                              department: DepartmentCode?, person: PersonID?) throws -> Account {
        if try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE login = ?", arguments: [login]) != nil {
            throw AccountError.loginTaken(login: login)
        }
        try db.execute(sql: """
            INSERT INTO account (login, display_name, password_hash, roles, department, person_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [login, displayName, passwordHash, AppDatabase.rolesText(roles), department?.rawValue, person?.rawValue,
                             timestamp, timestamp])
        return try account(login: login)!
    }

    /// The account with a login, or nil.
    public func account(login: String) throws -> Account? { try AppDatabase.fetchAccount(login: login, db) }

    /// Sets an account's password hash; its sessions end.
    public func setPasswordHash(login: String, _ hash: String) throws {
        try changeAccount(login: login, sql: "password_hash = ?, session_generation = session_generation + 1", [hash])
    }

    /// Disables an account (its sessions end) or enables it again.
    public func setDisabled(login: String, _ disabled: Bool) throws {
        try changeAccount(login: login, sql: disabled ? "disabled_at = ?, session_generation = session_generation + 1" : "disabled_at = NULL",
                          disabled ? [timestamp] : [])
    }

    /// Replaces an account's roles and department scope; its sessions end so the new roles apply at once.
    public func setRoles(login: String, _ roles: Set<Role>, department: DepartmentCode?) throws {
        try changeAccount(login: login, sql: "roles = ?, department = ?, session_generation = session_generation + 1",
                          [AppDatabase.rolesText(roles), department?.rawValue])
    }

    private func changeAccount(login: String, sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws {
        var values = StatementArguments(arguments)
        values += [timestamp, login]
        try db.execute(sql: "UPDATE account SET \(sql), updated_at = ? WHERE login = ?", arguments: values)
        guard db.changesCount == 1 else { throw AccountError.unknownAccount(login: login) }
        try db.execute(sql: "DELETE FROM web_session WHERE account_id = (SELECT id FROM account WHERE login = ?)", arguments: [login])
    }
}

extension AppDatabase {
    /// The account with a login, or nil.
    public func account(login: String) throws -> Account? {
        try read { tx in try tx.account(login: login) }
    }

    /// Every account, by login.
    public func accounts() throws -> [Account] {
        try read { tx in
            try Row.fetchAll(tx.db, sql: Self.accountSelect + " ORDER BY account.login").map(Self.account(row:))
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
        try readDB { db in
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
