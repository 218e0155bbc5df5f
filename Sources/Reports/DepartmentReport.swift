import Localization
import TrainingCore

/// What a department (or program) report is made of, gathered by the store.
public struct ReportInput: Sendable {
    public var department: Department?
    public var from: LocalDate
    public var to: LocalDate
    public var program: Program?
    /// Enrolments in the department (or, for a program report, the District).
    public var entries: [ReportEntry]
    /// Every enrolment of the District in the same period, for the averages beside each figure.
    public var districtEntries: [ReportEntry]
    public var headcount: Int
    public var districtHeadcount: Int
    public var hoursPerMonth: [(month: String, hours: Double)]
    public var districtHoursPerMonth: [(month: String, hours: Double)]
    /// The day the report is made.
    public var today: LocalDate
    /// Department names, for the program report's per-department table.
    public var departments: [Department]

    public init(department: Department?, from: LocalDate, to: LocalDate, program: Program?, entries: [ReportEntry],
                districtEntries: [ReportEntry], headcount: Int, districtHeadcount: Int,
                hoursPerMonth: [(month: String, hours: Double)], districtHoursPerMonth: [(month: String, hours: Double)],
                today: LocalDate, departments: [Department]) {
        self.department = department
        self.from = from
        self.to = to
        self.program = program
        self.entries = entries
        self.districtEntries = districtEntries
        self.headcount = headcount
        self.districtHeadcount = districtHeadcount
        self.hoursPerMonth = hoursPerMonth
        self.districtHoursPerMonth = districtHoursPerMonth
        self.today = today
        self.departments = departments
    }
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
        let mine = ReportFigures.compute(input.entries, headcount: input.headcount)
        let district = ReportFigures.compute(input.districtEntries, headcount: input.districtHeadcount)
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
                [entry.person.personalNumber, "\(entry.person.familyName) \(entry.person.givenName)", entry.cohortCode,
                 t("enrolment.status.\(entry.status.rawValue)"), format.number(Double(entry.presentMinutes) / 60, decimals: 1),
                 format.percent(entry.countedMinutes > 0 ? Double(entry.presentMinutes) * 100 / Double(entry.countedMinutes) : nil),
                 t("progress.forecast.\(entry.progress.forecast.code == "completed" ? "completed.unknown" : entry.progress.forecast.code)")]
            },
            numericColumns: [4, 5]))
        return ReportDocument(
            title: t("report.title.department"),
            subtitle: subtitle(input),
            tables: tables,
            charts: [moduleChart(input.entries, input.districtEntries), monthChart(input)],
            language: language)
    }

    /// The coordinators' program report: every department side by side with the District total.
    public func program(_ input: ReportInput) -> ReportDocument {
        let district = ReportFigures.compute(input.districtEntries, headcount: input.districtHeadcount)
        let byDepartment = Dictionary(grouping: input.districtEntries, by: \.department)
        var rows: [[String]] = []
        for department in input.departments {
            let entries = byDepartment[department.code] ?? []
            guard !entries.isEmpty else { continue }
            let figures = ReportFigures.compute(entries, headcount: 0)
            rows.append(row(department.code.rawValue + " – " + department.name(in: t.language), figures))
        }
        rows.append(row(t("report.district"), district))
        let table = ReportDocument.Table(
            title: t("report.section.departments"),
            header: [t("people.column.department"), t("report.figure.enrolled"), t("report.figure.completed"),
                     t("report.figure.completion"), t("report.figure.attendance"), t("report.figure.hours")],
            rows: rows, numericColumns: [1, 2, 3, 4, 5])
        return ReportDocument(title: t("report.title.program"), subtitle: subtitle(input),
                              tables: [table, modules(district, district)],
                              charts: [moduleChart(input.districtEntries, []), monthChart(input)], language: t.language)
    }

    private func row(_ label: String, _ figures: ReportFigures) -> [String] {
        [label, String(figures.enrolled), String(figures.completed), format.percent(figures.completionPercent),
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

    private func date(_ value: LocalDate) -> String { t.date(year: value.year, month: value.month, day: value.day) }

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

    /// Share of participants who met a module's attendance and passed its required assessments.
    static func moduleCompletion(_ entries: [ReportEntry]) -> [(label: String, percent: Double)] {
        var totals: [String: (order: Int, label: String, done: Int, all: Int)] = [:]
        for entry in entries where entry.status.occupiesPlace {
            for (module, state) in zip(entry.program.modules, entry.progress.modules) {
                let key = "\(entry.program.id)#\(module.id)"
                var total = totals[key] ?? (module.order, module.id, 0, 0)
                let passed = entry.progress.assessments.filter { $0.definition.moduleID == module.id && $0.definition.required }
                    .allSatisfy(\.passed)
                if state.countedMinutes > 0 && state.minutesNeeded == 0 && passed { total.done += 1 }
                total.all += 1
                totals[key] = total
            }
        }
        return totals.values.sorted { ($0.order, $0.label) < ($1.order, $1.label) }
            .map { ($0.label, $0.all > 0 ? Double($0.done) * 100 / Double($0.all) : 0) }
    }

    private func moduleChart(_ entries: [ReportEntry], _ district: [ReportEntry]) -> Chart {
        let mine = Self.moduleCompletion(entries)
        let theirs = Dictionary(Self.moduleCompletion(district).map { ($0.label, $0.percent) }, uniquingKeysWith: { first, _ in first })
        var series: [(name: String, values: [Double])] = [(t("report.column.department"), mine.map(\.percent))]
        if !district.isEmpty { series.append((t("report.district"), mine.map { theirs[$0.label] ?? 0 })) }
        return Chart(kind: .bars, title: t("report.chart.module_completion"), labels: mine.map(\.label), series: series,
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

/// Numbers as the language writes them: decimal comma in Bosnian and Serbian.
public struct NumberFormat: Sendable {
    let comma: Bool

    public init(language: Language) { comma = language != .english }

    public func number(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if decimals > 0 {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return comma ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    public func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return number(value, decimals: 1) + " %"
    }
}
