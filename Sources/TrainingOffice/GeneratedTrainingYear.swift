import Foundation
import TrainingCore
internal import TrainingStore

/// The training year at District scale, after `generateDistrict` made the people and their cohorts: certificates for
/// those who completed, two required-training rules, an approved plan for every generated year (this one amended once)
/// with the cohorts linked to its lines and their bills recorded, and next year's open window with a proposal from
/// every department. Everything but the certificates goes through the same use cases as a coordinator's work.
extension DemoData {
    /// Signs the generated completions' certificates, each dated two weeks after its cohort ended (the PDF is drawn
    /// when someone downloads it), one audited batch per cohort; returns how many. They are history, so no holder is
    /// sent a message (at twenty Districts that would have queued about 97,000).
    func issueGeneratedCertificates(_ office: TrainingOffice, actor: Actor) throws -> Int {
        let cohorts = try context.read { tx in try tx.cohorts(codePrefix: Self.generatedPrefix) }
        guard let first = cohorts.first else { return 0 }
        let issuing = try office.certificates.prepare(cohort: first.code, language: .default, preferred: nil, actor: actor)
        let settings = CertificateSettings(signatoryName: "Amra Hadžić", signatoryTitle: "Šefica Odjeljenja za stručnu podršku",
                                           place: "Brčko")
        let now = context.clock.now()
        return try context.write { tx in
            var issued = 0
            for cohort in cohorts {
                let day = cohort.ends.adding(days: 14)
                guard let at = LocalDateTime(date: day, hour: 10, minute: 0), at <= now else { continue }
                let completed = try tx.progressFacts(cohort, people: nil, now: now).filter { $0.status == .completed }.map(\.person)
                guard !completed.isEmpty else { continue }
                let program = try tx.program(of: cohort)
                var serials: [String] = []
                for person in completed {
                    serials.append(try issuing.issue(to: person, cohort: cohort, program: program, settings: settings, registryNumber: nil,
                                                     at: at, tellHolder: false, tx))
                }
                try tx.appendAudit(AuditEntry(
                    actor: actor, action: "certificate.issue.bulk", entityType: "cohort", entityID: cohort.code,
                    details: AuditDetails([("issued", .int(serials.count)), ("first", .string(serials.first!)),
                                           ("last", .string(serials.last!))]).json))
                issued += serials.count
            }
            return issued
        }
    }

