import Localization
import TrainingCore

extension ReportBuilder {
    /// The realisation of a year's plan: per plan line planned against delivered, training outside the plan, per department
    /// with needs met, and the District total; for one department only its share.
    public func realisation(_ figures: RealisationFigures, department: DepartmentCode? = nil) -> ReportDocument {
        func km(_ fenings: Int) -> String { DecimalText.money(hundredths: fenings) }
        func hours(_ value: Double) -> String { DecimalText.grouped(value, decimals: 1) }
        var subtitle = [figures.plan.map { plan in
            t("plan.heading.approved", ["year": String(plan.year), "version": String(plan.version),
                                        "decision": plan.approval?.decisionNumber ?? "", "date": plan.approval.map { t.date($0.decisionDate) } ?? ""])
        } ?? t("realisation.no_plan", ["year": String(figures.year)])]
        if let department { subtitle.append(t("realisation.department_share", ["department": department.rawValue])) }
        var tables: [ReportDocument.Table] = []
        let departments = figures.departments.filter { department == nil || $0.department == department }
        if department == nil {
            tables.append(.init(
                title: t("realisation.by_item"),
                header: [t("plan.column.program"), t("plan.column.quarter"), t("realisation.planned_places"), t("realisation.delivered_places"),
                         t("realisation.completions"), t("realisation.planned_hours"), t("realisation.delivered_hours"),
                         t("realisation.planned_cost"), t("realisation.actual_cost"), t("realisation.cohorts")],
                rows: figures.lines.map { line in
                    [line.item.programID, "Q\(line.item.quarter)", DecimalText.count(line.item.totalPlaces), DecimalText.count(line.deliveredPlaces),
                     DecimalText.count(line.completions), hours(line.item.participantHours), hours(line.deliveredHours), km(line.item.costFenings),
                     km(line.actualCostFenings), line.cohorts.joined(separator: ", ")]
                } + [[t("realisation.total"), "", DecimalText.count(figures.plannedPlaces), DecimalText.count(figures.lines.reduce(0) { $0 + $1.deliveredPlaces }),
                      DecimalText.count(figures.lines.reduce(0) { $0 + $1.completions }),
                      hours(figures.lines.reduce(0) { $0 + $1.item.participantHours }), hours(figures.lines.reduce(0) { $0 + $1.deliveredHours }),
                      km(figures.plannedCostFenings), km(figures.lines.reduce(0) { $0 + $1.actualCostFenings }), ""]],
                numericColumns: [2, 3, 4, 5, 6, 7, 8]))
            // The evaluation of each line, when any of its cohorts has been rated or measured.
            let words = EvaluationText(localizer: t, language: t.language)
            if figures.lines.contains(where: { $0.ratings.answers > 0 || $0.gainPairs > 0 }) {
                tables.append(.init(
                    title: t("realisation.evaluation"),
                    header: [t("plan.column.program"), t("plan.column.quarter"), t("realisation.rating_answers"), t("report.column.mean_scale"),
                             t("evaluation.gain.pairs"), t("evaluation.gain.gain")],
                    rows: figures.lines.map { line in
                        [line.item.programID, "Q\(line.item.quarter)", DecimalText.count(line.ratings.answers),
                         line.ratings.answers == 0 ? "–" : line.ratings.mean.map(words.mean) ?? t("web.evaluation.too_few"),
                         DecimalText.count(line.gainPairs), words.gain(line.gain)]
                    },
                    numericColumns: [2, 3, 4, 5]))
            }
            tables.append(.init(
                title: t("realisation.unplanned"),
                header: [t("cohort.column.code"), t("plan.column.program"), t("realisation.delivered_places"), t("realisation.completions"),
                         t("realisation.delivered_hours"), t("realisation.actual_cost")],
                rows: figures.unplanned.map { cohort in
                    [cohort.code, cohort.programID, DecimalText.count(cohort.totalPlaces), DecimalText.count(cohort.totalCompletions),
                     hours(Double(cohort.presentMinutes) / 60), cohort.actualCostFenings.map(km) ?? "–"]
                },
                numericColumns: [2, 3, 4, 5]))
        }
        tables.append(.init(
            title: t("realisation.by_department"),
            header: [t("needs.column.department"), t("realisation.planned_places"), t("realisation.delivered_places"), t("realisation.completions"),
                     t("realisation.nominated"), t("realisation.nominated_served")],
            rows: departments.map { line in
                [line.department.rawValue, DecimalText.count(line.plannedPlaces), DecimalText.count(line.deliveredPlaces),
                 DecimalText.count(line.completions), DecimalText.count(line.nominated), DecimalText.count(line.nominatedServed)]
            } + (department == nil ? [[t("realisation.district_total"), DecimalText.count(figures.plannedPlaces), DecimalText.count(figures.deliveredPlaces),
                                      DecimalText.count(figures.completions), DecimalText.count(departments.reduce(0) { $0 + $1.nominated }),
                                      DecimalText.count(departments.reduce(0) { $0 + $1.nominatedServed })]] : []),
            numericColumns: [1, 2, 3, 4, 5]))
        let maximum = Double(max(1, departments.map { max($0.plannedPlaces, $0.deliveredPlaces) }.max() ?? 1)) * 1.1
        let chart = Chart(kind: .bars, title: t("realisation.chart"), labels: departments.map(\.department.rawValue),
                          series: [(t("realisation.planned_places"), departments.map { Double($0.plannedPlaces) }),
                                   (t("realisation.delivered_places"), departments.map { Double($0.deliveredPlaces) })],
                          maximum: maximum, unit: "")
        return ReportDocument(title: t("realisation.title", ["year": String(figures.year)]), subtitle: subtitle, tables: tables,
                              charts: departments.isEmpty ? [] : [chart], language: t.language)
    }
}
