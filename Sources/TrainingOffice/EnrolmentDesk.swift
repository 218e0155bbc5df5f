import Foundation
import TrainingCore
internal import TrainingStore

/// Cohorts: runs of a program version with their dates and places.
public struct CohortPlanning: Sendable {
    let context: OfficeContext

    /// A cohort with how many places are taken and how many requests wait for a decision.
    public struct Overview: Sendable {
        public var cohort: Cohort
        public var occupied: Int
        public var requests: Int
    }

    /// Creates a cohort of a stored program version (the newest if none is given). Refuses a last day before the first,
    /// places below one, an unknown program and a code already used.
    public func create(code: String, name: String, program programID: String, version: Int? = nil, starts: LocalDate,
                       ends: LocalDate, capacity: Int, actor: Actor) throws -> Cohort {
        guard ends >= starts else { throw CohortError.endsBeforeStarts(starts: starts, ends: ends) }
        guard capacity > 0 else { throw CohortError.noPlaces }
        try Code.check(code, field: "code")
        let name = try CanonicalText.line(name, field: "name")
        let program = try context.database.program(id: programID, version: version).program
        return try context.write { tx in
            let cohort = try tx.insertCohort(code: code, name: name, program: program, starts: starts, ends: ends, capacity: capacity)
            try tx.appendAudit(AuditEntry(actor: actor, action: "cohort.create", entityType: "cohort", entityID: code,
                                          details: AuditDetails([("program", .string("\(program.id)@\(program.version)")),
                                                                 ("capacity", .int(capacity))]).json))
            return cohort
        }
    }

    /// What an edit of a cohort changed: the cohort as stored now, and who left the waitlist for a new place.
    public struct Edit: Sendable {
        public var cohort: Cohort
        public var promoted: [String]
    }

    /// Changes a cohort's name, dates and places. Refuses a last day before the first, fewer places than are taken,
    /// and dates that would leave a scheduled session outside the cohort; new places go to the waitlist, first come
    /// first served, in the same transaction.
    public func edit(code: String, name: String, starts: LocalDate, ends: LocalDate, capacity: Int, actor: Actor) throws -> Edit {
        guard ends >= starts else { throw CohortError.endsBeforeStarts(starts: starts, ends: ends) }
        guard capacity > 0 else { throw CohortError.noPlaces }
        let name = try CanonicalText.line(name, field: "name")
        return try context.write { tx in
            let before = try tx.cohort(code: code)
            let taken = try tx.occupiedPlaces(cohort: before.id)
            guard capacity >= taken else { throw CohortError.placesBelowTaken(capacity: capacity, taken: taken) }
            // Only sessions the new dates would leave out count: days already outside the old dates are not this edit's doing.
            let alreadyOutside = Set(try tx.sessionDaysOutside(cohort: before.id, from: before.starts, to: before.ends))
            let outside = try tx.sessionDaysOutside(cohort: before.id, from: starts, to: ends).filter { !alreadyOutside.contains($0) }
            if let first = outside.first { throw CohortError.sessionsOutsideDates(count: outside.count, first: first) }
            try tx.updateCohort(before.id, code: before.code, name: name, starts: starts, ends: ends, capacity: capacity)
            let after = try tx.cohort(code: code)
            let promoted = capacity > before.capacity ? try EnrolmentDesk.promoteFromWaitlist(after, tx) : []
            try tx.refreshPlaceRollups(cohort: after.id)
            var changes: [(String, AuditDetails.Value?)] = []
            if name != before.name { changes.append(("name", .string(name))) }
            if starts != before.starts { changes.append(("starts", .string(starts.iso))) }
            if ends != before.ends { changes.append(("ends", .string(ends.iso))) }
            if capacity != before.capacity { changes.append(("capacity", .int(capacity))) }
            changes.append(("promoted", .int(promoted.count)))
            try tx.appendAudit(AuditEntry(actor: actor, action: "cohort.edit", entityType: "cohort", entityID: code,
                                          details: AuditDetails(changes).json))
            return Edit(cohort: after, promoted: promoted)
        }
    }

    /// Every cohort, newest first.
    public func list() throws -> [Cohort] { try context.database.cohorts() }

    /// Every cohort, newest first, with its places taken and requests waiting.
    public func overview() throws -> [Overview] {
        try list().map { cohort in
            let enrolments = try context.database.enrolments(cohortCode: cohort.code)
            return Overview(cohort: cohort, occupied: enrolments.filter(\.status.occupiesPlace).count,
                            requests: enrolments.filter { $0.status == .requested }.count)
        }
    }

    /// A page of the cohorts list with each cohort's places taken and requests waiting: searched by code or name,
    /// filtered by program, year and state (as of today), two queries and one count whatever the page.
    public func overview(_ query: CohortListQuery) throws -> ListSlice<Overview> {
        let slice = try context.database.cohorts(query, today: context.clock.today)
        let counts = try context.database.read { tx in try tx.enrolmentCounts(cohorts: slice.items.map(\.id)) }
        return ListSlice(items: slice.items.map { cohort in
            let count = counts[cohort.id] ?? (0, 0)
            return Overview(cohort: cohort, occupied: count.occupied, requests: count.requests)
        }, total: slice.total, hasNext: slice.hasNext, hasPrevious: slice.hasPrevious)
    }

