import Foundation
import Mail
import TrainingCore
internal import TrainingStore

/// The outbox: delivering what is queued through the relay (`msmtp`), the figures, and an administrator's retry. A row
/// is claimed with a lease before it is handed over and marked sent only after the relay accepted it, so the server and a
/// cron `obuka mail send` never send one at once, and a crash between the two sends it again under the same
/// Message-ID rather than losing it.
public struct MailDesk: Sendable {
    let context: OfficeContext

    /// Why mail cannot be sent: the settings are wrong (the variable and its value).
    public struct SettingsError: UserFacingError {
        public var problem: MailSettings.Problem
        public var messageKey: String { "mail.error.settings" }
        public var messageArguments: [String: String] { ["variable": problem.variable, "value": problem.value] }
    }

    /// What one delivery run did.
    public struct Outcome: Sendable, Equatable {
        /// False when no relay is configured: nothing was tried, everything stays queued.
        public var configured = true
        public var sent = 0
        /// Rows that failed this time, with the relay's (or msmtp's) words.
        public var failed: [(id: Int64, reason: String)] = []

        public static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            lhs.configured == rhs.configured && lhs.sent == rhs.sent && lhs.failed.map(\.id) == rhs.failed.map(\.id)
        }
    }

    /// The relay's settings (nil: not configured); wrong settings are refused with the variable named.
    public func settings() throws -> MailSettings? {
        switch context.settings.mail {
        case .success(let settings): return settings
        case .failure(let problem): throw SettingsError(problem: problem)
        }
    }

    /// Hands over what is due, up to `limit` messages, one at a time, each claimed with its own lease just before its
    /// hand-over (a batch claimed at once could outlast its lease behind a slow relay and be taken by a second sender
    /// while the first still hands it over); `owner` names this sender.
    @discardableResult
    public func deliver(limit: Int = 100, owner: String = "obuka-\(ProcessInfo.processInfo.processIdentifier)") throws -> Outcome {
        guard let settings = try settings() else { return Outcome(configured: false) }
        let submission = MailSubmission(settings: settings, directory: context.dataDirectory.url)
        let lease = DeliveryRules.lease(handOverTimeout: settings.timeout)
        var outcome = Outcome()
        for _ in 0..<max(limit, 0) {
            let now = Int64(context.clock.date().timeIntervalSince1970)
            guard let row = try context.write({ tx in try tx.claimOutbox(owner: owner, now: now, limit: 1, lease: lease) }).first else {
                break
            }
            let message = MIMEMessage(
                from: .init(name: settings.fromName, address: settings.from), to: .init(name: row.recipientName, address: row.recipientEmail),
                subject: row.subject, messageID: Self.messageID(row, host: settings.from), date: Self.date(row.createdAt) ?? context.clock.date(),
                text: row.text, html: row.html, invitation: row.calendar.map { .init(method: Self.method(of: $0), text: $0) })
            let handedOver = Result { () throws(MailSubmission.Failure) in try submission.submit(message.rendered(), to: row.recipientEmail) }
            switch handedOver {
            case .success:
                try context.write { tx in try tx.outboxSent(id: row.id, owner: owner) }
                outcome.sent += 1
            case .failure(let failure):
                let failedAt = Int64(context.clock.date().timeIntervalSince1970)
                try context.write { tx in try tx.outboxFailed(id: row.id, owner: owner, reason: failure.reason, now: failedAt) }
                outcome.failed.append((row.id, failure.reason))
            }
        }
        return outcome
    }

    /// The newest messages (metadata and text), newest first.
    public func outbox(limit: Int = 50, offset: Int = 0) throws -> [OutboxRow] {
        try context.read { tx in try tx.outbox(limit: limit, offset: offset) }
    }

    /// The people obuka has something to tell but no e-mail address for: holders of a place in a cohort not yet
    /// ended and department heads, by name.
    public func unreachable() throws -> [UnreachablePerson] {
        try context.read { tx in try tx.peopleWithoutEmail(today: context.clock.today) }
    }

    /// How many messages are queued, sent and failed.
    public func counts() throws -> OutboxCounts { try context.read { tx in try tx.outboxCounts() } }

    /// Queues a failed (or waiting) message again, now (audited).
    public func retry(id: Int64, actor: Actor) throws {
        try context.write { tx in
            guard try tx.retryOutbox(id: id) else { throw MailError.unknownMessage(id: id) }
            try tx.appendAudit(AuditEntry(actor: actor, action: "mail.retry", entityType: "outbox", entityID: String(id)))
        }
    }

    /// Stores the relay's password in `smtp-password` in the data directory, readable by its owner only.
    public func setPassword(_ password: String, actor: Actor) throws {
        let file = context.dataDirectory.url.appendingPathComponent("smtp-password")
        FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        try Data(password.utf8).write(to: file)
        try context.write { tx in
            try tx.appendAudit(AuditEntry(actor: actor, action: "mail.password", entityType: "setting", entityID: "smtp-password"))
        }
    }

    /// A stable Message-ID for a row: its id and a digest of what it is, at the sender's domain.
    static func messageID(_ row: OutboxRow, host from: String) -> String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "obuka.invalid"
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(row.kind)|\(row.subjectKey)|\(row.createdAt)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return "outbox-\(row.id).\(String(hash, radix: 36))@\(domain)"
    }

    static func method(of calendar: String) -> String {
        calendar.split(separator: "\r\n").first { $0.hasPrefix("METHOD:") }.map { String($0.dropFirst(7)) } ?? "REQUEST"
    }

    static func date(_ stamp: String) -> Date? { AuditTimestamp.date(stamp) }
}

/// Why an outbox action was refused.
public enum MailError: UserFacingError, Equatable {
    case unknownMessage(id: Int64)

    public var messageKey: String { "mail.error.unknown_message" }
    public var kind: ErrorKind { .notFound }
    public var messageArguments: [String: String] {
        switch self {
        case .unknownMessage(let id): ["id": String(id)]
        }
    }
}
