import Foundation
import TrainingCore
internal import TrainingStore

/// Training needs: the coordinator opens a year's nomination window with a deadline; department heads propose needs in
/// it (a program, the people nominated or a head count, a priority and a reason), offered their department's gaps
/// first; after the deadline the proposals are read-only.
public struct NeedsDesk: Sendable {
    let context: OfficeContext

    /// A department's proposal as a form or a command line states it.
    public struct Proposal: Sendable {
        public var year: Int
        public var department: DepartmentCode
        public var programID: String
        public var people: [String]
        public var headCount: Int?
        public var priority: NeedPriority
        public var reason: String

        public init(year: Int, department: DepartmentCode, programID: String, people: [String], headCount: Int?, priority: NeedPriority,
                    reason: String) {
            self.year = year
            self.department = department
            self.programID = programID
            self.people = people
            self.headCount = headCount
            self.priority = priority
            self.reason = reason
        }
    }

    /// Today in the District.
    public var today: LocalDate { context.clock.today }

    /// Opens a year's window from today (or moves its deadline), audited.
    public func openWindow(year: Int, deadline: LocalDate, opens: LocalDate? = nil, actor: Actor) throws -> NominationWindow {
        let window = NominationWindow(year: year, opens: opens ?? context.clock.today, deadline: deadline)
        guard window.deadline >= window.opens else { throw NeedsError.deadlineBeforeOpening(opens: window.opens, deadline: deadline) }
        try context.write { tx in
            try tx.saveNominationWindow(window, actor: actor)
            try tx.appendAudit(AuditEntry(actor: actor, action: "needs.window", entityType: "nomination_window", entityID: String(year),
                                          details: AuditDetails([("opens", .string(window.opens.iso)),
                                                                 ("deadline", .string(deadline.iso))]).json))
        }
        return window
    }

    /// A year's window, if one was opened.
    public func window(year: Int) throws -> NominationWindow? { try context.read { tx in try tx.nominationWindow(year: year) } }

    /// Stores a department's proposal while the year's window is open; the people named must be of the department.
    public func propose(_ proposal: Proposal, actor: Actor) throws -> TrainingNeed {
        let reason = try CanonicalText.text(proposal.reason, field: "reason")
        guard !reason.isEmpty else { throw NeedsError.reasonRequired }
        if let count = proposal.headCount, !NumberField.headCount.range.contains(Double(count)) {
            throw NeedsError.headCountOutOfRange(value: count)
        }
        let numbers = Array(Set(proposal.people.map(\.trimmingWhitespace).filter { !$0.isEmpty })).sorted()
        guard !numbers.isEmpty || proposal.headCount != nil else { throw NeedsError.nobody }
        let today = context.clock.today
        return try context.write { tx in
            try Self.requireOpen(try tx.nominationWindow(year: proposal.year), year: proposal.year, on: today)
            guard try tx.department(proposal.department) != nil else {
                throw PeopleError.unknownDepartment(code: proposal.department.rawValue)
            }
            let program = try tx.program(id: proposal.programID, version: nil).program
            var nominees: [PersonID] = []
            for number in numbers {
                guard let person = try tx.person(personalNumber: number), try !tx.isErased(person.id) else {
                    throw PeopleError.unknownPerson(personalNumber: number)
                }
                guard person.department == proposal.department else {
                    throw NeedsError.notInDepartment(personalNumber: number, department: proposal.department.rawValue)
                }
                nominees.append(person.id)
            }
            let id = try tx.insertNeed(year: proposal.year, department: proposal.department, programID: program.id, nominees: nominees,
                                       headCount: proposal.headCount, priority: proposal.priority, reason: reason, actor: actor)
            try tx.appendAudit(AuditEntry(actor: actor, action: "needs.propose", entityType: "training_need", entityID: String(id),
                                          details: AuditDetails([("year", .int(proposal.year)), ("department", .string(proposal.department.rawValue)),
                                                                 ("program", .string(program.id)), ("people", .int(nominees.count)),
                                                                 ("head_count", proposal.headCount.map { .int($0) }),
                                                                 ("priority", .string(proposal.priority.rawValue))]).json))
            return try tx.need(id)!
        }
    }

    /// Withdraws a department's proposal while the window is open (it stays on record, marked withdrawn).
    public func withdraw(need id: Int64, department: DepartmentCode, actor: Actor) throws {
        let today = context.clock.today
        try context.write { tx in
            guard let need = try tx.need(id), need.department == department else { throw NeedsError.unknownNeed(id: id) }
            try Self.requireOpen(try tx.nominationWindow(year: need.year), year: need.year, on: today)
            try tx.withdrawNeed(id)
            try tx.appendAudit(AuditEntry(actor: actor, action: "needs.withdraw", entityType: "training_need", entityID: String(id)))
        }
    }

    /// A year's proposals, of one department or all.
    public func needs(year: Int, department: DepartmentCode? = nil) throws -> [TrainingNeed] {
        try context.read { tx in try tx.needs(year: year, department: department) }
    }

    private static func requireOpen(_ window: NominationWindow?, year: Int, on day: LocalDate) throws {
        guard let window else { throw NeedsError.noWindow(year: year) }
        if day < window.opens { throw NeedsError.windowNotYetOpen(year: year, opens: window.opens) }
        if day > window.deadline { throw NeedsError.windowClosed(year: year, deadline: window.deadline) }
    }
}
