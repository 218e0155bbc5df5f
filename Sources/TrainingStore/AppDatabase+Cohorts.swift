import Foundation
import GRDB
import TrainingCore

extension AppDatabase {
    /// Creates a cohort of a stored program version (the newest if none is given).
    public func createCohort(code: String, name: String, programID: String, programVersion: Int? = nil,
                             starts: LocalDate, ends: LocalDate, capacity: Int, actor: Actor,
                             at date: Date = Date()) throws -> Cohort {
        guard ends >= starts, capacity > 0 else { throw CohortError.invalidDates }
        let program = try program(id: programID, version: programVersion).program
        return try write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM cohort WHERE code = ?", arguments: [code]) != nil {
                throw CohortError.duplicateCohort(code: code)
            }
            try db.execute(sql: """
                INSERT INTO cohort (code, name, program_id, program_version, starts, ends, capacity, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [code, name, program.id, program.version, starts.iso, ends.iso, capacity, AuditLog.timestamp(date)])
            let cohort = Cohort(id: CohortID(rawValue: db.lastInsertedRowID), code: code, name: name,
                                programID: program.id, programVersion: program.version,
                                starts: starts, ends: ends, capacity: capacity)
            try AuditLog.append(AuditEntry(actor: actor, action: "cohort.create", entityType: "cohort", entityID: code,
                                           details: #"{"program":"\#(program.id)@\#(program.version)","capacity":\#(capacity)}"#),
                                at: date, in: db)
            return cohort
        }
    }

    /// Every cohort, newest first.
    public func cohorts() throws -> [Cohort] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM cohort ORDER BY starts DESC, code").map(Cohort.init(row:)) }
    }

    /// The cohort with a code (case-insensitive).
    public func cohort(code: String) throws -> Cohort {
        try writer.read { db in try Self.cohort(code: code, db) }
    }

    static func cohort(code: String, _ db: Database) throws -> Cohort {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cohort WHERE code = ?", arguments: [code]) else {
            throw CohortError.unknownCohort(code: code)
        }
        return Cohort(row: row)
    }

    /// The enrolments of a cohort in arrival order.
    public func enrolments(cohortCode: String) throws -> [EnrolmentEntry] {
        try writer.read { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            return try Row.fetchAll(db, sql: """
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

    /// Enrols people directly (a coordinator's decision): a place while there is one, else the waitlist.
    /// People already active in the cohort are left as they are. One audit event for the batch.
    public func enrol(cohortCode: String, personalNumbers: [String], actor: Actor,
                      at date: Date = Date()) throws -> [EnrolmentChange] {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            var changes: [EnrolmentChange] = []
            for number in personalNumbers {
                guard let person = try PersonRecord.fetch(personalNumber: number, db), person.erasedAt == nil else {
                    throw PeopleError.unknownPerson(personalNumber: number)
                }
                if let change = try admit(person, to: cohort, request: false, db: db, date: date) { changes.append(change) }
            }
            try Self.refreshCohortRollup(cohortID: cohort.id.rawValue, db)
            try AuditLog.append(AuditEntry(
                actor: actor, action: "enrolment.enrol", entityType: "cohort", entityID: cohort.code,
                details: #"{"people":\#(changes.count),"approved":\#(changes.filter { $0.status == .approved }.count),"waitlisted":\#(changes.filter { $0.status == .waitlisted }.count)}"#),
                at: date, in: db)
            return changes
        }
    }

    /// Enrols everyone currently in a department.
    public func enrolDepartment(cohortCode: String, department: DepartmentCode, actor: Actor,
                                at date: Date = Date()) throws -> [EnrolmentChange] {
        let numbers = try people(department: department).map(\.personalNumber)
        return try enrol(cohortCode: cohortCode, personalNumbers: numbers, actor: actor, at: date)
    }

    /// Records a request for a place (a trainee's own, or on their behalf); a decision follows.
    public func requestEnrolment(cohortCode: String, personalNumber: String, actor: Actor,
                                 at date: Date = Date()) throws -> EnrolmentChange {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            guard let person = try PersonRecord.fetch(personalNumber: personalNumber, db), person.erasedAt == nil else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            guard let change = try admit(person, to: cohort, request: true, db: db, date: date) else {
                let status = try currentStatus(personID: person.id!, cohortID: cohort.id, db) ?? .requested
                throw CohortError.transitionNotAllowed(personalNumber: personalNumber, from: status, to: .requested)
            }
            try AuditLog.append(AuditEntry(actor: actor, action: "enrolment.request", entityType: "enrolment",
                                           entityID: "\(cohort.code)/\(personalNumber)"), at: date, in: db)
            return change
        }
    }

    /// Approves a request: a place if one is free, else the waitlist.
    public func approveEnrolment(cohortCode: String, personalNumber: String, actor: Actor,
                                 at date: Date = Date()) throws -> EnrolmentChange {
        try changeEnrolment(cohortCode: cohortCode, personalNumber: personalNumber, to: .approved, reason: nil,
                            action: "enrolment.approve", actor: actor, date: date)
    }

    /// Declines a request, keeping it with its reason.
    public func declineEnrolment(cohortCode: String, personalNumber: String, reason: String, actor: Actor,
                                 at date: Date = Date()) throws -> EnrolmentChange {
        try changeEnrolment(cohortCode: cohortCode, personalNumber: personalNumber, to: .declined, reason: reason,
                            action: "enrolment.decline", actor: actor, date: date)
    }

    /// Withdraws a person; a freed place goes to the first person on the waitlist.
    public func withdrawEnrolment(cohortCode: String, personalNumber: String, reason: String?, actor: Actor,
                                  at date: Date = Date()) throws -> EnrolmentChange {
        try changeEnrolment(cohortCode: cohortCode, personalNumber: personalNumber, to: .withdrawn, reason: reason,
                            action: "enrolment.withdraw", actor: actor, date: date)
    }

