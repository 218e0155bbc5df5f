import Foundation
import TrainingCore
internal import TrainingStore

/// Sessions and what they need: venues, trainers, the holiday table, conflicts shown before saving (refusals need an
/// explicit, audited override; warnings do not), moves and cancellations with their history, and calendars.
public struct Scheduling: Sendable {
    let context: OfficeContext

    /// Today in the District.
    public var today: LocalDate { context.clock.today }

    // MARK: Venues and holidays

    /// Registers a venue with its seats.
    public func addVenue(name: String, capacity: Int, actor: Actor) throws {
        let name = try CanonicalText.line(name, field: "name")
        guard capacity > 0 else { throw NumberInputError.outOfRange(field: "capacity", value: String(capacity), range: NumberField.capacity.range) }
        try context.write { tx in
            try tx.addVenue(name: name, capacity: capacity)
            try tx.appendAudit(AuditEntry(actor: actor, action: "venue.add", entityType: "venue", entityID: name,
                                          details: AuditDetails([("capacity", .int(capacity))]).json))
        }
    }

    /// Every venue by name.
    public func venues() throws -> [Venue] { try context.database.venues() }

    /// Adds an entry to the holiday table: a religious holiday warns, a one-off non-working day refuses.
    public func addHoliday(_ entry: ScheduleContext.HolidayEntry, actor: Actor) throws {
        var entry = entry
        entry.name = try CanonicalText.line(entry.name, field: "name")
        try context.write { tx in
            try tx.addHoliday(entry)
            try tx.appendAudit(AuditEntry(actor: actor, action: "holiday.add", entityType: "holiday", entityID: entry.date.iso,
                                          details: AuditDetails([("kind", .string(entry.kind.rawValue))]).json))
        }
    }

    /// Removes an entry from the holiday table; says whether there was one.
    public func removeHoliday(date: LocalDate, name: String, actor: Actor) throws -> Bool {
        try context.write { tx in
            guard try tx.removeHoliday(date: date, name: name) else { return false }
            try tx.appendAudit(AuditEntry(actor: actor, action: "holiday.remove", entityType: "holiday", entityID: date.iso))
            return true
        }
    }

    /// A day of a year's holiday calendar: a District holiday (computed, named by a catalog key) or an entry of the table.
    public struct HolidayDay: Sendable {
        public enum Kind: String, Sendable { case district, religious, oneOff = "one_off" }
        public var date: LocalDate
        /// The catalog key of a District holiday's name.
        public var nameKey: String?
        /// A table entry's name as typed.
        public var name: String?
        public var kind: Kind
        /// A District holiday carried over from a Sunday.
        public var carriedOver: Bool
        /// A District holiday.
        init(district holiday: DistrictHolidays.Holiday) {
            date = holiday.date; nameKey = holiday.nameKey; name = nil; kind = .district; carriedOver = holiday.isCarryOver
        }

        /// An entry of the holiday table.
        public init(_ entry: ScheduleContext.HolidayEntry) {
            date = entry.date; nameKey = nil; name = entry.name; kind = entry.kind == .religious ? .religious : .oneOff; carriedOver = false
        }

        /// Whether it is an entry of the table, which can be removed.
        public var removable: Bool { nameKey == nil }
    }

    /// A year's holiday calendar by date: the District's own holidays and the table's entries.
    public func holidays(year: Int) throws -> [HolidayDay] {
        let district = DistrictHolidays.holidays(in: year).map(HolidayDay.init(district:))
        return (district + (try holidayEntries(year: year).map(HolidayDay.init))).sorted { $0.date < $1.date }
    }

    /// The holiday table's entries of a year (the District's own holidays are computed: `DistrictHolidays`).
    public func holidayEntries(year: Int) throws -> [ScheduleContext.HolidayEntry] { try context.database.holidayEntries(year: year) }

    // MARK: Sessions

    /// Every conflict and warning of a plan (`ConflictCheck`); `excluding` leaves out the session being moved.
    public func conflicts(of plan: SessionPlan, excluding session: SessionID? = nil) throws -> [ScheduleConflict] {
        try context.read { tx in ConflictCheck.conflicts(of: plan, in: try tx.scheduleContext(of: plan, excluding: session)) }
    }

