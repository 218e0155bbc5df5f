import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// Cohorts, enrolment and the waitlist, and the cohort's progress table: the pages and the API routes side by side.
struct CohortController {
    let cohorts: CohortPlanning
    let enrolment: EnrolmentDesk
    let progress: ProgressReading
    let scheduling: Scheduling
    let plan: PlanDesk
    let needs: NeedsDesk
    let pages: Pages
    let readLog: ReadAccessLog

    /// The create form's places.
    static let capacityField = NumberFormField(path: "/cohorts", name: "capacity", field: .capacity, labelKey: "cohort.column.places")

    func register(on routes: RouteTable) {
        routes.get("/cohorts", .manageCohorts) { request, context in try list(request, context) }
        routes.post("/cohorts", .manageCohorts) { request, context in try await create(request, context) }
        routes.get("/cohorts/{code}", .manageCohorts) { request, context in try show(request, context) }
        routes.post("/cohorts/{code}/cost", .manageRequiredTraining) { request, context in
            var request = request
            let form = try await request.form(context)
            let cohort = try Self.cohort(context, cohorts), actor = try context.actor()
            let km: Double?
            do throws(NumberInputError) {
                km = try form.number(PlanController.actualCostField, context.localizer)
            } catch {
                return try show(request, context, typedCost: form["cost"] ?? "", costError: context.localizer.message(for: error),
                                status: .unprocessableContent)
            }
            try await offload { try plan.setActualCost(cohort: cohort.code, km: km, actor: actor) }
            return .seeOther("/cohorts/\(cohort.code)?notice=cost_saved")
        }
        routes.get("/cohorts/{code}/edit", .manageCohorts) { _, context in try editPage(context) }
        routes.post("/cohorts/{code}/edit", .manageCohorts) { request, context in try await edit(request, context) }
        routes.post("/cohorts/{code}/enrol", .manageCohorts) { request, context in try await enrol(request, context) }
        routes.post("/cohorts/{code}/enrolments/{number}", .manageCohorts) { request, context in
            try await changeEnrolment(request, context)
        }
        routes.get("/cohorts/{code}/progress", .viewCohortProgress) { _, context in
            let (response, people) = try progressPage(context)
            await readLog.record(context, what: "cohort.progress", subjects: people)
            return response
        }

        let api = APIController.prefix
        routes.get("\(api)/cohorts", .manageCohorts) { request, context in
            try APIJSON.response(try Page(try cohorts.list().map(CohortDTO.init), request: request, context: context))
        }
        routes.get("\(api)/cohorts/{code}", .manageCohorts) { _, context in
            try APIJSON.response(CohortDTO(try Self.cohort(context, cohorts)))
        }
        routes.post("\(api)/cohorts", .manageCohorts) { request, context in
            let body = try await APIJSON.body(CohortCreateRequest.self, request, context)
            let actor = try context.actor()
            let (starts, ends) = try APIDates.range(body.starts, body.ends, context)
            let created = try await offload {
                try cohorts.create(code: body.code, name: body.name, program: body.programId, version: body.programVersion.map { Int($0.value) },
                                   starts: starts, ends: ends, capacity: Int(body.capacity.value), actor: actor)
            }
            return try APIJSON.response(CohortDTO(created), status: .created)
        }
        routes.post("\(api)/cohorts/{code}", .manageCohorts) { request, context in
            let cohort = try Self.cohort(context, cohorts)
            let body = try await APIJSON.body(CohortEditRequest.self, request, context)
            let actor = try context.actor()
            let (starts, ends) = try APIDates.range(body.starts ?? cohort.starts.iso, body.ends ?? cohort.ends.iso, context)
            let edit = try await offload {
                try cohorts.edit(code: cohort.code, name: body.name ?? cohort.name, starts: starts, ends: ends,
                                 capacity: body.capacity.map { Int($0.value) } ?? cohort.capacity, actor: actor)
            }
            return try APIJSON.response(CohortEditDTO(cohort: CohortDTO(edit.cohort), promoted: edit.promoted))
        }
        routes.get("\(api)/cohorts/{code}/enrolments", .manageCohorts) { request, context in
            let cohort = try Self.cohort(context, cohorts)
            let page = try Page(try enrolment.enrolments(cohort: cohort.code).map {
                EnrolmentDTO(personalNumber: $0.person.personalNumber, status: $0.status.rawValue,
                             departmentAtEnrolment: $0.departmentAtEnrolment.rawValue, position: $0.position, reason: $0.reason)
            }, request: request, context: context)
            await readLog.record(context, what: "api.cohort.enrolments", subjects: page.items.map(\.personalNumber))
            return try APIJSON.response(page)
        }
        routes.post("\(api)/cohorts/{code}/enrolments", .manageCohorts) { request, context in
            let cohort = try Self.cohort(context, cohorts)
            let body = try await APIJSON.body(EnrolRequest.self, request, context)
            let actor = try context.actor()
            let changes = try await offload { try enrolment.enrol(cohort: cohort.code, people: body.personalNumbers, actor: actor) }
            return try APIJSON.response(try Page(changes.map {
                EnrolmentDTO(personalNumber: $0.personalNumber, status: $0.status.rawValue, departmentAtEnrolment: "", position: 0, reason: nil)
            }, request: request, context: context), status: .created)
        }
        routes.post("\(api)/cohorts/{code}/enrolments/department", .manageCohorts) { request, context in
            let cohort = try Self.cohort(context, cohorts)
            let body = try await APIJSON.body(DepartmentEnrolRequest.self, request, context)
            let department = DepartmentCode(body.department), actor = try context.actor()
            // Without confirm the plan is only shown: who would be enrolled, and who is skipped and why.
            guard body.confirm == true else {
                let plan = try enrolment.departmentPlan(cohort: cohort.code, department: department)
                return try APIJSON.response(DepartmentPlanDTO(toEnrol: plan.toEnrol.map(\.personalNumber),
                                                              completedProgram: plan.completedProgram.map(\.personalNumber),
                                                              alreadyInCohort: plan.alreadyInCohort.map(\.personalNumber)))
            }
            let changes = try await offload { try enrolment.enrolDepartment(cohort: cohort.code, department: department, actor: actor) }
            return try APIJSON.response(try Page(changes.map(EnrolmentChangeDTO.init), request: request, context: context), status: .created)
        }
        routes.post("\(api)/cohorts/{code}/enrolments/{personal_number}", .manageCohorts) { request, context in
            let cohort = try Self.cohort(context, cohorts)
            let number = try context.parameters.require("personal_number")
            let body = try await APIJSON.body(EnrolmentDecisionRequest.self, request, context)
            let actor = try context.actor()
            let change: EnrolmentChange
            switch body.action {
            case "approve": change = try await offload { try enrolment.approve(cohort: cohort.code, person: number, actor: actor) }
            case "decline":
                guard let reason = body.reason?.nonEmpty else {
                    throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: context.localizer("web.cohort.decline_reason_needed")))
                }
                change = try await offload { try enrolment.decline(cohort: cohort.code, person: number, reason: reason, actor: actor) }
            case "withdraw":
                change = try await offload { try enrolment.withdraw(cohort: cohort.code, person: number, reason: body.reason, actor: actor) }
            default:
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                               detail: context.localizer("web.cohort.unknown_action", ["value": body.action])))
            }
            return try APIJSON.response(EnrolmentChangeDTO(change))
        }
        routes.get("\(api)/cohorts/{code}/progress", .viewCohortProgress) { request, context in
            let cohort = try Self.cohort(context, cohorts)
            let page = try Page(try progress.cohort(cohort.code).map(ProgressDTO.init), request: request, context: context)
            await readLog.record(context, what: "api.cohort.progress", subjects: page.items.map(\.personalNumber))
            return try APIJSON.response(page)
        }
    }

    /// The cohort named in the path; a missing one is the same 404 for everyone allowed to look.
    static func cohort(_ context: WebContext, _ cohorts: CohortPlanning) throws -> Cohort {
        let code = try context.parameters.require("code")
        guard let cohort = try? cohorts.cohort(code) else { throw WebError.notFound }
        return cohort
    }

    // MARK: Cohorts

    struct ListPage {
        struct Row {
            let code, name, program, dates, places, requests: String
        }
        struct ProgramChoice {
            let id, title: String
            let selected: Bool
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let cohorts: [Row]
        let programs: [ProgramChoice]
        let errors: [String]
        /// What was typed into the new-cohort form, shown again with each problem beside its field.
        let form: [String: String]
        let field_errors: [String: String]
        let q: String
        let program_filter: [Choice]
        let year_filter: [Choice]
        let state_filter: [Choice]
        let headers: [ListControls.SortHeader]
        let pager: ListControls.Pager
    }

    private func list(_ request: Request, _ context: WebContext, errors: [String] = [], form: [String: String] = [:],
                      fieldErrors: [String: String] = [:], status: HTTPResponse.Status = .ok) throws -> Response {
        let t = context.localizer
        let search = request.query("q"), programFilter = request.query("program")
        let year = try ListControls.number(request, "year", .year, t), state = request.query("state").flatMap(CohortState.init(rawValue:))
        let controls = try ListControls(request, path: "/cohorts", filters: ["q", "program", "year", "state"],
                                        sorts: CohortListQuery.Sort.allCases.map(\.rawValue), defaultSort: "starts",
                                        defaultDescending: true, t)
        let slice = try cohorts.overview(CohortListQuery(
            search: search, programID: programFilter, year: year, state: state,
            sort: CohortListQuery.Sort(rawValue: controls.sort) ?? .starts, descending: controls.descending, position: controls.position))
        let rows = slice.items.map { entry in
            ListPage.Row(code: entry.cohort.code, name: t.script(entry.cohort.name), program: entry.cohort.programID,
                         dates: "\(t.date(entry.cohort.starts)) – \(t.date(entry.cohort.ends))",
                         places: t("cohort.places", ["occupied": String(entry.occupied), "capacity": String(entry.cohort.capacity)]),
                         requests: String(entry.requests))
        }
        let stored = try cohorts.programs()
        // One choice per program (its newest version comes first in the stored list).
        var offered = Set<String>()
        let programs = stored.filter { offered.insert($0.program.id).inserted }.map {
            ListPage.ProgramChoice(id: $0.program.id, title: $0.program.title.text(in: context.language), selected: $0.program.id == form["program"])
        }
        let programIDs = Array(Set(stored.map(\.program.id))).sorted()
        let thisYear = cohorts.today.year
        let page = ListPage(
            cohorts: rows, programs: programs, errors: errors, form: form, field_errors: fieldErrors, q: search ?? "",
            program_filter: programIDs.map { .init(value: $0, label: $0, selected: $0 == programFilter) },
            year_filter: (thisYear - 10 ... thisYear + 2).reversed().map { .init(value: String($0), label: String($0), selected: $0 == year) },
            state_filter: CohortState.allCases.map { .init(value: $0.rawValue, label: t("web.cohorts.state.\($0.rawValue)"), selected: $0 == state) },
            headers: controls.headers([("name", t("cohort.column.name")), ("starts", t("cohort.column.dates"))]),
            pager: controls.pager(slice, id: { $0.cohort.id.rawValue }, t))
        return pages.render("cohorts", page, context: context, status: status, notice: t.notice(request))
    }

    /// The fields shared by the new-cohort and edit forms, read with each problem under its field's name.
    struct TypedCohort {
        var typed: [String: String]
        var problems: [String: String] = [:]
        var starts, ends: LocalDate?
        var capacity: Int?

        init(_ form: Form, names: [String], required: [String], capacityField: NumberFormField, _ t: Localizer) {
            typed = Dictionary(names.map { ($0, form[$0] ?? "") }, uniquingKeysWith: { first, _ in first })
            for name in required where form[name] == nil { problems[name] = t("web.form.required") }
            func date(_ name: String) -> LocalDate? {
                guard let text = form[name] else {
                    problems[name] = t("web.form.required")
                    return nil
                }
                guard let date = LocalDate(typed: text) else {
                    problems[name] = t("web.form.bad_date", ["value": text])
                    return nil
                }
                return date
            }
            starts = date("starts")
            ends = date("ends")
            do {
                capacity = try form.whole(capacityField, t)
            } catch {
                problems["capacity"] = t.message(for: error)
            }
        }
    }

    /// Creates a cohort; a refused form comes back with everything typed and each problem beside its field.
    private func create(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        var read = TypedCohort(form, names: ["code", "name", "program", "starts", "ends", "capacity"], required: ["code", "name", "program"],
                               capacityField: Self.capacityField, t)
        if read.problems.isEmpty, let starts = read.starts, let ends = read.ends, let capacity = read.capacity, let code = form["code"],
           let name = form["name"], let program = form["program"] {
            let actor = try context.actor()
            do {
                let cohort = try await offload {
                    try cohorts.create(code: code, name: name, program: program, starts: starts, ends: ends, capacity: capacity, actor: actor)
                }
                return .seeOther("/cohorts/\(cohort.code)?notice=cohort_created")
            } catch let error as any UserFacingError {
                read.problems[error.field ?? "form"] = t.message(for: error)
            }
        }
        return try list(request, context, errors: read.problems["form"].map { [$0] } ?? [t("web.form.see_fields")], form: read.typed,
                        fieldErrors: read.problems, status: .unprocessableContent)
    }

    // MARK: Editing a cohort

    /// The edit form's places.
    static let editCapacityField = NumberFormField(path: "/cohorts/{code}/edit", name: "capacity", field: .capacity,
                                                   labelKey: "cohort.column.places")

    struct EditPage {
        let code, name, program, places: String
        let form: [String: String]
        let field_errors: [String: String]
        let errors: [String]
    }

    /// The cohort's edit form: it starts from the stored values and, after a refusal, shows what was typed.
    private func editPage(_ context: WebContext, form: [String: String]? = nil, fieldErrors: [String: String] = [:],
                          errors: [String] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        let cohort = try Self.cohort(context, cohorts)
        let t = context.localizer
        let taken = try enrolment.enrolments(cohort: cohort.code).filter(\.status.occupiesPlace).count
        let page = EditPage(
            code: cohort.code, name: t.script(cohort.name), program: try cohorts.program(of: cohort).title.text(in: context.language),
            places: t("cohort.places", ["occupied": String(taken), "capacity": String(cohort.capacity)]),
            form: form ?? ["name": cohort.name, "starts": cohort.starts.iso, "ends": cohort.ends.iso, "capacity": String(cohort.capacity)],
            field_errors: fieldErrors, errors: errors)
        return pages.render("cohort_edit", page, context: context, status: status)
    }

    private func edit(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try Self.cohort(context, cohorts)
        let t = context.localizer
        var read = TypedCohort(form, names: ["name", "starts", "ends", "capacity"], required: ["name"],
                               capacityField: Self.editCapacityField, t)
        if read.problems.isEmpty, let starts = read.starts, let ends = read.ends, let capacity = read.capacity, let name = form["name"] {
            let actor = try context.actor()
            do {
                let edit = try await offload {
                    try cohorts.edit(code: cohort.code, name: name, starts: starts, ends: ends, capacity: capacity, actor: actor)
                }
                return .seeOther("/cohorts/\(cohort.code)?notice=\(edit.promoted.isEmpty ? "cohort_saved" : "cohort_saved_promoted")")
            } catch let error as any UserFacingError {
                read.problems[error.field ?? "form"] = t.message(for: error)
            }
        }
        return try editPage(context, form: read.typed, fieldErrors: read.problems,
                            errors: read.problems["form"].map { [$0] } ?? [t("web.form.see_fields")], status: .unprocessableContent)
    }

    // MARK: A cohort and its enrolments

    struct CohortPage {
        struct Enrolment {
            let number, name, department, status, position: String
            let reason: String?
            let can_approve, can_decline, can_withdraw: Bool
        }
        struct Assessment {
            let id, title: String
        }
        struct DepartmentChoice {
            let code, name: String
        }
        struct Nominee {
            let number, name, department: String
        }
        struct ItemChoice {
            let value, label: String
            let selected: Bool
        }
        let code, name, program, dates, places: String
        let plan_link: String?
        /// What the cohort actually cost (KM), as entered, and why a typed one was refused.
        let actual_cost: String
        let cost_error: String?
        let plan_items: [ItemChoice]
        /// People departments nominated for this program in the linked item's year, not yet in the cohort.
        let nominees: [Nominee]
        let requests, enrolled, waitlist, others: [Enrolment]
        let sessions: [SessionRow]
        let assessments: [Assessment]
        let departments: [DepartmentChoice]
    }

    private func show(_ request: Request, _ context: WebContext, typedCost: String? = nil, costError: String? = nil,
                      status: HTTPResponse.Status = .ok) throws -> Response {
        let cohort = try Self.cohort(context, cohorts)
        let t = context.localizer
        let program = try cohorts.program(of: cohort)
        let enrolments = try enrolment.enrolments(cohort: cohort.code)
        func rows(_ statuses: Set<EnrolmentStatus>) -> [CohortPage.Enrolment] {
            enrolments.filter { statuses.contains($0.status) }.map { entry in
                CohortPage.Enrolment(
                    number: entry.person.personalNumber, name: t.listName(entry.person),
                    department: entry.departmentAtEnrolment.rawValue, status: t("enrolment.status.\(entry.status.rawValue)"),
                    position: String(entry.position), reason: entry.reason?.nonEmpty,
                    can_approve: EnrolmentPolicy.canChange(from: entry.status, to: .approved),
                    can_decline: EnrolmentPolicy.canChange(from: entry.status, to: .declined),
                    can_withdraw: EnrolmentPolicy.canChange(from: entry.status, to: .withdrawn))
            }
        }
        let linked = try plan.item(of: cohort.code)
        let planYear = linked?.year ?? cohort.starts.year
        let approved = try plan.versions(year: planYear).last { $0.isApproved }
        let inCohort = Set(enrolments.map(\.person.personalNumber))
        let nominees = linked == nil ? [] : try needs.needs(year: planYear).filter { !$0.withdrawn && $0.programID == cohort.programID }
            .flatMap { need in need.nominees.map { (need.department, $0) } }
            .filter { !inCohort.contains($0.1.personalNumber) }
        var offered = Set<String>()
        let page = CohortPage(
            code: cohort.code, name: t.script(cohort.name), program: program.title.text(in: context.language),
            dates: "\(t.date(cohort.starts)) – \(t.date(cohort.ends))",
            places: t("cohort.places", ["occupied": String(enrolments.filter { $0.status.occupiesPlace }.count),
                                        "capacity": String(cohort.capacity)]),
            plan_link: linked.map { t("web.plan.linked_to", ["id": String($0.item.id), "year": String($0.year), "quarter": String($0.item.quarter)]) },
            actual_cost: try typedCost ?? plan.actualCost(cohort: cohort.code).map { DecimalText.money(hundredths: $0).replacingOccurrences(of: ".", with: "") } ?? "",
            cost_error: costError,
            plan_items: (approved?.items ?? []).filter { $0.programID == cohort.programID }.map { item in
                .init(value: String(item.id), label: "\(item.id): Q\(item.quarter), \(PlanText(localizer: t).places(item))",
                      selected: item.id == linked?.item.id)
            },
            nominees: nominees.filter { offered.insert($0.1.personalNumber).inserted }.map {
                .init(number: $0.1.personalNumber, name: t.listName($0.1), department: $0.0.rawValue)
            },
            requests: rows([.requested]), enrolled: rows([.approved, .completed]), waitlist: rows([.waitlisted]),
            others: rows([.declined, .withdrawn]),
            sessions: try scheduling.sessions(cohort: cohort.code).map { SessionRow($0, program: program, t: t) },
            assessments: program.assessments.map { .init(id: $0.id, title: $0.title?.text(in: context.language) ?? $0.id) },
            departments: try cohorts.departments().map { .init(code: $0.code.rawValue, name: $0.name(in: context.language)) })
        return pages.render("cohort", page, context: context, status: status, notice: t.notice(request))
    }

    struct EnrolConfirmPage {
        let code, name, department, summary: String
        let to_enrol, completed, already: [String]
        let can_enrol: Bool
    }

    private func enrol(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try Self.cohort(context, cohorts)
        let actor = try context.actor()
        if let department = form["department"].map(DepartmentCode.init) {
            // A whole department is enrolled only once the coordinator has seen who it would be, and who is skipped.
            guard form["confirm"] == "1" else {
                let plan = try enrolment.departmentPlan(cohort: cohort.code, department: department)
                let t = context.localizer
                func names(_ people: [Person]) -> [String] { people.map { "\(t.listName($0)) (\($0.personalNumber))" } }
                return pages.render("enrol_confirm", EnrolConfirmPage(
                    code: cohort.code, name: t.script(cohort.name), department: department.rawValue,
                    summary: t("web.cohort.department_plan", [
                        "count": String(plan.toEnrol.count), "department": department.rawValue,
                        "completed": String(plan.completedProgram.count), "already": String(plan.alreadyInCohort.count),
                    ]),
                    to_enrol: names(plan.toEnrol), completed: names(plan.completedProgram), already: names(plan.alreadyInCohort),
                    can_enrol: !plan.toEnrol.isEmpty), context: context)
            }
            _ = try await offload { try enrolment.enrolDepartment(cohort: cohort.code, department: department, actor: actor) }
        } else {
            // Typed numbers, or the nominated people ticked on the page.
            let ticked = form.fields.filter { $0.0 == "person" }.map(\.1)
            let numbers = ticked.isEmpty ? try form.require("personal_numbers")
                .split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init) : ticked
            _ = try await offload { try enrolment.enrol(cohort: cohort.code, people: numbers, actor: actor) }
        }
        return .seeOther("/cohorts/\(cohort.code)?notice=enrolled")
    }

    private func changeEnrolment(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try Self.cohort(context, cohorts)
        let number = try context.parameters.require("number")
        let actor = try context.actor()
        switch try form.require("action") {
        case "approve": _ = try await offload { try enrolment.approve(cohort: cohort.code, person: number, actor: actor) }
        case "decline":
            let reason = try form.require("reason")
            _ = try await offload { try enrolment.decline(cohort: cohort.code, person: number, reason: reason, actor: actor) }
        case "withdraw":
            let reason = form["reason"]
            _ = try await offload { try enrolment.withdraw(cohort: cohort.code, person: number, reason: reason, actor: actor) }
        default: throw WebError.badRequest("action")
        }
        return .seeOther("/cohorts/\(cohort.code)?notice=enrolment_changed")
    }

    // MARK: Progress

    struct ProgressPage {
        struct Module {
            let id, title: String
        }
        struct Row {
            struct Cell {
                let percent, hours: String
            }
            let number, name: String
            let modules: [Cell]
            let final, forecast, forecast_code: String
            let reasons: [String]
        }
        let code, name: String
        let modules: [Module]
        let rows: [Row]
    }

    private func progressPage(_ context: WebContext) throws -> (Response, [String]) {
        let cohort = try Self.cohort(context, cohorts)
        let text = ProgressText(localizer: context.localizer)
        let rows = try progress.cohort(cohort.code)
        let program = try cohorts.program(of: cohort)
        let page = ProgressPage(
            code: cohort.code, name: context.localizer.script(cohort.name),
            modules: program.modules.map { .init(id: $0.id, title: $0.title.text(in: context.language)) },
            rows: rows.map { row in
                ProgressPage.Row(
                    number: row.person.personalNumber, name: context.localizer.listName(row.person),
                    modules: row.progress.modules.map { .init(percent: text.percent($0.attendancePercent), hours: text.hours($0.presentMinutes)) },
                    final: text.score(row.progress.finalScore), forecast: text.forecastWord(row.progress.forecast, person: row.person),
                    forecast_code: row.progress.forecast.code, reasons: row.progress.forecast.reasons.map(text.reason))
            })
        return (pages.render("progress", page, context: context), rows.map(\.person.personalNumber))
    }
}

/// A session as a row of a table.
struct SessionRow {
    let id, module, module_title, when: String
    let venue, trainer: String?
    let cancelled: Bool

    init(_ session: ScheduledSession, program: Program, t: Localizer) {
        let module = program.modules.first { $0.id == session.moduleID }
        id = String(session.id.rawValue)
        self.module = session.moduleID
        module_title = module?.title.text(in: t.language) ?? session.moduleID
        when = "\(t.dateTime(session.starts))–\(session.ends.timeOfDay)"
        venue = session.venue?.nonEmpty.map(t.script)
        trainer = session.trainer?.nonEmpty.map(t.script)
        cancelled = session.cancelled
    }
}
