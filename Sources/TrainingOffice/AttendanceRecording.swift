import CSVImport
import Foundation
import TrainingCore
internal import TrainingStore

/// A person checking in who is already marked present or late.
struct AlreadyArrived: Error {
    let status: AttendanceStatus
}

/// Attendance: marks one by one or for a whole session, a sign-in sheet from CSV, and corrections (a new mark
/// supersedes the old one, which is kept). Completion is decided in the same transaction as every mark.
public struct AttendanceRecording: Sendable {
    let context: OfficeContext

    /// Records marks for several people at one session, all or none, with one audit entry; returns how many. Refused
    /// for a cancelled session, before the session starts, for someone without a place, and for minutes that do not
    /// fit the status or the session.
    @discardableResult
    public func record(session id: SessionID, entries: [AttendanceEntry], source: String? = nil, actor: Actor) throws -> Int {
        try record(session: id, entries: entries, source: source, actor: actor, at: context.clock.now())
    }

    /// `record` as of `now` (a QR check-in before the start counts from the start). With `unlessArrived`, nothing is
    /// recorded when that person is already marked present or late (`AlreadyArrived` is thrown), checked in the same
    /// transaction so a double tap records once.
    func record(session id: SessionID, entries: [AttendanceEntry], source: String?, actor: Actor, at now: LocalDateTime,
                unlessArrived personalNumber: String? = nil) throws -> Int {
        try context.write { tx in
            if let personalNumber, let status = try tx.currentAttendanceStatus(session: id, personalNumber: personalNumber),
               status == .present || status == .late {
                throw AlreadyArrived(status: status)
            }
            let session = try tx.session(id)
            if session.cancelled { throw ScheduleError.sessionCancelled(id: id.rawValue) }
            guard now >= session.starts else { throw RecordingError.sessionNotStarted(session: id.rawValue, starts: session.starts) }
            let cohort = try tx.cohort(code: session.cohortCode)
            let holders = try tx.placeHolders(of: cohort)
            var marked: [PersonID] = []
            for entry in entries {
                let (person, mark) = try Self.check(entry, session: session, cohort: cohort, holders: holders)
                try tx.recordAttendance(session: id, person: person, mark: mark, note: entry.note, recordedBy: actor)
                marked.append(person)
            }
            try tx.appendAudit(AuditEntry(
                actor: actor, action: "attendance.record", entityType: "session", entityID: String(id.rawValue),
                details: AuditDetails([("entries", .int(entries.count)), ("source", source.map { .string($0) })]).json))
            try tx.refreshRollups(cohort: cohort.id, people: marked)
            try CompletionDecisions.decide(tx, cohort: cohort, people: marked, now: now, actor: actor,
                                            messages: MessageWriter(context: context))
            return entries.count
        }
    }

    /// Everyone with a place present, except those listed, who are marked `exceptStatus` (absent or excused).
    @discardableResult
    public func recordEveryone(session id: SessionID, except exceptions: [String], exceptStatus: AttendanceStatus,
                               actor: Actor) throws -> Int {
        let everyone = try participants(session: id).map(\.personalNumber)
        if let unknown = exceptions.first(where: { !everyone.contains($0) }) {
            throw RecordingError.notAParticipant(personalNumber: unknown, cohort: try context.database.session(id).cohortCode)
        }
        return try record(session: id, entries: everyone.map { number in
            AttendanceEntry(personalNumber: number, status: exceptions.contains(number) ? exceptStatus : .present)
        }, source: "bulk", actor: actor)
    }

    /// Records a sign-in sheet (`personal_number;status;minutes_present;note`, UTF-8 or Windows-1250): every row's
    /// problems are reported at once (`RowProblems`) and nothing is recorded while any row has one.
    @discardableResult
    public func importSheet(session id: SessionID, data: Data, file: String, actor: Actor) throws -> Int {
        let table = try CSVTable.decode(data, file: file)
        let rows = try AttendanceCSV.rows(from: table, file: file)
        let entries = rows.map { AttendanceEntry(personalNumber: $0.personalNumber, status: $0.status, minutes: $0.minutes, note: $0.note) }
        let problems = try self.problems(session: id, entries: entries)
        guard problems.isEmpty else {
            throw RowProblems(file: file, items: problems.map { index, error in
                RowProblem(row: rows[index].row, problem: FieldProblem(field: nil, messageKey: error.messageKey,
                                                                       arguments: error.messageArguments))
            })
        }
        return try record(session: id, entries: entries,
                          source: "\(URL(fileURLWithPath: file).lastPathComponent) sha256:\(sha256Hex(data))", actor: actor)
    }

