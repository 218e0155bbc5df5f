import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Localization
import TrainingCore
import TrainingOffice

/// Required training: the coordinator's rules page (every version, a form for a new rule or version, retiring), a
/// department's gap list (a department head sees their own only), and the API beside them.
struct RequirementController {
    let desk: RequiredTrainingDesk
    let people: PeopleRegistry
    let cohorts: CohortPlanning
    let pages: Pages
    let readLog: ReadAccessLog

    static let daysField = NumberFormField(path: "/requirements", name: "days", field: .dueDays, labelKey: "web.requirements.days")
    static let renewField = NumberFormField(path: "/requirements", name: "renew_years", field: .renewYears, labelKey: "web.requirements.renew")

    func register(on routes: RouteTable) {
        routes.get("/requirements", .manageRequiredTraining) { request, context in
            try rulesPage(context, notice: context.localizer.notice(request))
        }
        routes.post("/requirements", .manageRequiredTraining) { request, context in try await define(request, context) }
        routes.post("/requirements/{code}/retire", .manageRequiredTraining) { request, context in
            var request = request
            let form = try await request.form(context)
            let code = try context.parameters.require("code"), actor = try context.actor()
            // Retiring is asked for twice: the box says what happens.
            guard form["confirm_\(code)"] == "1" else {
                return try rulesPage(context, errors: [context.localizer("web.requirements.retire_unconfirmed", ["code": code])],
                                     status: .unprocessableContent)
            }
            do {
                _ = try await offload { try desk.retire(code: code, actor: actor) }
            } catch let error as RequirementError where error.kind == .notFound {
                throw WebError.notFound
            }
            return .seeOther("/requirements?notice=requirement_retired")
        }
        routes.get("/department/{department}/gaps", .viewDepartmentPeople, departmentScoped: true) { request, context in
            let department = try department(context)
            let gaps = try desk.gaps(department: department.code)
            return try await gapsPage(department, gaps: gaps, state: request.query("state").flatMap(GapState.init(rawValue:)), request, context)
        }

        let api = APIController.prefix
        routes.get("\(api)/requirements", .manageRequiredTraining) { request, context in
            let rules = try desk.rules().flatMap { history in history.versions.map { RequirementDTO($0.rule, standing: $0.standing) } }
            return try APIJSON.response(try Page(rules, request: request, context: context))
        }
        routes.post("\(api)/requirements", .manageRequiredTraining) { request, context in
            let body = try await APIJSON.body(RequirementRequest.self, request, context)
            let t = context.localizer
            func refused(_ key: String) -> APIError { .problem(Problem(title: "Unprocessable Content", status: 422, detail: t(key))) }
            let scope: TrainingRequirement.Scope
            switch (body.scope, body.department, body.jobTitle) {
            case ("everyone", nil, nil): scope = .everyone
            case ("department", let department?, nil): scope = .department(DepartmentCode(department.uppercased()))
            case ("job_title", nil, let words?): scope = .jobTitle(words)
            default: throw refused("requirement.error.scope")
            }
            let due: TrainingRequirement.Due
            switch (body.dueDays, body.dueDate) {
            case (let days?, nil): due = .afterStart(days: Int(days.value))
            case (nil, let date?): due = .by(try APIDates.day(date, context))
            default: throw refused("requirement.error.due")
            }
            let draft = RequiredTrainingDesk.RuleDraft(
                code: body.code, programID: body.programId, scope: scope, due: due, renewYears: body.renewYears.map { Int($0.value) },
                effectiveFrom: try body.effectiveFrom.map { try APIDates.day($0, context) })
            let actor = try context.actor()
            let rule = try await offload { try desk.define(draft, actor: actor) }
            return try APIJSON.response(RequirementDTO(rule, standing: .inEffect), status: .created)
        }
        routes.post("\(api)/requirements/{code}/retirement", .manageRequiredTraining) { request, context in
            let body = try await APIJSON.body(RetirementRequest.self, request, context)
            let code = try context.parameters.require("code"), actor = try context.actor()
            let effective = try body.effectiveFrom.map { try APIDates.day($0, context) }
            let rule = try await offload { try desk.retire(code: code, effectiveFrom: effective, actor: actor) }
            return try APIJSON.response(RequirementDTO(rule, standing: .retired))
        }
        routes.get("\(api)/departments/{department}/gaps", .viewDepartmentPeople, departmentScoped: true) { request, context in
            let department = try department(context)
            let page = try Page(try desk.gaps(department: department.code).map(GapDTO.init), request: request, context: context)
            await readLog.record(context, what: "api.department.gaps", subjects: Array(Set(page.items.map(\.personalNumber))).sorted())
            return try APIJSON.response(page)
        }
        routes.get("\(api)/people/{personal_number}/gaps", .managePeople) { request, context in
            let number = try context.parameters.require("personal_number")
            guard (try? people.person(number)) != nil else { throw WebError.notFound }
            let gaps = try desk.gaps(person: number)
            await readLog.record(context, what: "api.person.gaps", subjects: [number])
            return try APIJSON.response(try Page(gaps.map(GapDTO.init), request: request, context: context))
        }
    }

