import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// Follow-ups on use at work: the trainee's questionnaire some months after completing a program, the department
/// head's about each of their people (a named person: the list's reads are logged), and a department's results from
/// five answers up. Pages and API routes side by side.
struct FollowUpController {
    let followUps: FollowUpDesk
    let reports: Reporting
    let cohorts: CohortPlanning
    let people: PeopleRegistry
    let selfService: TraineeSelfService
    let pages: Pages
    let readLog: ReadAccessLog

    func register(on routes: RouteTable) {
        routes.get("/my/follow-ups/{id}", .viewOwnProgress) { _, context in
            try formPage(try ownPending(context), context)
        }
        routes.post("/my/follow-ups/{id}", .viewOwnProgress) { request, context in
            let pending = try ownPending(context)
            return try await answer(request, context, pending, as: .trainee(personalNumber: try ownNumber(context)), done: "/my")
        }
        routes.get("/department/{department}/follow-up", .viewDepartmentReports, departmentScoped: true) { request, context in
            let department = try DepartmentController.department(context, people)
            let (response, subjects) = try departmentPage(department, context, notice: context.localizer.notice(request))
            await readLog.record(context, what: "department.follow_up", subjects: subjects)
            return response
        }
        routes.get("/department/{department}/follow-up/{id}", .answerFollowUps, departmentScoped: true) { _, context in
            let department = try DepartmentController.department(context, people)
            let pending = try headPending(context, department.code)
            await readLog.record(context, what: "department.follow_up", subjects: [pending.followUp.person.personalNumber])
            return try formPage(pending, context)
        }
        routes.post("/department/{department}/follow-up/{id}", .answerFollowUps, departmentScoped: true) { request, context in
            let department = try DepartmentController.department(context, people)
            return try await answer(request, context, try headPending(context, department.code), as: .head(department: department.code),
                                    done: "/department/\(department.code.rawValue)/follow-up")
        }

        let api = APIController.prefix
        routes.get("\(api)/me/follow-ups", .viewOwnProgress) { _, context in
            try APIJSON.response(try followUps.pending(personalNumber: try ownNumber(context)).map(PendingFollowUpDTO.init))
        }
        routes.post("\(api)/me/follow-ups/{id}", .viewOwnProgress) { request, context in
            try await answerFromAPI(request, context, .trainee(personalNumber: try ownNumber(context)))
            return try APIJSON.response(["saved": true], status: .created)
        }
        routes.get("\(api)/departments/{department}/follow-up", .viewDepartmentReports, departmentScoped: true) { _, context in
            let department = try DepartmentController.department(context, people)
            let period = reports.defaultPeriod()
            return try APIJSON.response(try followUps.results(department: department.code, programID: nil, from: period.from, to: period.to)
                .map(FollowUpResultsDTO.init))
        }
        routes.get("\(api)/departments/{department}/follow-ups", .answerFollowUps, departmentScoped: true) { _, context in
            let department = try DepartmentController.department(context, people)
            let pending = try followUps.headPending(department: department.code)
            await readLog.record(context, what: "api.department.follow_ups", subjects: pending.map(\.followUp.person.personalNumber))
            return try APIJSON.response(pending.map(PendingFollowUpDTO.init))
        }
        routes.post("\(api)/departments/{department}/follow-ups/{id}", .answerFollowUps, departmentScoped: true) { request, context in
            let department = try DepartmentController.department(context, people)
            try await answerFromAPI(request, context, .head(department: department.code))
            return try APIJSON.response(["saved": true], status: .created)
        }
    }

    private func ownNumber(_ context: WebContext) throws -> String { try context.ownPersonalNumber(selfService) }

    private func id(_ context: WebContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
        return id
    }

    /// The trainee's own open follow-up the path names; any other is simply not found.
    private func ownPending(_ context: WebContext) throws -> FollowUpDesk.Pending {
        let id = try id(context)
        guard let pending = try followUps.pending(personalNumber: try ownNumber(context)).first(where: { $0.followUp.id == id }) else {
            throw WebError.notFound
        }
        return pending
    }

    /// The department's open follow-up the path names.
    private func headPending(_ context: WebContext, _ department: DepartmentCode) throws -> FollowUpDesk.Pending {
        let id = try id(context)
        guard let pending = try followUps.headPending(department: department).first(where: { $0.followUp.id == id }) else {
            throw WebError.notFound
        }
        return pending
    }

    /// The answers of the follow-up the path names: its numbers read (and refused) as any body's, then a follow-up that
    /// is not the respondent's is simply not found.
    private func answerFromAPI(_ request: Request, _ context: WebContext, _ respondent: FollowUpDesk.Respondent) async throws {
        let id = try id(context), actor = try context.actor()
        let answers = try await APIJSON.body(ReactionRequest.self, request, context).values
        guard try followUps.belongs(id: id, to: respondent) else { throw WebError.notFound }
        try await offload { try followUps.answer(id: id, as: respondent, answers: answers, actor: actor) }
    }

    // MARK: The form

