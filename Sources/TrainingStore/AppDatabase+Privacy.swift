import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    /// Everything held about a person, as one document.
    public func personalData(personalNumber: String, at date: Date) throws -> PersonalDataExport {
        try read { tx in
            let db = tx.db
            guard let person = try PersonRecord.fetch(personalNumber: personalNumber, db), person.erasedAt == nil else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            let id = person.id!
            let accounts = try Row.fetchAll(db, sql: "SELECT * FROM account WHERE person_id = ?", arguments: [id]).map { row in
                PersonalDataExport.AccountData(
                    login: row["login"], displayName: row["display_name"], roles: row["roles"], createdAt: row["created_at"],
                    disabled: row["disabled_at"] != nil,
                    apiTokens: try String.fetchAll(db, sql: "SELECT name FROM api_token WHERE account_id = ?", arguments: [row["id"] as Int64]))
            }
            let enrolments = try Row.fetchAll(db, sql: """
                SELECT c.code, c.name, e.status, e.department_at_enrolment, e.reason FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
                WHERE e.person_id = ? ORDER BY c.starts
                """, arguments: [id]).map {
                PersonalDataExport.EnrolmentData(cohort: $0["code"], cohortName: $0["name"], status: $0["status"],
                                                 departmentAtEnrolment: $0["department_at_enrolment"], reason: $0["reason"])
            }
            let attendance = try Row.fetchAll(db, sql: """
                SELECT a.*, s.module_id, s.starts_at, c.code FROM attendance a JOIN session s ON s.id = a.session_id
                JOIN cohort c ON c.id = s.cohort_id WHERE a.person_id = ? ORDER BY s.starts_at, a.id
                """, arguments: [id]).map {
                PersonalDataExport.AttendanceData(session: $0["session_id"], cohort: $0["code"], module: $0["module_id"],
                                                  starts: $0["starts_at"], status: $0["status"], minutesPresent: $0["minutes_present"],
                                                  note: $0["note"], recordedBy: $0["recorded_by"], recordedAt: $0["recorded_at"],
                                                  current: $0["current"])
            }
            let scores = try Row.fetchAll(db, sql: """
                SELECT r.*, c.code FROM assessment_result r JOIN cohort c ON c.id = r.cohort_id WHERE r.person_id = ? ORDER BY r.id
                """, arguments: [id]).map {
                PersonalDataExport.ScoreData(cohort: $0["code"], assessment: $0["assessment_id"], attempt: $0["attempt"], score: $0["score"],
                                             recordedBy: $0["recorded_by"], recordedAt: $0["recorded_at"], current: $0["current"])
            }
            let certificates = try Row.fetchAll(db, sql: "SELECT * FROM certificate WHERE person_id = ? ORDER BY issued_at",
                                                arguments: [id]).map {
                PersonalDataExport.CertificateData(
                    serial: $0["serial"], issued: $0["issued_at"], expires: $0["expires_at"], revokedAt: $0["revoked_at"],
                    revocationReason: $0["revocation_reason"],
                    fields: (try? JSONDecoder().decode([String: String].self, from: Data(($0["fields"] as String).utf8))) ?? [:])
            }
            let notices = try Row.fetchAll(db, sql: "SELECT * FROM absence_notice WHERE person_id = ?", arguments: [id]).map {
                PersonalDataExport.AbsenceData(session: $0["session_id"], reason: $0["reason"], reportedAt: $0["created_at"])
            }
            // Every event about them or their accounts, found by reference.
            let audit = try AuditLog.events(concerning: id, in: db).map {
                PersonalDataExport.AuditData(seq: $0.seq, at: $0.at, actor: $0.actor, action: $0.action,
                                             entityType: $0.entityType, entityID: $0.entityID, details: $0.details)
            }
            let reads = try Row.fetchAll(db, sql: "SELECT * FROM read_access WHERE subject = ? ORDER BY id", arguments: [personalNumber]).map {
                PersonalDataExport.ReadAccessData(at: $0["at"], actor: $0["actor"], what: $0["what"])
            }
            return PersonalDataExport(
                exportedAt: AuditLog.timestamp(date),
                person: .init(personalNumber: person.personalNumber, givenName: person.givenName, familyName: person.familyName,
                              email: person.email, department: person.department, sex: person.sex, jobTitle: person.jobTitle,
                              preferredLanguage: person.preferredLanguage, employedSince: person.employedSince, createdAt: person.createdAt,
                              updatedAt: person.updatedAt),
                accounts: accounts, enrolments: enrolments, attendance: attendance, scores: scores, certificates: certificates,
                absenceNotices: notices,
                calendarSubscription: try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM calendar_feed WHERE person_id = ?)",
                                                        arguments: [id]) ?? false,
                auditEvents: audit, readAccesses: reads,
                nominations: try Row.fetchAll(db, sql: """
                    SELECT n.* FROM training_need n JOIN training_need_person np ON np.need_id = n.id WHERE np.person_id = ?
                    ORDER BY n.year, n.id
                    """, arguments: [id]).map {
                    PersonalDataExport.NominationData(year: $0["year"], department: $0["department"], programID: $0["program_id"],
                                                      priority: $0["priority"], reason: $0["reason"])
                },
                questionnairesAnswered: try Row.fetchAll(db, sql: """
                    SELECT c.code, m.module_id FROM reaction_marker m JOIN cohort c ON c.id = m.cohort_id WHERE m.person_id = ?
                    ORDER BY c.code, m.module_id
                    """, arguments: [id]).map { PersonalDataExport.QuestionnaireAnswered(cohort: $0["code"], module: $0["module_id"]) },
                followUps: try Row.fetchAll(db, sql: """
                    SELECT c.code, f.respondent, f.due, f.answered_at, f.answered_by, f.answers
                    FROM follow_up f JOIN cohort c ON c.id = f.cohort_id WHERE f.person_id = ? ORDER BY f.due, f.id
                    """, arguments: [id]).map { row in
                    PersonalDataExport.FollowUpData(
                        cohort: row["code"], respondent: row["respondent"], due: row["due"], answeredAt: row["answered_at"],
                        answeredBy: row["answered_by"],
                        answers: try (row["answers"] as String?).map { try JSONDecoder().decode([String: ReactionValue].self, from: Data($0.utf8)) })
                },
                messages: try Row.fetchAll(db, sql: """
                    SELECT kind, subject, created_at, state, sent_at FROM outbox WHERE person_id = ? ORDER BY id
                    """, arguments: [id]).map {
                    PersonalDataExport.MessageData(kind: $0["kind"], subject: $0["subject"], queuedAt: $0["created_at"], state: $0["state"],
                                                   sentAt: $0["sent_at"])
                })
        }
    }

    /// A write that erases: in one transaction, then a checkpoint that copies the WAL into the file and truncates it, so
    /// no erased value remains in the WAL either (deleted content is zeroed in the file: `secure_delete`). The server
    /// may keep running; its readers are waited for.
    public func writeErasing<T>(at date: Date, _ work: (StoreTransaction) throws -> T) throws -> T {
        let result = try write(at: date, work)
        do {
            for _ in 0..<100 {
                let busy = try writer.writeWithoutTransaction { db in
                    try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")?[0] as Int? ?? 0
                }
                if busy == 0 { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: writer.path)
        }
        return result
    }

    /// Appends logged reads in one transaction (the web app batches them).
    public func recordReadAccesses(_ entries: [ReadAccess]) throws {
        guard !entries.isEmpty else { return }
        try writeBookkeeping { db in try Self.insertReadAccesses(entries, db) }
    }

    /// Appends logged reads in one transaction, awaiting the writer connection instead of blocking a thread of
    /// the caller's (the web app's few) while it commits.
    public func recordReadAccesses(_ entries: [ReadAccess]) async throws {
        guard !entries.isEmpty else { return }
        try await writeBookkeeping { db in try Self.insertReadAccesses(entries, db) }
    }

    private static func insertReadAccesses(_ entries: [ReadAccess], _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO read_access (at, actor, what, subject) VALUES (?, ?, ?, ?)")
        for entry in entries { try insert.execute(arguments: [entry.at, entry.actor, entry.what, entry.subject]) }
    }

    /// Logged reads of a subject (a personal number, or `cohort:CODE` / `department:CODE`), oldest first.
    public func readAccesses(subject: String) throws -> [ReadAccess] {
        try readDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM read_access WHERE subject = ? ORDER BY id", arguments: [subject]).map {
                ReadAccess(at: $0["at"], actor: $0["actor"], what: $0["what"], subject: $0["subject"])
            }
        }
    }

    /// How many days logged reads, ended sessions, used reset links and revoked tokens are kept (default 730).
    public func retentionDays() throws -> Int {
        try readDB { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'privacy.retention_days'").flatMap(Int.init) ?? 730
        }
    }
}

