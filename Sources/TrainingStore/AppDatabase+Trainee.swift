import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    // MARK: Calendar subscription

    /// Stores a new calendar token for a person, replacing (and so revoking) any earlier one.
    public func replaceCalendarFeed(personalNumber: String, tokenSHA256: String, actor: Actor, at date: Date = Date()) throws {
        try write { db in
            guard let person = try PersonRecord.fetch(personalNumber: personalNumber, db) else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            try db.execute(sql: "INSERT OR REPLACE INTO calendar_feed (person_id, token_sha256, created_at) VALUES (?, ?, ?)",
                           arguments: [person.id, tokenSHA256, AuditLog.timestamp(date)])
            try AuditLog.append(AuditEntry(actor: actor, action: "calendar.token", entityType: "person", entityID: personalNumber),
                                at: date, in: db)
        }
    }

    /// Revokes a person's calendar subscription URL.
    public func revokeCalendarFeed(personalNumber: String, actor: Actor, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM calendar_feed WHERE person_id = (SELECT id FROM person WHERE personal_number = ?)",
                           arguments: [personalNumber])
            try AuditLog.append(AuditEntry(actor: actor, action: "calendar.revoke", entityType: "person", entityID: personalNumber),
                                at: date, in: db)
        }
    }

    /// Whether a person has a calendar subscription URL.
    public func hasCalendarFeed(personalNumber: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM calendar_feed JOIN person ON person.id = calendar_feed.person_id
                               WHERE person.personal_number = ?)
                """, arguments: [personalNumber]) ?? false
        }
    }

    /// The person a calendar token belongs to, or nil.
    public func calendarFeedOwner(tokenSHA256: String) throws -> Person? {
        try writer.read { db in
            try PersonRecord.fetchOne(db, sql: """
                SELECT person.* FROM calendar_feed JOIN person ON person.id = calendar_feed.person_id
                WHERE calendar_feed.token_sha256 = ?
                """, arguments: [tokenSHA256])?.person
        }
    }

    // MARK: Absences reported in advance

    /// Records (or updates) a trainee's notice that they will miss a session that has not started.
    public func reportAbsence(session sessionID: SessionID, personalNumber: String, reason: String, actor: Actor,
                              now: LocalDateTime, at date: Date = Date()) throws {
        try write { db in
            let session = try Self.session(sessionID, db)
            guard now < session.starts else { throw TraineeError.sessionAlreadyStarted }
            let cohort = try Self.cohort(code: session.cohortCode, db)
            guard let personID = try participantIDs(cohort, db)[personalNumber] else { throw TraineeError.notYourSession }
            try db.execute(sql: """
                INSERT INTO absence_notice (session_id, person_id, reason, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (session_id, person_id) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at
                """, arguments: [sessionID.rawValue, personID, reason, AuditLog.timestamp(date)])
            try AuditLog.append(AuditEntry(actor: actor, action: "absence.report", entityType: "session",
                                           entityID: String(sessionID.rawValue), details: personalNumber), at: date, in: db)
        }
    }

    /// Absences reported for a session.
    public func absenceNotices(session sessionID: SessionID) throws -> [AbsenceNotice] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT n.session_id, n.reason, n.created_at, p.personal_number, p.given_name, p.family_name
                FROM absence_notice n JOIN person p ON p.id = n.person_id WHERE n.session_id = ? ORDER BY p.family_name
                """, arguments: [sessionID.rawValue]).map(Self.notice(row:))
        }
    }

    /// Absences a person reported, by session.
    public func absenceNotices(personalNumber: String) throws -> [SessionID: AbsenceNotice] {
        try writer.read { db in
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

    // MARK: Account administration

    /// Replaces an account's roles and department scope; ends its sessions so the new roles apply at once.
    public func setRoles(login: String, roles: Set<Role>, department: DepartmentCode?, actor: Actor, at date: Date = Date()) throws {
        guard !roles.isEmpty else { throw AccountError.noRoles }
        if roles.contains(.departmentHead), department == nil { throw AccountError.departmentHeadNeedsDepartment }
        try write { db in
            guard let account = try Self.fetchAccount(login: login, db) else { throw AccountError.unknownAccount(login: login) }
            if roles.contains(.trainee), account.personalNumber == nil { throw AccountError.traineeNeedsPerson }
            if let department, try !DepartmentRecord.exists(db, key: department.rawValue) {
                throw PeopleError.unknownDepartment(code: department.rawValue)
            }
            try db.execute(sql: """
                UPDATE account SET roles = ?, department = ?, session_generation = session_generation + 1, updated_at = ?
                WHERE id = ?
                """, arguments: [Self.rolesText(roles), roles.contains(.departmentHead) ? department?.rawValue : nil,
                                 AuditLog.timestamp(date), account.id])
            try db.execute(sql: "DELETE FROM web_session WHERE account_id = ?", arguments: [account.id])
            try AuditLog.append(AuditEntry(actor: actor, action: "account.roles", entityType: "account", entityID: account.login,
                                           details: Self.rolesText(roles)), at: date, in: db)
        }
    }

    /// Stores a one-time password-reset link for an account.
    public func createPasswordReset(login: String, tokenSHA256: String, expiresAt: Int64, actor: Actor, at date: Date = Date()) throws {
        try write { db in
            guard let account = try Self.fetchAccount(login: login, db) else { throw AccountError.unknownAccount(login: login) }
            try db.execute(sql: "DELETE FROM password_reset WHERE account_id = ? AND used_at IS NULL", arguments: [account.id])
            try db.execute(sql: "INSERT INTO password_reset (token_sha256, account_id, expires_at) VALUES (?, ?, ?)",
                           arguments: [tokenSHA256, account.id, expiresAt])
            try AuditLog.append(AuditEntry(actor: actor, action: "account.reset_link", entityType: "account", entityID: account.login),
                                at: date, in: db)
        }
    }

    /// The account an unused, unexpired reset link belongs to.
    public func passwordResetAccount(tokenSHA256: String, now: Int64) throws -> Account? {
        try writer.read { db in
            guard let accountID = try Int64.fetchOne(db, sql: """
                SELECT account_id FROM password_reset WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?
                """, arguments: [tokenSHA256, now]) else { return nil }
            return try Row.fetchOne(db, sql: Self.accountByIDSelect, arguments: [accountID]).map(Self.account(row:))
        }
    }

    /// Uses a reset link once: sets the new password and ends every session of the account.
    public func completePasswordReset(tokenSHA256: String, passwordHash: String, now: Int64, at date: Date = Date()) throws -> Account {
        try write { db in
            guard let accountID = try Int64.fetchOne(db, sql: """
                SELECT account_id FROM password_reset WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?
                """, arguments: [tokenSHA256, now]),
                let account = try Row.fetchOne(db, sql: Self.accountByIDSelect, arguments: [accountID]).map(Self.account(row:)) else {
                throw TraineeError.resetLinkInvalid
            }
            try db.execute(sql: "UPDATE password_reset SET used_at = ? WHERE token_sha256 = ?", arguments: [now, tokenSHA256])
            try db.execute(sql: """
                UPDATE account SET password_hash = ?, session_generation = session_generation + 1, updated_at = ? WHERE id = ?
                """, arguments: [passwordHash, AuditLog.timestamp(date), accountID])
            try db.execute(sql: "DELETE FROM web_session WHERE account_id = ?", arguments: [accountID])
            try AuditLog.append(AuditEntry(actor: account.actor, action: "account.password_reset", entityType: "account",
                                           entityID: account.login), at: date, in: db)
            return account
        }
    }

    private static let accountByIDSelect = """
        SELECT account.*, person.personal_number FROM account LEFT JOIN person ON person.id = account.person_id
        WHERE account.id = ?
        """
}

extension AppDatabase {
    /// Every enrolment of a person (requested, waitlisted, declined and withdrawn included), by cohort start.
    public func enrolments(personalNumber: String) throws -> [PersonEnrolment] {
        try enrolments(personalNumber: personalNumber, department: nil)[personalNumber] ?? []
    }

    /// Every enrolment of everyone now in a department, by personal number (each list ordered as
    /// `enrolments(personalNumber:)` orders it), in one query.
    public func enrolments(department: DepartmentCode) throws -> [String: [PersonEnrolment]] {
        try enrolments(personalNumber: nil, department: department)
    }

    /// Enrolments of one person, or of a department's people, by personal number.
    private func enrolments(personalNumber: String?, department: DepartmentCode?) throws -> [String: [PersonEnrolment]] {
        try writer.read { db in
            var result: [String: [PersonEnrolment]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT c.*, e.status AS enrolment_status, e.reason AS enrolment_reason, p.personal_number AS person_number
                FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN person p ON p.id = e.person_id
                WHERE (?1 IS NULL OR p.personal_number = ?1) AND (?2 IS NULL OR p.department = ?2)
                ORDER BY c.starts, c.code
                """, arguments: [personalNumber, department?.rawValue]) {
                result[row["person_number"], default: []].append(PersonEnrolment(
                    cohort: Cohort(row: row), status: EnrolmentStatus(rawValue: row["enrolment_status"]) ?? .requested,
                    reason: row["enrolment_reason"]))
            }
            return result
        }
    }
}
