import Foundation
import GRDB
import TrainingCore

// MARK: Cohorts

extension StoreTransaction {
    /// Stores a new cohort of a program version; a code already used is refused.
    public func insertCohort(code: String, name: String, program: Program, starts: LocalDate, ends: LocalDate,
                             capacity: Int) throws -> Cohort {
        if try Int.fetchOne(db, sql: "SELECT 1 FROM cohort WHERE code = ?", arguments: [code]) != nil {
            throw CohortError.duplicateCohort(code: code)
        }
        let keys = ListKeys.cohort(code: code, name: name)
        try db.execute(sql: """
            INSERT INTO cohort (code, name, program_id, program_version, starts, ends, capacity, created_at, search_key, sort_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [code, name, program.id, program.version, starts.iso, ends.iso, capacity, timestamp, keys.search, keys.sort])
        return Cohort(id: CohortID(rawValue: db.lastInsertedRowID), code: code, name: name, programID: program.id,
                      programVersion: program.version, starts: starts, ends: ends, capacity: capacity)
    }

    /// Stores a cohort's new name, dates and places (its code and program version never change: links, certificates
    /// and completion depend on them).
    public func updateCohort(_ cohort: CohortID, code: String, name: String, starts: LocalDate, ends: LocalDate, capacity: Int) throws {
        let keys = ListKeys.cohort(code: code, name: name)
        let before = try Row.fetchOne(db, sql: "SELECT program_id, program_version, starts, ends FROM cohort WHERE id = ?",
                                      arguments: [cohort.rawValue])
        try db.execute(sql: """
            UPDATE cohort SET name = ?, starts = ?, ends = ?, capacity = ?, search_key = ?, sort_key = ? WHERE id = ?
            """, arguments: [name, starts.iso, ends.iso, capacity, keys.search, keys.sort, cohort.rawValue])
        // Its District rows leave the dated sums of its old days and join those of its new ones.
        if let before, before[2] != starts.iso || before[3] != ends.iso {
            try AppDatabase.refreshDatedSums(program: before[0], version: before[1], starts: before[2], ends: before[3], db)
            try AppDatabase.refreshDatedSums(cohortID: cohort.rawValue, db)
        }
    }

    /// The first day of each scheduled (not cancelled) session of a cohort that falls outside a range of days.
    public func sessionDaysOutside(cohort: CohortID, from starts: LocalDate, to ends: LocalDate) throws -> [LocalDate] {
        try String.fetchAll(db, sql: """
            SELECT DISTINCT substr(starts_at, 1, 10) AS day FROM session
            WHERE cohort_id = ? AND status <> 'cancelled' AND (substr(starts_at, 1, 10) < ? OR substr(starts_at, 1, 10) > ?)
            ORDER BY day
            """, arguments: [cohort.rawValue, starts.iso, ends.iso]).compactMap(LocalDate.init(iso:))
    }
}

extension StoreTransaction {
    /// The cohorts whose code begins with `prefix`, in order of code.
    public func cohorts(codePrefix prefix: String) throws -> [Cohort] {
        try Row.fetchAll(db, sql: "SELECT * FROM cohort WHERE substr(code, 1, length(?1)) = ?1 ORDER BY code", arguments: [prefix])
            .map(Cohort.init(row:))
    }
}

extension AppDatabase {
    /// Every cohort, newest first.
    public func cohorts() throws -> [Cohort] {
        try read { tx in try Row.fetchAll(tx.db, sql: "SELECT * FROM cohort ORDER BY starts DESC, code").map(Cohort.init(row:)) }
    }

    /// The cohort with a code.
    public func cohort(code: String) throws -> Cohort {
        try read { tx in try tx.cohort(code: code) }
    }

    static func cohort(code: String, _ db: Database) throws -> Cohort {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cohort WHERE code = ?", arguments: [code]) else {
            throw CohortError.unknownCohort(code: code)
        }
        return Cohort(row: row)
    }
}

// MARK: Enrolments

extension StoreTransaction {
    /// A person's enrolment status in a cohort, if they have one.
    public func enrolmentStatus(cohort: CohortID, person: PersonID) throws -> EnrolmentStatus? {
        try String.fetchOne(db, sql: "SELECT status FROM enrolment WHERE cohort_id = ? AND person_id = ?",
                            arguments: [cohort.rawValue, person.rawValue]).flatMap(EnrolmentStatus.init(rawValue:))
    }

    /// How many of a cohort's places are taken.
    public func occupiedPlaces(cohort: CohortID) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment e WHERE e.cohort_id = ? AND \(RuleSQL.holdsPlace())",
                         arguments: [cohort.rawValue]) ?? 0
    }

    /// The arrival position after every enrolment of a cohort so far (the waitlist is first come, first served).
    public func nextArrivalPosition(cohort: CohortID) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM enrolment WHERE cohort_id = ?", arguments: [cohort.rawValue]) ?? 0) + 1
    }

    /// Enrols a person anew (or again, after a decline or withdrawal: the reason goes) with a status and an arrival
    /// position; their department now is the one their training counts for.
    public func admit(_ person: Person, to cohort: CohortID, status: EnrolmentStatus, position: Int) throws {
        if try enrolmentStatus(cohort: cohort, person: person.id) == nil {
            try db.execute(sql: """
                INSERT INTO enrolment (cohort_id, person_id, department_at_enrolment, status, position, requested_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [cohort.rawValue, person.id.rawValue, person.department.rawValue, status.rawValue, position,
                                 timestamp, timestamp])
        } else {
            try db.execute(sql: """
                UPDATE enrolment SET status = ?, department_at_enrolment = ?, position = ?, reason = NULL, updated_at = ?
                WHERE cohort_id = ? AND person_id = ?
                """, arguments: [status.rawValue, person.department.rawValue, position, timestamp, cohort.rawValue, person.id.rawValue])
        }
    }

