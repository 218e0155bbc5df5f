import Foundation
import GRDB
import TrainingCore

// MARK: Venues, trainers, holidays

extension StoreTransaction {
    /// Registers a venue with its seats; a name already registered is refused.
    public func addVenue(name: String, capacity: Int) throws {
        if try Int.fetchOne(db, sql: "SELECT 1 FROM venue WHERE name = ?", arguments: [name]) != nil {
            throw ScheduleError.duplicateVenue(name: name)
        }
        try db.execute(sql: "INSERT INTO venue (name, capacity) VALUES (?, ?)", arguments: [name, capacity])
    }

    /// Adds (or replaces) an entry of the holiday table.
    public func addHoliday(_ entry: ScheduleContext.HolidayEntry) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO holiday (date, name, kind) VALUES (?, ?, ?)",
                       arguments: [entry.date.iso, entry.name, entry.kind.rawValue])
    }

    /// Removes an entry of the holiday table; returns whether there was one.
    public func removeHoliday(date: LocalDate, name: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM holiday WHERE date = ? AND name = ?", arguments: [date.iso, name])
        return db.changesCount > 0
    }
}

extension AppDatabase {
    /// Every venue by name.
    public func venues() throws -> [Venue] {
        try read { tx in
            try Row.fetchAll(tx.db, sql: "SELECT name, capacity FROM venue ORDER BY name").map { Venue(name: $0["name"], capacity: $0["capacity"]) }
        }
    }

    /// Holiday-table entries of a year.
    public func holidayEntries(year: Int) throws -> [ScheduleContext.HolidayEntry] {
        try read { tx in
            try Row.fetchAll(tx.db, sql: "SELECT * FROM holiday WHERE date LIKE ? ORDER BY date", arguments: ["\(year)-%"])
                .compactMap(Self.holidayEntry)
        }
    }

    fileprivate static func holidayEntry(_ row: Row) -> ScheduleContext.HolidayEntry? {
        guard let date = LocalDate(iso: row["date"]), let kind = ScheduleContext.HolidayEntry.Kind(rawValue: row["kind"]) else { return nil }
        return ScheduleContext.HolidayEntry(date: date, name: row["name"], kind: kind)
    }
}

// MARK: Sessions

