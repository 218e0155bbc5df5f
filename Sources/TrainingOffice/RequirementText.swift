import Localization
import TrainingCore

/// Required-training rules and gaps in words, the same on the command line, the pages and the PDF.
public struct RequirementText: Sendable {
    public let localizer: Localizer

    public init(localizer: Localizer) { self.localizer = localizer }

    /// `svi službenici`, `odjeljenje EIMS`, `radno mjesto sadrži „referent“`.
    public func scope(_ requirement: TrainingRequirement) -> String {
        switch requirement.scope {
        case .everyone: localizer("requirement.scope.everyone")
        case .department(let code): localizer("requirement.scope.department", ["department": code.rawValue])
        case .jobTitle(let words): localizer("requirement.scope.job_title", ["words": words])
        }
    }

    /// `90 dana od zaposlenja` or `do 30. 6. 2027.`
    public func due(_ requirement: TrainingRequirement) -> String {
        switch requirement.due {
        case .afterStart(let days): localizer("requirement.due.after_start", ["days": DecimalText.count(days)])
        case .by(let day): localizer("requirement.due.by", ["date": localizer.date(day)])
        }
    }

    /// `obnova svakih 3 god.` or `bez obnove`.
    public func renewal(_ requirement: TrainingRequirement) -> String {
        requirement.renewYears.map { localizer("requirement.renew.years", ["years": String($0)]) } ?? localizer("requirement.renew.never")
    }

    /// The gap's state in a word.
    public func state(_ gap: TrainingGap) -> String { localizer("gap.state.\(gap.state.rawValue)") }

    /// What meets it (the certificate and until when) or the cohort it is in progress in.
    public func detail(_ gap: TrainingGap) -> String {
        switch gap.state {
        case .met:
            guard let serial = gap.certificate else { return "" }
            return gap.validUntil.map { localizer("gap.detail.met", ["serial": serial, "date": localizer.date($0)]) }
                ?? localizer("gap.detail.met_for_good", ["serial": serial])
        case .inProgress: return gap.cohort.map { localizer("gap.detail.in_progress", ["cohort": $0]) } ?? ""
        default: return ""
        }
    }

    /// How many gaps are in each state, in one sentence.
    public func summary(_ gaps: [TrainingGap]) -> String {
        var counts = Dictionary(uniqueKeysWithValues: GapState.allCases.map { ($0.rawValue, "0") })
        for (state, group) in Dictionary(grouping: gaps, by: \.state) { counts[state.rawValue] = DecimalText.count(group.count) }
        return localizer("gap.summary", counts)
    }
}
