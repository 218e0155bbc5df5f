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
