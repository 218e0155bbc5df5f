import Foundation
import TrainingCore
internal import TrainingStore

/// The annual training plan: a draft takes items (a program in a quarter, cohorts, places per department,
/// participant-hours, cost and funding); approving it records the decision and makes it immutable; an amendment is a new
/// draft version copied from the approved one; cohorts are linked to items. Each change is audited.
public struct PlanDesk: Sendable {
    let context: OfficeContext

    /// An item as a form or a command line states it.
    public struct ItemDraft: Sendable {
        public var programID: String
        public var quarter: Int
        public var cohorts: Int
        public var places: [DepartmentCode: Int]
        public var participantHours: Double
        public var costKM: Double
        public var funding: Funding

        public init(programID: String, quarter: Int, cohorts: Int, places: [DepartmentCode: Int], participantHours: Double, costKM: Double,
                    funding: Funding) {
            self.programID = programID
            self.quarter = quarter
            self.cohorts = cohorts
            self.places = places
            self.participantHours = participantHours
            self.costKM = costKM
            self.funding = funding
        }
    }

    /// Today in the District.
    public var today: LocalDate { context.clock.today }

    /// Every version of a year's plan, oldest first.
    public func versions(year: Int) throws -> [PlanVersion] { try context.read { tx in try tx.planVersions(year: year) } }

    /// The draft to work on: the open one, else a new version (a copy of the newest approved one, or empty).
    public func draft(year: Int, actor: Actor) throws -> PlanVersion {
        try context.write { tx in
            let versions = try tx.planVersions(year: year)
            if let open = versions.last, !open.isApproved { return open }
            let version = (versions.last?.version ?? 0) + 1
            try tx.insertPlanVersion(year: year, version: version, copying: versions.last?.items ?? [], actor: actor)
            try tx.appendAudit(AuditEntry(actor: actor, action: version == 1 ? "plan.draft" : "plan.amend", entityType: "training_plan",
                                          entityID: "\(year)/\(version)"))
            return try tx.planVersions(year: year).last!
        }
    }

    /// Adds an item to the year's draft (made when there is none).
    public func addItem(year: Int, _ item: ItemDraft, actor: Actor) throws -> PlanItem {
        guard (1...4).contains(item.quarter) else { throw PlanError.quarterOutOfRange(value: item.quarter) }
        let places = item.places.filter { $0.value > 0 }
        guard !places.isEmpty else { throw PlanError.noPlaces }
        if case .donor(let name) = item.funding, name.trimmingWhitespace.isEmpty { throw PlanError.donorRequired }
        let funding: Funding = if case .donor(let name) = item.funding { .donor(try CanonicalText.line(name, field: "donor")) } else { .budget }
        let draft = try self.draft(year: year, actor: actor)
        return try context.write { tx in
            let program = try tx.program(id: item.programID, version: nil).program
            for department in places.keys where try tx.department(department) == nil {
                throw PeopleError.unknownDepartment(code: department.rawValue)
            }
            let planned = PlanItem(id: 0, programID: program.id, quarter: item.quarter, cohorts: item.cohorts, places: places,
                                   participantHours: item.participantHours, costFenings: Int((item.costKM * 100).rounded()), funding: funding)
            let id = try tx.insertPlanItem(planned, year: year, version: draft.version)
            try tx.appendAudit(AuditEntry(actor: actor, action: "plan.item.add", entityType: "training_plan", entityID: "\(year)/\(draft.version)",
                                          details: AuditDetails([("item", .int(Int(id))), ("program", .string(program.id)),
                                                                 ("quarter", .int(item.quarter)), ("places", .int(planned.totalPlaces)),
                                                                 ("cost_fenings", .int(planned.costFenings))]).json))
            return try tx.planVersions(year: year).last!.items.first { $0.id == id }!
        }
    }

    /// Removes an item of a draft.
    public func removeItem(_ id: Int64, actor: Actor) throws {
        try context.write { tx in
            guard let (year, version) = try tx.planItemVersion(id) else { throw PlanError.unknownItem(id: id) }
            if try tx.planVersions(year: year).first(where: { $0.version == version })?.isApproved == true {
                throw PlanError.approved(year: year, version: version)
            }
            try tx.deletePlanItem(id)
            try tx.appendAudit(AuditEntry(actor: actor, action: "plan.item.remove", entityType: "training_plan", entityID: "\(year)/\(version)",
                                          details: AuditDetails([("item", .int(Int(id)))]).json))
        }
    }