extension StoreTransaction {
    /// Erases a person: names, e-mail, notes and reasons are removed and the personal number replaced by a
    /// pseudonym; their accounts, calendar link and absence notices go; audit details naming them are
    /// deleted (the chain stays valid: it covers only their digests). What a legal duty requires stays:
    /// attendance minutes and results (training records and reports), and certificates, which remain
    /// checkable as "valid — the holder's data has been erased". Returns the pseudonym.
    public func erase(_ person: Person) throws -> String {
        let id = person.id.rawValue, personalNumber = person.personalNumber
        let pseudonym = "ERASED-\(id)"
        let now = timestamp
        // Audit details about them go, found by reference (an unrelated detail that happens to hold the same digits
        // stays); the names their references stand for go too, so the log shows `#p12` where their number was.
        try db.execute(sql: "DELETE FROM audit_detail WHERE seq IN (SELECT seq FROM audit_subject WHERE person_id = ?)", arguments: [id])
        try db.execute(sql: "DELETE FROM audit_name WHERE person_id = ?", arguments: [id])
        // Their logins, where their accounts recorded something (a QR check-in), become the account's reference.
        for account in try Row.fetchAll(db, sql: "SELECT id, login FROM account WHERE person_id = ?", arguments: [id]) {
            let login = "account:" + (account["login"] as String), ref = "account:#a\(account["id"] as Int64)"
            for sql in ["UPDATE attendance SET recorded_by = ?1 WHERE recorded_by = ?2",
                        "UPDATE assessment_result SET recorded_by = ?1 WHERE recorded_by = ?2",
                        "UPDATE session_change SET actor = ?1 WHERE actor = ?2", "UPDATE read_access SET actor = ?1 WHERE actor = ?2",
                        "UPDATE follow_up SET answered_by = ?1 WHERE answered_by = ?2"] {
                try db.execute(sql: sql, arguments: [ref, login])
            }
        }
        try db.execute(sql: """
            UPDATE certificate SET fields = json_object('program_title', json_extract(fields, '$.program_title')),
                   payload = json_set(payload, '$.holder', ''), token = '', holder_erased_at = ?
            WHERE person_id = ?
            """, arguments: [now, id])
        try db.execute(sql: "UPDATE attendance SET note = NULL WHERE person_id = ?", arguments: [id])
        try db.execute(sql: "UPDATE enrolment SET reason = NULL WHERE person_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM absence_notice WHERE person_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM calendar_feed WHERE person_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM training_need_person WHERE person_id = ?", arguments: [id])
        // Whether they answered a questionnaire goes; the answers, which name no one, stay in the results.
        try db.execute(sql: "DELETE FROM reaction_marker WHERE person_id = ?", arguments: [id])
        // Follow-ups are about them (their head's answers too): they go with them.
        try db.execute(sql: "DELETE FROM follow_up WHERE person_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM forecast_notice WHERE person_id = ?", arguments: [id])
        // Nothing more is sent to them; what was sent keeps only that a message went, not to whom or what it said.
        try db.execute(sql: "DELETE FROM outbox WHERE person_id = ? AND state != 'sent'", arguments: [id])
        try db.execute(sql: """
            UPDATE outbox SET recipient_name = '—', recipient_email = '', subject = '—', text_body = '', html_body = '', calendar = NULL,
                   last_error = NULL WHERE person_id = ?
            """, arguments: [id])
        try db.execute(sql: "DELETE FROM account WHERE person_id = ?", arguments: [id])
        try db.execute(sql: "UPDATE read_access SET subject = ? WHERE subject = ?", arguments: [pseudonym, personalNumber])
        try db.execute(sql: """
            UPDATE person SET personal_number = ?, given_name = '—', family_name = '—', sex = NULL,
                   email = ?, job_title = NULL, preferred_language = NULL, employed_since = NULL, search_key = '', sort_key = '', erased_at = ?,
                   updated_at = ? WHERE id = ?
            """, arguments: [pseudonym, "\(pseudonym.lowercased())@erased.invalid", now, now, id])
        // Their places count on, without a sex.
        try AppDatabase.refreshCohortRollups(personID: id, db)
        return pseudonym
    }

