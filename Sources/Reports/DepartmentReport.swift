import Foundation
import Localization
import TrainingCore

/// What a department (or program) report is made of: the contents the store read, and what frames them.
/// The contents' fields read as the input's own (`input.figures`).
@dynamicMemberLookup
public struct ReportInput: Sendable {
    public var department: Department?
    public var from: LocalDate
    public var to: LocalDate
    public var program: Program?
    public var contents: ReportContents
    /// The day the report is made.
    public var today: LocalDate
    /// Department names, for the program report's per-department table.
    public var departments: [Department]
    /// The evaluation section's figures (the department report's carry no reaction results).
    public var evaluation: EvaluationFigures

    public init(department: Department?, from: LocalDate, to: LocalDate, program: Program?, contents: ReportContents,
                today: LocalDate, departments: [Department], evaluation: EvaluationFigures = EvaluationFigures()) {
        self.evaluation = evaluation
        self.department = department
        self.from = from
        self.to = to
        self.program = program
        self.contents = contents
        self.today = today
        self.departments = departments
    }

    public subscript<Value>(dynamicMember field: KeyPath<ReportContents, Value>) -> Value { contents[keyPath: field] }
}

/// Lays out the department report and the coordinators' program report.
public struct ReportBuilder {
    let t: Localizer
    let format: NumberFormat

    public init(localizer: Localizer) {
        t = localizer
        format = NumberFormat(language: localizer.language)
    }

    /// The department report: figures beside the District's, by sex, per module, per person, two charts.
    public func department(_ input: ReportInput) -> ReportDocument {
        let mine = input.figures
        let district = input.districtFigures
        let language = t.language
        var tables: [ReportDocument.Table] = [summary(mine, district)]
        tables.append(bySex(mine))
        tables.append(modules(mine, district))
        tables.append(ReportDocument.Table(
            title: t("report.section.people"),
            header: [t("people.column.personal_number"), t("people.column.name"), t("cohort.column.code"),
                     t("enrolment.column.status"), t("report.column.hours"), t("report.column.attendance"),
                     t("progress.column.forecast")],
            rows: input.entries.filter { $0.status.occupiesPlace || $0.status == .withdrawn }.map { entry in
                [entry.person.personalNumber, t.listName(entry.person), entry.cohortCode,
                 t("enrolment.status.\(entry.status.rawValue)"), format.number(Double(entry.presentMinutes) / 60, decimals: 1),
                 format.percent(entry.countedMinutes > 0 ? Double(entry.presentMinutes) * 100 / Double(entry.countedMinutes) : nil),
                 t("progress.forecast.\(entry.progress.forecast.code == "completed" ? "completed.unknown" : entry.progress.forecast.code)")]
            },
            numericColumns: [4, 5]))
        // Learning gain and use at work only: reaction results per department would identify the one or two people a
        // department sends.
        tables += gainTables(input.evaluation) + followUpTables(input.evaluation)
        return ReportDocument(
            title: t("report.title.department"),
            subtitle: subtitle(input),
            tables: tables,
            charts: [moduleChart(mine, district), monthChart(input)],
            language: language)
    }

    /// The coordinators' program report: every department side by side with the District total.
    public func program(_ input: ReportInput) -> ReportDocument {
        let district = input.districtFigures
        var rows: [[String]] = []
        // Every department, those that trained no one too: for a coordinator that row matters most.
        for department in input.departments {
            guard let figures = input.departmentFigures[department.code] else { continue }
            rows.append(row(department.code.rawValue + " – " + department.name(in: t.language), figures))
        }
        rows.append(row(t("report.district"), district))
        let table = ReportDocument.Table(
            title: t("report.section.departments"),
            header: [t("people.column.department"), t("report.figure.headcount"), t("report.figure.enrolled"),
                     t("report.figure.completed"), t("report.figure.completion"), t("report.figure.attendance"),
                     t("report.figure.hours")],
            rows: rows, numericColumns: [1, 2, 3, 4, 5, 6])
        let evaluation = input.evaluation
        return ReportDocument(title: t("report.title.program"), subtitle: subtitle(input),
                              tables: [table, modules(district, district)] + reactionTables(evaluation) + gainTables(evaluation)
                                  + followUpTables(evaluation),
                              charts: [moduleChart(district, nil, name: t("report.district")), monthChart(input)] + reactionCharts(evaluation),
                              language: t.language)
    }

    // MARK: Evaluation

    private var words: EvaluationText { EvaluationText(localizer: t, language: t.language) }