    /// Approves the year's draft as a whole, with the number and date of the decision that adopted it.
    public func approve(year: Int, decisionNumber: String, decisionDate: LocalDate, actor: Actor) throws -> PlanVersion {
        let number = try CanonicalText.line(decisionNumber, field: "decision_number")
        guard !number.isEmpty else { throw PlanError.decisionRequired }
        return try context.write { tx in
            guard let draft = try tx.planVersions(year: year).last else { throw PlanError.noPlan(year: year) }
            guard !draft.isApproved else { throw PlanError.approved(year: year, version: draft.version) }
            guard !draft.items.isEmpty else { throw PlanError.emptyPlan(year: year) }
            try tx.approvePlan(year: year, version: draft.version, decisionNumber: number, decisionDate: decisionDate, actor: actor)
            try tx.appendAudit(AuditEntry(actor: actor, action: "plan.approve", entityType: "training_plan", entityID: "\(year)/\(draft.version)",
                                          details: AuditDetails([("decision_number", .string(number)),
                                                                 ("decision_date", .string(decisionDate.iso)),
                                                                 ("items", .int(draft.items.count))]).json))
            return try tx.planVersions(year: year).last!
        }
    }

    /// How a version differs from the one before it (nil for the first).
    public func difference(year: Int, version: Int) throws -> PlanDifference? {
        let versions = try self.versions(year: year)
        guard let index = versions.firstIndex(where: { $0.version == version }) else { throw PlanError.noPlan(year: year) }
        return index == 0 ? nil : PlanDifference(from: versions[index - 1], to: versions[index])
    }

    /// Links a cohort to an item of an approved plan (nil unlinks it), audited.
    public func link(cohort code: String, item: Int64?, actor: Actor) throws {
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            if let item {
                guard let (year, version) = try tx.planItemVersion(item) else { throw PlanError.unknownItem(id: item) }
                guard try tx.planVersions(year: year).first(where: { $0.version == version })?.isApproved == true else {
                    throw PlanError.unknownItem(id: item)
                }
            }
            try tx.linkCohort(cohort.id, item: item)
            try tx.appendAudit(AuditEntry(actor: actor, action: "cohort.plan_item", entityType: "cohort", entityID: cohort.code,
                                          details: AuditDetails([("item", item.map { .int(Int($0)) })]).json))
        }
    }

    /// The plan item a cohort is linked to, with its year.
    public func item(of code: String) throws -> (year: Int, item: PlanItem)? {
        try context.read { tx in
            let cohort = try tx.cohort(code: code)
            guard let id = try tx.planItem(of: cohort.id), let (year, version) = try tx.planItemVersion(id) else { return nil }
            return try tx.planVersions(year: year).first { $0.version == version }?.items.first { $0.id == id }.map { (year, $0) }
        }
    }
}

extension PlanDesk {
    /// Records what a cohort actually cost, in KM (nil clears it), audited.
    public func setActualCost(cohort code: String, km: Double?, actor: Actor) throws {
        if let km, !NumberField.costKM.range.contains(km) {
            throw NumberInputError.outOfRange(field: "cost", value: DecimalText.format(km), range: NumberField.costKM.range)
        }
        let fenings = km.map { Int(($0 * 100).rounded()) }
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            try tx.setActualCost(cohort.id, fenings: fenings)
            try tx.appendAudit(AuditEntry(actor: actor, action: "cohort.cost", entityType: "cohort", entityID: cohort.code,
                                          details: AuditDetails([("cost_fenings", fenings.map { .int($0) })]).json))
        }
    }

    /// What a cohort actually cost, in fenings, if recorded.
    public func actualCost(cohort code: String) throws -> Int? {
        try context.read { tx in try tx.actualCost(try tx.cohort(code: code).id) }
    }

    /// Planned against delivered for a year: the newest approved version of its plan against the year's cohorts and needs.
    public func realisation(year: Int) throws -> RealisationFigures {
        let now = context.clock.now()
        return try context.read { tx in
            let plan = try tx.planVersions(year: year).last { $0.isApproved }
            var figures = Realisation.figures(year: year, plan: plan, cohorts: try tx.deliveredCohorts(year: year),
                                              needs: try tx.needs(year: year, department: nil))
            // Each line's evaluation: the module ratings of its cohorts' rounds whose deadlines have passed, each round
            // only from five answers (a sum over rounds must not show what a round alone may not), and the learning
            // gain of their pre-tests.
            var ratings: [String: RatingTally] = [:]
            let codes = figures.lines.flatMap(\.cohorts)
            for round in try tx.ratingRounds(cohorts: codes)
            where round.tally.answers >= ReactionRules.minimumAnswers && ReactionRules.resultsVisible(
                deadline: ReactionRules.deadline(lastSessionEnds: round.lastSessionEnds, set: round.deadline), now: now) {
                ratings[round.cohort, default: RatingTally()].add(round.tally)
            }
            let scores = try tx.learningScores(cohorts: codes)
            for index in figures.lines.indices {
                for code in figures.lines[index].cohorts { figures.lines[index].ratings.add(ratings[code] ?? RatingTally()) }
                if !scores.isEmpty, let overall = LearningGain.overall(
                    LearningGain.of(try tx.learningScores(cohorts: figures.lines[index].cohorts))) {
                    (figures.lines[index].gain, figures.lines[index].gainPairs) = overall
                }
            }
            return figures
        }
    }
}