    /// Rules, plans and needs over the generated years; adds what it made to `counts`.
    func generateTrainingYear(_ office: TrainingOffice, program: Program, seed: UInt64, actor: Actor,
                              counts: inout GeneratedCounts) throws {
        var random = SeededGenerator(seed: seed &+ 28)
        let today = context.clock.today
        // Everyone within a year of starting, renewed as the program's certificates expire; heads of units by the year's end.
        _ = try office.requiredTraining.define(.init(
            code: "UPR-SVI", programID: program.id, scope: .everyone, due: .afterStart(days: 365),
            effectiveFrom: LocalDate(year: 2022, month: 1, day: 1)!), actor: actor)
        _ = try office.requiredTraining.define(.init(
            code: "UPR-SEF", programID: program.id, scope: .jobTitle("šef"), due: .by(LocalDate(year: today.year, month: 12, day: 31)!),
            effectiveFrom: LocalDate(year: today.year, month: 1, day: 1)!), actor: actor)
        counts.rules = 2

        let generated = try context.read { tx in try tx.cohorts(codePrefix: Self.generatedPrefix) }
        for year in Set(generated.map(\.starts.year)).sorted() {
            let cohorts = generated.filter { $0.starts.year == year }
            try proposeGeneratedNeeds(year: year, program: program, random: &random, actor: actor, counts: &counts)
            let delivered = Dictionary(uniqueKeysWithValues: try office.plan.realisation(year: year).unplanned.map { ($0.code, $0) })
            let quarters = Dictionary(grouping: cohorts) { Self.quarter(of: $0.starts) }
            // Planned a little off what came: places per department within −10 % and +15 % of those delivered.
            func draft(_ quarter: Int, _ cohorts: [Cohort], extra: Double = 0) -> PlanDesk.ItemDraft {
                var places: [DepartmentCode: Int] = [:]
                for cohort in cohorts { for (department, count) in delivered[cohort.code]?.places ?? [:] { places[department, default: 0] += count } }
                for (department, count) in places {
                    let factor = 0.9 + Double(random.next(upperBound: UInt64(26))) / 100 + extra
                    places[department] = max(1, Int((Double(count) * factor).rounded()))
                }
                let total = places.values.reduce(0, +)
                // A plan line holds at most 1,000 cohorts (NumberField.plannedCohorts): twenty Districts' quarter needs more,
                // and one plan line per program and quarter is the plan's key, so a scaled run's line is capped there.
                let planned = min(Int(NumberField.plannedCohorts.range.upperBound), max(1, Int((Double(total) / 25).rounded())))
                return .init(programID: program.id, quarter: quarter, cohorts: planned, places: places,
                             participantHours: Double(total) * program.totalHours, costKM: Double(cohorts.count) * 1_500,
                             funding: quarter == 3 ? .donor("Projekat „Reforma javne uprave“") : .budget)
            }
            for (quarter, members) in quarters.sorted(by: { $0.key < $1.key }) {
                _ = try office.plan.addItem(year: year, draft(quarter, members), actor: actor)
                counts.planItems += 1
            }
            var approved = try office.plan.approve(year: year, decisionNumber: "01-02-\(10 + year % 100)/\(year % 100)",
                                                   decisionDate: LocalDate(year: year, month: 1, day: 28)!, actor: actor)
            if year == today.year, let (quarter, members) = quarters.max(by: { $0.key < $1.key }) {
                // This year's plan was amended once: more places in its last quarter.
                let amendment = try office.plan.draft(year: year, actor: actor)
                if let line = amendment.items.first(where: { $0.programID == program.id && $0.quarter == quarter }) {
                    try office.plan.removeItem(line.id, actor: actor)
                }
                _ = try office.plan.addItem(year: year, draft(quarter, members, extra: 0.1), actor: actor)
                counts.planItems += 1
                approved = try office.plan.approve(year: year, decisionNumber: "01-02-\(60 + year % 100)/\(year % 100)",
                                                   decisionDate: LocalDate(year: year, month: 6, day: 15)!, actor: actor)
            }
            for (index, cohort) in cohorts.enumerated() {
                // One cohort in twenty ran outside the plan.
                if index % 20 != 19, let line = approved.items.first(where: {
                    $0.programID == program.id && $0.quarter == Self.quarter(of: cohort.starts)
                }) {
                    try office.plan.link(cohort: cohort.code, item: line.id, actor: actor)
                }
                if cohort.ends < today {
                    try office.plan.setActualCost(cohort: cohort.code, km: 1_350 + Double(random.next(upperBound: UInt64(400))), actor: actor)
                }
            }
        }

        // Next year's window, with a proposal from every department: those lacking the rule's training named first.
        let year = today.year + 1
        if try office.needs.window(year: year) == nil {
            _ = try office.needs.openWindow(year: year, deadline: LocalDate(year: year, month: 1, day: 31)!, actor: actor)
        }
        for department in try office.administration.departments() {
            let lacking = try office.requiredTraining.gaps(department: department.code)
                .filter { $0.requirement.code == "UPR-SVI" && ($0.state == .overdue || $0.state == .missing) }
                .map(\.person.personalNumber)
            let headCount = Int(random.next(upperBound: UInt64(8)))
            guard !lacking.isEmpty || headCount > 0 else { continue }
            _ = try office.needs.propose(.init(
                year: year, department: department.code, programID: program.id, people: Array(lacking.prefix(15)),
                headCount: headCount > 0 ? headCount : nil, priority: lacking.count > 5 ? .high : lacking.isEmpty ? .low : .medium,
                reason: "Obavezna obuka za nove i one kojima je uvjerenje isteklo."), actor: actor)
            counts.needs += 1
        }
    }

    /// The departments' proposals for a generated year, made in the window of the autumn before: six people each.
    private func proposeGeneratedNeeds(year: Int, program: Program, random: inout SeededGenerator, actor: Actor,
                                       counts: inout GeneratedCounts) throws {
        let autumn = Self.at(LocalDateTime(date: LocalDate(year: year - 1, month: 11, day: 3)!, hour: 9, minute: 0)!, context)
        guard try autumn.needs.window(year: year) == nil else { return }
        _ = try autumn.needs.openWindow(year: year, deadline: LocalDate(year: year - 1, month: 11, day: 30)!, actor: actor)
        for department in try autumn.administration.departments() {
            var staff = try autumn.people.list(department: department.code).map(\.personalNumber)
            guard !staff.isEmpty else { continue }
            staff.shuffle(using: &random)
            _ = try autumn.needs.propose(.init(
                year: year, department: department.code, programID: program.id, people: Array(staff.prefix(6)), headCount: nil,
                priority: .medium, reason: "Osnovna obuka za službenike koji je još nemaju."), actor: actor)
            counts.needs += 1
        }
    }

    static let generatedPrefix = "GEN-"

    static func quarter(of day: LocalDate) -> Int { (day.month - 1) / 3 + 1 }
}