    /// Today in the District (what decides a cohort's state).
    public var today: LocalDate { context.clock.today }

    /// The cohort with a code.
    public func cohort(_ code: String) throws -> Cohort { try context.database.cohort(code: code) }

    /// The program version a cohort runs.
    public func program(of cohort: Cohort) throws -> Program {
        try context.database.program(id: cohort.programID, version: cohort.programVersion).program
    }

    /// The stored programs a new cohort can run, newest version first within each.
    public func programs() throws -> [StoredProgram] { try context.database.programs() }

    /// The identifier of every stored program, in order (for a list's filter).
    public func programIDs() throws -> [String] { try context.database.programIDs() }

    /// The District's departments (to enrol one whole), by code.
    public func departments() throws -> [Department] { try context.database.departments() }
}

/// Enrolment: places, requests and their decisions, the first-come waitlist and its automatic promotions.
public struct EnrolmentDesk: Sendable {
    let context: OfficeContext

    /// Enrols people directly (a coordinator's decision): a place while there is one, else the waitlist. People
    /// already active in the cohort are left as they are. One audit entry for the batch.
    public func enrol(cohort code: String, people numbers: [String], actor: Actor) throws -> [EnrolmentChange] {
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            var changes: [EnrolmentChange] = []
            let messages = MessageWriter(context: context)
            for number in numbers {
                let person = try Self.activePerson(number, tx)
                if let change = try Self.admit(person, to: cohort, request: false, tx) {
                    changes.append(change)
                    try messages.enrolment(tx, cohort: cohort, person: person,
                                           kind: change.status == .approved ? .enrolmentApproved : .enrolmentWaitlisted, reason: nil)
                }
            }
            try tx.refreshPlaceRollups(cohort: cohort.id)
            try tx.appendAudit(AuditEntry(
                actor: actor, action: "enrolment.enrol", entityType: "cohort", entityID: cohort.code,
                details: AuditDetails([("people", .int(changes.count)),
                                       ("approved", .int(changes.filter { $0.status == .approved }.count)),
                                       ("waitlisted", .int(changes.filter { $0.status == .waitlisted }.count))]).json))
            return changes
        }
    }

    /// Enrols everyone now in a department.
    public func enrolDepartment(cohort: String, department: DepartmentCode, actor: Actor) throws -> [EnrolmentChange] {
        try enrol(cohort: cohort, people: try departmentPlan(cohort: cohort, department: department).toEnrol.map(\.personalNumber),
                  actor: actor)
    }

    /// Who enrolling a whole department would enrol, and whom it skips: those already in the cohort, and those who
    /// completed the cohort's program in another cohort (they need no second run). Nothing is written.
    public func departmentPlan(cohort code: String, department: DepartmentCode) throws -> DepartmentEnrolmentPlan {
        let people = try context.database.people(department: department)
        return try context.read { tx in
            let cohort = try tx.cohort(code: code)
            let inCohort = try tx.enrolledPeople(cohort: cohort.id)
            let completed = try tx.peopleWhoCompleted(program: cohort.programID)
            var plan = DepartmentEnrolmentPlan(department: department, toEnrol: [], alreadyInCohort: [], completedProgram: [])
            for person in people {
                if inCohort.contains(person.id) {
                    plan.alreadyInCohort.append(person)
                } else if completed.contains(person.id) {
                    plan.completedProgram.append(person)
                } else {
                    plan.toEnrol.append(person)
                }
            }
            return plan
        }
    }

    /// Records a request for a place (a trainee's own, or on their behalf); a decision follows.
    public func request(cohort code: String, person number: String, actor: Actor) throws -> EnrolmentChange {
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            let person = try Self.activePerson(number, tx)
            guard let change = try Self.admit(person, to: cohort, request: true, tx) else {
                let status = try tx.enrolmentStatus(cohort: cohort.id, person: person.id) ?? .requested
                throw CohortError.transitionNotAllowed(personalNumber: number, from: status, to: .requested)
            }
            try tx.appendAudit(AuditEntry(actor: actor, action: "enrolment.request", entityType: "enrolment",
                                          entityID: "\(cohort.code)/\(number)"))
            return change
        }
    }

    /// Approves a request: a place if one is free, else the waitlist.
    public func approve(cohort: String, person: String, actor: Actor) throws -> EnrolmentChange {
        try change(cohort: cohort, person: person, to: .approved, reason: nil, action: "enrolment.approve", actor: actor)
    }

    /// Declines a request, keeping it with its reason.
    public func decline(cohort: String, person: String, reason: String, actor: Actor) throws -> EnrolmentChange {
        try change(cohort: cohort, person: person, to: .declined, reason: reason, action: "enrolment.decline", actor: actor)
    }

    /// Withdraws a person; a freed place goes to the first on the waitlist.
    public func withdraw(cohort: String, person: String, reason: String?, actor: Actor) throws -> EnrolmentChange {
        try change(cohort: cohort, person: person, to: .withdrawn, reason: reason, action: "enrolment.withdraw", actor: actor)
    }

    /// A cohort's enrolments in arrival order.
    public func enrolments(cohort: String) throws -> [EnrolmentEntry] { try context.database.enrolments(cohortCode: cohort) }

    /// Every enrolment of a person, whatever its status, by cohort start.
    public func enrolments(person: String) throws -> [PersonEnrolment] { try context.database.enrolments(personalNumber: person) }

    /// Every enrolment of everyone now in a department, by personal number.
    public func enrolments(department: DepartmentCode) throws -> [String: [PersonEnrolment]] {
        try context.database.enrolments(department: department)
    }

    private func change(cohort code: String, person number: String, to requested: EnrolmentStatus, reason: String?,
                        action: String, actor: Actor) throws -> EnrolmentChange {
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            guard let person = try tx.person(personalNumber: number),
                  let current = try tx.enrolmentStatus(cohort: cohort.id, person: person.id) else {
                throw CohortError.notEnrolled(personalNumber: number, cohort: cohort.code)
            }
            let target = requested == .approved
                ? EnrolmentPolicy.admission(occupiedPlaces: try tx.occupiedPlaces(cohort: cohort.id), capacity: cohort.capacity)
                : requested
            guard EnrolmentPolicy.canChange(from: current, to: target) else {
                throw CohortError.transitionNotAllowed(personalNumber: number, from: current, to: target)
            }
            // Leaving the waitlist for a place, or re-joining it, takes a new arrival position.
            let position = target == .waitlisted && current != .waitlisted ? try tx.nextArrivalPosition(cohort: cohort.id) : nil
            try tx.setEnrolmentStatus(cohort: cohort.id, person: person.id, target, reason: reason, position: position)
            let promoted = current.occupiesPlace && !target.occupiesPlace ? try Self.promoteFromWaitlist(cohort, tx) : []
            try tx.refreshPlaceRollups(cohort: cohort.id)
            // The person is told of a decision on their place, and each one promoted into a freed place.
            let messages = MessageWriter(context: context)
            let decided: [EnrolmentStatus: MessageKind] = [.approved: .enrolmentApproved, .declined: .enrolmentDeclined,
                                                           .waitlisted: .enrolmentWaitlisted]
            if let kind = decided[target] { try messages.enrolment(tx, cohort: cohort, person: person, kind: kind, reason: reason) }
            for number in promoted {
                if let promotedPerson = try tx.person(personalNumber: number) {
                    try messages.enrolment(tx, cohort: cohort, person: promotedPerson, kind: .enrolmentPromoted, reason: nil)
                }
            }
            try tx.appendAudit(AuditEntry(
                actor: actor, action: action, entityType: "enrolment", entityID: "\(cohort.code)/\(number)",
                details: AuditDetails([("from", .string(current.rawValue)), ("to", .string(target.rawValue)),
                                       ("promoted", .int(promoted.count))]).json))
            return EnrolmentChange(personalNumber: number, status: target, promoted: promoted)
        }
    }

    /// A person who may enrol: known, and not erased.
    private static func activePerson(_ number: String, _ tx: StoreTransaction) throws -> Person {
        guard let person = try tx.person(personalNumber: number), try !tx.isErased(person.id) else {
            throw PeopleError.unknownPerson(personalNumber: number)
        }
        return person
    }

    /// Adds or re-activates an enrolment (`EnrolmentPolicy.admission` unless it is a request); nil when the person
    /// is already active in the cohort.
    private static func admit(_ person: Person, to cohort: Cohort, request: Bool, _ tx: StoreTransaction) throws -> EnrolmentChange? {
        if let current = try tx.enrolmentStatus(cohort: cohort.id, person: person.id), current.isActive { return nil }
        let status = request ? .requested
            : EnrolmentPolicy.admission(occupiedPlaces: try tx.occupiedPlaces(cohort: cohort.id), capacity: cohort.capacity)
        try tx.admit(person, to: cohort.id, status: status, position: try tx.nextArrivalPosition(cohort: cohort.id))
        return EnrolmentChange(personalNumber: person.personalNumber, status: status, promoted: [])
    }

    /// Promotes waitlisted people into the free places, first come first served (`EnrolmentPolicy.promotions`).
    static func promoteFromWaitlist(_ cohort: Cohort, _ tx: StoreTransaction) throws -> [String] {
        let waitlist = try tx.waitlist(cohort: cohort.id)
        let free = cohort.capacity - (try tx.occupiedPlaces(cohort: cohort.id))
        let promoted = EnrolmentPolicy.promotions(waitlist: waitlist.map { ($0.position, $0) }, freePlaces: free)
        for entry in promoted { try tx.setEnrolmentStatus(cohort: cohort.id, person: entry.person, .approved) }
        return promoted.map(\.personalNumber)
    }
}
