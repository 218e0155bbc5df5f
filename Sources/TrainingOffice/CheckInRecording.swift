import Crypto
import Foundation
import TrainingCore
internal import TrainingStore

/// Check-in codes: an HMAC of the session and the current time window, so the QR code on the screen changes every
/// window; the previous window still counts (a slow phone), anything older does not (a forwarded photo).
struct CheckInCodes: Sendable {
    /// The HMAC key's bytes (SymmetricKey itself is not Sendable).
    let keyData: Data
    /// Seconds per window.
    let window: Int64

    /// The key lives in the data directory (`keys/checkin.key`), made at first use and readable only by its owner.
    static func load(dataDirectory: URL, window: Int64) throws -> CheckInCodes {
        let folder = dataDirectory.appendingPathComponent("keys", isDirectory: true)
        let file = folder.appendingPathComponent("checkin.key")
        if let data = FileManager.default.contents(atPath: file.path), data.count == 32 {
            return CheckInCodes(keyData: data, window: window)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return CheckInCodes(keyData: data, window: window)
    }

    func code(session: Int64, at date: Date) -> String { code(session: session, window: windowIndex(date)) }

    func windowIndex(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970) / window }

    private func code(session: Int64, window: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("checkin:\(session):\(window)".utf8), using: SymmetricKey(data: keyData))
        return hexString(Data(mac).prefix(10))
    }

    /// Whether a code is the current window's or the previous one's.
    func isValid(_ code: String, session: Int64, at date: Date) -> Bool {
        let current = windowIndex(date)
        return [current, current - 1].contains { self.code(session: session, window: $0) == code }
    }
}

/// QR self check-in: the coordinator's screen shows a code that changes every window; a signed-in trainee who opens it
/// in time is marked present (or late, with the minutes counted from arrival).
public struct CheckInRecording: Sendable {
    let context: OfficeContext
    let codes: CheckInCodes

    /// What a session's check-in screen shows now.
    public struct Display: Sendable {
        public var session: ScheduledSession
        public var cohort: Cohort
        /// The address the QR code holds.
        public var url: String
        /// When check-in opens.
        public var opens: LocalDateTime
        /// The current window's number (changes with the code).
        public var window: Int64
        /// Seconds per window: the screen renews itself this often.
        public var windowSeconds: Int64
        /// At a module's last session: the address of its questionnaire, for trainees to answer once it ends.
        public var evaluationURL: String?
    }

    /// What a check-in did.
    public enum Outcome: Equatable, Sendable {
        /// The session is cancelled, unknown, or not the person's.
        case notYourSession
        /// The code is older than the previous window.
        case expired
        case notYetOpen(opens: LocalDateTime)
        case closed
        /// Already marked present or late.
        case already(AttendanceStatus)
        /// Marked present or late at `time`.
        case recorded(late: Bool, at: LocalDateTime)
    }

    /// The screen of a session that is not cancelled.
    public func display(session id: SessionID) throws -> Display {
        let session = try liveSession(id)
        let date = context.clock.date()
        let cohort = try context.database.cohort(code: session.cohortCode)
        return Display(session: session, cohort: cohort,
                       url: url(session, at: date), opens: session.starts.adding(minutes: -CheckInRule.opensBefore),
                       window: codes.windowIndex(date), windowSeconds: codes.window,
                       evaluationURL: try evaluationURL(session, cohort: cohort))
    }

    /// The address of the questionnaire of a session's module, when it is the module's last session (nil otherwise).
    public func evaluationURL(session id: SessionID) throws -> String? {
        let session = try liveSession(id)
        return try evaluationURL(session, cohort: try context.database.cohort(code: session.cohortCode))
    }

    private func evaluationURL(_ session: ScheduledSession, cohort: Cohort) throws -> String? {
        let last = try context.read { tx in try tx.lastSessionEnds(cohort: cohort.id) }[session.moduleID]
        guard last == session.ends else { return nil }
        return "\(context.settings.publicURL)/my/evaluations/\(cohort.code)/\(session.moduleID)"
    }

    /// The address the QR code holds now.
    public func url(session id: SessionID) throws -> String { url(try liveSession(id), at: context.clock.date()) }

    /// Checks a person in with the code they scanned, at the District's time now.
    public func checkIn(session id: SessionID, code: String, personalNumber: String, actor: Actor) throws -> Outcome {
        guard let session = try? liveSession(id),
              try context.database.participants(session: id).contains(where: { $0.personalNumber == personalNumber }) else {
            return .notYourSession
        }
        guard codes.isValid(code, session: id.rawValue, at: context.clock.date()) else { return .expired }
        let now = context.clock.now()
        let outcome = CheckInRule.outcome(arrival: now, starts: session.starts, ends: session.ends)
        switch outcome {
        case .notYetOpen(let opens): return .notYetOpen(opens: opens)
        case .closed: return .closed
        case .present, .late:
            let late: Int? = if case .late(let minutes) = outcome { minutes } else { nil }
            do {
                // Before the start (check-in opens early) the mark counts from the start.
                _ = try AttendanceRecording(context: context).record(
                    session: id, entries: [AttendanceEntry(personalNumber: personalNumber, status: late == nil ? .present : .late,
                                                           minutes: late, note: "QR \(now.timeOfDay)")],
                    source: "qr", actor: actor, at: max(now, session.starts), unlessArrived: personalNumber)
            } catch let arrived as AlreadyArrived {
                return .already(arrived.status)
            }
            return .recorded(late: late != nil, at: now)
        }
    }

    private func liveSession(_ id: SessionID) throws -> ScheduledSession {
        let session = try context.database.session(id)
        guard !session.cancelled else { throw ScheduleError.unknownSession(id: id.rawValue) }
        return session
    }

    private func url(_ session: ScheduledSession, at date: Date) -> String {
        "\(context.settings.publicURL)/checkin/\(session.id.rawValue)/\(codes.code(session: session.id.rawValue, at: date))"
    }
}
