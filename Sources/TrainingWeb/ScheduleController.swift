import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice
import TrainingStore

/// The session calendar (conflicts shown before saving), attendance sheets, sign-in sheets and score entry.
struct ScheduleController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/cohorts/{code}/sessions", .manageSchedule) { request, context in
            try calendar(context, notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
        }
        routes.post("/cohorts/{code}/sessions", .manageSchedule) { request, context in try await schedule(request, context) }
        routes.get("/sessions/{id}", .recordAttendance) { request, context in
            try sheet(context, notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
        }
        routes.post("/sessions/{id}/attendance", .recordAttendance) { request, context in try await record(request, context) }
        routes.get("/sessions/{id}/signin.pdf", .recordAttendance) { _, context in try signInSheet(context) }
        routes.get("/cohorts/{code}/assessments/{assessment}", .recordScores) { request, context in
            try scores(context, notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
        }
        routes.post("/cohorts/{code}/assessments/{assessment}", .recordScores) { request, context in
            try await recordScores(request, context)
        }
    }

    // MARK: Calendar

    private func calendar(_ context: WebContext, form: [String: String] = [:], conflicts: [ScheduleConflict] = [],
                          errors: [String] = [], status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let cohort = try CohortController.cohort(context, database)
        let t = context.localizer
        let program = try database.program(id: cohort.programID, version: cohort.programVersion).program
        let sessions = try database.sessions(cohortCode: cohort.code)
        let blocking = conflicts.filter { !$0.isWarning }
        return services.pages.render("sessions", [
            "code": cohort.code, "name": cohort.name,
            "sessions": sessions.map { SessionRow.values($0, program: program, t: t, language: context.language) },
            "modules": program.modules.map { ["id": $0.id, "title": $0.title.text(in: context.language),
                                              "selected": $0.id == form["module"]] },
            "venues": try database.venues().map { ["name": $0.name, "capacity": String($0.capacity), "selected": $0.name == form["venue"]] },
            "form": form,
            "conflicts": conflicts.map { ["text": ConflictText.line($0, localizer: t), "warning": $0.isWarning] },
            "needs_override": !blocking.isEmpty && !blocking.contains(.invalidTimes),
            "errors": errors,
        ], context: context, status: status, notice: notice)
    }

    private func schedule(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, database)
        let values = form.fields.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
        guard let moduleID = form["module"], let day = form["date"].flatMap(LocalDate.init(iso:)),
              let starts = form["starts"].flatMap({ LocalDateTime(iso: "\(day.iso) \($0)") }),
              let ends = form["ends"].flatMap({ LocalDateTime(iso: "\(day.iso) \($0)") }) else {
            return try calendar(context, form: values, errors: [context.localizer("web.form.incomplete")], status: .unprocessableContent)
        }
        let plan = SessionPlan(cohort: cohort.id, moduleID: moduleID, starts: starts, ends: ends,
                               venue: form["venue"], trainer: form["trainer"])
        let found = try database.conflicts(of: plan)
        let override = form["override"] == "1"
        // "Check" only shows the conflicts; saving over a blocking conflict needs the explicit override box.
        if form["action"] == "check" || (found.contains { !$0.isWarning } && !override) {
            let status: HTTPResponse.Status = found.contains { !$0.isWarning } ? .conflict : .ok
            return try calendar(context, form: values, conflicts: found, status: status,
                                notice: found.isEmpty ? context.localizer("web.schedule.no_conflicts") : nil)
        }
        let (session, _) = try database.scheduleSession(
            cohortCode: cohort.code, moduleID: moduleID, starts: starts, ends: ends, venue: plan.venue, trainer: plan.trainer,
            force: override, actor: try context.actor())
        return .seeOther("/cohorts/\(cohort.code)/sessions?notice=\(override && !found.isEmpty ? "session_forced" : "session_added")#s\(session.id.rawValue)")
    }

    // MARK: Attendance

    private func session(_ context: WebContext) throws -> ScheduledSession {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), let session = try? database.session(SessionID(rawValue: id)) else {
            throw WebError.notFound
        }
        return session
    }

    private func sheet(_ context: WebContext, errors: [String] = [], status: HTTPResponse.Status = .ok,
                       notice: String? = nil) throws -> Response {
        let session = try session(context)
        let t = context.localizer
        let cohort = try database.cohort(code: session.cohortCode)
        let program = try database.program(id: cohort.programID, version: cohort.programVersion).program
        let recorded = try database.attendance(session: session.id).reduce(into: [String: AttendanceRecordView]()) {
            $0[$1.person.personalNumber] = $1
        }
        let notices = try database.absenceNotices(session: session.id)
        let noticed = Dictionary(notices.map { ($0.personalNumber, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try database.participants(session: session.id).map { person -> [String: Any] in
            let record = recorded[person.personalNumber]
            // An absence reported in advance suggests "excused"; the coordinator decides.
            let suggested: AttendanceStatus? = record?.status ?? (noticed[person.personalNumber] != nil ? .excused : nil)
            return [
                "number": person.personalNumber, "name": "\(person.familyName) \(person.givenName)",
                "absence": noticed[person.personalNumber].map(\.reason).section,
                "statuses": AttendanceStatus.allCases.map { status in
                    ["value": status.rawValue, "label": t("attendance.status.\(status.rawValue)"), "selected": suggested == status]
                },
                "minutes": record.map { String($0.minutesPresent) } ?? "",
                "note": record?.note ?? "", "recorded": record != nil,
            ]
        }
        return services.pages.render("session", [
            "session": SessionRow.values(session, program: program, t: t, language: context.language),
            "code": cohort.code, "name": cohort.name, "rows": rows,
            "duration": String(session.ends.minutesSinceEpoch - session.starts.minutesSinceEpoch),
            "started": services.now() >= session.starts, "errors": errors,
            "absences": notices.map { ["name": $0.name, "number": $0.personalNumber, "reason": $0.reason] },
        ], context: context, status: status, notice: notice)
    }

    private func record(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let session = try session(context)
        let participants = try database.participants(session: session.id)
        let allPresent = form["action"] == "all_present"
        var entries: [AttendanceEntry] = []
        var errors: [String] = []
        let t = context.localizer
        for person in participants {
            let number = person.personalNumber
            if allPresent {
                entries.append(AttendanceEntry(personalNumber: number, status: .present))
                continue
            }
            guard let raw = form["status_\(number)"] else { continue }
            guard let status = AttendanceStatus(rawValue: raw) else {
                errors.append(t("attendance.error.status", ["value": raw]))
                continue
            }
            var minutes: Int?
            if let text = form["minutes_\(number)"] {
                minutes = Int(text)
                if minutes == nil { errors.append("\(number): " + t("attendance.error.minutes_value", ["value": text])) }
            }
            entries.append(AttendanceEntry(personalNumber: number, status: status, minutes: minutes, note: form["note_\(number)"]))
        }
        for problem in try database.attendanceProblems(session: session.id, entries: entries) {
            errors.append(t.message(for: problem.error))
        }
        guard errors.isEmpty else { return try sheet(context, errors: errors, status: .unprocessableContent) }
        try database.recordAttendance(session: session.id, entries: entries, source: "web", actor: try context.actor(),
                                      now: services.now())
        return .seeOther("/sessions/\(session.id.rawValue)?notice=attendance_saved")
    }

    private func signInSheet(_ context: WebContext) throws -> Response {
        let session = try session(context)
        let cohort = try database.cohort(code: session.cohortCode)
        let input = SignInInput(
            program: try database.program(id: cohort.programID, version: cohort.programVersion).program, moduleID: session.moduleID,
            cohortName: cohort.name, starts: session.starts, ends: session.ends, venue: session.venue, trainer: session.trainer,
            participants: try database.signInParticipants(session: session.id))
        let pdf = try ReportPDF().render(ReportBuilder(localizer: context.localizer).signInSheet(input), created: services.now().date)
        return Download.response(pdf, type: "application/pdf", name: "potpisna-lista-\(session.id.rawValue).pdf")
    }

    // MARK: Scores

    private func scores(_ context: WebContext, errors: [String] = [], status: HTTPResponse.Status = .ok,
                        notice: String? = nil) throws -> Response {
        let cohort = try CohortController.cohort(context, database)
        let assessmentID = try context.parameters.require("assessment")
        let t = context.localizer
        let rows = try database.progress(cohortCode: cohort.code, now: services.now())
        let program = try database.program(id: cohort.programID, version: cohort.programVersion).program
        guard let definition = program.assessments.first(where: { $0.id == assessmentID }) else { throw WebError.notFound }
        return services.pages.render("assessment", [
            "code": cohort.code, "name": cohort.name, "assessment": definition.id,
            "title": definition.title?.text(in: context.language) ?? t("assessment.kind.\(definition.kind.rawValue)"),
            "max": DecimalText.format(definition.maxScore), "pass": DecimalText.format(definition.passScore),
            "attempts": String(definition.attempts),
            "rows": rows.filter { $0.status.occupiesPlace }.map { row in
                let state = row.progress.assessments.first { $0.definition.id == assessmentID }
                return [
                    "number": row.person.personalNumber, "name": "\(row.person.familyName) \(row.person.givenName)",
                    "scores": state?.scores.map(DecimalText.format).joined(separator: " · ") ?? "",
                    "best": state?.best.map(DecimalText.format) ?? "–",
                ]
            },
            "errors": errors,
        ], context: context, status: status, notice: notice)
    }

    private func recordScores(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, database)
        let assessmentID = try context.parameters.require("assessment")
        let t = context.localizer
        var entries: [ScoreEntry] = []
        var errors: [String] = []
        for (name, value) in form.fields where name.hasPrefix("score_") && !value.trimmingWhitespace.isEmpty {
            let number = String(name.dropFirst("score_".count))
            guard let score = Double(value.trimmingWhitespace.replacingOccurrences(of: ",", with: ".")) else {
                errors.append("\(number): " + t("assessment.error.score_value", ["value": value]))
                continue
            }
            entries.append(ScoreEntry(personalNumber: number, score: score))
        }
        guard errors.isEmpty else { return try scores(context, errors: errors, status: .unprocessableContent) }
        do {
            try database.recordScores(cohortCode: cohort.code, assessmentID: assessmentID, entries: entries, source: "web",
                                      actor: try context.actor(), now: services.now())
        } catch let error as any UserFacingError {
            return try scores(context, errors: [t.message(for: error)], status: .unprocessableContent)
        }
        return .seeOther("/cohorts/\(cohort.code)/progress")
    }
}

/// File downloads with a safe name.
enum Download {
    static func response(_ data: Data, type: String, name: String) -> Response {
        Response(status: .ok, headers: headers(type: type, name: name), body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A file to save, never kept by a cache on the way.
    static func headers(type: String, name: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        headers[.cacheControl] = "private, no-store"
        return headers
    }
}
