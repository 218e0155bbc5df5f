import Foundation
import HTTPTypes
import Hummingbird
import TrainingCore
import TrainingOffice
import TrainingStore

/// A department head's pages: the department's people with their training status and their enrolment
/// requests to approve or decline. The department comes from the URL and is checked against the account's
/// scope before anything is read; a person or request outside it is "not found".
struct DepartmentController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/department/{department}", .viewDepartmentPeople, departmentScoped: true) { request, context in
            let response = try page(context, notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
            let code = DepartmentCode(try context.parameters.require("department"))
            await services.logReads(context, what: "department.people", subjects: try database.people(department: code).map(\.personalNumber))
            return response
        }
        routes.post("/department/{department}/requests", .decideDepartmentEnrolments, departmentScoped: true) { request, context in
            try await decide(request, context)
        }
    }

    private func department(_ context: WebContext) throws -> Department {
        let code = DepartmentCode(try context.parameters.require("department"))
        guard let department = try database.department(code) else { throw WebError.notFound }
        return department
    }

    private func page(_ context: WebContext, notice: String?) throws -> Response {
        let department = try department(context)
        let t = context.localizer, now = services.now()
        let text = ProgressText(localizer: t)
        let people = try database.people(department: department.code)
        // Read for the whole department at once: a query per cohort, not per person.
        let progress = try database.progress(department: department.code, now: now)
        let enrolments = try database.enrolments(department: department.code)
        var rows: [[String: Any]] = []
        var requests: [[String: Any]] = []
        for person in people {
            let forecasts = Dictionary((progress[person.personalNumber] ?? []).map {
                ($0.cohort.code, text.forecastWord($0.progress.forecast, person: person))
            }, uniquingKeysWith: { first, _ in first })
            let entries = enrolments[person.personalNumber] ?? []
            rows.append([
                "number": person.personalNumber, "name": "\(person.familyName) \(person.givenName)", "job_title": person.jobTitle ?? "",
                "programs": entries.map { entry in
                    ["cohort": entry.cohort.code, "status": t("enrolment.status.\(entry.status.rawValue)"),
                     // "completed" already says it all; the forecast adds to an ongoing enrolment only.
                     "forecast": (entry.status == .approved ? forecasts[entry.cohort.code] : nil).section]
                },
            ])
            for entry in entries where entry.status == .requested {
                requests.append(["number": person.personalNumber, "name": person.fullName, "cohort": entry.cohort.code,
                                 "cohort_name": entry.cohort.name, "dates": "\(t.date(entry.cohort.starts)) – \(t.date(entry.cohort.ends))"])
            }
        }
        return services.pages.render("department", [
            "code": department.code.rawValue, "department_name": department.name(in: context.language),
            "people": rows, "requests": requests,
        ], context: context, notice: notice)
    }

    private func decide(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let department = try department(context)
        let number = try form.require("person"), cohort = try form.require("cohort")
        // Only this department's people: anyone else is not found, whatever the form says.
        guard let person = try? database.person(personalNumber: number), person.department == department.code,
              (try? database.cohort(code: cohort)) != nil else {
            throw WebError.notFound
        }
        let actor = try context.actor()
        switch try form.require("action") {
        case "approve": _ = try database.approveEnrolment(cohortCode: cohort, personalNumber: number, actor: actor)
        case "decline":
            guard let reason = form["reason"] else { throw WebError.badRequest("reason") }
            _ = try database.declineEnrolment(cohortCode: cohort, personalNumber: number, reason: reason, actor: actor)
        default: throw WebError.badRequest("action")
        }
        return .seeOther("/department/\(department.code.rawValue)?notice=enrolment_changed")
    }
}