    private func department(_ context: WebContext) throws -> Department { try DepartmentController.department(context, people) }

    // MARK: Rules

    struct RulesPage {
        struct Version {
            let code, version, program, scope, due, renewal, effective, standing, standing_code: String
        }
        struct Rule {
            let code: String
            let current: Version?
            let versions: [Version]
            let retirable: Bool
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let rules: [Rule]
        let programs, departments: [Choice]
        let scope_everyone, scope_department, scope_job_title: Bool
        let form: [String: String]
        let field_errors: [String: String]
        let errors: [String]
        let department_links: [Choice]
    }

    private func rulesPage(_ context: WebContext, form: [String: String] = [:], fieldErrors: [String: String] = [:], errors: [String] = [],
                           status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let t = context.localizer, text = RequirementText(localizer: t)
        func version(_ rule: TrainingRequirement, _ standing: RequirementStanding) -> RulesPage.Version {
            .init(code: rule.code, version: String(rule.version), program: rule.programID, scope: text.scope(rule), due: text.due(rule),
                  renewal: text.renewal(rule), effective: t.date(rule.effectiveFrom), standing: t("requirement.state.\(standing.rawValue)"),
                  standing_code: standing.rawValue)
        }
        let departments = try people.departments()
        let scope = form["scope"] ?? "everyone"
        let page = RulesPage(
            rules: try desk.rules().map { history in
                RulesPage.Rule(code: history.code, current: history.inEffect.map { version($0, .inEffect) },
                               versions: history.versions.map { version($0.rule, $0.standing) },
                               retirable: history.versions.last.map { !$0.rule.retired } ?? false)
            },
            programs: try cohorts.programIDs().map { .init(value: $0, label: $0, selected: $0 == form["program"]) },
            departments: departments.map {
                .init(value: $0.code.rawValue, label: "\($0.code.rawValue) – \($0.name(in: context.language))",
                      selected: $0.code.rawValue == form["department"])
            },
            scope_everyone: scope == "everyone", scope_department: scope == "department", scope_job_title: scope == "job_title",
            form: form, field_errors: fieldErrors, errors: errors,
            department_links: departments.map { .init(value: $0.code.rawValue, label: $0.name(in: context.language), selected: false) })
        return pages.render("requirements", page, context: context, status: status, notice: notice)
    }

    /// Saves a rule or a new version; a refused form comes back with everything typed and each problem beside its field.
    private func define(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        let names = ["code", "program", "scope", "department", "job_title", "days", "by", "renew_years", "effective_from"]
        let typed = Dictionary(names.map { ($0, form[$0] ?? "") }, uniquingKeysWith: { first, _ in first })
        var problems: [String: String] = [:]
        func day(_ name: String) -> LocalDate? {
            guard let text = form[name] else { return nil }
            guard let day = LocalDate(typed: text) else {
                problems[name] = t("web.form.bad_date", ["value": text])
                return nil
            }
            return day
        }
        if form["code"] == nil { problems["code"] = t("web.form.required") }
        if form["program"] == nil { problems["program"] = t("web.form.required") }
        var scope: TrainingRequirement.Scope?
        switch form["scope"] ?? "everyone" {
        case "everyone": scope = .everyone
        case "department":
            if let code = form["department"] { scope = .department(DepartmentCode(code)) } else { problems["department"] = t("web.form.required") }
        case "job_title":
            if let words = form["job_title"] { scope = .jobTitle(words) } else { problems["job_title"] = t("requirement.error.job_title") }
        default: problems["scope"] = t("requirement.error.scope")
        }
        var days: Int?, renew: Int?
        do { days = try form.number(Self.daysField, t).map { Int($0) } } catch { problems["days"] = t.message(for: error) }
        do { renew = try form.number(Self.renewField, t).map { Int($0) } } catch { problems["renew_years"] = t.message(for: error) }
        let by = day("by"), effective = day("effective_from")
        var due: TrainingRequirement.Due?
        switch (days, by, form["days"] == nil && form["by"] == nil) {
        case (let days?, nil, _): due = .afterStart(days: days)
        case (nil, let by?, _): due = .by(by)
        case (_, _, true): problems["days"] = t("requirement.error.due")
        default: if problems["days"] == nil && problems["by"] == nil { problems["days"] = t("requirement.error.due") }
        }
        if problems.isEmpty, let scope, let due, let code = form["code"], let program = form["program"] {
            let draft = RequiredTrainingDesk.RuleDraft(code: code, programID: program, scope: scope, due: due, renewYears: renew,
                                                       effectiveFrom: effective)
            let actor = try context.actor()
            do {
                _ = try await offload { try desk.define(draft, actor: actor) }
                return .seeOther("/requirements?notice=requirement_saved")
            } catch let error as any UserFacingError {
                let field = error.field.map { $0 == "effective_from" || names.contains($0) ? $0 : "code" } ?? "code"
                problems[field == "scope_value" ? "job_title" : field] = t.message(for: error)
            }
        }
        return try rulesPage(context, form: typed, fieldErrors: problems, status: .unprocessableContent)
    }

