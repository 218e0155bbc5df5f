import Foundation
import GRDB
import TrainingCore

extension StoreTransaction {
    /// Stores a new API token of an account (only its SHA-256), good until `expiresAt` (Unix seconds) and while the
    /// account stays at its current session generation; returns it as listed.
    public func insertAPIToken(account: Account, name: String, tokenSHA256: String, expiresAt: Int64) throws -> APIToken {
        try db.execute(sql: """
            INSERT INTO api_token (account_id, name, token_sha256, created_at, expires_at, session_generation)
            SELECT id, ?, ?, ?, ?, session_generation FROM account WHERE id = ?
            """, arguments: [name, tokenSHA256, timestamp, expiresAt, account.id])
        return APIToken(id: db.lastInsertedRowID, login: account.login, name: name, createdAt: timestamp, expiresAt: expiresAt,
                        lastUsedAt: nil, revoked: false)
    }

    /// Revokes one of an account's tokens; false when the account has no such live token.
    public func revokeAPIToken(id: Int64, login: String) throws -> Bool {
        try db.execute(sql: """
            UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
              AND account_id = (SELECT id FROM account WHERE login = ?)
            """, arguments: [timestamp, id, login])
        return db.changesCount == 1
    }
}

extension AppDatabase {
    /// An account's tokens, newest first.
    public func apiTokens(login: String) throws -> [APIToken] {
        try read { tx in
            try Row.fetchAll(tx.db, sql: """
                SELECT t.*, a.login, a.session_generation AS account_generation
                FROM api_token t JOIN account a ON a.id = t.account_id WHERE a.login = ? ORDER BY t.id DESC
                """, arguments: [login]).map { row in
                APIToken(id: row["id"], login: row["login"], name: row["name"], createdAt: row["created_at"],
                         expiresAt: row["expires_at"], lastUsedAt: row["last_used_at"],
                         revoked: row["revoked_at"] != nil || row["session_generation"] as Int64 != row["account_generation"])
            }
        }
    }

    /// The enabled account a live token belongs to, and when the token was last recorded as used. A token is live until
    /// it is revoked, reaches its expiry (Unix seconds, compared with `now`), or its account's session generation moves
    /// on (a password change, a role change, disabling).
    public func apiTokenAccount(tokenSHA256: String, now: Int64) throws -> (account: Account, tokenID: Int64, lastUsedAt: Int64?)? {
        try read { tx in
            guard let row = try Row.fetchOne(tx.db, sql: """
                SELECT t.id AS token_id, t.last_used_at, account.*, person.personal_number
                FROM api_token t JOIN account ON account.id = t.account_id LEFT JOIN person ON person.id = account.person_id
                WHERE t.token_sha256 = ? AND t.revoked_at IS NULL AND t.expires_at > ?
                  AND t.session_generation = account.session_generation
                """, arguments: [tokenSHA256, now]) else { return nil }
            let account = try Self.account(row: row)
            guard !account.disabled else { return nil }
            return (account, row["token_id"], row["last_used_at"])
        }
    }

    /// Records that a token was used (callers do this at most once a minute per token): bookkeeping, which leaves the
    /// data generation alone.
    public func touchAPIToken(id: Int64, now: Int64) throws {
        try writeBookkeeping { db in try db.execute(sql: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [now, id]) }
    }
}
