import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// A cohort's session calendar, with conflicts shown before saving: the page and the API route side by side.
struct ScheduleController {
    let cohorts: CohortPlanning
    let scheduling: Scheduling
    let pages: Pages

    func register(on routes: RouteTable) {
        routes.get("/sessions", .manageSchedule) { request, context in try list(request, context) }
        routes.get("\(APIController.prefix)/sessions", .manageSchedule) { request, context in
            let limit = try Page<SessionDTO>.integer(request, "limit", Paging.limit, default: 100, context)
            let after = request.uri.queryParameters["after"] == nil ? nil
                : try Page<SessionDTO>.integer(request, "after", .recordNumber, default: 0, context)
            func day(_ name: String) throws -> LocalDate? { try request.query(name).map { try APIDates.day($0, context) } }
            let query = try SessionListQuery(
                search: request.query("q"), cohort: request.query("cohort"), programID: request.query("program"),
                venue: request.query("venue"), trainer: request.query("trainer"), from: day("from"), to: day("to"),
                when: Self.choice(request, "when", default: .upcoming, context), cancelled: request.query("cancelled").map { $0 == "true" },
                sort: Self.choice(request, "sort", default: .starts, context), descending: request.query("dir") == "desc",
                position: after.map { .after(Int64($0)) } ?? .first, limit: limit)
            let slice = try scheduling.list(query)
            return try APIJSON.response(SessionPageDTO(items: slice.items.map { SessionDTO($0.session) }, total: slice.total, limit: query.limit,
                                                       nextAfter: slice.hasNext ? slice.items.last?.session.id.rawValue : nil))
        }
        routes.get("/cohorts/{code}/sessions", .manageSchedule) { request, context in
            try calendar(context, notice: context.localizer.notice(request))
        }
        routes.post("/cohorts/{code}/sessions", .manageSchedule) { request, context in try await schedule(request, context) }
        routes.get("/sessions/{id}/edit", .manageSchedule) { request, context in
            try editPage(context, notice: context.localizer.notice(request))
        }
        routes.post("/sessions/{id}/move", .manageSchedule) { request, context in try await move(request, context) }
        routes.post("/sessions/{id}/cancel", .manageSchedule) { request, context in try await cancel(request, context) }
        routes.post("\(APIController.prefix)/sessions/{id}/move", .manageSchedule) { request, context in
            // The session first: a path that names none is not found, whatever the body.
            let session = try session(context), actor = try context.actor()
            let body = try await APIJSON.body(MoveRequest.self, request, context)
            guard let day = LocalDate(typed: body.date), let starts = LocalDateTime(iso: "\(day.iso) \(body.starts)"),
                  let ends = LocalDateTime(iso: "\(day.iso) \(body.ends)") else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                               detail: context.localizer("web.schedule.bad_time")))
            }
            let (moved, _) = try await offload {
                try scheduling.move(session: session.id, starts: starts, ends: ends, venue: body.venue.map { $0 }, trainer: body.trainer.map { $0 },
                                    force: body.force ?? false, actor: actor)
            }
            return try APIJSON.response(SessionDTO(moved))
        }
        routes.post("\(APIController.prefix)/sessions/{id}/cancel", .manageSchedule) { request, context in
            let session = try session(context), actor = try context.actor()
            let body = try await APIJSON.body(CancelRequest.self, request, context)
            let cancelled = try await offload { try scheduling.cancel(session: session.id, reason: body.reason, actor: actor) }
            return try APIJSON.response(SessionDTO(cancelled))
        }
        routes.get("/cohorts/{code}/sessions.ics", .manageSchedule) { _, context in try calendarFile(context) }
        routes.get("\(APIController.prefix)/cohorts/{code}/sessions.ics", .manageSchedule) { _, context in try calendarFile(context) }
        routes.get("\(APIController.prefix)/sessions/{id}/history", .manageSchedule) { request, context in
            let session = try session(context)
            return try APIJSON.response(try Page(try scheduling.history(session: session.id).map(SessionChangeDTO.init),
                                                 request: request, context: context))
        }
        routes.post("\(APIController.prefix)/cohorts/{code}/sessions", .manageSchedule) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let body = try await APIJSON.body(ScheduleRequest.self, request, context)
            let day = try APIDates.day(body.date, context)
            guard let starts = LocalDateTime(iso: "\(day.iso) \(body.starts)"), let ends = LocalDateTime(iso: "\(day.iso) \(body.ends)") else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: context.localizer("web.schedule.bad_time")))
            }
            let actor = try context.actor()
            let (session, _) = try await offload {
                try scheduling.schedule(cohort: cohort.code, module: body.moduleId, starts: starts, ends: ends, venue: body.venue,
                                        trainer: body.trainer, force: body.force ?? false, actor: actor)
            }
            return try APIJSON.response(SessionDTO(session), status: .created)
        }
        routes.get("\(APIController.prefix)/cohorts/{code}/sessions", .manageSchedule) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            return try APIJSON.response(try Page(try scheduling.sessions(cohort: cohort.code).map(SessionDTO.init), request: request, context: context))
        }
    }

    /// A named choice of the query (`when=past`); an unknown one is a 400 problem naming the parameter and the choices.
    private static func choice<Choice: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, default value: Choice,
                                                                          _ context: WebContext) throws -> Choice where Choice.RawValue == String {
        guard let text = request.query(name) else { return value }
        guard let choice = Choice(rawValue: text) else {
            throw APIError.problem(Problem(title: "Bad Request", status: 400, detail: context.localizer("web.list.bad_choice", [
                "field": name, "value": text, "choices": Choice.allCases.map(\.rawValue).joined(separator: ", "),
            ])))
        }
        return choice
    }

    // MARK: Every cohort's sessions

    struct ListPage {
        struct Row {
            let id, when, cohort, cohort_name, module, module_title: String
            let venue, trainer: String?
            let cancelled: Bool
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let sessions: [Row]
        let q, cohort, from, to: String
        let program_filter, venue_filter, trainer_filter, when_filter, state_filter: [Choice]
        let headers: [ListControls.SortHeader]
        let pager: ListControls.Pager
    }

    /// Every cohort's sessions, a page at a time: the coming ones first by default; by cohort, program, venue, trainer,
    /// days and state.
    private func list(_ request: Request, _ context: WebContext) throws -> Response {
        let t = context.localizer
        func day(_ name: String) throws -> LocalDate? {
            guard let text = request.query(name) else { return nil }
            guard let day = LocalDate(typed: text) else { throw WebError.badRequest(t("web.form.bad_date", ["value": text])) }
            return day
        }
        let from = try day("from"), to = try day("to")
        let when = request.query("when").flatMap(SessionListQuery.When.init(rawValue:)) ?? .upcoming
        let state = request.query("state")
        let controls = try ListControls(request, path: "/sessions", filters: ["q", "cohort", "program", "venue", "trainer", "from", "to", "when", "state"],
                                        sorts: SessionListQuery.Sort.allCases.map(\.rawValue), defaultSort: "starts",
                                        defaultDescending: false, t)
        let slice = try scheduling.list(SessionListQuery(
            search: request.query("q"), cohort: request.query("cohort"), programID: request.query("program"),
            venue: request.query("venue"), trainer: request.query("trainer"), from: from, to: to, when: when,
            cancelled: state.map { $0 == "cancelled" }, sort: SessionListQuery.Sort(rawValue: controls.sort) ?? .starts,
            descending: controls.descending, position: controls.position))
        let programs = try cohorts.programIDs()
        let page = ListPage(
            sessions: slice.items.map { listing in
                let session = listing.session
                return ListPage.Row(
                    id: String(session.id.rawValue), when: "\(t.dateTime(session.starts))–\(session.ends.timeOfDay)",
                    cohort: session.cohortCode, cohort_name: t.script(listing.cohortName), module: session.moduleID,
                    module_title: listing.moduleTitle?.text(in: context.language) ?? session.moduleID,
                    venue: session.venue?.nonEmpty.map(t.script), trainer: session.trainer?.nonEmpty.map(t.script), cancelled: session.cancelled)
            },
            q: request.query("q") ?? "", cohort: request.query("cohort") ?? "", from: from?.iso ?? "", to: to?.iso ?? "",
            program_filter: programs.map { .init(value: $0, label: $0, selected: $0 == request.query("program")) },
            venue_filter: try scheduling.venues().map { .init(value: $0.name, label: t.script($0.name), selected: $0.name == request.query("venue")) },
            trainer_filter: try scheduling.trainers().map { .init(value: $0, label: t.script($0), selected: $0 == request.query("trainer")) },
            when_filter: SessionListQuery.When.allCases.map {
                .init(value: $0.rawValue, label: t("web.sessions.when.\($0.rawValue)"), selected: $0 == when)
            },
            state_filter: ["scheduled", "cancelled"].map { .init(value: $0, label: t("schedule.status.\($0)"), selected: $0 == state) },
            headers: controls.headers([("starts", t("schedule.column.when")), ("cohort", t("web.sessions.cohort"))]),
            pager: controls.pager(slice, id: { $0.session.id.rawValue }, t))
        return pages.render("sessions_list", page, context: context, notice: t.notice(request))
    }

    struct CalendarPage {
        struct ModuleChoice {
            let id, title: String
            let selected: Bool
        }
        /// A venue to choose: `name` is sent back as typed, `label` shows it in the page's script.
        struct VenueChoice {
            let name, label, capacity: String
            let selected: Bool
        }
        struct Conflict {
            let text: String
            let warning: Bool
        }
        let code, name: String
        let sessions: [SessionRow]
        let modules: [ModuleChoice]
        let venues: [VenueChoice]
        let form: [String: String]
        let conflicts: [Conflict]
        let needs_override: Bool
        let errors: [String]
    }

    private func calendar(_ context: WebContext, form: [String: String] = [:], conflicts: [ScheduleConflict] = [],
                          errors: [String] = [], status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let cohort = try CohortController.cohort(context, cohorts)
        let t = context.localizer
        let program = try cohorts.program(of: cohort)
        let blocking = conflicts.filter { !$0.isWarning }
        let page = CalendarPage(
            code: cohort.code, name: t.script(cohort.name),
            sessions: try scheduling.sessions(cohort: cohort.code).map { SessionRow($0, program: program, t: t) },
            modules: program.modules.map { .init(id: $0.id, title: $0.title.text(in: context.language), selected: $0.id == form["module"]) },
            venues: try scheduling.venues().map { .init(name: $0.name, label: t.script($0.name), capacity: String($0.capacity), selected: $0.name == form["venue"]) },
            form: form, conflicts: conflicts.map { .init(text: ConflictText.line($0, localizer: t), warning: $0.isWarning) },
            needs_override: !blocking.isEmpty && !blocking.contains(.invalidTimes), errors: errors)
        return pages.render("sessions", page, context: context, status: status, notice: notice)
    }

    /// The cohort's sessions as an iCalendar file (the same UIDs as the calendar feeds, so an import updates in place).
    private func calendarFile(_ context: WebContext) throws -> Response {
        let cohort = try CohortController.cohort(context, cohorts)
        let text = try scheduling.calendar(try scheduling.sessions(cohort: cohort.code), name: cohort.name, language: context.language)
        return Download.response(Data(text.utf8), type: "text/calendar; charset=utf-8", name: "\(cohort.code).ics")
    }

    // MARK: Moving and cancelling a session

    struct EditPage {
        let session: SessionRow
        let code, name: String
        let venues: [CalendarPage.VenueChoice]
        let form: [String: String]
        let conflicts: [CalendarPage.Conflict]
        let needs_override: Bool
        let errors: [String]
        let cancel_errors: [String]
        let history: [HistoryRow]
    }

    /// A version of the session, in words.
    struct HistoryRow {
        let sequence, change, when, place, actor, note: String
    }

    private func session(_ context: WebContext) throws -> ScheduledSession {
        guard let number = Int64(try context.parameters.require("id")), let session = try? scheduling.session(SessionID(rawValue: number)) else {
            throw WebError.notFound
        }
        return session
    }

    /// The session's page for moving it (the form starts with its current time and place) or cancelling it.
    private func editPage(_ context: WebContext, form: [String: String]? = nil, conflicts: [ScheduleConflict] = [], errors: [String] = [],
                          cancelErrors: [String] = [], status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let session = try session(context)
        let cohort = try cohorts.cohort(session.cohortCode)
        let t = context.localizer
        let current: [String: String] = ["date": session.starts.date.iso, "starts": session.starts.timeOfDay, "ends": session.ends.timeOfDay,
                                         "venue": session.venue ?? "", "trainer": session.trainer ?? ""]
        let values = form ?? current
        let blocking = conflicts.filter { !$0.isWarning }
        let page = EditPage(
            session: SessionRow(session, program: try cohorts.program(of: cohort), t: t), code: cohort.code, name: t.script(cohort.name),
            venues: try scheduling.venues().map { .init(name: $0.name, label: t.script($0.name), capacity: String($0.capacity), selected: $0.name == values["venue"]) },
            form: values, conflicts: conflicts.map { .init(text: ConflictText.line($0, localizer: t), warning: $0.isWarning) },
            needs_override: !blocking.isEmpty && !blocking.contains(.invalidTimes), errors: errors, cancel_errors: cancelErrors,
            history: try scheduling.history(session: session.id).map { entry in
                HistoryRow(sequence: String(entry.sequence), change: t("schedule.change.\(entry.kind)"),
                           when: "\(t.dateTime(entry.starts))–\(entry.ends.timeOfDay)",
                           place: [entry.venue, entry.trainer].compactMap { $0?.nonEmpty.map(t.script) }.joined(separator: " · "), actor: entry.actor,
                           note: entry.reason ?? "")
            })
        return pages.render("session_edit", page, context: context, status: status, notice: notice)
    }

    /// Moves a session; blocking conflicts are shown with the override, as when scheduling.
    private func move(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let session = try session(context)
        let t = context.localizer
        guard let day = form["date"].flatMap(LocalDate.init(typed:)),
              let starts = form["starts"].flatMap({ LocalDateTime(iso: "\(day.iso) \($0)") }),
              let ends = form["ends"].flatMap({ LocalDateTime(iso: "\(day.iso) \($0)") }) else {
            return try editPage(context, form: form.values, errors: [t("web.schedule.bad_time")], status: .unprocessableContent)
        }
        let venue: String?? = .some(form["venue"]), trainer: String?? = .some(form["trainer"])
        let actor = try context.actor(), force = form["override"] == "1"
        do {
            let (moved, _) = try await offload {
                try scheduling.move(session: session.id, starts: starts, ends: ends, venue: venue, trainer: trainer, force: force, actor: actor)
            }
            return .seeOther("/cohorts/\(moved.cohortCode)/sessions?notice=\(force ? "session_moved_forced" : "session_moved")#s\(moved.id.rawValue)")
        } catch ScheduleError.conflicts(let found) {
            return try editPage(context, form: form.values, conflicts: found, status: .conflict)
        } catch let error as any UserFacingError {
            return try editPage(context, form: form.values, errors: [t.message(for: error)], status: .unprocessableContent)
        }
    }

    /// Cancels a session, once the coordinator has ticked that they mean it.
    private func cancel(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let session = try session(context)
        guard form["confirm"] == "1" else {
            return try editPage(context, cancelErrors: [context.localizer("web.schedule.cancel_confirm_needed")], status: .unprocessableContent)
        }
        let actor = try context.actor(), reason = form["reason"]
        do {
            let cancelled = try await offload { try scheduling.cancel(session: session.id, reason: reason, actor: actor) }
            return .seeOther("/cohorts/\(cancelled.cohortCode)/sessions?notice=session_cancelled#s\(cancelled.id.rawValue)")
        } catch let error as any UserFacingError {
            return try editPage(context, cancelErrors: [context.localizer.message(for: error)], status: .unprocessableContent)
        }
    }

    private func schedule(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, cohorts)
        guard let moduleID = form["module"], let day = form["date"].flatMap(LocalDate.init(iso:)),
              let starts = form["starts"].flatMap({ LocalDateTime(iso: "\(day.iso) \($0)") }),
              let ends = form["ends"].flatMap({ LocalDateTime(iso: "\(day.iso) \($0)") }) else {
            return try calendar(context, form: form.values, errors: [context.localizer("web.form.incomplete")], status: .unprocessableContent)
        }
        let plan = SessionPlan(cohort: cohort.id, moduleID: moduleID, starts: starts, ends: ends, venue: form["venue"], trainer: form["trainer"])
        let found = try scheduling.conflicts(of: plan)
        let override = form["override"] == "1"
        // "Check" only shows the conflicts; saving over a blocking conflict needs the explicit override box.
        if form["action"] == "check" || (found.contains { !$0.isWarning } && !override) {
            let status: HTTPResponse.Status = found.contains { !$0.isWarning } ? .conflict : .ok
            return try calendar(context, form: form.values, conflicts: found, status: status,
                                notice: found.isEmpty ? context.localizer("web.schedule.no_conflicts") : nil)
        }
        let actor = try context.actor()
        let (session, _) = try await offload {
            try scheduling.schedule(cohort: cohort.code, module: moduleID, starts: starts, ends: ends, venue: plan.venue,
                                    trainer: plan.trainer, force: override, actor: actor)
        }
        return .seeOther("/cohorts/\(cohort.code)/sessions?notice=\(override && !found.isEmpty ? "session_forced" : "session_added")#s\(session.id.rawValue)")
    }
}

/// A version of a session.
struct SessionChangeDTO: Encodable {
    var sequence: Int
    var kind, starts, ends, actor, changedAt: String
    var venue, trainer, reason: String?
    init(_ entry: SessionHistoryEntry) {
        sequence = entry.sequence; kind = entry.kind; starts = entry.starts.iso; ends = entry.ends.iso; actor = entry.actor
        changedAt = entry.changedAt; venue = entry.venue; trainer = entry.trainer; reason = entry.reason
    }
}

/// A new session (`date` as `2027-03-15` or `15. 3. 2027.`, times `09:00`); blocking conflicts refuse it unless `force`.
struct ScheduleRequest: Decodable {
    var moduleId, date, starts, ends: String
    var venue, trainer: String?
    var force: Bool?
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
