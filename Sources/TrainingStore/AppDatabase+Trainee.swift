import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    // MARK: Calendar subscription

    /// Whether a person has a calendar subscription URL.
    public func hasCalendarFeed(personalNumber: String) throws -> Bool {
        try readDB { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM calendar_feed JOIN person ON person.id = calendar_feed.person_id
                               WHERE person.personal_number = ?)
                """, arguments: [personalNumber]) ?? false
        }
    }

    /// The person a calendar token belongs to, or nil.
    public func calendarFeedOwner(tokenSHA256: String) throws -> Person? {
        try readDB { db in
            try PersonRecord.fetchOne(db, sql: """
                SELECT person.* FROM calendar_feed JOIN person ON person.id = calendar_feed.person_id
                WHERE calendar_feed.token_sha256 = ?
                """, arguments: [tokenSHA256])?.person
        }
    }

    // MARK: Absences reported in advance

    /// Absences reported for a session.
    public func absenceNotices(session sessionID: SessionID) throws -> [AbsenceNotice] {
        try readDB { db in
            try Row.fetchAll(db, sql: """
                SELECT n.session_id, n.reason, n.created_at, p.personal_number, p.given_name, p.family_name
                FROM absence_notice n JOIN person p ON p.id = n.person_id WHERE n.session_id = ? ORDER BY p.family_name
                """, arguments: [sessionID.rawValue]).map(Self.notice(row:))
        }
    }

    /// Absences a person reported, by session.
    public func absenceNotices(personalNumber: String) throws -> [SessionID: AbsenceNotice] {
        try readDB { db in
            try Row.fetchAll(db, sql: """
                SELECT n.session_id, n.reason, n.created_at, p.personal_number, p.given_name, p.family_name
                FROM absence_notice n JOIN person p ON p.id = n.person_id WHERE p.personal_number = ?
                """, arguments: [personalNumber]).reduce(into: [:]) { result, row in
                let notice = Self.notice(row: row)
                result[notice.sessionID] = notice
            }
        }
    }

    private static func notice(row: Row) -> AbsenceNotice {
        AbsenceNotice(sessionID: SessionID(rawValue: row["session_id"]), personalNumber: row["personal_number"],
                      name: "\(row["family_name"] as String) \(row["given_name"] as String)", reason: row["reason"],
                      createdAt: row["created_at"])
    }

    /// The account an unused, unexpired reset link belongs to.
    public func passwordResetAccount(tokenSHA256: String, now: Int64) throws -> Account? {
        try read { tx in try Self.passwordResetAccount(tokenSHA256: tokenSHA256, now: now, tx.db) }
    }

    static func passwordResetAccount(tokenSHA256: String, now: Int64, _ db: Database) throws -> Account? {
        guard let accountID = try Int64.fetchOne(db, sql: """
            SELECT account_id FROM password_reset WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?
            """, arguments: [tokenSHA256, now]) else { return nil }
        return try Row.fetchOne(db, sql: Self.accountByIDSelect, arguments: [accountID]).map(Self.account(row:))
    }

    private static let accountByIDSelect = """
        SELECT account.*, person.personal_number FROM account LEFT JOIN person ON person.id = account.person_id
        WHERE account.id = ?
        """
}

extension StoreTransaction {
    /// Stores a new calendar token for a person, replacing (and so revoking) any earlier one.
    public func replaceCalendarFeed(person: PersonID, tokenSHA256: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO calendar_feed (person_id, token_sha256, created_at) VALUES (?, ?, ?)",
                       arguments: [person.rawValue, tokenSHA256, timestamp])
    }

    /// Revokes a person's calendar subscription URL.
    public func revokeCalendarFeed(person: PersonID) throws {
        try db.execute(sql: "DELETE FROM calendar_feed WHERE person_id = ?", arguments: [person.rawValue])
    }

    /// Records (or updates) a notice that a person will miss a session.
    public func recordAbsenceNotice(session: SessionID, person: PersonID, reason: String) throws {
        try db.execute(sql: """
            INSERT INTO absence_notice (session_id, person_id, reason, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (session_id, person_id) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at
            """, arguments: [session.rawValue, person.rawValue, reason, timestamp])
    }

    /// Stores a one-time password-reset link of an account (an unused earlier one stops working).
    public func createPasswordReset(account: Account, tokenSHA256: String, expiresAt: Int64) throws {
        try db.execute(sql: "DELETE FROM password_reset WHERE account_id = ? AND used_at IS NULL", arguments: [account.id])
        try db.execute(sql: "INSERT INTO password_reset (token_sha256, account_id, expires_at) VALUES (?, ?, ?)",
                       arguments: [tokenSHA256, account.id, expiresAt])
    }

    /// Uses a live reset link once: sets the new password hash and ends every session of its account, which it
    /// returns; nil when the link is unknown, used or expired at `now` (Unix seconds).
    public func usePasswordReset(tokenSHA256: String, passwordHash: String, now: Int64) throws -> Account? {
        guard let account = try AppDatabase.passwordResetAccount(tokenSHA256: tokenSHA256, now: now, db) else { return nil }
        try db.execute(sql: "UPDATE password_reset SET used_at = ? WHERE token_sha256 = ?", arguments: [now, tokenSHA256])
        try db.execute(sql: """
            UPDATE account SET password_hash = ?, session_generation = session_generation + 1, updated_at = ? WHERE id = ?
            """, arguments: [passwordHash, timestamp, account.id])
        try db.execute(sql: "DELETE FROM web_session WHERE account_id = ?", arguments: [account.id])
        return account
    }
}
