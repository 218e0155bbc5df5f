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
    /// The working day before a session (time-driven, like the rest below).
    case sessionReminder = "session.reminder"
    /// A trainee's forecast became at risk, to the trainee and their department's head.
    case progressAtRisk = "progress.at_risk"
    /// A trainee's forecast became cannot complete, to the trainee and their department's head.
    case progressCannotComplete = "progress.cannot_complete"
    /// A certificate's last valid day is 90 (then 30) days away.
    case certificateExpiring = "certificate.expiring"
    /// One daily digest to a department's head of the enrolment requests waiting for a decision.
    case requestsWaiting = "enrolment.requests_waiting"
    /// A required training is due within `ReminderRules.requirementNoticeDays` and not met.
    case requirementDue = "requirement.due"
    /// A reaction questionnaire not yet answered closes in `ReminderRules.evaluationReminderDays`.
    case evaluationReminder = "evaluation.reminder"
    /// A follow-up on use at work waits for its answer.
    case followUpOpen = "follow_up.open"
    /// The annual nomination window closes in `ReminderRules.nominationReminderDays` and the department proposed nothing.
    case nominationReminder = "needs.reminder"

    /// Whether it is a reminder, which a person may switch off; decisions, changes to their sessions and warnings
    /// about their completion always go.
    public var isReminder: Bool {
        switch self {
        case .sessionReminder, .certificateExpiring, .requestsWaiting, .requirementDue, .evaluationReminder, .followUpOpen,
             .nominationReminder: true
        default: false
        }
    }

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

    /// The lease on one message: long enough for its hand-over to run out its timeout, so a slow relay never lets a
    /// second sender take a message the first is still handing over.
    public static func lease(handOverTimeout seconds: Int) -> Int64 { max(leaseSeconds, Int64(seconds) + 60) }

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

/// When the clock tick queues time-driven messages: once a day, from `passHour`, each message at most once (a second
/// pass the same day queues nothing, and a notice sent once is never sent again for the same subject).
public enum ReminderRules {
    /// The District hour from which a day's reminders are queued (none at midnight).
    public static let passHour = 7
    /// Days before a certificate's last valid day on which its holder is told, the farthest first.
    public static let certificateNoticeDays = [90, 30]
    /// Days before a reaction questionnaire's deadline on which those who have not answered are reminded.
    public static let evaluationReminderDays = 2
    /// Days before a required training's due day from which its person is told.
    public static let requirementNoticeDays = 30
    /// Days before the nomination window's deadline on which heads who proposed nothing are reminded.
    public static let nominationReminderDays = 7

    /// The days whose sessions are reminded of on `today`: every day after it through the next working day, so a
    /// Friday reminds of Saturday's, Sunday's and Monday's sessions and a day before a holiday of the holiday's too.
    public static func sessionDays(remindedOn today: LocalDate, isFreeDay: (LocalDate) -> Bool) -> [LocalDate] {
        var days: [LocalDate] = []
        var day = today.adding(days: 1)
        while days.count < 14 {
            days.append(day)
            if !isFreeDay(day) { break }
            day = day.adding(days: 1)
        }
        return days
    }

    /// Whether `today` is itself a free day, on which no session reminder goes (the working day before does it).
    public static func remindsOfSessions(on today: LocalDate, isFreeDay: (LocalDate) -> Bool) -> Bool { !isFreeDay(today) }

    /// The certificate notice due for a last valid day: the nearest threshold already reached (30 once 30 days or
    /// fewer remain, else 90 once 90 or fewer), nil before the first or after the day.
    public static func certificateNotice(expires: LocalDate, today: LocalDate) -> Int? {
        let left = expires.daysSinceEpoch - today.daysSinceEpoch
        guard left >= 0 else { return nil }
        return certificateNoticeDays.sorted().first { left <= $0 }
    }
}

/// What a trainee's last forecast notice said, so a forecast that goes back and forth sends one message per change and
/// rewriting the same marks sends none.
public enum ForecastNotice {
    /// The message a change of forecast calls for, if any: becoming at risk or unable to complete does; going back on
    /// track or completing does not (it is remembered, so the next fall is told again).
    public static func message(from previous: String?, to forecast: Forecast) -> MessageKind? {
        guard hasChanged(from: previous, to: forecast) else { return nil }
        switch forecast {
        case .atRisk: return .progressAtRisk
        case .cannotComplete: return .progressCannotComplete
        case .onTrack, .completed: return nil
        }
    }

    /// Whether `forecast` differs from the one last told (nothing told yet counts as on track).
    public static func hasChanged(from previous: String?, to forecast: Forecast) -> Bool { forecast.code != (previous ?? "on_track") }
}

/// Someone obuka has messages for but no e-mail address to send them to: listed to coordinators (who tell them in
/// person) rather than skipped in silence.
public struct UnreachablePerson: Hashable, Sendable {
    public var person: Person
    /// Codes of the cohorts, not yet ended, in which they hold a place.
    public var cohorts: [String]
    /// Whether they head a department (and so would get its digests and follow-ups).
    public var headsDepartment: Bool

    public init(person: Person, cohorts: [String], headsDepartment: Bool) {
        self.person = person
        self.cohorts = cohorts
        self.headsDepartment = headsDepartment
    }
}
