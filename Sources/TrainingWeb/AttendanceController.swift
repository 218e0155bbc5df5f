import CSVImport
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// A session's attendance sheet (with absences reported in advance), its paper sign-in sheet, and the attendance API.
struct AttendanceController {
    let attendance: AttendanceRecording
    let scheduling: Scheduling
    let cohorts: CohortPlanning
    let selfService: TraineeSelfService
    let reports: Reporting
    let pages: Pages
    let clock: OfficeClock
    let readLog: ReadAccessLog

    /// A participant's minutes on the sheet.
    static let minutesField = NumberFormField(path: "/sessions/{id}/attendance", name: "minutes_{person}", field: .minutes,
                                              labelKey: "attendance.column.minutes")

    func register(on routes: RouteTable) {
        routes.get("/sessions/{id}", .recordAttendance) { request, context in try sheet(context, notice: context.localizer.notice(request)) }
        routes.post("/sessions/{id}/attendance", .recordAttendance) { request, context in try await record(request, context) }
        routes.get("/sessions/{id}/signin.pdf", .recordAttendance) { _, context in try signInSheet(context) }
        routes.get("\(APIController.prefix)/sessions/{id}/signin.pdf", .recordAttendance) { _, context in try signInSheet(context) }
        routes.post("/sessions/{id}/attendance/import", .recordAttendance, bodyLimit: BodyLimit.upload) { request, context in
            try await importSheet(request, context)
        }

        let api = APIController.prefix
        routes.get("\(api)/sessions/{id}/attendance", .recordAttendance) { _, context in
            let id = try session(context).id
            let records = try attendance.records(session: id)
            await readLog.record(context, what: "api.session.attendance", subjects: records.map(\.person.personalNumber))
            return try APIJSON.response(["items": records.map {
                AttendanceDTO(personalNumber: $0.person.personalNumber, status: $0.status.rawValue, minutesPresent: $0.minutesPresent,
                              note: $0.note, recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
            }])
        }
        routes.post("\(api)/sessions/{id}/attendance", .recordAttendance) { request, context in
            let id = try session(context).id
            let body = try await APIJSON.body(AttendanceRequest.self, request, context)
            let entries = try body.entries.map { entry in
                guard let status = AttendanceStatus(rawValue: entry.status) else {
                    throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: "unknown status \(entry.status)"))
                }
                return AttendanceEntry(personalNumber: entry.personalNumber, status: status, minutes: entry.minutes.map { Int($0.value) },
                                       note: entry.note)
            }
            let actor = try context.actor()
            let recorded = try await offload { try attendance.record(session: id, entries: entries, source: "api", actor: actor) }
            return try APIJSON.response(["recorded": recorded], status: .created)
        }
    }

    /// The session named in the path; a missing one is not found.
    private func session(_ context: WebContext) throws -> ScheduledSession {
        guard let id = context.parameters.get("id").flatMap(Int64.init), let session = try? scheduling.session(SessionID(rawValue: id)) else {
            throw WebError.notFound
        }
        return session
    }

    struct SheetPage {
        struct Row {
            struct Status {
                let value, label: String
                let selected: Bool
            }
            let number, name: String
            let absence: String?
            let statuses: [Status]
            let minutes, note: String
            let recorded: Bool
            /// Why this row was not saved, beside it.
            let error: String?
        }
        struct Absence {
            let name, number, reason: String
        }
        let session: SessionRow
        let code, name: String
        let rows: [Row]
        let duration: String
        let started: Bool
        let errors: [String]
        let absences: [Absence]
    }

    /// The sheet with what is recorded, or, after a refused save, with what was typed and each row's problem beside it.
    private func sheet(_ context: WebContext, errors: [String] = [], typed: Form? = nil, rowErrors: [String: String] = [:],
                       status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let session = try session(context)
        let t = context.localizer
        let cohort = try cohorts.cohort(session.cohortCode)
        let program = try cohorts.program(of: cohort)
        let recorded = try attendance.records(session: session.id).reduce(into: [String: AttendanceRecordView]()) {
            $0[$1.person.personalNumber] = $1
        }
        let notices = try selfService.absenceNotices(session: session.id)
        let noticed = Dictionary(notices.map { ($0.personalNumber, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try attendance.participants(session: session.id).map { person -> SheetPage.Row in
            let record = recorded[person.personalNumber]
            // An absence reported in advance suggests "excused"; the coordinator decides.
            let number = person.personalNumber
            let suggested: AttendanceStatus? = typed.map { $0["status_\(number)"].flatMap(AttendanceStatus.init(rawValue:)) }
                ?? record?.status ?? (noticed[number] != nil ? .excused : nil)
            return SheetPage.Row(
                number: number, name: t.listName(person),
                absence: noticed[number]?.reason.nonEmpty,
                statuses: AttendanceStatus.allCases.map { .init(value: $0.rawValue, label: t("attendance.status.\($0.rawValue)"), selected: suggested == $0) },
                minutes: typed.map { $0.raw("minutes_\(number)") } ?? record.map { String($0.minutesPresent) } ?? "",
                note: typed.map { $0.raw("note_\(number)") } ?? record?.note ?? "", recorded: record != nil,
                error: rowErrors[number])
        }
        let page = SheetPage(
            session: SessionRow(session, program: program, t: t), code: cohort.code, name: t.script(cohort.name), rows: rows,
            duration: String(session.minutes), started: clock.now() >= session.starts, errors: errors,
            absences: notices.map { .init(name: $0.name, number: $0.personalNumber, reason: $0.reason) })
        return pages.render("session", page, context: context, status: status, notice: notice)
    }

    private func record(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let session = try session(context)
        let allPresent = form["action"] == "all_present"
        var entries: [AttendanceEntry] = []
        // Each problem belongs to a person's row; the list above the sheet names them.
        var rowErrors: [String: String] = [:]
        let t = context.localizer
        let participants = try attendance.participants(session: session.id)
        let names = Dictionary(participants.map { ($0.personalNumber, t.listName($0)) }, uniquingKeysWith: { a, _ in a })
        for person in participants {
            let number = person.personalNumber
            if allPresent {
                entries.append(AttendanceEntry(personalNumber: number, status: .present))
                continue
            }
            guard let raw = form["status_\(number)"] else { continue }
            guard let status = AttendanceStatus(rawValue: raw) else {
                rowErrors[number] = t("attendance.error.status", ["value": raw])
                continue
            }
            do {
                let minutes = try form.number(Self.minutesField, person: number, t).map { Int($0) }
                entries.append(AttendanceEntry(personalNumber: number, status: status, minutes: minutes, note: form["note_\(number)"]))
            } catch {
                rowErrors[number] = t.message(for: error)
            }
        }
        for problem in try attendance.problems(session: session.id, entries: entries) {
            rowErrors[entries[problem.index].personalNumber] = t.message(for: problem.error)
        }
        guard rowErrors.isEmpty else {
            let errors = rowErrors.sorted { $0.key < $1.key }.map { "\(names[$0.key] ?? $0.key) (\($0.key)): \($0.value)" }
            return try sheet(context, errors: errors, typed: allPresent ? nil : form, rowErrors: rowErrors, status: .unprocessableContent)
        }
        let actor = try context.actor(), marks = entries
        _ = try await offload { try attendance.record(session: session.id, entries: marks, source: "web", actor: actor) }
        return .seeOther("/sessions/\(session.id.rawValue)?notice=attendance_saved")
    }

    /// A sign-in CSV (`personal_number;status;minutes_present;note`): every bad row listed, nothing recorded while any is bad.
    private func importSheet(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = try session(context)
        let actor = try context.actor()
        switch try await SheetImportOutcome.run(request, context, fallbackName: "prisustvo.csv", { file, data in
            try attendance.importSheet(session: session.id, data: data, file: file, actor: actor)
        }) {
        case .saved(let notice): return try sheet(context, notice: notice)
        case .refused(let problems): return try sheet(context, errors: problems, status: .unprocessableContent)
        }
    }

    private func signInSheet(_ context: WebContext) throws -> Response {
        let session = try session(context)
        let pdf = try ReportPDF().render(ReportBuilder(localizer: context.localizer).signInSheet(try reports.signInSheet(session: session.id)),
                                         created: clock.today)
        return Download.response(pdf, type: "application/pdf", name: "potpisna-lista-\(session.id.rawValue).pdf")
    }
}

/// An assessment's score sheet for a cohort, and the scores API.
struct ScoreController {
    let cohorts: CohortPlanning
    let scores: ScoreRecording
    let progress: ProgressReading
    let pages: Pages

    /// A participant's new score on the sheet.
    static let scoreField = NumberFormField(path: "/cohorts/{code}/assessments/{assessment}", name: "score_{person}", field: .score,
                                            labelKey: "web.assessment.new_score")

    func register(on routes: RouteTable) {
        routes.get("/cohorts/{code}/assessments/{assessment}", .recordScores) { request, context in
            try sheet(context, notice: context.localizer.notice(request))
        }
        routes.post("/cohorts/{code}/assessments/{assessment}", .recordScores) { request, context in try await record(request, context) }
        routes.post("/cohorts/{code}/assessments/{assessment}/import", .recordScores, bodyLimit: BodyLimit.upload) { request, context in
            try await importSheet(request, context)
        }
        routes.post("\(APIController.prefix)/cohorts/{code}/assessments/{assessment}/scores", .recordScores) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let assessment = try context.parameters.require("assessment")
            let body = try await APIJSON.body(ScoresRequest.self, request, context)
            let entries = body.entries.map { ScoreEntry(personalNumber: $0.personalNumber, score: $0.score.value, attempt: $0.attempt.map { Int($0.value) }) }
            let actor = try context.actor()
            let attempts = try await offload {
                try scores.record(cohort: cohort.code, assessment: assessment, entries: entries, source: "api", actor: actor)
            }
            return try APIJSON.response(["attempts": attempts], status: .created)
        }
    }

    struct SheetPage {
        struct Row {
            struct AttemptChoice {
                let value, label: String
                let selected: Bool
            }
            let number, name, scores, best: String
            /// The next attempt, or a correction of one already recorded.
            let attempts: [AttemptChoice]
            let typed: String
            let error: String?
        }
        let code, name, assessment, title, max, pass, attempts: String
        let rows: [Row]
        let errors: [String]
        let import_errors: [String]
    }

    /// The sheet; after a refusal it shows what was typed, each problem beside its person's row.
    private func sheet(_ context: WebContext, errors: [String] = [], typed: Form? = nil, rowErrors: [String: String] = [:],
                       importErrors: [String] = [], status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let cohort = try CohortController.cohort(context, cohorts)
        let assessmentID = try context.parameters.require("assessment")
        let t = context.localizer
        let rows = try progress.cohort(cohort.code)
        guard let definition = try cohorts.program(of: cohort).assessments.first(where: { $0.id == assessmentID }) else {
            throw WebError.notFound
        }
        let page = SheetPage(
            code: cohort.code, name: t.script(cohort.name), assessment: definition.id,
            title: definition.title?.text(in: context.language) ?? t("assessment.kind.\(definition.kind.rawValue)"),
            max: DecimalText.format(definition.maxScore), pass: DecimalText.format(definition.passScore),
            attempts: String(definition.attempts),
            rows: rows.filter { $0.status.occupiesPlace }.map { row in
                let number = row.person.personalNumber
                let state = row.progress.assessments.first { $0.definition.id == assessmentID }
                let recorded = state?.scores ?? []
                let chosen = typed?["attempt_\(number)"] ?? ""
                let corrections = recorded.enumerated().map { index, score in
                    SheetPage.Row.AttemptChoice(value: String(index + 1),
                                                label: t("web.assessment.correct_attempt", ["attempt": String(index + 1),
                                                                                            "score": DecimalText.format(score)]),
                                                selected: chosen == String(index + 1))
                }
                let next = recorded.count < definition.attempts
                    ? [SheetPage.Row.AttemptChoice(value: "", label: t("web.assessment.next_attempt"), selected: chosen.isEmpty)] : []
                return SheetPage.Row(number: number, name: t.listName(row.person),
                                     scores: recorded.map { DecimalText.format($0) }.joined(separator: " · "),
                                     best: state?.best.map { DecimalText.format($0) } ?? "–", attempts: next + corrections,
                                     typed: typed?["score_\(number)"] ?? "", error: rowErrors[number])
            },
            errors: errors + rows.filter { $0.status.occupiesPlace }.compactMap { row in
                rowErrors[row.person.personalNumber].map { "\(t.listName(row.person)): \($0)" }
            }, import_errors: importErrors)
        return pages.render("assessment", page, context: context, status: status, notice: notice)
    }

    private func record(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, cohorts)
        let assessmentID = try context.parameters.require("assessment")
        let t = context.localizer
        var entries: [ScoreEntry] = []
        var rowErrors: [String: String] = [:]
        for (name, _) in form.fields where name.hasPrefix("score_") {
            let number = String(name.dropFirst("score_".count))
            do {
                guard let score = try form.number(Self.scoreField, person: number, t) else { continue }
                let attempt = form["attempt_\(number)"].flatMap { Int($0) }
                entries.append(ScoreEntry(personalNumber: number, score: score, attempt: attempt))
            } catch {
                rowErrors[number] = t.message(for: error)
            }
        }
        guard rowErrors.isEmpty else {
            return try sheet(context, typed: form, rowErrors: rowErrors, status: .unprocessableContent)
        }
        let actor = try context.actor(), recorded = entries
        do {
            _ = try await offload { try scores.record(cohort: cohort.code, assessment: assessmentID, entries: recorded, source: "web", actor: actor) }
        } catch let error as RecordingError where error.personalNumber != nil {
            return try sheet(context, typed: form, rowErrors: [error.personalNumber!: t.message(for: error)], status: .unprocessableContent)
        } catch let error as any UserFacingError {
            return try sheet(context, errors: [t.message(for: error)], typed: form, status: .unprocessableContent)
        }
        return .seeOther("/cohorts/\(cohort.code)/assessments/\(assessmentID)?notice=scores_saved")
    }

    /// A CSV of results (`personal_number;score[;attempt]`): every bad row listed, nothing recorded while any is bad.
    private func importSheet(_ request: Request, _ context: WebContext) async throws -> Response {
        let cohort = try CohortController.cohort(context, cohorts)
        let assessmentID = try context.parameters.require("assessment")
        let actor = try context.actor()
        switch try await SheetImportOutcome.run(request, context, fallbackName: "rezultati.csv", { file, data in
            try scores.importSheet(cohort: cohort.code, assessment: assessmentID, data: data, file: file, actor: actor)
        }) {
        case .saved(let notice): return try sheet(context, notice: notice)
        case .refused(let problems): return try sheet(context, importErrors: problems, status: .unprocessableContent)
        }
    }
}
