import GRDB
import TrainingCore

/// Nomination windows and the needs departments propose in them (`v24-training-needs`).
extension StoreTransaction {
    /// The window of a year, if one was opened.
    public func nominationWindow(year: Int) throws -> NominationWindow? {
        try Row.fetchOne(db, sql: "SELECT * FROM nomination_window WHERE year = ?", arguments: [year]).map {
            NominationWindow(year: $0["year"], opens: LocalDate(iso: $0["opens"] as String)!, deadline: LocalDate(iso: $0["deadline"] as String)!)
        }
    }

    /// Opens a year's window, or moves its days.
    public func saveNominationWindow(_ window: NominationWindow, actor: Actor) throws {
        try db.execute(sql: """
            INSERT INTO nomination_window (year, opens, deadline, opened_by, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (year) DO UPDATE SET opens = excluded.opens, deadline = excluded.deadline
            """, arguments: [window.year, window.opens.iso, window.deadline.iso, actor.rawValue, timestamp])
    }

    /// Stores a proposal with its nominees; returns its number.
    public func insertNeed(year: Int, department: DepartmentCode, programID: String, nominees: [PersonID], headCount: Int?,
                           priority: NeedPriority, reason: String, actor: Actor) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO training_need (year, department, program_id, head_count, priority, reason, proposed_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [year, department.rawValue, programID, headCount, priority.rawValue, reason, actor.rawValue, timestamp])
        let id = db.lastInsertedRowID
        let nominate = try db.cachedStatement(sql: "INSERT OR IGNORE INTO training_need_person (need_id, person_id) VALUES (?, ?)")
        for person in nominees { try nominate.execute(arguments: [id, person.rawValue]) }
        return id
    }

    /// Marks a proposal withdrawn (it stays on record).
    public func withdrawNeed(_ id: Int64) throws {
        try db.execute(sql: "UPDATE training_need SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL", arguments: [timestamp, id])
    }

    /// A year's proposals (of one department, or all), with their nominees (erased people are not listed).
    public func needs(year: Int, department: DepartmentCode?) throws -> [TrainingNeed] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT * FROM training_need WHERE year = ?1 AND (?2 IS NULL OR department = ?2) ORDER BY department, id
            """, arguments: [year, department?.rawValue])
        var nominees: [Int64: [Person]] = [:]
        let nomineeRows = try Row.fetchCursor(db, sql: """
            SELECT np.need_id, p.* FROM training_need_person np JOIN training_need n ON n.id = np.need_id
            JOIN person p ON p.id = np.person_id
            WHERE n.year = ?1 AND (?2 IS NULL OR n.department = ?2) AND p.erased_at IS NULL ORDER BY p.sort_key
            """, arguments: [year, department?.rawValue])
        // A cursor's rows find columns by a cached index, copied rows by comparing every name.
        while let row = try nomineeRows.next() {
            nominees[row["need_id"], default: []].append(try PersonRecord(row: row).person)
        }
        return rows.map { row in
            TrainingNeed(id: row["id"], year: row["year"], department: DepartmentCode(row["department"] as String), programID: row["program_id"],
                         nominees: nominees[row["id"]] ?? [], headCount: row["head_count"],
                         priority: NeedPriority(rawValue: row["priority"]) ?? .medium, reason: row["reason"], proposedBy: row["proposed_by"],
                         withdrawn: row["withdrawn_at"] as String? != nil)
        }
    }

    /// One proposal.
    public func need(_ id: Int64) throws -> TrainingNeed? {
        guard let year = try Int.fetchOne(db, sql: "SELECT year FROM training_need WHERE id = ?", arguments: [id]) else { return nil }
        return try needs(year: year, department: nil).first { $0.id == id }
    }
}
