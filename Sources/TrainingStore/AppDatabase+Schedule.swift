import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    // MARK: Venues, trainers, holidays

    /// Registers a venue with its seats.
    public func addVenue(name: String, capacity: Int, actor: Actor, at date: Date = Date()) throws {
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM venue WHERE name = ?", arguments: [name]) != nil {
                throw ScheduleError.duplicateVenue(name: name)
            }
            try db.execute(sql: "INSERT INTO venue (name, capacity) VALUES (?, ?)", arguments: [name, capacity])
            try AuditLog.append(AuditEntry(actor: actor, action: "venue.add", entityType: "venue", entityID: name,
                                           details: #"{"capacity":\#(capacity)}"#), at: date, in: db)
        }
    }

    /// Every venue by name.
    public func venues() throws -> [Venue] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, capacity FROM venue ORDER BY name").map { Venue(name: $0["name"], capacity: $0["capacity"]) }
        }
    }

    /// Adds an entry to the holiday table (religious holidays warn, one-off days refuse).
    public func addHoliday(_ entry: ScheduleContext.HolidayEntry, actor: Actor, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO holiday (date, name, kind) VALUES (?, ?, ?)",
                           arguments: [entry.date.iso, entry.name, entry.kind.rawValue])
            try AuditLog.append(AuditEntry(actor: actor, action: "holiday.add", entityType: "holiday",
                                           entityID: entry.date.iso, details: #"{"kind":"\#(entry.kind.rawValue)"}"#),
                                at: date, in: db)
        }
    }

    /// Removes an entry from the holiday table; returns whether it existed.
    public func removeHoliday(date: LocalDate, name: String, actor: Actor, at now: Date = Date()) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM holiday WHERE date = ? AND name = ?", arguments: [date.iso, name])
            guard db.changesCount > 0 else { return false }
            try AuditLog.append(AuditEntry(actor: actor, action: "holiday.remove", entityType: "holiday", entityID: date.iso),
                                at: now, in: db)
            return true
        }
    }

    /// Holiday-table entries of a year.
    public func holidayEntries(year: Int) throws -> [ScheduleContext.HolidayEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM holiday WHERE date LIKE ? ORDER BY date", arguments: ["\(year)-%"])
                .compactMap(Self.holidayEntry)
        }
    }

    private static func holidayEntry(_ row: Row) -> ScheduleContext.HolidayEntry? {
        guard let date = LocalDate(iso: row["date"]), let kind = ScheduleContext.HolidayEntry.Kind(rawValue: row["kind"]) else { return nil }
        return ScheduleContext.HolidayEntry(date: date, name: row["name"], kind: kind)
    }

    // MARK: Sessions

    /// Every conflict of a plan; `excluding` leaves out the session being moved.
    public func conflicts(of plan: SessionPlan, excluding session: SessionID? = nil) throws -> [ScheduleConflict] {
        try writer.read { db in try conflicts(of: plan, excluding: session, db) }
    }

    private func conflicts(of plan: SessionPlan, excluding session: SessionID?, _ db: Database) throws -> [ScheduleConflict] {
        let overlapping = try Row.fetchAll(db, sql: """
            SELECT s.id, s.starts_at, s.ends_at, c.code, v.name AS venue, t.name AS trainer,
                   (SELECT group_concat(p.personal_number, ',') FROM enrolment mine
                      JOIN enrolment theirs ON theirs.person_id = mine.person_id
                      JOIN person p ON p.id = mine.person_id
                    WHERE mine.cohort_id = ?1 AND theirs.cohort_id = s.cohort_id
                      AND mine.status IN ('approved', 'completed') AND theirs.status IN ('approved', 'completed')) AS shared
            FROM session s JOIN cohort c ON c.id = s.cohort_id
            LEFT JOIN venue v ON v.id = s.venue_id LEFT JOIN trainer t ON t.id = s.trainer_id
            WHERE s.status = 'scheduled' AND s.starts_at < ?2 AND s.ends_at > ?3 AND (?4 IS NULL OR s.id <> ?4)
            """, arguments: [plan.cohort.rawValue, plan.ends.iso, plan.starts.iso, session?.rawValue]).map { row in
            ScheduleContext.OtherSession(
                id: SessionID(rawValue: row["id"]), cohortCode: row["code"],
                starts: LocalDateTime(iso: row["starts_at"])!, ends: LocalDateTime(iso: row["ends_at"])!,
                venue: row["venue"], trainer: row["trainer"],
                sharedParticipants: (row["shared"] as String?)?.split(separator: ",").map(String.init) ?? [])
        }
        let holidays = try Row.fetchAll(db, sql: "SELECT * FROM holiday WHERE date = ?", arguments: [plan.starts.date.iso])
            .compactMap(Self.holidayEntry)
        let venueCapacity = try plan.venue.flatMap { name in
            try Int.fetchOne(db, sql: "SELECT capacity FROM venue WHERE name = ?", arguments: [name])
        }
        if let venue = plan.venue, venueCapacity == nil { throw ScheduleError.unknownVenue(name: venue) }
        let context = ScheduleContext(overlapping: overlapping, holidays: holidays, venueCapacity: venueCapacity,
                                      participantCount: try occupiedPlaces(plan.cohort, db))
        return ConflictCheck.conflicts(of: plan, in: context)
    }

    /// Schedules a session. Conflicts other than warnings refuse it unless `force` is set, in which case
    /// the overridden conflicts are recorded in the session's history and the audit log.
    public func scheduleSession(cohortCode: String, moduleID: String, starts: LocalDateTime, ends: LocalDateTime,
                                venue: String?, trainer: String?, force: Bool, actor: Actor,
                                at date: Date = Date()) throws -> (session: ScheduledSession, warnings: [ScheduleConflict]) {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM module WHERE program_id = ? AND program_version = ? AND id = ?",
                                   arguments: [cohort.programID, cohort.programVersion, moduleID]) != nil else {
                throw ScheduleError.unknownModule(moduleID: moduleID, cohort: cohort.code)
            }
            let plan = SessionPlan(cohort: cohort.id, moduleID: moduleID, starts: starts, ends: ends, venue: venue, trainer: trainer)
            let found = try conflicts(of: plan, excluding: nil, db)
            let overridden = try Self.requireOverride(found, force: force)
            let now = AuditLog.timestamp(date)
            let venueID = try venueID(venue, db)
            let trainerID = try trainerID(trainer, db)
            try db.execute(sql: """
                INSERT INTO session (cohort_id, program_id, program_version, module_id, starts_at, ends_at, venue_id,
                                     trainer_id, status, sequence, uid, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?, ?)
                """, arguments: [cohort.id.rawValue, cohort.programID, cohort.programVersion, moduleID, starts.iso, ends.iso,
                                 venueID, trainerID, "\(UUID().uuidString.lowercased())@obuka", now, now])
            let id = SessionID(rawValue: db.lastInsertedRowID)
            try Self.refreshScheduleRollup(cohortID: cohort.id.rawValue, db)
            try recordChange(id, sequence: 0, kind: "created", plan: plan, venueID: venueID, trainerID: trainerID,
                             reason: nil, overridden: overridden, actor: actor, now: now, db: db)
            try AuditLog.append(AuditEntry(actor: actor, action: force && !overridden.isEmpty ? "session.create.forced" : "session.create",
                                           entityType: "session", entityID: String(id.rawValue),
                                           details: Self.details(plan, overridden: overridden)), at: date, in: db)
            return (try Self.session(id, db), found.filter(\.isWarning))
        }
    }

    /// Moves a session (new time, and optionally venue or trainer), raising its SEQUENCE.
    public func moveSession(_ id: SessionID, starts: LocalDateTime, ends: LocalDateTime, venue: String??, trainer: String??,
                            force: Bool, actor: Actor, at date: Date = Date()) throws -> (session: ScheduledSession, warnings: [ScheduleConflict]) {
        try write { db in
            let current = try Self.session(id, db)
            if current.cancelled { throw ScheduleError.sessionCancelled(id: id.rawValue) }
            let cohort = try Self.cohort(code: current.cohortCode, db)
            let plan = SessionPlan(cohort: cohort.id, moduleID: current.moduleID, starts: starts, ends: ends,
                                   venue: venue ?? current.venue, trainer: trainer ?? current.trainer)
            let found = try conflicts(of: plan, excluding: id, db)
            let overridden = try Self.requireOverride(found, force: force)
            let now = AuditLog.timestamp(date)
            let venueID = try venueID(plan.venue, db)
            let trainerID = try trainerID(plan.trainer, db)
            let sequence = current.sequence + 1
            try db.execute(sql: """
                UPDATE session SET starts_at = ?, ends_at = ?, venue_id = ?, trainer_id = ?, sequence = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [starts.iso, ends.iso, venueID, trainerID, sequence, now, id.rawValue])
            try recordChange(id, sequence: sequence, kind: "moved", plan: plan, venueID: venueID, trainerID: trainerID,
                             reason: nil, overridden: overridden, actor: actor, now: now, db: db)
            try Self.refreshRollups(cohortID: cohort.id.rawValue, personIDs: nil, db)
            try AuditLog.append(AuditEntry(actor: actor, action: force && !overridden.isEmpty ? "session.move.forced" : "session.move",
                                           entityType: "session", entityID: String(id.rawValue),
                                           details: Self.details(plan, overridden: overridden)), at: date, in: db)
            return (try Self.session(id, db), found.filter(\.isWarning))
        }
    }

    /// Cancels a session (kept, sent to calendars as STATUS:CANCELLED with a raised SEQUENCE).
    public func cancelSession(_ id: SessionID, reason: String?, actor: Actor, at date: Date = Date()) throws -> ScheduledSession {
        try write { db in
            let current = try Self.session(id, db)
            if current.cancelled { throw ScheduleError.sessionCancelled(id: id.rawValue) }
            let now = AuditLog.timestamp(date)
            let sequence = current.sequence + 1
            try db.execute(sql: "UPDATE session SET status = 'cancelled', sequence = ?, updated_at = ? WHERE id = ?",
                           arguments: [sequence, now, id.rawValue])
            let cohort = try Self.cohort(code: current.cohortCode, db)
            let plan = SessionPlan(cohort: cohort.id, moduleID: current.moduleID, starts: current.starts, ends: current.ends,
                                   venue: current.venue, trainer: current.trainer)
            try recordChange(id, sequence: sequence, kind: "cancelled", plan: plan, venueID: try venueID(current.venue, db),
                             trainerID: try trainerID(current.trainer, db), reason: reason, overridden: [], actor: actor,
                             now: now, db: db)
            try Self.refreshRollups(cohortID: cohort.id.rawValue, personIDs: nil, db)
            try AuditLog.append(AuditEntry(actor: actor, action: "session.cancel", entityType: "session",
                                           entityID: String(id.rawValue), details: reason.map { #"{"reason":\#(jsonString($0))}"# }),
                                at: date, in: db)
            return try Self.session(id, db)
        }
    }

    /// A session by id.
    public func session(_ id: SessionID) throws -> ScheduledSession {
        try writer.read { db in try Self.session(id, db) }
    }

    /// The sessions of a cohort in time order (cancelled ones included).
    public func sessions(cohortCode: String) throws -> [ScheduledSession] {
        try writer.read { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            return try Row.fetchAll(db, sql: Self.sessionSelect + " WHERE s.cohort_id = ? ORDER BY s.starts_at, s.id",
                                    arguments: [cohort.id.rawValue]).map(ScheduledSession.init(row:))
        }
    }

    /// The sessions of every cohort where the person holds a place, in time order.
    public func sessions(personalNumber: String) throws -> [ScheduledSession] {
        let person = try person(personalNumber: personalNumber)
        return try writer.read { db in
            try Row.fetchAll(db, sql: Self.sessionSelect + """
                 WHERE s.cohort_id IN (SELECT cohort_id FROM enrolment WHERE person_id = ? AND status IN ('approved', 'completed'))
                ORDER BY s.starts_at, s.id
                """, arguments: [person.id.rawValue]).map(ScheduledSession.init(row:))
        }
    }

    /// A session's history, oldest first.
    public func sessionHistory(_ id: SessionID) throws -> [SessionHistoryEntry] {
        try writer.read { db in
            _ = try Self.session(id, db)
            return try Row.fetchAll(db, sql: """
                SELECT h.*, v.name AS venue, t.name AS trainer FROM session_change h
                LEFT JOIN venue v ON v.id = h.venue_id LEFT JOIN trainer t ON t.id = h.trainer_id
                WHERE h.session_id = ? ORDER BY h.sequence, h.id
                """, arguments: [id.rawValue]).map { row in
                SessionHistoryEntry(
                    sequence: row["sequence"], kind: row["kind"], starts: LocalDateTime(iso: row["starts_at"])!,
                    ends: LocalDateTime(iso: row["ends_at"])!, venue: row["venue"], trainer: row["trainer"],
                    reason: row["reason"], overridden: row["overridden"], actor: row["actor"], changedAt: row["changed_at"])
            }
        }
    }

    // MARK: Helpers

    private static let sessionSelect = """
        SELECT s.*, c.code AS cohort_code, v.name AS venue, t.name AS trainer FROM session s
        JOIN cohort c ON c.id = s.cohort_id LEFT JOIN venue v ON v.id = s.venue_id LEFT JOIN trainer t ON t.id = s.trainer_id
        """

    static func session(_ id: SessionID, _ db: Database) throws -> ScheduledSession {
        guard let row = try Row.fetchOne(db, sql: sessionSelect + " WHERE s.id = ?", arguments: [id.rawValue]) else {
            throw ScheduleError.unknownSession(id: id.rawValue)
        }
        return ScheduledSession(row: row)
    }

    /// The refusals a plan has; throws unless they are overridden.
    private static func requireOverride(_ conflicts: [ScheduleConflict], force: Bool) throws -> [ScheduleConflict] {
        if conflicts.contains(.invalidTimes) { throw ScheduleError.conflicts([.invalidTimes]) }
        let refusals = conflicts.filter { !$0.isWarning }
        if !refusals.isEmpty && !force { throw ScheduleError.conflicts(conflicts) }
        return refusals
    }

    private func venueID(_ name: String?, _ db: Database) throws -> Int64? {
        guard let name else { return nil }
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM venue WHERE name = ?", arguments: [name]) else {
            throw ScheduleError.unknownVenue(name: name)
        }
        return id
    }

    /// Trainers are known by name; a new name is registered on first use.
    private func trainerID(_ name: String?, _ db: Database) throws -> Int64? {
        guard let name else { return nil }
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM trainer WHERE name = ?", arguments: [name]) { return id }
        try db.execute(sql: "INSERT INTO trainer (name) VALUES (?)", arguments: [name])
        return db.lastInsertedRowID
    }

    private func recordChange(_ id: SessionID, sequence: Int, kind: String, plan: SessionPlan, venueID: Int64?,
                              trainerID: Int64?, reason: String?, overridden: [ScheduleConflict], actor: Actor,
                              now: String, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO session_change (session_id, sequence, kind, starts_at, ends_at, venue_id, trainer_id, reason,
                                        overridden, actor, changed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id.rawValue, sequence, kind, plan.starts.iso, plan.ends.iso, venueID, trainerID, reason,
                             overridden.isEmpty ? nil : Self.conflictCodes(overridden), actor.rawValue, now])
    }

    private static func details(_ plan: SessionPlan, overridden: [ScheduleConflict]) -> String {
        let forced = overridden.isEmpty ? "" : #","overridden":\#(conflictCodes(overridden))"#
        return #"{"module":\#(jsonString(plan.moduleID)),"starts":"\#(plan.starts.iso)","ends":"\#(plan.ends.iso)"\#(forced)}"#
    }

    /// A compact JSON list naming overridden conflicts, e.g. `["venue_busy:12","weekend:2026-03-07"]`.
    static func conflictCodes(_ conflicts: [ScheduleConflict]) -> String {
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
        return "[" + codes.map(jsonString).joined(separator: ",") + "]"
    }
}

extension ScheduledSession {
    init(row: Row) {
        self.init(id: SessionID(rawValue: row["id"]), cohortCode: row["cohort_code"], programID: row["program_id"],
                  moduleID: row["module_id"], starts: LocalDateTime(iso: row["starts_at"])!,
                  ends: LocalDateTime(iso: row["ends_at"])!, venue: row["venue"], trainer: row["trainer"],
                  cancelled: (row["status"] as String) == "cancelled", sequence: row["sequence"], uid: row["uid"])
    }
}
