import Foundation
import TrainingCore
internal import TrainingStore

/// Required training: the coordinator's rules (who must hold which program's certificate, by when, renewed how often),
/// each change a new audited version from its effective day; and the gap lists of a department or a person.
public struct RequiredTrainingDesk: Sendable {
    let context: OfficeContext

    /// A rule as a form or a command line states it.
    public struct RuleDraft: Sendable {
        public var code: String
        public var programID: String
        public var scope: TrainingRequirement.Scope
        public var due: TrainingRequirement.Due
        /// Nil: the program's `valid-years`.
        public var renewYears: Int?
        /// Nil: today.
        public var effectiveFrom: LocalDate?

        public init(code: String, programID: String, scope: TrainingRequirement.Scope, due: TrainingRequirement.Due,
                    renewYears: Int? = nil, effectiveFrom: LocalDate? = nil) {
            self.code = code
            self.programID = programID
            self.scope = scope
            self.due = due
            self.renewYears = renewYears
            self.effectiveFrom = effectiveFrom
        }
    }

    /// A rule with every version it has had, each with where it stands today.
    public struct RuleHistory: Sendable {
        public var code: String
        public var versions: [(rule: TrainingRequirement, standing: RequirementStanding)]
        /// The version in effect today (nil: not yet in effect, or retired).
        public var inEffect: TrainingRequirement? { versions.first { $0.standing == .inEffect }?.rule }
    }