    // MARK: A department's gaps

    struct GapsPage {
        /// A department's list runs to hundreds of rows: each answers the template by name, without `Mirror`, which
        /// took most of the page's time.
        struct Row: MustacheParent {
            let number, name, requirement, program, due, state, state_code, detail: String

            func child(named key: String) -> Any? {
                switch key {
                case "number": number
                case "name": name
                case "requirement": requirement
                case "program": program
                case "due": due
                case "state": state
                case "state_code": state_code
                case "detail": detail
                default: nil
                }
            }
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let code, department_name, summary: String
        let gaps: [Row]
        let states: [Choice]
        let pager: ListControls.Pager
    }

    /// A department's gaps, a person's rules kept together, a hundred rows a page; the summary counts the whole department.
    /// The people on the page are logged as read.
    private func gapsPage(_ department: Department, gaps: [TrainingGap], state: GapState?, _ request: Request,
                          _ context: WebContext) async throws -> Response {
        let t = context.localizer, text = RequirementText(localizer: t)
        let controls = try ListControls(request, path: "/department/\(department.code.rawValue)/gaps", filters: ["state"], sorts: ["name"],
                                        defaultSort: "name", defaultDescending: false, t)
        let slice = ListSlice.page(of: gaps.filter { state == nil || $0.state == state }, group: \.person.id.rawValue,
                                   at: controls.position, limit: 100)
        await readLog.record(context, what: "department.gaps", subjects: Array(Set(slice.items.map(\.person.personalNumber))).sorted())
        let page = GapsPage(
            code: department.code.rawValue, department_name: department.name(in: context.language), summary: text.summary(gaps),
            gaps: slice.items.map { gap in
                .init(number: gap.person.personalNumber, name: t.listName(gap.person), requirement: gap.requirement.code,
                      program: gap.requirement.programID, due: gap.due.map(t.date) ?? "–", state: text.state(gap),
                      state_code: gap.state.rawValue, detail: text.detail(gap))
            },
            states: GapState.allCases.map { .init(value: $0.rawValue, label: t("gap.state.\($0.rawValue)"), selected: $0 == state) },
            pager: controls.pager(slice, id: \.person.id.rawValue, t))
        return pages.render("gaps", page, context: context)
    }
}

// MARK: Transfer objects

struct RequirementDTO: Encodable {
    var code: String
    var version: Int
    var programId, scope: String
    var department, jobTitle: String?
    var dueDays: Int?
    var dueDate: String?
    var renewYears: Int?
    var effectiveFrom: String
    var retired: Bool
    var standing: String

    init(_ rule: TrainingRequirement, standing: RequirementStanding) {
        code = rule.code; version = rule.version; programId = rule.programID; effectiveFrom = rule.effectiveFrom.iso
        renewYears = rule.renewYears; retired = rule.retired; self.standing = standing.rawValue
        switch rule.scope {
        case .everyone: scope = "everyone"
        case .department(let code): scope = "department"; department = code.rawValue
        case .jobTitle(let words): scope = "job_title"; jobTitle = words
        }
        switch rule.due {
        case .afterStart(let days): dueDays = days
        case .by(let day): dueDate = day.iso
        }
    }
}

struct GapDTO: Encodable {
    var personalNumber, requirement, programId, state: String
    var due, certificate, validUntil, cohort: String?

    init(_ gap: TrainingGap) {
        personalNumber = gap.person.personalNumber; requirement = gap.requirement.code; programId = gap.requirement.programID
        state = gap.state.rawValue; due = gap.due?.iso; certificate = gap.certificate; validUntil = gap.validUntil?.iso; cohort = gap.cohort
    }
}

/// A rule or its new version: `scope` is `everyone`, `department` (with `department`) or `job_title` (with `job_title`);
/// the deadline is `due_days` after starting or a `due_date`.
struct RequirementRequest: Decodable {
    var code, programId, scope: String
    var department, jobTitle: String?
    var dueDays: JSONNumber<DueDaysKind>?
    var dueDate: String?
    var renewYears: JSONNumber<RenewYearsKind>?
    var effectiveFrom: String?
}

/// The day a rule stops applying (today when left out).
struct RetirementRequest: Decodable { var effectiveFrom: String? }

enum DueDaysKind: NumberKind { static var field: NumberField { .dueDays } }
enum RenewYearsKind: NumberKind { static var field: NumberField { .renewYears } }