    /// The modules' reaction results across cohorts, and per trainer: response rate, the mean of every scale answer and
    /// how the answers fall, shown only from five answers up.
    private func reactionTables(_ evaluation: EvaluationFigures) -> [ReportDocument.Table] {
        func rows(_ reactions: [EvaluationFigures.Reaction], first: (EvaluationFigures.Reaction) -> String) -> [[String]] {
            reactions.map { reaction in
                let distribution = reaction.summary.scaleDistribution
                return [first(reaction), "\(reaction.moduleOrder). \(reaction.moduleTitle.text(in: t.language))",
                        words.response(answered: reaction.summary.answers, asked: reaction.asked),
                        distribution == nil ? t("web.evaluation.too_few") : words.mean(reaction.overallMean),
                        distribution.map { counts in (1...5).map { "\($0): \(DecimalText.count(counts[$0 - 1]))" }.joined(separator: " · ") } ?? "–"]
            }
        }
        guard !evaluation.modules.isEmpty else { return [] }
        let header = [t("report.column.response"), t("report.column.mean_scale"), t("report.column.scale_distribution")]
        return [
            ReportDocument.Table(title: t("report.section.reaction"), header: [t("curriculum.column.id"), t("schedule.column.module")] + header,
                                 rows: rows(evaluation.modules, first: \.programID), numericColumns: [3]),
            ReportDocument.Table(title: t("report.section.reaction_trainers"),
                                 header: [t("schedule.column.trainer"), t("schedule.column.module")] + header,
                                 rows: rows(evaluation.trainers, first: { $0.trainer ?? "–" }), numericColumns: [3]),
        ]
    }

    /// Each module's mean pre-test and test scores and the gain between them.
    private func gainTables(_ evaluation: EvaluationFigures) -> [ReportDocument.Table] {
        guard !evaluation.gains.isEmpty else { return [] }
        return [ReportDocument.Table(
            title: t("evaluation.gain.title"),
            header: [t("curriculum.column.id"), t("schedule.column.module"), t("evaluation.gain.pairs"), t("evaluation.gain.before"),
                     t("evaluation.gain.after"), t("evaluation.gain.gain")],
            rows: words.gainRows(evaluation.gains).map { [$0.programID, $0.module, $0.pairs, $0.before, $0.after, $0.gain] },
            numericColumns: [2, 3, 4, 5])]
    }

    /// The trainees' and heads' follow-ups: response rates, and each question's figures from five answers up.
    private func followUpTables(_ evaluation: EvaluationFigures) -> [ReportDocument.Table] {
        guard evaluation.followUps.contains(where: { $0.asked > 0 }) else { return [] }
        var rows: [[String]] = []
        for followUps in evaluation.followUps {
            let who = t("web.follow_up.results_\(followUps.respondent.rawValue)")
            let response = words.response(answered: followUps.summary.answers, asked: followUps.asked)
            if let state = words.state(followUps) {
                rows.append([who, state, response, "–", "–"])
                continue
            }
            for row in followUps.questionnaire.map({ words.rows($0, followUps.summary) }) ?? [] {
                rows.append([who, row.question, response, row.mean, row.distribution])
            }
        }
        return [ReportDocument.Table(
            title: t("report.section.follow_up"),
            header: [t("follow_up.column.respondent"), t("web.evaluation.question"), t("report.column.response"),
                     t("web.evaluation.mean"), t("web.evaluation.distribution")],
            rows: rows, numericColumns: [3])]
    }

    /// The mean of each module's scale answers, and per program how they fall from 1 to 5 (in percent of the answers),
    /// for the modules with enough answers. A module is labelled by its id, after the program's first word when the
    /// report covers several programs.
    private func reactionCharts(_ evaluation: EvaluationFigures) -> [Chart] {
        let shown = evaluation.modules.filter { $0.summary.scaleDistribution != nil && $0.overallMean != nil }
        guard !shown.isEmpty else { return [] }
        let programs = shown.map(\.programID).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        func label(_ reaction: EvaluationFigures.Reaction) -> String {
            programs.count == 1 ? reaction.moduleID
                : "\(reaction.programID.split(separator: "-").first.map(String.init) ?? reaction.programID) \(reaction.moduleID)"
        }
        var charts = [Chart(kind: .bars, title: t("report.chart.reaction_mean"), labels: shown.map(label),
                            series: [(t("report.column.mean_scale"), shown.map { $0.overallMean ?? 0 })], maximum: 5, unit: "")]
        for program in programs {
            let modules = shown.filter { $0.programID == program }
            charts.append(Chart(
                kind: .bars, title: t("report.chart.reaction_distribution", ["program": program]), labels: (1...5).map(String.init),
                series: modules.map { reaction in
                    let counts = reaction.summary.scaleDistribution ?? []
                    let total = max(1, counts.reduce(0, +))
                    return (reaction.moduleID, counts.map { Double($0) * 100 / Double(total) })
                }, maximum: 100, unit: "%"))
        }
        return charts
    }

    private func row(_ label: String, _ figures: ReportFigures) -> [String] {
        [label, String(figures.headcount), String(figures.enrolled), String(figures.completed), format.percent(figures.completionPercent),
         format.percent(figures.attendancePercent), format.number(figures.hoursDelivered, decimals: 1)]
    }

    private func subtitle(_ input: ReportInput) -> [String] {
        var lines: [String] = []
        if let department = input.department {
            lines.append("\(department.code.rawValue) – \(department.name(in: t.language))")
        }
        lines.append(t("report.period", ["from": date(input.from), "to": date(input.to)]))
        lines.append(input.program.map { t("report.program", ["program": $0.title.text(in: t.language)]) } ?? t("report.all_programs"))
        lines.append(t("report.made_on", ["date": date(input.today)]))
        return lines
    }

