import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    /// Stores a new token for an account; only its SHA-256 is kept.
    @discardableResult
    public func createAPIToken(login: String, name: String, tokenSHA256: String, actor: Actor, at date: Date = Date()) throws -> APIToken {
        try write { db in
            guard let account = try Self.fetchAccount(login: login, db) else { throw AccountError.unknownAccount(login: login) }
            let created = AuditLog.timestamp(date)
            let label = String(name.trimmingWhitespace.prefix(100))
            try db.execute(sql: "INSERT INTO api_token (account_id, name, token_sha256, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [account.id, label, tokenSHA256, created])
            let id = db.lastInsertedRowID
            try AuditLog.append(AuditEntry(actor: actor, action: "token.create", entityType: "account", entityID: account.login,
                                           details: "token=\(id)"), at: date, in: db)
            return APIToken(id: id, login: account.login, name: label, createdAt: created, lastUsedAt: nil, revoked: false)
        }
    }

    /// An account's tokens, newest first.
    public func apiTokens(login: String) throws -> [APIToken] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.*, a.login FROM api_token t JOIN account a ON a.id = t.account_id WHERE a.login = ? ORDER BY t.id DESC
                """, arguments: [login]).map { row in
                APIToken(id: row["id"], login: row["login"], name: row["name"], createdAt: row["created_at"],
                         lastUsedAt: row["last_used_at"], revoked: row["revoked_at"] != nil)
            }
        }
    }

    /// Revokes one of an account's tokens; false when the account has no such token.
    @discardableResult
    public func revokeAPIToken(id: Int64, login: String, actor: Actor, at date: Date = Date()) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
                  AND account_id = (SELECT id FROM account WHERE login = ?)
                """, arguments: [AuditLog.timestamp(date), id, login])
            guard db.changesCount == 1 else { return false }
            try AuditLog.append(AuditEntry(actor: actor, action: "token.revoke", entityType: "account", entityID: login,
                                           details: "token=\(id)"), at: date, in: db)
            return true
        }
    }

    /// The enabled account a live token belongs to, and when the token was last recorded as used.
    public func apiTokenAccount(tokenSHA256: String) throws -> (account: Account, tokenID: Int64, lastUsedAt: Int64?)? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT t.id AS token_id, t.last_used_at, account.*, person.personal_number
                FROM api_token t JOIN account ON account.id = t.account_id LEFT JOIN person ON person.id = account.person_id
                WHERE t.token_sha256 = ? AND t.revoked_at IS NULL
                """, arguments: [tokenSHA256]) else { return nil }
            let account = try Self.account(row: row)
            guard !account.disabled else { return nil }
            return (account, row["token_id"], row["last_used_at"])
        }
    }

    /// Records that a token was used (callers do this at most once a minute per token).
    public func touchAPIToken(id: Int64, now: Int64) throws {
        try write { db in try db.execute(sql: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [now, id]) }
    }
}
