import Foundation
import GRDB
import TrainingCore

extension OutboxRow {
    init(row: Row) {
        self.init(id: row["id"], kind: row["kind"], subjectKey: row["subject_key"], recipientName: row["recipient_name"],
                  recipientEmail: row["recipient_email"], subject: row["subject"], text: row["text_body"], html: row["html_body"],
                  calendar: row["calendar"], createdAt: row["created_at"], state: OutboxState(rawValue: row["state"]) ?? .queued,
                  attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"], lastError: row["last_error"], sentAt: row["sent_at"],
                  personalNumber: row.hasColumn("personal_number") ? row["personal_number"] : nil)
    }
}

extension StoreTransaction {
    /// The people holding a place in a cohort (not erased), each with whether they subscribed to their calendar feed
    /// (and so get no invitations: the feed carries the same entries).
    public func messageRecipients(cohort: CohortID) throws -> [(person: Person, subscribed: Bool)] {
        try Row.fetchAll(db, sql: """
            SELECT p.*, EXISTS (SELECT 1 FROM calendar_feed f WHERE f.person_id = p.id) AS subscribed
            FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id = ? AND \(RuleSQL.holdsPlace()) AND p.erased_at IS NULL ORDER BY p.id
            """, arguments: [cohort.rawValue]).map { (try PersonRecord(row: $0).person, $0["subscribed"]) }
    }

    /// A person by id, if not erased.
    public func livePerson(_ id: PersonID) throws -> Person? {
        try Row.fetchOne(db, sql: "SELECT * FROM person WHERE id = ? AND erased_at IS NULL", arguments: [id.rawValue])
            .map { try PersonRecord(row: $0).person }
    }

    /// Queues a message in this transaction, unless the same (kind, subject, recipient, due day) is queued already,
    /// the recipient is erased or has no e-mail address (`peopleWithoutEmail` lists them to coordinators), or it is a
    /// reminder and they switched reminders off. True when it was queued.
    @discardableResult
    public func enqueue(_ message: OutgoingMessage, due: LocalDate) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO outbox (kind, subject_key, person_id, due_day, recipient_name, recipient_email, subject, text_body, html_body,
                                calendar, created_at)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
            WHERE EXISTS (SELECT 1 FROM person WHERE id = ? AND erased_at IS NULL AND trim(email) != '' AND NOT (? AND reminders_off))
            ON CONFLICT (kind, subject_key, person_id, due_day) DO NOTHING
            """, arguments: [message.kind.rawValue, message.subjectKey, message.recipient.rawValue, due.iso, message.recipientName,
                             message.recipientEmail, message.subject, message.text, message.html, message.calendar, timestamp,
                             message.recipient.rawValue, message.kind.isReminder])
        return db.changesCount == 1
    }

    /// Claims up to `limit` queued rows due by `now` (Unix seconds) whose lease has run out, for `owner`, until
    /// `now + lease` seconds.
    public func claimOutbox(owner: String, now: Int64, limit: Int, lease: Int64 = DeliveryRules.leaseSeconds) throws -> [OutboxRow] {
        try Row.fetchAll(db, sql: """
            UPDATE outbox SET lease_owner = ?1, lease_until = ?2
            WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?3
                         AND (lease_until IS NULL OR lease_until < ?3) ORDER BY id LIMIT ?4)
            RETURNING *
            """, arguments: [owner, now + lease, now, limit]).map(OutboxRow.init(row:)).sorted { $0.id < $1.id }
    }

    /// Marks a claimed row sent (only while `owner` holds it).
    public func outboxSent(id: Int64, owner: String) throws {
        try db.execute(sql: """
            UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL, last_error = NULL
            WHERE id = ? AND lease_owner = ?
            """, arguments: [timestamp, id, owner])
    }

    /// Records a failed attempt: queued again after the backoff, or failed after the last attempt.
    public func outboxFailed(id: Int64, owner: String, reason: String, now: Int64) throws {
        guard let attempts = try Int.fetchOne(db, sql: "SELECT attempts + 1 FROM outbox WHERE id = ? AND lease_owner = ?",
                                              arguments: [id, owner]) else { return }
        try db.execute(sql: """
            UPDATE outbox SET attempts = ?, state = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
            WHERE id = ?
            """, arguments: [attempts, DeliveryRules.stateAfterFailure(attempts: attempts).rawValue,
                             now + DeliveryRules.backoff(afterAttempt: attempts), String(reason.prefix(500)), id])
    }

    /// Queues a failed (or waiting) row again, now.
    public func retryOutbox(id: Int64) throws -> Bool {
        try db.execute(sql: """
            UPDATE outbox SET state = 'queued', next_attempt_at = 0, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state != 'sent'
            """, arguments: [id])
        return db.changesCount == 1
    }

    /// The newest rows, metadata and all, newest first.
    public func outbox(limit: Int, offset: Int) throws -> [OutboxRow] {
        try Row.fetchAll(db, sql: """
            SELECT o.*, p.personal_number FROM outbox o JOIN person p ON p.id = o.person_id ORDER BY o.id DESC LIMIT ? OFFSET ?
            """, arguments: [limit, offset]).map(OutboxRow.init(row:))
    }

    /// How many rows are in each state.
    public func outboxCounts() throws -> OutboxCounts {
        var counts = OutboxCounts()
        for row in try Row.fetchAll(db, sql: """
            SELECT state, COUNT(*) AS n, SUM(attempts > 0) AS retrying FROM outbox GROUP BY state
            """) {
            switch OutboxState(rawValue: row["state"]) {
            case .queued?:
                counts.queued = row["n"]
                counts.retrying = row["retrying"] ?? 0
            case .sent?: counts.sent = row["n"]
            case .failed?: counts.failed = row["n"]
            case nil: break
            }
        }
        return counts
    }
}
