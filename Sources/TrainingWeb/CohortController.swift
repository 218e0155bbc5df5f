import Foundation
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice
import TrainingStore

/// Cohorts, enrolment and the waitlist, and the cohort's progress table.
struct CohortController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/cohorts", .manageCohorts) { request, context in try list(request, context) }
        routes.post("/cohorts", .manageCohorts) { request, context in try await create(request, context) }
        routes.get("/cohorts/{code}", .manageCohorts) { request, context in try show(request, context) }
        routes.post("/cohorts/{code}/enrol", .manageCohorts) { request, context in try await enrol(request, context) }
        routes.post("/cohorts/{code}/enrolments/{number}", .manageCohorts) { request, context in
            try await changeEnrolment(request, context)
        }
        routes.get("/cohorts/{code}/progress", .viewCohortProgress) { _, context in
            let (response, people) = try progress(context)
            await services.logReads(context, what: "cohort.progress", subjects: people)
            return response
        }
    }

    /// The cohort named in the path; a missing one is the same 404 for everyone allowed to look.
    static func cohort(_ context: WebContext, _ database: AppDatabase) throws -> Cohort {
        let code = try context.parameters.require("code")
        guard let cohort = try? database.cohort(code: code) else { throw WebError.notFound }
        return cohort
    }

    private func list(_ request: Request, _ context: WebContext, errors: [String] = [],
                      status: HTTPResponse.Status = .ok) throws -> Response {
        let t = context.localizer
        let cohorts = try database.cohorts().map { cohort in
            let enrolments = try database.enrolments(cohortCode: cohort.code)
            return [
                "code": cohort.code, "name": cohort.name, "program": cohort.programID,
                "dates": "\(t.date(cohort.starts)) – \(t.date(cohort.ends))",
                "places": t("cohort.places", ["occupied": String(enrolments.filter { $0.status.occupiesPlace }.count),
                                              "capacity": String(cohort.capacity)]),
                "requests": String(enrolments.filter { $0.status == .requested }.count),
            ]
        }
        let programs = try database.programs().map { ["id": $0.program.id, "title": $0.program.title.text(in: context.language)] }
        return services.pages.render("cohorts", ["cohorts": cohorts, "programs": programs, "errors": errors],
                                     context: context, status: status,
                                     notice: request.query("notice").map { t("web.notice.\($0)") })
    }

    private func create(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        guard let starts = form["starts"].flatMap(LocalDate.init(iso:)), let ends = form["ends"].flatMap(LocalDate.init(iso:)),
              let capacity = form["capacity"].flatMap(Int.init), let code = form["code"], let name = form["name"],
              let program = form["program"] else {
            return try list(request, context, errors: [context.localizer("web.form.incomplete")], status: .unprocessableContent)
        }
        let cohort = try database.createCohort(code: code, name: name, programID: program, starts: starts, ends: ends,
                                               capacity: capacity, actor: try context.actor())
        return .seeOther("/cohorts/\(cohort.code)?notice=cohort_created")
    }

    private func show(_ request: Request, _ context: WebContext) throws -> Response {
        let cohort = try Self.cohort(context, database)
        let t = context.localizer
        let program = try database.program(id: cohort.programID, version: cohort.programVersion).program
        let enrolments = try database.enrolments(cohortCode: cohort.code)
        func rows(_ statuses: Set<EnrolmentStatus>) -> [[String: Any]] {
            enrolments.filter { statuses.contains($0.status) }.map { entry in
                [
                    "number": entry.person.personalNumber, "name": "\(entry.person.familyName) \(entry.person.givenName)",
                    "department": entry.departmentAtEnrolment.rawValue, "status": t("enrolment.status.\(entry.status.rawValue)"),
                    "reason": entry.reason.section, "position": String(entry.position),
                    "can_approve": EnrolmentPolicy.canChange(from: entry.status, to: .approved),
                    "can_decline": EnrolmentPolicy.canChange(from: entry.status, to: .declined),
                    "can_withdraw": EnrolmentPolicy.canChange(from: entry.status, to: .withdrawn),
                ]
            }
        }
        let sessions = try database.sessions(cohortCode: cohort.code).map { session in
            SessionRow.values(session, program: program, t: t, language: context.language)
        }
        return services.pages.render("cohort", [
            "code": cohort.code, "name": cohort.name, "program": program.title.text(in: context.language),
            "dates": "\(t.date(cohort.starts)) – \(t.date(cohort.ends))",
            "places": t("cohort.places", ["occupied": String(enrolments.filter { $0.status.occupiesPlace }.count),
                                          "capacity": String(cohort.capacity)]),
            "requests": rows([.requested]), "enrolled": rows([.approved, .completed]), "waitlist": rows([.waitlisted]),
            "others": rows([.declined, .withdrawn]), "sessions": sessions,
            "assessments": program.assessments.map { ["id": $0.id, "title": $0.title?.text(in: context.language) ?? $0.id] },
            "departments": try database.departments().map { ["code": $0.code.rawValue, "name": $0.name(in: context.language)] },
        ], context: context, notice: request.query("notice").map { t("web.notice.\($0)") })
    }

    private func enrol(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try Self.cohort(context, database)
        let actor = try context.actor()
        if let department = form["department"] {
            _ = try database.enrolDepartment(cohortCode: cohort.code, department: DepartmentCode(department), actor: actor)
        } else {
            let numbers = try form.require("personal_numbers")
                .split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
            _ = try database.enrol(cohortCode: cohort.code, personalNumbers: numbers, actor: actor)
        }
        return .seeOther("/cohorts/\(cohort.code)?notice=enrolled")
    }

    private func changeEnrolment(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try Self.cohort(context, database)
        let number = try context.parameters.require("number")
        let actor = try context.actor()
        switch try form.require("action") {
        case "approve": _ = try database.approveEnrolment(cohortCode: cohort.code, personalNumber: number, actor: actor)
        case "decline":
            _ = try database.declineEnrolment(cohortCode: cohort.code, personalNumber: number,
                                              reason: try form.require("reason"), actor: actor)
        case "withdraw":
            _ = try database.withdrawEnrolment(cohortCode: cohort.code, personalNumber: number, reason: form["reason"], actor: actor)
        default: throw WebError.badRequest("action")
        }
        return .seeOther("/cohorts/\(cohort.code)?notice=enrolment_changed")
    }

    private func progress(_ context: WebContext) throws -> (Response, [String]) {
        let cohort = try Self.cohort(context, database)
        let t = context.localizer
        let text = ProgressText(localizer: t)
        let rows = try database.progress(cohortCode: cohort.code, now: services.now())
        let program = try database.program(id: cohort.programID, version: cohort.programVersion).program
        return (services.pages.render("progress", [
            "code": cohort.code, "name": cohort.name,
            "modules": program.modules.map { ["id": $0.id, "title": $0.title.text(in: context.language)] },
            "rows": rows.map { row in
                [
                    "number": row.person.personalNumber, "name": "\(row.person.familyName) \(row.person.givenName)",
                    "modules": row.progress.modules.map { ["percent": text.percent($0.attendancePercent),
                                                           "hours": text.hours($0.presentMinutes)] },
                    "final": text.score(row.progress.finalScore),
                    "forecast": text.forecastWord(row.progress.forecast, person: row.person),
                    "forecast_code": row.progress.forecast.code,
                    "reasons": row.progress.forecast.reasons.map(text.reason),
                ] as [String: Any]
            },
        ], context: context), rows.map(\.person.personalNumber))
    }
}

/// A session as a row of a table.
enum SessionRow {
    static func values(_ session: ScheduledSession, program: Program, t: Localizer, language: Language) -> [String: Any] {
        let module = program.modules.first { $0.id == session.moduleID }
        return [
            "id": String(session.id.rawValue), "module": session.moduleID,
            "module_title": module?.title.text(in: language) ?? session.moduleID,
            "when": "\(t.dateTime(session.starts))–\(session.ends.timeOfDay)",
            "venue": session.venue.section, "trainer": session.trainer.section, "cancelled": session.cancelled,
        ]
    }
}
