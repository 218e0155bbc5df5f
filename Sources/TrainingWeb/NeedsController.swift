import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// Training needs: the coordinator's page (the window and every department's proposals) and a department's page where
/// its head proposes needs, offered the people lacking required training first; read-only after the deadline. Pages
/// and API routes side by side.
struct NeedsController {
    let needs: NeedsDesk
    let requirements: RequiredTrainingDesk
    let people: PeopleRegistry
    let cohorts: CohortPlanning
    let pages: Pages
    let readLog: ReadAccessLog

    static let yearField = NumberFormField(path: "/needs", name: "year", field: .year, labelKey: "web.list.year")
    static let headCountField = NumberFormField(path: "/department/{department}/needs", name: "head_count", field: .headCount,
                                                labelKey: "needs.column.head_count")

    func register(on routes: RouteTable) {
        routes.get("/needs", .manageRequiredTraining) { request, context in
            let year = try year(request, context)
            let proposals = try needs.needs(year: year)
            await readLog.record(context, what: "needs", subjects: Self.subjects(proposals))
            return try overview(year: year, proposals: proposals, context, notice: context.localizer.notice(request))
        }
        routes.post("/needs", .manageRequiredTraining) { request, context in try await openWindow(request, context) }
        routes.get("/department/{department}/needs", .viewDepartmentPeople, departmentScoped: true) { request, context in
            let department = try DepartmentController.department(context, people)
            let year = try year(request, context)
            let (response, subjects) = try departmentPage(department, year: year, context, notice: context.localizer.notice(request))
            await readLog.record(context, what: "department.needs", subjects: subjects)
            return response
        }
        routes.post("/department/{department}/needs", .proposeDepartmentNeeds, departmentScoped: true) { request, context in
            try await propose(request, context)
        }
        routes.post("/department/{department}/needs/{id}/withdraw", .proposeDepartmentNeeds, departmentScoped: true) { request, context in
            var request = request
            let form = try await request.form(context)
            let department = try DepartmentController.department(context, people)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let actor = try context.actor()
            do {
                try await offload { try needs.withdraw(need: id, department: department.code, actor: actor) }
            } catch let error as NeedsError where error.kind == .notFound {
                throw WebError.notFound
            }
            return .seeOther("/department/\(department.code.rawValue)/needs?year=\(form["year"] ?? "")&notice=need_withdrawn")
        }

        let api = APIController.prefix
        routes.get("\(api)/needs", .manageRequiredTraining) { request, context in
            let year = try Page<NeedDTO>.integer(request, "year", .year, default: needs.today.year + 1, context)
            let proposals = try needs.needs(year: year)
            await readLog.record(context, what: "api.needs", subjects: Self.subjects(proposals))
            return try APIJSON.response(try Page(proposals.map(NeedDTO.init), request: request, context: context))
        }
        routes.post("\(api)/needs/windows", .manageRequiredTraining) { request, context in
            let body = try await APIJSON.body(WindowRequest.self, request, context)
            let deadline = try APIDates.day(body.deadline, context), actor = try context.actor()
            let window = try await offload { try needs.openWindow(year: Int(body.year.value), deadline: deadline, actor: actor) }
            return try APIJSON.response(WindowDTO(year: window.year, opens: window.opens.iso, deadline: window.deadline.iso), status: .created)
        }
        routes.get("\(api)/departments/{department}/needs", .viewDepartmentPeople, departmentScoped: true) { request, context in
            let department = try DepartmentController.department(context, people)
            let year = try Page<NeedDTO>.integer(request, "year", .year, default: needs.today.year + 1, context)
            let proposals = try needs.needs(year: year, department: department.code)
            await readLog.record(context, what: "api.department.needs", subjects: Self.subjects(proposals))
            return try APIJSON.response(try Page(proposals.map(NeedDTO.init), request: request, context: context))
        }
        routes.post("\(api)/departments/{department}/needs", .proposeDepartmentNeeds, departmentScoped: true) { request, context in
            let department = try DepartmentController.department(context, people)
            let body = try await APIJSON.body(NeedRequest.self, request, context)
            guard let priority = NeedPriority(rawValue: body.priority ?? "medium") else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                               detail: context.localizer("cli.error.priority", ["value": body.priority ?? ""])))
            }
            let actor = try context.actor()
            let need = try await offload {
                try needs.propose(.init(year: Int(body.year.value), department: department.code, programID: body.programId,
                                        people: body.personalNumbers ?? [], headCount: body.headCount.map { Int($0.value) },
                                        priority: priority, reason: body.reason), actor: actor)
            }
            return try APIJSON.response(NeedDTO(need), status: .created)
        }
        routes.post("\(api)/departments/{department}/needs/{id}/withdrawal", .proposeDepartmentNeeds, departmentScoped: true) { _, context in
            let department = try DepartmentController.department(context, people)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let actor = try context.actor()
            try await offload { try needs.withdraw(need: id, department: department.code, actor: actor) }
            return try APIJSON.response(RemovedDTO(removed: true))
        }
    }

    private func year(_ request: Request, _ context: WebContext) throws -> Int {
        try ListControls.number(request, "year", .year, context.localizer) ?? needs.today.year + 1
    }

    /// The people proposals name, for the read log.
    static func subjects(_ proposals: [TrainingNeed]) -> [String] {
        Array(Set(proposals.flatMap { $0.nominees.map(\.personalNumber) })).sorted()
    }

    struct Row {
        let id, department, program, people, places, priority, reason, state: String
        let withdrawn: Bool
    }

    private static func rows(_ proposals: [TrainingNeed], _ t: Localizer) -> [Row] {
        proposals.map { need in
            Row(id: String(need.id), department: need.department.rawValue, program: need.programID,
                people: need.nominees.map(t.listName).joined(separator: ", "), places: DecimalText.count(need.places),
                priority: t("needs.priority.\(need.priority.rawValue)"), reason: need.reason,
                state: t(need.withdrawn ? "needs.state.withdrawn" : "needs.state.proposed"), withdrawn: need.withdrawn)
        }
    }

    /// The window in words.
    private func windowText(_ window: NominationWindow?, year: Int, _ t: Localizer) -> (text: String, open: Bool) {
        guard let window else { return (t("needs.window.none", ["year": String(year)]), false) }
        let arguments = ["year": String(year), "opens": t.date(window.opens), "deadline": t.date(window.deadline)]
        if window.deadline < needs.today { return (t("needs.window.closed", arguments), false) }
        return (t("needs.window.open", arguments), window.isOpen(on: needs.today))
    }

    // MARK: The coordinator's page

    struct OverviewPage {
        struct Link { let code, name: String }
        let year, previous_year, next_year, window, deadline: String
        let proposals: [Row]
        let departments: [Link]
        let field_errors: [String: String]
    }

    private func overview(year: Int, proposals: [TrainingNeed], _ context: WebContext, fieldErrors: [String: String] = [:],
                          status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let t = context.localizer
        let window = try needs.window(year: year)
        let page = OverviewPage(
            year: String(year), previous_year: String(year - 1), next_year: String(year + 1),
            window: windowText(window, year: year, t).text, deadline: window?.deadline.iso ?? "",
            proposals: Self.rows(proposals, t),
            departments: try people.departments().map { .init(code: $0.code.rawValue, name: $0.name(in: context.language)) },
            field_errors: fieldErrors)
        return pages.render("needs", page, context: context, status: status, notice: notice)
    }

    private func openWindow(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        var problems: [String: String] = [:]
        var year: Int?
        do { year = try form.whole(Self.yearField, t) } catch { problems["year"] = t.message(for: error) }
        let deadline = form["deadline"].flatMap { LocalDate(typed: $0) }
        if deadline == nil { problems["deadline"] = t("web.form.bad_date", ["value": form["deadline"] ?? ""]) }
        if let year, let deadline, problems.isEmpty {
            let actor = try context.actor()
            do {
                _ = try await offload { try needs.openWindow(year: year, deadline: deadline, actor: actor) }
                return .seeOther("/needs?year=\(year)&notice=window_opened")
            } catch let error as any UserFacingError {
                problems[error.field ?? "deadline"] = t.message(for: error)
            }
        }
        let shown = year ?? needs.today.year + 1
        return try overview(year: shown, proposals: try needs.needs(year: shown), context, fieldErrors: problems, status: .unprocessableContent)
    }

    // MARK: A department's page

    struct DepartmentPage {
        struct Candidate {
            let number, name, reason: String
            let checked: Bool
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let code, department_name, year, window: String
        let open: Bool
        let proposals: [Row]
        let gap_people, other_people: [Candidate]
        let programs, priorities: [Choice]
        let form: [String: String]
        let field_errors: [String: String]
        let errors: [String]
    }

    private func departmentPage(_ department: Department, year: Int, _ context: WebContext, form: [String: String] = [:],
                                checked: Set<String> = [], fieldErrors: [String: String] = [:], errors: [String] = [],
                                status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> (Response, [String]) {
        let t = context.localizer, text = RequirementText(localizer: t)
        let window = windowText(try needs.window(year: year), year: year, t)
        let proposals = try needs.needs(year: year, department: department.code)
        // People lacking required training first, with what they lack; then everyone else of the department.
        let gaps = try requirements.gaps(department: department.code).filter { $0.state != .met }
        var lacking: [String: (Person, [String])] = [:]
        for gap in gaps {
            lacking[gap.person.personalNumber, default: (gap.person, [])].1.append("\(gap.requirement.programID): \(text.state(gap))")
        }
        let staff = try people.list(department: department.code)
        let gapPeople = staff.filter { lacking[$0.personalNumber] != nil }.map { person in
            DepartmentPage.Candidate(number: person.personalNumber, name: t.listName(person),
                                     reason: lacking[person.personalNumber]!.1.joined(separator: "; "), checked: checked.contains(person.personalNumber))
        }
        let others = staff.filter { lacking[$0.personalNumber] == nil }.map { person in
            DepartmentPage.Candidate(number: person.personalNumber, name: t.listName(person), reason: person.jobTitle ?? "",
                                     checked: checked.contains(person.personalNumber))
        }
        let gapPrograms = Set(gaps.map(\.requirement.programID))
        let programIDs = try cohorts.programIDs().sorted { (gapPrograms.contains($0) ? 0 : 1, $0) < (gapPrograms.contains($1) ? 0 : 1, $1) }
        let page = DepartmentPage(
            code: department.code.rawValue, department_name: department.name(in: context.language), year: String(year), window: window.text,
            open: window.open, proposals: Self.rows(proposals, t), gap_people: window.open ? gapPeople : [],
            other_people: window.open ? others : [],
            programs: programIDs.map { .init(value: $0, label: $0, selected: $0 == form["program"]) },
            priorities: NeedPriority.allCases.map {
                .init(value: $0.rawValue, label: t("needs.priority.\($0.rawValue)"), selected: $0.rawValue == (form["priority"] ?? "medium"))
            },
            // With the window closed the form is not shown: its problems stand above the list.
            form: form, field_errors: fieldErrors, errors: window.open ? errors : errors + fieldErrors.filter { $0.key != "form" }.map(\.value))
        let subjects = Self.subjects(proposals) + (window.open ? staff.map(\.personalNumber) : [])
        return (pages.render("department_needs", page, context: context, status: status, notice: notice), Array(Set(subjects)).sorted())
    }

    /// Saves a proposal; a refused one comes back with the people ticked, the choices made and each problem beside its field.
    private func propose(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let department = try DepartmentController.department(context, people)
        let t = context.localizer
        let year = try ListControls.number(request, "year", .year, t) ?? Int(form["year"] ?? "") ?? needs.today.year + 1
        let chosen = form.fields.filter { $0.0 == "person" }.map(\.1)
        var problems: [String: String] = [:]
        var headCount: Int?
        do { headCount = try form.number(Self.headCountField, t).map { Int($0) } } catch { problems["head_count"] = t.message(for: error) }
        let priority = NeedPriority(rawValue: form["priority"] ?? "medium") ?? .medium
        if problems.isEmpty {
            let actor = try context.actor()
            let proposal = NeedsDesk.Proposal(year: year, department: department.code, programID: form["program"] ?? "", people: chosen,
                                              headCount: headCount, priority: priority, reason: form["reason"] ?? "")
            do {
                _ = try await offload { try needs.propose(proposal, actor: actor) }
                return .seeOther("/department/\(department.code.rawValue)/needs?year=\(year)&notice=need_proposed")
            } catch let error as any UserFacingError {
                if let field = error.field { problems[field] = t.message(for: error) } else { problems["form"] = t.message(for: error) }
            }
        }
        let typed = ["program": form["program"] ?? "", "head_count": form["head_count"] ?? "", "priority": priority.rawValue,
                     "reason": form["reason"] ?? ""]
        let (response, subjects) = try departmentPage(department, year: year, context, form: typed, checked: Set(chosen), fieldErrors: problems,
                                                      errors: problems["form"].map { [$0] } ?? [], status: .unprocessableContent)
        await readLog.record(context, what: "department.needs", subjects: subjects)
        return response
    }
}

// MARK: Transfer objects

struct NeedDTO: Encodable {
    var id: Int64
    var year: Int
    var department, programId, priority, reason, proposedBy: String
    var personalNumbers: [String]
    var headCount: Int?
    var places: Int
    var withdrawn: Bool

    init(_ need: TrainingNeed) {
        id = need.id; year = need.year; department = need.department.rawValue; programId = need.programID; priority = need.priority.rawValue
        reason = need.reason; proposedBy = need.proposedBy; personalNumbers = need.nominees.map(\.personalNumber); headCount = need.headCount
        places = need.places; withdrawn = need.withdrawn
    }
}

struct WindowDTO: Encodable { var year: Int; var opens, deadline: String }

/// A year's window: proposals from today to `deadline`.
struct WindowRequest: Decodable { var year: JSONNumber<YearKind>; var deadline: String }

/// A department's proposal: people by personal number, or a head count, or both.
struct NeedRequest: Decodable {
    var year: JSONNumber<YearKind>
    var programId: String
    var personalNumbers: [String]?
    var headCount: JSONNumber<HeadCountKind>?
    var priority: String?
    var reason: String
}

enum HeadCountKind: NumberKind { static var field: NumberField { .headCount } }