    /// Changes an enrolment's status, with a reason (kept when nil) and a new arrival position (kept when nil).
    public func setEnrolmentStatus(cohort: CohortID, person: PersonID, _ status: EnrolmentStatus, reason: String? = nil,
                                   position: Int? = nil) throws {
        try db.execute(sql: """
            UPDATE enrolment SET status = ?, reason = COALESCE(?, reason), updated_at = ?, position = COALESCE(?, position)
            WHERE cohort_id = ? AND person_id = ?
            """, arguments: [status.rawValue, reason, timestamp, position, cohort.rawValue, person.rawValue])
    }

    /// The cohort's waitlist in any order, with arrival positions.
    public func waitlist(cohort: CohortID) throws -> [(position: Int, person: PersonID, personalNumber: String)] {
        try Row.fetchAll(db, sql: """
            SELECT e.position, e.person_id, p.personal_number FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id = ? AND e.status = 'waitlisted'
            """, arguments: [cohort.rawValue]).map { ($0["position"], PersonID(rawValue: $0["person_id"]), $0["personal_number"]) }
    }
}

extension AppDatabase {
    /// The enrolments of a cohort in arrival order.
    public func enrolments(cohortCode: String) throws -> [EnrolmentEntry] {
        try read { tx in
            let cohort = try tx.cohort(code: cohortCode)
            return try Row.fetchAll(tx.db, sql: """
                SELECT p.*, e.status AS e_status, e.position AS e_position, e.department_at_enrolment AS e_department,
                       e.reason AS e_reason
                FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.cohort_id = ? ORDER BY e.position
                """, arguments: [cohort.id.rawValue]).map { row in
                EnrolmentEntry(
                    person: try PersonRecord(row: row).person,
                    status: EnrolmentStatus(rawValue: row["e_status"]) ?? .requested,
                    position: row["e_position"], departmentAtEnrolment: DepartmentCode(row["e_department"]),
                    reason: row["e_reason"])
            }
        }
    }

    /// Every enrolment of a person (requested, waitlisted, declined and withdrawn included), by cohort start.
    public func enrolments(personalNumber: String) throws -> [PersonEnrolment] {
        try enrolments(personalNumber: personalNumber, department: nil)[personalNumber] ?? []
    }

    /// Every enrolment of everyone now in a department, by personal number (each list ordered as
    /// `enrolments(personalNumber:)` orders it), in one query.
    public func enrolments(department: DepartmentCode) throws -> [String: [PersonEnrolment]] {
        try enrolments(personalNumber: nil, department: department)
    }

    private func enrolments(personalNumber: String?, department: DepartmentCode?) throws -> [String: [PersonEnrolment]] {
        try read { tx in
            var result: [String: [PersonEnrolment]] = [:]
            for row in try Row.fetchAll(tx.db, sql: """
                SELECT c.*, e.status AS enrolment_status, e.reason AS enrolment_reason, p.personal_number AS person_number
                FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN person p ON p.id = e.person_id
                WHERE (?1 IS NULL OR p.personal_number = ?1) AND (?2 IS NULL OR p.department = ?2)
                ORDER BY c.starts, c.code
                """, arguments: [personalNumber, department?.rawValue]) {
                result[row["person_number"], default: []].append(PersonEnrolment(
                    cohort: Cohort(row: row), status: EnrolmentStatus(rawValue: row["enrolment_status"]) ?? .requested,
                    reason: row["enrolment_reason"]))
            }
            return result
        }
    }
}

extension Cohort {
    init(row: Row) {
        self.init(id: CohortID(rawValue: row["id"]), code: row["code"], name: row["name"], programID: row["program_id"],
                  programVersion: row["program_version"], starts: LocalDate(iso: row["starts"])!,
                  ends: LocalDate(iso: row["ends"])!, capacity: row["capacity"])
    }
}
