/// What a message tells its recipient. An event's message is queued in the same transaction as the event (so no event
/// loses its message and no rolled-back change sends one); a time-driven one by the clock tick.
public enum MessageKind: String, CaseIterable, Codable, Hashable, Sendable {
    case enrolmentApproved = "enrolment.approved"
    case enrolmentDeclined = "enrolment.declined"
    case enrolmentWaitlisted = "enrolment.waitlisted"
    case enrolmentPromoted = "enrolment.promoted"
    case sessionScheduled = "session.scheduled"
    case sessionMoved = "session.moved"
    case sessionCancelled = "session.cancelled"
    case certificateIssued = "certificate.issued"

    /// The calendar method of the invitation it carries, if any: REQUEST adds or updates the entry, CANCEL removes it.
    public var calendarMethod: String? {
        switch self {
        case .sessionScheduled, .sessionMoved: "REQUEST"
        case .sessionCancelled: "CANCEL"
        default: nil
        }
    }
}

/// Where a queued message stands.
public enum OutboxState: String, CaseIterable, Codable, Hashable, Sendable {
    /// Waiting to be handed over (again, after a failure, from `nextAttempt`).
    case queued
    /// The relay accepted it.
    case sent
    /// Given up after `DeliveryRules.maximumAttempts`; an administrator may retry it.
    case failed
}

/// When a message is tried again, and how long a sender holds one it has claimed.
public enum DeliveryRules {
    /// Attempts before a message is marked failed.
    public static let maximumAttempts = 8
    /// Seconds a sender holds a claimed message: another sender (the server, a cron `obuka mail send`) takes it only
    /// after the lease has run out, so the two never hand over the same message at once.
    public static let leaseSeconds: Int64 = 120

    /// Seconds to wait after the `attempt`-th failure (1, 2, …): a minute, doubling, at most six hours.
    public static func backoff(afterAttempt attempt: Int) -> Int64 {
        let minutes = Int64(1) << Int64(min(max(attempt - 1, 0), 9))
        return min(minutes * 60, 6 * 3600)
    }

    /// The state after a failed attempt: queued again, or failed for good.
    public static func stateAfterFailure(attempts: Int) -> OutboxState { attempts >= maximumAttempts ? .failed : .queued }
}

/// A message as the outbox keeps it: already written in its recipient's language, so handing it over again (after a
/// crash) sends the same text under the same Message-ID.
public struct OutgoingMessage: Hashable, Sendable {
    public var kind: MessageKind
    /// What it is about, with the due day it is unique per (a session and its sequence, a certificate's serial).
    public var subjectKey: String
    public var recipient: PersonID
    public var recipientName: String
    public var recipientEmail: String
    public var subject: String
    public var text: String
    public var html: String
    /// An iCalendar invitation (METHOD:REQUEST or CANCEL), when the message carries one.
    public var calendar: String?

    public init(kind: MessageKind, subjectKey: String, recipient: PersonID, recipientName: String, recipientEmail: String, subject: String,
                text: String, html: String, calendar: String? = nil) {
        self.kind = kind
        self.subjectKey = subjectKey
        self.recipient = recipient
        self.recipientName = recipientName
        self.recipientEmail = recipientEmail
        self.subject = subject
        self.text = text
        self.html = html
        self.calendar = calendar
    }
}

/// A row of the outbox as a sender or an administrator sees it.
public struct OutboxRow: Hashable, Sendable {
    public var id: Int64
    public var kind: String
    public var subjectKey: String
    public var recipientName: String
    public var recipientEmail: String
    public var subject: String
    public var text: String
    public var html: String
    public var calendar: String?
    /// When it was queued (UTC, the audit log's form).
    public var createdAt: String
    public var state: OutboxState
    public var attempts: Int
    /// Unix seconds after which a queued row may be tried.
    public var nextAttemptAt: Int64
    public var lastError: String?
    public var sentAt: String?
    /// The recipient's personal number (in the administrator's list, whose reads are logged).
    public var personalNumber: String?

    public init(id: Int64, kind: String, subjectKey: String, recipientName: String, recipientEmail: String, subject: String, text: String,
                html: String, calendar: String?, createdAt: String, state: OutboxState, attempts: Int, nextAttemptAt: Int64,
                lastError: String?, sentAt: String?, personalNumber: String?) {
        self.id = id
        self.kind = kind
        self.subjectKey = subjectKey
        self.recipientName = recipientName
        self.recipientEmail = recipientEmail
        self.subject = subject
        self.text = text
        self.html = html
        self.calendar = calendar
        self.createdAt = createdAt
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.sentAt = sentAt
        self.personalNumber = personalNumber
    }
}

/// The outbox's figures (`obuka status`, the administrator's page).
public struct OutboxCounts: Hashable, Sendable {
    public var queued = 0, sent = 0, failed = 0
    /// Queued rows that have failed at least once.
    public var retrying = 0

    public init() {}
}