    private func formPage(_ pending: FollowUpDesk.Pending, _ context: WebContext, typed: [String: String] = [:],
                          problems: [String: String] = [:], status: HTTPResponse.Status = .ok) throws -> Response {
        let t = context.localizer, followUp = pending.followUp
        let program = try cohorts.program(of: followUp.cohort).title.text(in: context.language)
        let head = followUp.respondent == .head
        let action = head ? "/department/\(followUp.department.rawValue)/follow-up/\(followUp.id)" : "/my/follow-ups/\(followUp.id)"
        let page = EvaluationController.FormPage(
            cohort: t.script(followUp.cohort.name), module_id: "", module: program,
            title: head ? t("web.follow_up.title_head", ["name": t.script(followUp.person.fullName), "program": program])
                : t("web.follow_up.title", ["program": program]),
            anonymous: t(head ? "web.follow_up.personal_head" : "web.follow_up.personal", ["date": t.date(followUp.closes)]),
            action: action, items: EvaluationController.FormPage.items(pending.questionnaire, context.language, typed: typed, problems: problems),
            errors: problems["form"].map { [$0] } ?? [])
        return pages.render("evaluation_form", page, context: context, status: status)
    }

    private func answer(_ request: Request, _ context: WebContext, _ pending: FollowUpDesk.Pending, as respondent: FollowUpDesk.Respondent,
                        done: String) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        let (given, read) = EvaluationController.FormPage.answers(form, pending.questionnaire, t)
        var problems = read
        if problems.isEmpty {
            let actor = try context.actor(), id = pending.followUp.id
            do {
                try await offload { try followUps.answer(id: id, as: respondent, answers: given, actor: actor) }
                return .seeOther("\(done)?notice=follow_up_saved")
            } catch let error as ReactionError {
                problems[error.field ?? "form"] = t.message(for: error)
            } catch let error as FollowUpError {
                problems["form"] = t.message(for: error)
            }
        }
        return try formPage(pending, context, typed: form.values, problems: problems, status: .unprocessableContent)
    }

    // MARK: A department's page

    struct DepartmentPage {
        struct Respondent {
            let id, title, response: String
            let state: String?
            let rows: [EvaluationController.ResultsPage.Module.Row]
        }
        struct Waiting {
            let href, name, number, cohort, closes: String
        }
        let code, department_name, period: String
        let respondents: [Respondent]
        /// Only for the department's head, who answers them.
        let answers: Bool
        let waiting: [Waiting]
    }

    private func departmentPage(_ department: Department, _ context: WebContext, notice: String?) throws -> (Response, [String]) {
        let t = context.localizer
        let text = EvaluationText(localizer: t, language: context.language)
        let period = reports.defaultPeriod()
        let results = try followUps.results(department: department.code, programID: nil, from: period.from, to: period.to)
        let respondents = results.map { result in
            DepartmentPage.Respondent(
                id: result.respondent.rawValue, title: t("web.follow_up.results_\(result.respondent.rawValue)"),
                response: text.response(answered: result.summary.answers, asked: result.asked), state: text.state(result),
                rows: result.questionnaire.map { questionnaire in
                    text.rows(questionnaire, result.summary).map { .init(id: $0.itemID, question: $0.question, mean: $0.mean, distribution: $0.distribution) }
                } ?? [])
        }
        let answers = context.principal.map { $0.roles.contains(.departmentHead) && $0.department == department.code } ?? false
        let waiting = answers ? try followUps.headPending(department: department.code) : []
        let page = DepartmentPage(
            code: department.code.rawValue, department_name: department.name(in: context.language),
            period: t("report.period", ["from": t.date(period.from), "to": t.date(period.to)]), respondents: respondents,
            answers: answers,
            waiting: waiting.map { pending in
                .init(href: "/department/\(department.code.rawValue)/follow-up/\(pending.followUp.id)", name: t.listName(pending.followUp.person),
                      number: pending.followUp.person.personalNumber, cohort: t.script(pending.followUp.cohort.name),
                      closes: t.date(pending.followUp.closes))
            })
        return (pages.render("follow_up", page, context: context, notice: notice), waiting.map(\.followUp.person.personalNumber))
    }
}

// MARK: Transfer objects

struct PendingFollowUpDTO: Encodable {
    var id: Int64
    var cohort, respondent, due, closes, questionnaireId: String
    var questionnaireVersion: Int
    /// The person it is about (for a head's list).
    var personalNumber, name: String

    init(_ pending: FollowUpDesk.Pending) {
        let followUp = pending.followUp
        id = followUp.id; cohort = followUp.cohort.code; respondent = followUp.respondent.rawValue; due = followUp.due.iso
        closes = followUp.closes.iso; questionnaireId = pending.questionnaire.id; questionnaireVersion = pending.questionnaire.version
        personalNumber = followUp.person.personalNumber; name = followUp.person.fullName
    }
}

/// A respondent's follow-up results: how many were asked and answered, the figures only from five answers up.
struct FollowUpResultsDTO: Encodable {
    struct ItemDTO: Encodable {
        var item: String
        var answered: Int
        var mean: Double?
        var counts: [String: Int]?
    }
    var respondent: String
    var questionnaireId: String?
    var asked, answered: Int
    var items: [ItemDTO]?

    init(_ results: EvaluationFigures.FollowUps) {
        respondent = results.respondent.rawValue; questionnaireId = results.questionnaire?.id
        asked = results.asked; answered = results.summary.answers
        // Free text stays out: it is about named people, and a department's few answers could name them.
        items = results.summary.items?.filter { !$0.counts.isEmpty }.map { item in
            ItemDTO(item: item.itemID, answered: item.answered, mean: item.mean,
                    counts: Dictionary(uniqueKeysWithValues: item.counts.map { ($0.key, $0.count) }))
        }
    }
}