    /// Defines a rule: a new code is version 1, a known one gets a new version from its effective day (today unless
    /// given); stored and audited in one transaction.
    public func define(_ draft: RuleDraft, actor: Actor) throws -> TrainingRequirement {
        let code = draft.code.trimmingWhitespace.uppercased()
        guard (1...20).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw RequirementError.badCode(code: draft.code)
        }
        if case .afterStart(let days) = draft.due, !NumberField.dueDays.range.contains(Double(days)) { throw RequirementError.daysOutOfRange(value: days) }
        if let years = draft.renewYears, !NumberField.renewYears.range.contains(Double(years)) { throw RequirementError.renewOutOfRange(value: years) }
        var scope = draft.scope
        if case .jobTitle(let words) = scope {
            let words = try CanonicalText.line(words, field: "scope_value")
            guard words.contains(where: { $0.isLetter || $0.isNumber }) else { throw RequirementError.emptyJobTitle }
            scope = .jobTitle(words)
        }
        let effective = draft.effectiveFrom ?? context.clock.today
        return try context.write { tx in
            let program = try tx.program(id: draft.programID, version: nil).program
            if case .department(let department) = scope, try tx.department(department) == nil {
                throw PeopleError.unknownDepartment(code: department.rawValue)
            }
            let versions = try tx.requirementVersions().filter { $0.code == code }
            if let newest = versions.last, effective < newest.effectiveFrom {
                throw RequirementError.effectiveBeforeNewest(code: code, newest: newest.effectiveFrom)
            }
            let requirement = TrainingRequirement(
                code: code, version: (versions.last?.version ?? 0) + 1, programID: program.id, scope: scope, due: draft.due,
                renewYears: draft.renewYears ?? program.validYears, effectiveFrom: effective)
            try tx.insertRequirement(requirement, actor: actor)
            try tx.appendAudit(AuditEntry(actor: actor, action: "requirement.define", entityType: "requirement", entityID: code,
                                          details: Self.details(requirement).json))
            return requirement
        }
    }

    /// Retires a rule from a day (today unless given): a last version that applies to no one.
    public func retire(code: String, effectiveFrom: LocalDate? = nil, actor: Actor) throws -> TrainingRequirement {
        let code = code.trimmingWhitespace.uppercased()
        let effective = effectiveFrom ?? context.clock.today
        return try context.write { tx in
            let versions = try tx.requirementVersions().filter { $0.code == code }
            guard let newest = versions.last else { throw RequirementError.unknownRequirement(code: code) }
            guard !newest.retired else { throw RequirementError.alreadyRetired(code: code) }
            guard effective >= newest.effectiveFrom else {
                throw RequirementError.effectiveBeforeNewest(code: code, newest: newest.effectiveFrom)
            }
            var retired = newest
            retired.version += 1
            retired.effectiveFrom = effective
            retired.retired = true
            try tx.insertRequirement(retired, actor: actor)
            try tx.appendAudit(AuditEntry(actor: actor, action: "requirement.retire", entityType: "requirement", entityID: code,
                                          details: Self.details(retired).json))
            return retired
        }
    }

    /// Every rule with its versions, by code.
    public func rules() throws -> [RuleHistory] {
        let versions = try context.read { tx in try tx.requirementVersions() }
        let today = context.clock.today
        return Dictionary(grouping: versions, by: \.code).map { code, versions in
            RuleHistory(code: code, versions: versions.sorted { $0.version < $1.version }.map {
                ($0, RequiredTraining.standing(of: $0, among: versions, on: today))
            })
        }.sorted { $0.code < $1.code }
    }

    /// Where every person of a department stands against each rule in effect today that applies to them.
    public func gaps(department: DepartmentCode) throws -> [TrainingGap] {
        try context.read { tx in
            guard try tx.department(department) != nil else { throw PeopleError.unknownDepartment(code: department.rawValue) }
            return try gaps(tx, department: department, personalNumber: nil)
        }
    }

    /// Where one person stands against each rule in effect today that applies to them.
    public func gaps(person personalNumber: String) throws -> [TrainingGap] {
        try context.read { tx in
            guard try tx.person(personalNumber: personalNumber) != nil else { throw PeopleError.unknownPerson(personalNumber: personalNumber) }
            return try gaps(tx, department: nil, personalNumber: personalNumber)
        }
    }

    func gaps(_ tx: StoreTransaction, department: DepartmentCode?, personalNumber: String?) throws -> [TrainingGap] {
        let today = context.clock.today
        let rules = RequiredTraining.inEffect(try tx.requirementVersions(), on: today)
        guard !rules.isEmpty else { return [] }
        let inputs = try tx.gapInputs(department: department, personalNumber: personalNumber, programs: Set(rules.map(\.programID)),
                                      placesEndingFrom: today)
        let wordsKeys = rules.map(\.jobTitleKey)
        // A department has a handful of job titles: each is folded once.
        var titleKeys: [String: String] = [:]
        return inputs.flatMap { input in
            let titleKey = input.person.jobTitle.map { title in
                if let key = titleKeys[title] { return key }
                let key = BosnianCollation.searchKey(title)
                titleKeys[title] = key
                return key
            }
            return zip(rules, wordsKeys).filter { rule, words in rule.applies(to: input.person, titleKey: titleKey, wordsKey: words) }
                .map { rule, _ in
                    RequiredTraining.gap(rule, person: input.person, certificates: input.certificates[rule.programID] ?? [],
                                         places: input.places[rule.programID] ?? [], today: today)
                }
        }
    }

    /// A version's terms for the audit log.
    private static func details(_ requirement: TrainingRequirement) -> AuditDetails {
        var fields: [(String, AuditDetails.Value)] = [("version", .int(requirement.version)), ("program", .string(requirement.programID)),
                                                      ("effective_from", .string(requirement.effectiveFrom.iso))]
        switch requirement.scope {
        case .everyone: fields.append(("scope", .string("everyone")))
        case .department(let code): fields.append(("department", .string(code.rawValue)))
        case .jobTitle(let words): fields.append(("job_title", .string(words)))
        }
        switch requirement.due {
        case .afterStart(let days): fields.append(("due_days", .int(days)))
        case .by(let day): fields.append(("due_date", .string(day.iso)))
        }
        if let years = requirement.renewYears { fields.append(("renew_years", .int(years))) }
        if requirement.retired { fields.append(("retired", .int(1))) }
        return AuditDetails(fields)
    }
}