    private func changeEnrolment(cohortCode: String, personalNumber: String, to requested: EnrolmentStatus,
                                 reason: String?, action: String, actor: Actor, date: Date) throws -> EnrolmentChange {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            guard let person = try PersonRecord.fetch(personalNumber: personalNumber, db),
                  let current = try currentStatus(personID: person.id!, cohortID: cohort.id, db) else {
                throw CohortError.notEnrolled(personalNumber: personalNumber, cohort: cohort.code)
            }
            var target = requested
            if requested == .approved {
                target = EnrolmentPolicy.admission(occupiedPlaces: try occupiedPlaces(cohort.id, db), capacity: cohort.capacity)
            }
            guard EnrolmentPolicy.canChange(from: current, to: target) else {
                throw CohortError.transitionNotAllowed(personalNumber: personalNumber, from: current, to: target)
            }
            let now = AuditLog.timestamp(date)
            // Leaving the waitlist for a place, or re-joining it, takes a new arrival position.
            let position: Int? = target == .waitlisted && current != .waitlisted ? try nextPosition(cohort.id, db) : nil
            try db.execute(sql: """
                UPDATE enrolment SET status = ?, reason = COALESCE(?, reason), updated_at = ?,
                                     position = COALESCE(?, position)
                WHERE cohort_id = ? AND person_id = ?
                """, arguments: [target.rawValue, reason, now, position, cohort.id.rawValue, person.id])
            let promoted = current.occupiesPlace && !target.occupiesPlace ? try promoteFromWaitlist(cohort, db: db, date: date) : []
            try Self.refreshCohortRollup(cohortID: cohort.id.rawValue, db)
            try AuditLog.append(AuditEntry(
                actor: actor, action: action, entityType: "enrolment", entityID: "\(cohort.code)/\(personalNumber)",
                details: #"{"from":"\#(current.rawValue)","to":"\#(target.rawValue)","promoted":\#(promoted.count)}"#),
                at: date, in: db)
            return EnrolmentChange(personalNumber: personalNumber, status: target, promoted: promoted)
        }
    }

    /// Adds or re-activates an enrolment; nil when the person is already active in the cohort.
    private func admit(_ person: PersonRecord, to cohort: Cohort, request: Bool, db: Database, date: Date) throws -> EnrolmentChange? {
        let current = try currentStatus(personID: person.id!, cohortID: cohort.id, db)
        if let current, current.isActive { return nil }
        let status = request ? .requested
            : EnrolmentPolicy.admission(occupiedPlaces: try occupiedPlaces(cohort.id, db), capacity: cohort.capacity)
        let now = AuditLog.timestamp(date)
        if current == nil {
            try db.execute(sql: """
                INSERT INTO enrolment (cohort_id, person_id, department_at_enrolment, status, position, requested_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [cohort.id.rawValue, person.id, person.department, status.rawValue,
                                 try nextPosition(cohort.id, db), now, now])
        } else {
            try db.execute(sql: """
                UPDATE enrolment SET status = ?, department_at_enrolment = ?, position = ?, reason = NULL, updated_at = ?
                WHERE cohort_id = ? AND person_id = ?
                """, arguments: [status.rawValue, person.department, try nextPosition(cohort.id, db), now,
                                 cohort.id.rawValue, person.id])
        }
        return EnrolmentChange(personalNumber: person.personalNumber, status: status, promoted: [])
    }

    /// Promotes waitlisted people, first come first served, into free places.
    private func promoteFromWaitlist(_ cohort: Cohort, db: Database, date: Date) throws -> [String] {
        let free = cohort.capacity - (try occupiedPlaces(cohort.id, db))
        let waitlist = try Row.fetchAll(db, sql: """
            SELECT e.position, p.personal_number FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id = ? AND e.status = 'waitlisted'
            """, arguments: [cohort.id.rawValue]).map { (position: $0["position"] as Int, id: $0["personal_number"] as String) }
        let promoted = EnrolmentPolicy.promotions(waitlist: waitlist, freePlaces: free)
        for number in promoted {
            try db.execute(sql: """
                UPDATE enrolment SET status = 'approved', updated_at = ?
                WHERE cohort_id = ? AND person_id = (SELECT id FROM person WHERE personal_number = ?)
                """, arguments: [AuditLog.timestamp(date), cohort.id.rawValue, number])
        }
        return promoted
    }

    private func currentStatus(personID: Int64, cohortID: CohortID, _ db: Database) throws -> EnrolmentStatus? {
        try String.fetchOne(db, sql: "SELECT status FROM enrolment WHERE cohort_id = ? AND person_id = ?",
                            arguments: [cohortID.rawValue, personID]).flatMap(EnrolmentStatus.init(rawValue:))
    }

    func occupiedPlaces(_ cohortID: CohortID, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment WHERE cohort_id = ? AND status IN ('approved', 'completed')",
                         arguments: [cohortID.rawValue]) ?? 0
    }

    private func nextPosition(_ cohortID: CohortID, _ db: Database) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM enrolment WHERE cohort_id = ?", arguments: [cohortID.rawValue]) ?? 0) + 1
    }
}

extension Cohort {
    init(row: Row) {
        self.init(id: CohortID(rawValue: row["id"]), code: row["code"], name: row["name"], programID: row["program_id"],
                  programVersion: row["program_version"], starts: LocalDate(iso: row["starts"])!,
                  ends: LocalDate(iso: row["ends"])!, capacity: row["capacity"])
    }
}
