import Localization
import TrainingCore

/// The annual plan in words, the same on the command line, the page and the report.
public struct PlanText: Sendable {
    public let localizer: Localizer

    public init(localizer: Localizer) { self.localizer = localizer }

    /// `Plan obuke za 2027., verzija 2: usvojen odlukom 01-02-45/27 od 2. 4. 2027.` or `…: nacrt`.
    public func heading(_ plan: PlanVersion) -> String {
        let t = localizer
        let base = ["year": String(plan.year), "version": String(plan.version)]
        guard let approval = plan.approval else { return t("plan.heading.draft", base) }
        return t("plan.heading.approved", base.merging(["decision": approval.decisionNumber, "date": t.date(approval.decisionDate)]) { a, _ in a })
    }

    public var header: [String] {
        let t = localizer
        return [t("plan.column.item"), t("plan.column.program"), t("plan.column.quarter"), t("plan.column.cohorts"),
                t("plan.column.places"), t("plan.column.hours"), t("plan.column.cost"), t("plan.column.funding")]
    }

    /// A line of the plan as a row.
    public func row(_ item: PlanItem) -> [String] {
        [String(item.id), item.programID, "Q\(item.quarter)", DecimalText.count(item.cohorts), places(item),
         DecimalText.format(item.participantHours, decimals: 1), localizer("plan.km", ["amount": DecimalText.money(hundredths: item.costFenings)]),
         funding(item.funding)]
    }

    /// `EIMS 10, ZOU 5`.
    public func places(_ item: PlanItem) -> String {
        item.places.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \(DecimalText.count($0.value))" }.joined(separator: ", ")
    }

    public func funding(_ funding: Funding) -> String {
        switch funding {
        case .budget: localizer("plan.funding.budget")
        case .donor(let name): localizer("plan.funding.donor", ["donor": name])
        }
    }

    /// The difference between two versions, a line per change.
    public func lines(_ difference: PlanDifference) -> [String] {
        guard !difference.changes.isEmpty else { return [localizer("plan.diff.none")] }
        return difference.changes.map { change in
            switch change {
            case .added(let item): localizer("plan.diff.added", ["program": item.programID, "quarter": String(item.quarter), "places": places(item)])
            case .removed(let item): localizer("plan.diff.removed", ["program": item.programID, "quarter": String(item.quarter)])
            case .changed(let from, let to, let fields):
                localizer("plan.diff.changed", ["program": to.programID, "quarter": String(to.quarter),
                                                "changes": fields.map { field in
                                                    let (old, new) = describe(field, from, to)
                                                    return localizer("plan.diff.field", ["field": localizer("plan.field.\(field)"), "from": old, "to": new])
                                                }.joined(separator: "; ")])
            }
        }
    }

    private func describe(_ field: String, _ from: PlanItem, _ to: PlanItem) -> (String, String) {
        switch field {
        case "cohorts": (DecimalText.count(from.cohorts), DecimalText.count(to.cohorts))
        case "places": (places(from), places(to))
        case "participant_hours": (DecimalText.format(from.participantHours, decimals: 1), DecimalText.format(to.participantHours, decimals: 1))
        case "cost": (DecimalText.money(hundredths: from.costFenings), DecimalText.money(hundredths: to.costFenings))
        default: (funding(from.funding), funding(to.funding))
        }
    }
}