    /// Schedules a session of a cohort's module. Refusing conflicts stop it unless `force`, which records them in the
    /// session's history and the audit log; warnings are returned.
    public func schedule(cohort code: String, module moduleID: String, starts: LocalDateTime, ends: LocalDateTime, venue: String?,
                         trainer: String?, force: Bool, actor: Actor) throws -> (session: ScheduledSession, warnings: [ScheduleConflict]) {
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            guard try tx.program(of: cohort).modules.contains(where: { $0.id == moduleID }) else {
                throw ScheduleError.unknownModule(moduleID: moduleID, cohort: cohort.code)
            }
            let plan = SessionPlan(cohort: cohort.id, moduleID: moduleID, starts: starts, ends: ends, venue: venue, trainer: trainer)
            let found = ConflictCheck.conflicts(of: plan, in: try tx.scheduleContext(of: plan, excluding: nil))
            let overridden = try Self.overridden(found, force: force)
            let session = try tx.insertSession(plan, of: cohort, overridden: Self.codes(overridden), actor: actor)
            try messages(session, .sessionScheduled, tx)
            try tx.appendAudit(AuditEntry(actor: actor, action: overridden.isEmpty ? "session.create" : "session.create.forced",
                                          entityType: "session", entityID: String(session.id.rawValue),
                                          details: Self.details(plan, overridden: overridden)))
            return (session, found.filter(\.isWarning))
        }
    }

    /// Moves a session to a new time (and, when given, venue or trainer; `.some(nil)` clears one), raising its
    /// sequence so calendars update it. Conflicts as for `schedule`.
    public func move(session id: SessionID, starts: LocalDateTime, ends: LocalDateTime, venue: String??, trainer: String??,
                     force: Bool, actor: Actor) throws -> (session: ScheduledSession, warnings: [ScheduleConflict]) {
        try context.write { tx in
            let current = try tx.session(id)
            if current.cancelled { throw ScheduleError.sessionCancelled(id: id.rawValue) }
            let cohort = try tx.cohort(code: current.cohortCode)
            let plan = SessionPlan(cohort: cohort.id, moduleID: current.moduleID, starts: starts, ends: ends,
                                   venue: venue ?? current.venue, trainer: trainer ?? current.trainer)
            let found = ConflictCheck.conflicts(of: plan, in: try tx.scheduleContext(of: plan, excluding: id))
            let overridden = try Self.overridden(found, force: force)
            let moved = try tx.moveSession(current, to: plan, overridden: Self.codes(overridden), actor: actor)
            try messages(moved, .sessionMoved, tx)
            try tx.appendAudit(AuditEntry(actor: actor, action: overridden.isEmpty ? "session.move" : "session.move.forced",
                                          entityType: "session", entityID: String(id.rawValue),
                                          details: Self.details(plan, overridden: overridden)))
            return (moved, found.filter(\.isWarning))
        }
    }

    /// Cancels a session: it is kept, and calendars receive it as cancelled.
    public func cancel(session id: SessionID, reason: String?, actor: Actor) throws -> ScheduledSession {
        try context.write { tx in
            let current = try tx.session(id)
            if current.cancelled { throw ScheduleError.sessionCancelled(id: id.rawValue) }
            let cancelled = try tx.cancelSession(current, cohort: try tx.cohort(code: current.cohortCode), reason: reason, actor: actor)
            try messages(cancelled, .sessionCancelled, tx)
            try tx.appendAudit(AuditEntry(actor: actor, action: "session.cancel", entityType: "session", entityID: String(id.rawValue),
                                          details: reason.map { AuditDetails([("reason", .string($0))]).json }))
            return cancelled
        }
    }

    /// The trainees' messages about a session that has not ended (nobody is told of a change to one already over).
    private func messages(_ session: ScheduledSession, _ kind: MessageKind, _ tx: StoreTransaction) throws {
        guard session.ends > context.clock.now() else { return }
        try MessageWriter(context: context).session(tx, session, kind: kind)
    }

    /// A session by number.
    public func session(_ id: SessionID) throws -> ScheduledSession { try context.database.session(id) }

    /// A cohort's sessions in time order, cancelled ones included.
    public func sessions(cohort: String) throws -> [ScheduledSession] { try context.database.sessions(cohortCode: cohort) }

    /// A page of every cohort's sessions (upcoming ones by default), each with its module's title.
    public func list(_ query: SessionListQuery) throws -> ListSlice<SessionListing> {
        var slice = try context.database.sessions(query, now: context.clock.now())
        var titles: [String: [String: LocalizedText]] = [:]
        for index in slice.items.indices {
            let listing = slice.items[index]
            let key = "\(listing.session.programID)@\(listing.programVersion)"
            if titles[key] == nil {
                let program = try context.database.program(id: listing.session.programID, version: listing.programVersion).program
                titles[key] = Dictionary(program.modules.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
            }
            slice.items[index].moduleTitle = titles[key]?[listing.session.moduleID]
        }
        return slice
    }

    /// Every trainer's name, in order.
    public func trainers() throws -> [String] { try context.database.trainerNames() }

    /// The sessions of every cohort where a person holds a place, in time order.
    public func sessions(person: String) throws -> [ScheduledSession] { try context.database.sessions(personalNumber: person) }

    /// Every version of a session.
    public func history(session id: SessionID) throws -> [SessionHistoryEntry] { try context.database.sessionHistory(id) }

    /// Sessions as an iCalendar file, titled with their modules' names in `language`.
    public func calendar(_ sessions: [ScheduledSession], name: String, language: Language) throws -> String {
        var programs: [String: Program] = [:]
        var events: [CalendarEvent] = []
        for session in sessions {
            let cohort = try context.database.cohort(code: session.cohortCode)
            let key = "\(cohort.programID)@\(cohort.programVersion)"
            if programs[key] == nil {
                programs[key] = try context.database.program(id: cohort.programID, version: cohort.programVersion).program
            }
            let module = programs[key]?.modules.first { $0.id == session.moduleID }
            events.append(CalendarEvent(
                uid: session.uid, sequence: session.sequence, starts: session.starts, ends: session.ends,
                summary: "\(module?.title.text(in: language) ?? session.moduleID) (\(cohort.name))",
                location: session.venue, description: session.trainer, cancelled: session.cancelled))
        }
        return ICalendar.render(events, calendarName: name, stamp: ICalendar.stamp(context.clock.date()))
    }

    /// The refusals a plan has, when they are overridden; throws unless they are.
    private static func overridden(_ conflicts: [ScheduleConflict], force: Bool) throws -> [ScheduleConflict] {
        if conflicts.contains(.invalidTimes) { throw ScheduleError.conflicts([.invalidTimes]) }
        let refusals = conflicts.filter { !$0.isWarning }
        if !refusals.isEmpty && !force { throw ScheduleError.conflicts(conflicts) }
        return refusals
    }

    private static func details(_ plan: SessionPlan, overridden: [ScheduleConflict]) -> String {
        AuditDetails([("module", .string(plan.moduleID)), ("starts", .string(plan.starts.iso)), ("ends", .string(plan.ends.iso)),
                      ("overridden", codes(overridden).map { .json($0) })]).json
    }

    /// A compact JSON list naming overridden conflicts, e.g. `["venue_busy:12","weekend:2026-03-07"]`; nil when none.
    static func codes(_ conflicts: [ScheduleConflict]) -> String? {
        guard !conflicts.isEmpty else { return nil }
        let codes = conflicts.map { conflict -> String in
            switch conflict {
            case .invalidTimes: "invalid_times"
            case .venueBusy(_, let id, _, _, _): "venue_busy:\(id.rawValue)"
            case .trainerBusy(_, let id, _, _, _): "trainer_busy:\(id.rawValue)"
            case .participantsDoubleBooked(let people, let id, _): "double_booked:\(id.rawValue):\(people.joined(separator: "+"))"
            case .districtHoliday(let date, _, _): "district_holiday:\(date.iso)"
            case .oneOffHoliday(let date, _): "one_off_holiday:\(date.iso)"
            case .weekend(let date): "weekend:\(date.iso)"
            case .venueTooSmall(_, let capacity, let participants): "venue_too_small:\(capacity)<\(participants)"
            case .religiousHoliday(let date, _): "religious_holiday:\(date.iso)"
            }
        }
        return AuditDetails.Value.strings(codes).jsonText
    }
}