    private func date(_ value: LocalDate) -> String { t.date(value) }

    private func summary(_ mine: ReportFigures, _ district: ReportFigures) -> ReportDocument.Table {
        let rows: [(String, String, String)] = [
            (t("report.figure.headcount"), String(mine.headcount), String(district.headcount)),
            (t("report.figure.enrolled"), String(mine.enrolled), String(district.enrolled)),
            (t("report.figure.completed"), String(mine.completed), String(district.completed)),
            (t("report.figure.completion"), format.percent(mine.completionPercent), format.percent(district.completionPercent)),
            (t("report.figure.attendance"), format.percent(mine.attendancePercent), format.percent(district.attendancePercent)),
            (t("report.figure.hours"), format.number(mine.hoursDelivered, decimals: 1), format.number(district.hoursDelivered, decimals: 1)),
        ]
        return ReportDocument.Table(
            title: t("report.section.summary"), header: [t("report.column.figure"), t("report.column.department"), t("report.district")],
            rows: rows.map { [$0.0, $0.1, $0.2] }, numericColumns: [1, 2])
    }

    private func bySex(_ figures: ReportFigures) -> ReportDocument.Table {
        let order: [Sex?] = [.female, .male, nil]
        return ReportDocument.Table(
            title: t("report.section.sex"),
            header: [t("people.column.sex"), t("report.figure.enrolled"), t("report.figure.completed"),
                     t("report.figure.completion"), t("report.figure.hours")],
            rows: order.compactMap { sex in
                guard let value = figures.bySex[sex] else { return nil }
                return [sex.map { t("sex.\($0.rawValue)") } ?? t("report.sex.unknown"), String(value.enrolled), String(value.completed),
                        format.percent(value.enrolled > 0 ? Double(value.completed) * 100 / Double(value.enrolled) : nil),
                        format.number(Double(value.presentMinutes) / 60, decimals: 1)]
            },
            numericColumns: [1, 2, 3, 4])
    }

    private func modules(_ mine: ReportFigures, _ district: ReportFigures) -> ReportDocument.Table {
        ReportDocument.Table(
            title: t("report.section.modules"),
            header: [t("curriculum.column.id"), t("schedule.column.module"), t("report.figure.attendance"),
                     t("report.column.pass_rate"), t("report.column.average_score"),
                     t("report.column.district_attendance"), t("report.column.district_pass_rate")],
            rows: mine.modules.map { module in
                let other = district.modules.first { $0.programID == module.programID && $0.moduleID == module.moduleID }
                return [module.programID, "\(module.order). \(module.title.text(in: t.language))",
                        format.percent(module.attendancePercent), format.percent(module.passRate),
                        module.averageScore.map { format.number($0, decimals: 1) } ?? "–",
                        format.percent(other?.attendancePercent), format.percent(other?.passRate)]
            },
            numericColumns: [2, 3, 4, 5, 6])
    }

    /// Share of participants who passed each module's assessment, the department beside the District.
    private func moduleChart(_ mine: ReportFigures, _ district: ReportFigures?, name: String? = nil) -> Chart {
        func share(_ figures: ReportFigures, _ module: ReportFigures.ModuleFigures) -> Double {
            figures.enrolled > 0 ? Double(module.passed) * 100 / Double(figures.enrolled) : 0
        }
        var series: [(name: String, values: [Double])] = [(name ?? t("report.column.department"), mine.modules.map { share(mine, $0) })]
        if let district {
            series.append((t("report.district"), mine.modules.map { module in
                district.modules.first { $0.programID == module.programID && $0.moduleID == module.moduleID }
                    .map { share(district, $0) } ?? 0
            }))
        }
        return Chart(kind: .bars, title: t("report.chart.module_completion"), labels: mine.modules.map(\.moduleID), series: series,
                     maximum: 100, unit: "%")
    }

    private func monthChart(_ input: ReportInput) -> Chart {
        let months = Array(Set(input.hoursPerMonth.map(\.month) + input.districtHoursPerMonth.map(\.month))).sorted()
        let mine = Dictionary(input.hoursPerMonth.map { ($0.month, $0.hours) }, uniquingKeysWith: +)
        let maximum = max(1, (mine.values.max() ?? 0) * 1.1)
        return Chart(kind: .line, title: t("report.chart.hours_per_month"), labels: months, series: [(t("report.column.hours"),
                     months.map { mine[$0] ?? 0 })], maximum: maximum.rounded(.up), unit: "h")
    }
}

/// Numbers as the language writes them (decimal comma in Bosnian and Serbian, point in English), through the one
/// number writer, `DecimalText`.
public struct NumberFormat: Sendable {
    let comma: Bool

    public init(language: Language) { comma = language != .english }

    /// `value` with at most `decimals` decimals, rounded as C's printf rounds.
    public func number(_ value: Double, decimals: Int) -> String { DecimalText.format(value, decimals: decimals, comma: comma) }

    /// A percentage with one decimal, or `–` when there is none.
    public func percent(_ value: Double?) -> String { DecimalText.percent(value, comma: comma) }
}