    /// Every problem a batch of entries would meet, by position in the batch (nothing is written), so a form or an
    /// import can show every bad row at once.
    public func problems(session id: SessionID, entries: [AttendanceEntry]) throws -> [(index: Int, error: RecordingError)] {
        try context.read { tx in
            let session = try tx.session(id)
            let cohort = try tx.cohort(code: session.cohortCode)
            let holders = try tx.placeHolders(of: cohort)
            return entries.enumerated().compactMap { index, entry -> (index: Int, error: RecordingError)? in
                do throws(RecordingError) {
                    _ = try Self.check(entry, session: session, cohort: cohort, holders: holders)
                    return nil
                } catch {
                    return (index, error)
                }
            }
        }
    }

    /// The marks of a session: current ones, or every one with `history` (corrections included).
    public func records(session id: SessionID, history: Bool = false) throws -> [AttendanceRecordView] {
        try context.database.attendance(session: id, history: history)
    }

    /// Everyone holding a place in the session's cohort, by name.
    public func participants(session id: SessionID) throws -> [Person] {
        try context.database.participants(session: id)
    }

    /// The mark an entry records for a participant, or why it cannot.
    private static func check(_ entry: AttendanceEntry, session: ScheduledSession, cohort: Cohort,
                              holders: [String: PersonID]) throws(RecordingError) -> (PersonID, AttendanceMark) {
        guard let person = holders[entry.personalNumber] else {
            throw .notAParticipant(personalNumber: entry.personalNumber, cohort: cohort.code)
        }
        guard let mark = AttendanceMark.make(status: entry.status, minutes: entry.minutes, sessionMinutes: session.minutes) else {
            throw .invalidMinutes(personalNumber: entry.personalNumber, status: entry.status, minutes: entry.minutes,
                                  sessionMinutes: session.minutes)
        }
        return (person, mark)
    }
}

/// Completion, decided whenever what it depends on changes (a mark, a score) and when a cohort's last session ends
/// (`ClockTick`): an approved enrolment whose progress meets the program's rule becomes completed, audited.
enum CompletionDecisions {
    /// Decides for some (nil: every) place holder of a cohort at `now`; returns who completed. A forecast that changed
    /// on the way is told (`ForecastNotices`).
    @discardableResult
    static func decide(_ tx: StoreTransaction, cohort: Cohort, people: [PersonID]?, now: LocalDateTime, actor: Actor,
                       messages: MessageWriter) throws -> [Person] {
        let program = try tx.program(of: cohort)
        var completed: [Person] = []
        var evaluated: [(Person, ProgramProgress)] = []
        for facts in try tx.progressFacts(cohort, people: people, now: now) where facts.status == .approved {
            let progress = facts.progress(in: program)
            evaluated.append((facts.person, progress))
            guard progress.isComplete else { continue }
            try tx.setEnrolmentStatus(cohort: cohort.id, person: facts.person.id, .completed)
            try tx.appendAudit(AuditEntry(
                actor: actor, action: "enrolment.complete", entityType: "enrolment",
                entityID: "\(cohort.code)/\(facts.person.personalNumber)",
                details: AuditDetails([("final_score", .double((progress.finalScore * 100).rounded() / 100))]).json))
            completed.append(facts.person)
        }
        try ForecastNotices.tell(tx, cohort: cohort, program: program, progress: evaluated, writer: messages)
        // Who holds a place is unchanged (completed holds one as approved did): the rollups stand.
        return completed
    }
}

/// A file named on the command line, read whole.
public enum InputFile {
    /// The file's bytes, or a message naming it.
    public static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputFileError.unreadable(path: path) }
        return data
    }
}

/// Why a named file could not be read.
public enum InputFileError: UserFacingError, Equatable {
    case unreadable(path: String)

    public var messageKey: String { "error.store.not_found" }
    public var messageArguments: [String: String] {
        switch self { case .unreadable(let path): ["entity": "file", "id": path] }
    }
    public var kind: ErrorKind { .notFound }
}