    /// Sets how many days logged reads, ended sessions, used reset links and revoked tokens are kept.
    public func setRetentionDays(_ days: Int) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('privacy.retention_days', ?)", arguments: [String(days)])
    }

    /// Deletes logged reads and revoked tokens from before `cutoff`, and sessions and reset links expired by `now`
    /// (Unix seconds).
    public func purge(before cutoff: Date, now: Int64) throws -> PurgeSummary {
        let cutoff = AuditLog.timestamp(cutoff)
        var summary = PurgeSummary()
        try db.execute(sql: "DELETE FROM read_access WHERE at < ?", arguments: [cutoff])
        summary.readAccesses = db.changesCount
        // Sent e-mails are kept as long as the read log, then go.
        try db.execute(sql: "DELETE FROM outbox WHERE state = 'sent' AND sent_at < ?", arguments: [cutoff])
        summary.messages = db.changesCount
        try db.execute(sql: "DELETE FROM web_session WHERE idle_expires_at < ? OR absolute_expires_at < ?", arguments: [now, now])
        summary.sessions = db.changesCount
        try db.execute(sql: "DELETE FROM password_reset WHERE used_at IS NOT NULL OR expires_at < ?", arguments: [now])
        summary.resetLinks = db.changesCount
        try db.execute(sql: "DELETE FROM api_token WHERE revoked_at IS NOT NULL AND revoked_at < ?", arguments: [cutoff])
        summary.tokens = db.changesCount
        return summary
    }
}
