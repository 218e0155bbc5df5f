/// How a participant attended a session.
public enum AttendanceStatus: String, Hashable, Codable, Sendable, CaseIterable {
    /// There for the whole session.
    case present
    /// There, but arrived late or left early: the minutes present are recorded.
    case late
    /// Absent with a reason accepted by the coordinator.
    case excused
    /// Absent.
    case absent

    /// Whether the trainee was there (present or late): who attended a module is asked its questionnaire.
    public var attended: Bool { self == .present || self == .late }
}

/// One participant's attendance at one session, in minutes.
public struct AttendanceMark: Hashable, Codable, Sendable {
    /// The status.
    public var status: AttendanceStatus
    /// Minutes present (the whole session when present, part of it when late, 0 when away).
    public var minutesPresent: Int

    /// Creates a mark.
    public init(status: AttendanceStatus, minutesPresent: Int) {
        self.status = status
        self.minutesPresent = minutesPresent
    }

    /// A mark from what a coordinator enters: minutes default to the whole session when present and to
    /// zero when away; late needs the minutes. Nil when the minutes do not fit the status or the session.
    public static func make(status: AttendanceStatus, minutes: Int?, sessionMinutes: Int) -> AttendanceMark? {
        switch status {
        case .present:
            guard minutes == nil || minutes == sessionMinutes else { return nil }
            return AttendanceMark(status: .present, minutesPresent: sessionMinutes)
        case .late:
            guard let minutes, minutes >= 0, minutes < sessionMinutes else { return nil }
            return AttendanceMark(status: .late, minutesPresent: minutes)
        case .excused, .absent:
            guard minutes == nil || minutes == 0 else { return nil }
            return AttendanceMark(status: status, minutesPresent: 0)
        }
    }
}

/// Why attendance or a score was refused.
public enum RecordingError: UserFacingError, Equatable {
    case notAParticipant(personalNumber: String, cohort: String)
    case invalidMinutes(personalNumber: String, status: AttendanceStatus, minutes: Int?, sessionMinutes: Int)
    case sessionNotStarted(session: Int64, starts: LocalDateTime)
    case unknownAssessment(assessmentID: String, cohort: String)
    case scoreOutOfRange(personalNumber: String, assessmentID: String, score: Double, max: Double)
    case attemptNotAllowed(personalNumber: String, assessmentID: String, attempt: Int, allowed: Int)

    public var messageKey: String {
        switch self {
        case .notAParticipant: "attendance.error.not_participant"
        case .invalidMinutes(_, _, nil, _): "attendance.error.minutes_missing"
        case .invalidMinutes: "attendance.error.minutes"
        case .sessionNotStarted: "attendance.error.not_started"
        case .unknownAssessment: "assessment.error.unknown"
        case .scoreOutOfRange: "assessment.error.score_range"
        case .attemptNotAllowed: "assessment.error.attempt"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .notAParticipant(let number, let cohort): ["personal_number": number, "cohort": cohort]
        case .invalidMinutes(let number, let status, let minutes, let sessionMinutes):
            ["personal_number": number, "status": status.rawValue, "minutes": minutes.map(String.init) ?? "-",
             "session_minutes": String(sessionMinutes)]
        case .sessionNotStarted(let session, let starts): ["session": String(session), "starts": starts.timeOfDay]
        case .unknownAssessment(let id, let cohort): ["assessment": id, "cohort": cohort]
        case .scoreOutOfRange(let number, let id, let score, let max):
            ["personal_number": number, "assessment": id, "score": DecimalText.format(score), "max": DecimalText.format(max)]
        case .attemptNotAllowed(let number, let id, let attempt, let allowed):
            ["personal_number": number, "assessment": id, "attempt": String(attempt), "allowed": String(allowed)]
        }
    }

    public var dateArguments: [String: LocalDate] {
        if case .sessionNotStarted(_, let starts) = self { return ["day": starts.date] }
        return [:]
    }

    /// A status is shown as its word (“kasni”), never as its code.
    public var wordArguments: [String: String] {
        if case .invalidMinutes(_, let status, _, _) = self { return ["status": "attendance.status.\(status.rawValue)"] }
        return [:]
    }

    /// The person a row-level refusal is about, so a sheet shows it beside their row.
    public var personalNumber: String? {
        switch self {
        case .notAParticipant(let number, _), .invalidMinutes(let number, _, _, _), .scoreOutOfRange(let number, _, _, _),
             .attemptNotAllowed(let number, _, _, _):
            number
        case .sessionNotStarted, .unknownAssessment: nil
        }
    }

}

/// An attendance entry to record.
public struct AttendanceEntry: Hashable, Sendable {
    public var personalNumber: String
    public var status: AttendanceStatus
    /// Minutes present; nil lets the status decide (whole session or none).
    public var minutes: Int?
    public var note: String?

    public init(personalNumber: String, status: AttendanceStatus, minutes: Int? = nil, note: String? = nil) {
        self.personalNumber = personalNumber
        self.status = status
        self.minutes = minutes
        self.note = note
    }
}

/// A score to record.
public struct ScoreEntry: Hashable, Sendable {
    public var personalNumber: String
    public var score: Double
    /// The attempt; nil means the next one.
    public var attempt: Int?

    public init(personalNumber: String, score: Double, attempt: Int? = nil) {
        self.personalNumber = personalNumber
        self.score = score
        self.attempt = attempt
    }
}

/// An attendance record as listed (current and, with history, superseded ones).
public struct AttendanceRecordView: Hashable, Sendable {
    public var id: Int64
    public var person: Person
    public var status: AttendanceStatus
    public var minutesPresent: Int
    public var note: String?
    public var recordedBy: String
    public var recordedAt: String
    public var supersedes: Int64?
    public var current: Bool

    /// Creates a value from its fields.
    public init(id: Int64, person: Person, status: AttendanceStatus, minutesPresent: Int, note: String? = nil,
                recordedBy: String, recordedAt: String, supersedes: Int64? = nil, current: Bool) {
        self.id = id
        self.person = person
        self.status = status
        self.minutesPresent = minutesPresent
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.supersedes = supersedes
        self.current = current
    }
}

/// An absence a trainee reported in advance.
public struct AbsenceNotice: Hashable, Sendable {
    public var sessionID: SessionID
    public var personalNumber: String
    public var name: String
    public var reason: String
    public var createdAt: String

    /// Creates a value from its fields.
    public init(sessionID: SessionID, personalNumber: String, name: String, reason: String, createdAt: String) {
        self.sessionID = sessionID
        self.personalNumber = personalNumber
        self.name = name
        self.reason = reason
        self.createdAt = createdAt
    }
}
