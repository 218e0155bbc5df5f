import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// A department head's pages: the department's people with their training status and their enrolment
/// requests to approve or decline. The department comes from the URL and is checked against the account's
/// scope before anything is read; a person or request outside it is "not found".
struct DepartmentController {
    let people: PeopleRegistry
    let progress: ProgressReading
    let enrolment: EnrolmentDesk
    let cohorts: CohortPlanning
    let pages: Pages
    let readLog: ReadAccessLog

    func register(on routes: RouteTable) {
        routes.get("/department/{department}", .viewDepartmentPeople, departmentScoped: true) { request, context in
            let department = try department(context)
            let (response, subjects) = try page(department, context, notice: context.localizer.notice(request))
            await readLog.record(context, what: "department.people", subjects: subjects)
            return response
        }
        routes.post("/department/{department}/requests", .decideDepartmentEnrolments, departmentScoped: true) { request, context in
            try await decide(request, context)
        }
    }

    private func department(_ context: WebContext) throws -> Department { try Self.department(context, people) }

    /// The department the URL names; an unknown code is "not found".
    static func department(_ context: WebContext, _ people: PeopleRegistry) throws -> Department {
        let code = DepartmentCode(try context.parameters.require("department"))
        guard let department = try people.department(code) else { throw WebError.notFound }
        return department
    }

    struct DepartmentPage {
        struct Person {
            struct Program {
                let cohort, status: String
                let forecast: String?
            }
            let number, name, job_title: String
            let programs: [Program]
        }
        struct Request {
            let number, name, cohort, cohort_name, dates: String
        }
        let code, department_name: String
        let people: [Person]
        let requests: [Request]
    }

    private func page(_ department: Department, _ context: WebContext, notice: String?) throws -> (Response, [String]) {
        let t = context.localizer
        let text = ProgressText(localizer: t)
        let staff = try people.list(department: department.code)
        // Read for the whole department at once: a query per cohort, not per person.
        let forecasts = try progress.department(department.code)
        let enrolments = try enrolment.enrolments(department: department.code)
        var rows: [DepartmentPage.Person] = []
        var requests: [DepartmentPage.Request] = []
        for person in staff {
            let forecast = Dictionary((forecasts[person.personalNumber] ?? []).map {
                ($0.cohort.code, text.forecastWord($0.progress.forecast, person: person))
            }, uniquingKeysWith: { first, _ in first })
            let entries = enrolments[person.personalNumber] ?? []
            rows.append(.init(
                number: person.personalNumber, name: t.listName(person), job_title: person.jobTitle ?? "",
                programs: entries.map { entry in
                    // "completed" already says it all; the forecast adds to an ongoing enrolment only.
                    .init(cohort: entry.cohort.code, status: t("enrolment.status.\(entry.status.rawValue)"),
                          forecast: entry.status == .approved ? forecast[entry.cohort.code]?.nonEmpty : nil)
                }))
            for entry in entries where entry.status == .requested {
                requests.append(.init(number: person.personalNumber, name: t.name(person), cohort: entry.cohort.code,
                                      cohort_name: t.script(entry.cohort.name), dates: "\(t.date(entry.cohort.starts)) – \(t.date(entry.cohort.ends))"))
            }
        }
        let page = DepartmentPage(code: department.code.rawValue, department_name: department.name(in: context.language), people: rows,
                                  requests: requests)
        return (pages.render("department", page, context: context, notice: notice), staff.map(\.personalNumber))
    }

    private func decide(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let department = try department(context)
        let number = try form.require("person"), cohort = try form.require("cohort")
        // Only this department's people: anyone else is not found, whatever the form says.
        guard let person = try? people.person(number), person.department == department.code, (try? cohorts.cohort(cohort)) != nil else {
            throw WebError.notFound
        }
        let actor = try context.actor()
        switch try form.require("action") {
        case "approve": _ = try await offload { try enrolment.approve(cohort: cohort, person: number, actor: actor) }
        case "decline":
            guard let reason = form["reason"] else { throw WebError.badRequest("reason") }
            _ = try await offload { try enrolment.decline(cohort: cohort, person: number, reason: reason, actor: actor) }
        default: throw WebError.badRequest("action")
        }
        return .seeOther("/department/\(department.code.rawValue)?notice=enrolment_changed")
    }
}
