import Localization
import TrainingCore

/// What a sign-in sheet shows about its session.
public struct SignInInput: Sendable {
    public var program: Program
    public var moduleID: String
    public var cohortName: String
    public var starts: LocalDateTime
    public var ends: LocalDateTime
    public var venue: String?
    public var trainer: String?
    /// Participants with their department at enrolment.
    public var participants: [(person: Person, department: DepartmentCode)]

    public init(program: Program, moduleID: String, cohortName: String, starts: LocalDateTime, ends: LocalDateTime,
                venue: String?, trainer: String?, participants: [(person: Person, department: DepartmentCode)]) {
        self.program = program
        self.moduleID = moduleID
        self.cohortName = cohortName
        self.starts = starts
        self.ends = ends
        self.venue = venue
        self.trainer = trainer
        self.participants = participants
    }
}

/// A trainee's record for the transcript.
public struct TranscriptInput: Sendable {
    public var person: Person
    public var department: Department?
    public var cohorts: [(cohortCode: String, cohortName: String, program: Program, status: EnrolmentStatus, progress: ProgramProgress)]
    public var certificates: [(serial: String, program: String, issued: LocalDate, expires: LocalDate?, state: String)]
    public var today: LocalDate

    public init(person: Person, department: Department?,
                cohorts: [(cohortCode: String, cohortName: String, program: Program, status: EnrolmentStatus, progress: ProgramProgress)],
                certificates: [(serial: String, program: String, issued: LocalDate, expires: LocalDate?, state: String)], today: LocalDate) {
        self.person = person
        self.department = department
        self.cohorts = cohorts
        self.certificates = certificates
        self.today = today
    }
}

extension ReportBuilder {
    /// The paper sign-in sheet a public body keeps for a session: participants with a signature column.
    public func signInSheet(_ input: SignInInput) -> ReportDocument {
        let language = t.language
        let module = input.program.modules.first { $0.id == input.moduleID }
        let script = t.script
        var subtitle = [
            input.program.title.text(in: language),
            t("signin.module", ["order": String(module?.order ?? 0), "module": module?.title.text(in: language) ?? input.moduleID]),
            t("signin.when", ["date": t.date(year: input.starts.date.year, month: input.starts.date.month, day: input.starts.date.day),
                              "from": input.starts.timeOfDay, "to": input.ends.timeOfDay]),
            t("signin.cohort", ["cohort": script(input.cohortName)]),
        ]
        if let venue = input.venue { subtitle.append(t("signin.venue", ["venue": script(venue)])) }
        if let trainer = input.trainer { subtitle.append(t("signin.trainer", ["trainer": script(trainer)])) }
        let rows = input.participants.enumerated().map { index, entry in
            [String(index + 1), t.listName(entry.person), entry.department.rawValue, "", ""]
        }
        return ReportDocument(
            title: t("signin.title"), subtitle: subtitle,
            tables: [ReportDocument.Table(
                title: t("signin.participants", ["count": String(rows.count)]),
                header: ["#", t("people.column.name"), t("people.column.department"), t("signin.arrival"), t("signin.signature")],
                rows: rows, numericColumns: [0], minimumRowHeight: 26, columnWeights: [1, 9, 4, 4, 10])],
            charts: [], language: language)
    }

    /// A trainee's transcript: every cohort module by module with hours and results, then certificates.
    public func transcript(_ input: TranscriptInput) -> ReportDocument {
        let language = t.language
        let script = t.script
        var subtitle = [t("transcript.person", ["name": t.name(input.person), "personal_number": input.person.personalNumber])]
        if let department = input.department { subtitle.append(department.name(in: language)) }
        subtitle.append(t("report.made_on", ["date": t.date(year: input.today.year, month: input.today.month, day: input.today.day)]))
        var tables: [ReportDocument.Table] = []
        var marked = false
        for cohort in input.cohorts {
            var rows: [[String]] = []
            for (module, state) in zip(cohort.program.modules, cohort.progress.modules) {
                // A module title the program's sources do not give is printed with its mark, never as a fact.
                let mark = module.provenance.flatMap { $0.isSourced ? nil : t("provenance.mark.\($0.keyword)") }
                marked = marked || mark != nil
                let results = cohort.progress.assessments.filter { $0.definition.moduleID == module.id }.map { assessment in
                    "\(assessment.definition.id): " + (assessment.best.map { format.number($0, decimals: 1) } ?? "–")
                        + "/" + format.number(assessment.definition.maxScore, decimals: 0)
                }
                rows.append(["\(module.order). \(module.title.text(in: language))" + (mark.map { " [\($0)]" } ?? ""),
                             format.number(Double(state.presentMinutes) / 60, decimals: 1) + " / "
                                + format.number(Double(state.countedMinutes) / 60, decimals: 1),
                             format.percent(state.attendancePercent), results.joined(separator: ", ")])
            }
            rows.append([t("progress.column.final"), "", "", format.number(cohort.progress.finalScore, decimals: 1)])
            tables.append(ReportDocument.Table(
                title: "\(cohort.program.title.text(in: language)) – \(script(cohort.cohortName)) (\(cohort.cohortCode)): "
                    + t("enrolment.status.\(cohort.status.rawValue)"),
                header: [t("schedule.column.module"), t("transcript.hours"), t("report.column.attendance"), t("transcript.results")],
                rows: rows, numericColumns: [1, 2], columnWeights: [10, 4, 3, 6]))
        }
        tables.append(ReportDocument.Table(
            title: t("transcript.certificates"),
            header: [t("certificate.column.serial"), t("curriculum.column.id"), t("certificate.column.issued"),
                     t("certificate.column.expires"), t("certificate.column.state")],
            rows: input.certificates.map { [$0.serial, $0.program, $0.issued.iso, $0.expires?.iso ?? "–", t("certificate.state.\($0.state)")] },
            numericColumns: []))
        if marked { subtitle.append(t("curriculum.show.legend")) }
        return ReportDocument(title: t("transcript.title"), subtitle: subtitle, tables: tables, charts: [], language: language)
    }
}