extension StoreTransaction {
    /// What the conflict rules look at around a plan: sessions at overlapping times (with the people they share with
    /// the plan's cohort), the holiday-table entries of its day, its venue's seats and the cohort's places taken.
    /// `excluding` leaves out the session being moved; an unknown venue is refused.
    public func scheduleContext(of plan: SessionPlan, excluding session: SessionID?) throws -> ScheduleContext {
        let overlapping = try Row.fetchAll(db, sql: """
            SELECT s.id, s.starts_at, s.ends_at, c.code, v.name AS venue, t.name AS trainer,
                   (SELECT group_concat(p.personal_number, ',') FROM enrolment mine
                      JOIN enrolment theirs ON theirs.person_id = mine.person_id
                      JOIN person p ON p.id = mine.person_id
                    WHERE mine.cohort_id = ?1 AND theirs.cohort_id = s.cohort_id
                      AND \(RuleSQL.holdsPlace("mine")) AND \(RuleSQL.holdsPlace("theirs"))) AS shared
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
            .compactMap(AppDatabase.holidayEntry)
        let venueCapacity = try plan.venue.flatMap { name in
            try Int.fetchOne(db, sql: "SELECT capacity FROM venue WHERE name = ?", arguments: [name])
        }
        if let venue = plan.venue, venueCapacity == nil { throw ScheduleError.unknownVenue(name: venue) }
        return ScheduleContext(overlapping: overlapping, holidays: holidays, venueCapacity: venueCapacity,
                               participantCount: try occupiedPlaces(cohort: plan.cohort))
    }

    /// Stores a new session of a plan (its cohort's program version) with its first history entry; returns it.
    public func insertSession(_ plan: SessionPlan, of cohort: Cohort, overridden: String?, actor: Actor) throws -> ScheduledSession {
        let venueID = try venueID(plan.venue), trainerID = try trainerID(plan.trainer)
        try db.execute(sql: """
            INSERT INTO session (cohort_id, program_id, program_version, module_id, starts_at, ends_at, venue_id,
                                 trainer_id, status, sequence, uid, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?, ?)
            """, arguments: [cohort.id.rawValue, cohort.programID, cohort.programVersion, plan.moduleID, plan.starts.iso,
                             plan.ends.iso, venueID, trainerID, "\(UUID().uuidString.lowercased())@obuka", timestamp, timestamp])
        let id = SessionID(rawValue: db.lastInsertedRowID)
        try recordChange(id, sequence: 0, kind: "created", plan: plan, venueID: venueID, trainerID: trainerID, reason: nil,
                         overridden: overridden, actor: actor)
        try sessionsChanged(cohort: cohort.id, heldMinutesChanged: false)
        return try session(id)
    }

    /// Moves a session to a plan's time, venue and trainer, raising its sequence, with a history entry; returns it.
    public func moveSession(_ current: ScheduledSession, to plan: SessionPlan, overridden: String?, actor: Actor) throws -> ScheduledSession {
        let venueID = try venueID(plan.venue), trainerID = try trainerID(plan.trainer)
        let sequence = current.sequence + 1
        try db.execute(sql: """
            UPDATE session SET starts_at = ?, ends_at = ?, venue_id = ?, trainer_id = ?, sequence = ?, updated_at = ? WHERE id = ?
            """, arguments: [plan.starts.iso, plan.ends.iso, venueID, trainerID, sequence, timestamp, current.id.rawValue])
        try recordChange(current.id, sequence: sequence, kind: "moved", plan: plan, venueID: venueID, trainerID: trainerID,
                         reason: nil, overridden: overridden, actor: actor)
        try sessionsChanged(cohort: plan.cohort, heldMinutesChanged: true)
        return try session(current.id)
    }

    /// Cancels a session (kept, with a raised sequence so calendars drop it) with a history entry; returns it.
    public func cancelSession(_ current: ScheduledSession, cohort: Cohort, reason: String?, actor: Actor) throws -> ScheduledSession {
        let sequence = current.sequence + 1
        try db.execute(sql: "UPDATE session SET status = 'cancelled', sequence = ?, updated_at = ? WHERE id = ?",
                       arguments: [sequence, timestamp, current.id.rawValue])
        let plan = SessionPlan(cohort: cohort.id, moduleID: current.moduleID, starts: current.starts, ends: current.ends,
                               venue: current.venue, trainer: current.trainer)
        try recordChange(current.id, sequence: sequence, kind: "cancelled", plan: plan, venueID: try venueID(current.venue),
                         trainerID: try trainerID(current.trainer), reason: reason, overridden: nil, actor: actor)
        try sessionsChanged(cohort: cohort.id, heldMinutesChanged: true)
        return try session(current.id)
    }

    /// After a change to a cohort's sessions: the schedule rollup (and, when held minutes or marks may have changed,
    /// every rollup of the cohort), and when its completion decisions come due.
    private func sessionsChanged(cohort: CohortID, heldMinutesChanged: Bool) throws {
        if heldMinutesChanged {
            try AppDatabase.refreshRollups(cohortID: cohort.rawValue, personIDs: nil, db)
        } else {
            try AppDatabase.refreshScheduleRollup(cohortID: cohort.rawValue, db)
        }
        try AppDatabase.refreshCompletionDue(cohortID: cohort.rawValue, db)
    }

    private func venueID(_ name: String?) throws -> Int64? {
        guard let name else { return nil }
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM venue WHERE name = ?", arguments: [name]) else {
            throw ScheduleError.unknownVenue(name: name)
        }
        return id
    }

    /// Trainers are known by name; a new name is registered on first use.
    private func trainerID(_ name: String?) throws -> Int64? {
        guard let name else { return nil }
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM trainer WHERE name = ?", arguments: [name]) { return id }
        try db.execute(sql: "INSERT INTO trainer (name) VALUES (?)", arguments: [name])
        return db.lastInsertedRowID
    }

    private func recordChange(_ id: SessionID, sequence: Int, kind: String, plan: SessionPlan, venueID: Int64?, trainerID: Int64?,
                              reason: String?, overridden: String?, actor: Actor) throws {
        try db.execute(sql: """
            INSERT INTO session_change (session_id, sequence, kind, starts_at, ends_at, venue_id, trainer_id, reason,
                                        overridden, actor, changed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id.rawValue, sequence, kind, plan.starts.iso, plan.ends.iso, venueID, trainerID, reason,
                             overridden, actor.rawValue, timestamp])
    }
}

extension AppDatabase {
    /// A session by id.
    public func session(_ id: SessionID) throws -> ScheduledSession {
        try read { tx in try tx.session(id) }
    }

    /// The sessions of a cohort in time order (cancelled ones included).
    public func sessions(cohortCode: String) throws -> [ScheduledSession] {
        try read { tx in
            let cohort = try tx.cohort(code: cohortCode)
            return try Row.fetchAll(tx.db, sql: Self.sessionSelect + " WHERE s.cohort_id = ? ORDER BY s.starts_at, s.id",
                                    arguments: [cohort.id.rawValue]).map(ScheduledSession.init(row:))
        }
    }

    /// The sessions of every cohort where the person holds a place, in time order.
    public func sessions(personalNumber: String) throws -> [ScheduledSession] {
        try read { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            return try Row.fetchAll(tx.db, sql: Self.sessionSelect + """
                 WHERE s.cohort_id IN (SELECT e.cohort_id FROM enrolment e WHERE e.person_id = ? AND \(RuleSQL.holdsPlace()))
                ORDER BY s.starts_at, s.id
                """, arguments: [person.id.rawValue]).map(ScheduledSession.init(row:))
        }
    }

    /// A session's history, oldest first.
    public func sessionHistory(_ id: SessionID) throws -> [SessionHistoryEntry] {
        try read { tx in
            _ = try tx.session(id)
            return try Row.fetchAll(tx.db, sql: """
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

    static let sessionSelect = """
        SELECT s.*, c.code AS cohort_code, v.name AS venue, t.name AS trainer FROM session s
        JOIN cohort c ON c.id = s.cohort_id LEFT JOIN venue v ON v.id = s.venue_id LEFT JOIN trainer t ON t.id = s.trainer_id
        """

    static func session(_ id: SessionID, _ db: Database) throws -> ScheduledSession {
        guard let row = try Row.fetchOne(db, sql: sessionSelect + " WHERE s.id = ?", arguments: [id.rawValue]) else {
            throw ScheduleError.unknownSession(id: id.rawValue)
        }
        return ScheduledSession(row: row)
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
