import Foundation
import Localization
import TrainingCore
internal import TrainingStore

/// Personal data under the BiH Law on Personal Data Protection: the right of access (an export of everything held
/// about a person, which itself is logged), erasure of what no legal duty requires, the log of who read whose data,
/// and how long data of passing interest is kept.
public struct PrivacyOffice: Sendable {
    let context: OfficeContext

    /// Everything held about a person, as one document. The read is logged first, so the export lists it, unless the
    /// reader is the person (`readerPersonalNumber`): a person's reads of their own data are not logged.
    public func export(person number: String, reader: Actor, readerPersonalNumber: String? = nil) throws -> PersonalDataExport {
        guard (try? context.database.person(personalNumber: number)) != nil else { throw PeopleError.unknownPerson(personalNumber: number) }
        let date = context.clock.date()
        if readerPersonalNumber != number {
            try context.writableDatabase().recordReadAccesses([ReadAccess(at: AuditLog.timestamp(date), actor: reader.rawValue,
                                                                         what: "privacy.export", subject: number)])
        }
        return try context.database.personalData(personalNumber: number, at: date)
    }

    /// Erases a person's data that no legal duty requires (names, e-mail, notes, accounts); training records stay for
    /// the reports, certificates stay checkable. Returns the pseudonym that replaces the personal number.
    @discardableResult
    public func erase(person number: String, actor: Actor) throws -> String {
        try context.database.writeErasing(at: context.clock.date()) { tx in
            guard let person = try tx.person(personalNumber: number), try !tx.isErased(person.id) else {
                throw PeopleError.unknownPerson(personalNumber: number)
            }
            let pseudonym = try tx.erase(person)
            try tx.appendAudit(AuditEntry(actor: actor, action: "person.erase", entityType: "person", entityID: pseudonym))
            return pseudonym
        }
    }

    /// Notes that someone read these people's data (the web app's batches); bookkeeping, not a change of training data.
    public func recordReads(_ entries: [ReadAccess]) async throws { try await context.database.recordReadAccesses(entries) }

    /// Logged reads of a subject (a personal number), oldest first.
    public func reads(of subject: String) throws -> [ReadAccess] { try context.database.readAccesses(subject: subject) }

    /// How many days logged reads, ended sessions, used reset links and revoked tokens are kept (default 730).
    public func retentionDays() throws -> Int { try context.database.retentionDays() }

    /// Sets the retention period (30…3,650 days).
    public func setRetentionDays(_ days: Int, actor: Actor) throws {
        _ = try NumberField.retentionDays.check(Double(days), field: "--days")
        try context.write { tx in
            try tx.setRetentionDays(days)
            try tx.appendAudit(AuditEntry(actor: actor, action: "privacy.retention", entityType: "setting",
                                          entityID: "privacy.retention_days", details: String(days)))
        }
    }

    /// Deletes what is older than the retention period: logged reads, expired sessions, used or expired reset links,
    /// revoked tokens.
    public func purge(actor: Actor) throws -> PurgeSummary {
        let days = try retentionDays()
        let date = context.clock.date()
        return try context.write { tx in
            let summary = try tx.purge(before: date.addingTimeInterval(-Double(days) * 86_400), now: Int64(date.timeIntervalSince1970))
            try tx.appendAudit(AuditEntry(actor: actor, action: "privacy.purge", entityType: "setting", entityID: "privacy.retention_days",
                                          details: "read_access=\(summary.readAccesses),sessions=\(summary.sessions)"))
            return summary
        }
    }
}

/// What a purge removed, in words (the web's notice and the CLI's line).
public enum PurgeText {
    public static func line(_ summary: PurgeSummary, _ t: Localizer) -> String {
        t("privacy.purged", ["reads": DecimalText.count(summary.readAccesses), "sessions": DecimalText.count(summary.sessions),
                             "links": DecimalText.count(summary.resetLinks), "tokens": DecimalText.count(summary.tokens),
                             "messages": DecimalText.count(summary.messages)])
    }
}
