import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// The right of access in the web app: a trainee exports their own data, an administrator anyone's
/// (logged in the read-access log).
struct PrivacyController {
    let privacy: PrivacyOffice
    let people: PeopleRegistry
    let pages: Pages
    let clock: OfficeClock
    let readLog: ReadAccessLog

    struct PrivacyPage {
        struct Person {
            let number, name: String
        }
        let person: Person?
        let retention_days: String
        let form: [String: String]
        let field_errors: [String: String]
        let purge_summary: String?
    }

    /// The retention form's days.
    static let retentionField = NumberFormField(path: "/admin/privacy/retention", name: "days", field: .retentionDays,
                                                labelKey: "web.privacy.retention_days")

    private func page(_ context: WebContext, person: Person? = nil, form: [String: String] = [:], fieldErrors: [String: String] = [:],
                      purgeSummary: String? = nil, status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        pages.render("admin_privacy", PrivacyPage(
            person: person.map { .init(number: $0.personalNumber, name: context.localizer.name($0)) }, retention_days: String(try privacy.retentionDays()),
            form: form, field_errors: fieldErrors, purge_summary: purgeSummary), context: context, status: status, notice: notice)
    }

    func register(on routes: RouteTable) {
        routes.get("/my/export.json", .viewOwnProgress) { _, context in try await export(own(context), format: "json", context) }
        routes.get("/my/export.pdf", .viewOwnProgress) { _, context in try await export(own(context), format: "pdf", context) }
        routes.get("/admin/privacy", .administer) { request, context in
            if let number = request.query("person") {
                let path = number.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? ""
                return .seeOther("/admin/privacy/\(path)")
            }
            return try page(context, notice: context.localizer.notice(request))
        }
        routes.get("/admin/privacy/{number}", .administer) { request, context in
            try page(context, person: try person(context, "number"), notice: context.localizer.notice(request))
        }
        routes.post("/admin/privacy/{number}/erase", .administer) { request, context in
            var request = request
            let form = try await request.form(context)
            let person = try person(context, "number")
            // Erasure cannot be undone: the administrator types the personal number to say they mean this person.
            guard form["confirm"]?.trimmingWhitespace == person.personalNumber else {
                return try page(context, person: person, form: ["confirm": form["confirm"] ?? ""],
                                fieldErrors: ["confirm": context.localizer("web.privacy.erase_confirm_needed", ["personal_number": person.personalNumber])],
                                status: .unprocessableContent)
            }
            let actor = try context.actor()
            _ = try await offload { try privacy.erase(person: person.personalNumber, actor: actor) }
            return .seeOther("/admin/privacy?notice=person_erased")
        }
        routes.post("/admin/privacy/retention", .administer) { request, context in
            var request = request
            let form = try await request.form(context)
            let t = context.localizer
            do {
                let days = try form.whole(Self.retentionField, t), actor = try context.actor()
                try await offload { try privacy.setRetentionDays(days, actor: actor) }
                return .seeOther("/admin/privacy?notice=retention_saved")
            } catch let error as NumberInputError {
                return try page(context, form: ["days": form["days"] ?? ""], fieldErrors: ["days": t.message(for: error)],
                                status: .unprocessableContent)
            }
        }
        routes.post("/admin/privacy/purge", .administer) { request, context in
            var request = request
            _ = try await request.form(context)
            let actor = try context.actor()
            let summary = try await offload { try privacy.purge(actor: actor) }
            return try page(context, purgeSummary: PurgeText.line(summary, context.localizer))
        }

        let api = APIController.prefix
        routes.get("\(api)/people/{personal_number}/export", .administer) { _, context in
            try await export(try person(context, "personal_number").personalNumber, format: "json", context)
        }
        routes.post("\(api)/people/{personal_number}/erasure", .administer) { request, context in
            let person = try person(context, "personal_number")
            let body = try await APIJSON.body(ErasureRequest.self, request, context)
            guard body.confirm == person.personalNumber else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: context.localizer(
                    "web.privacy.erase_confirm_needed", ["personal_number": person.personalNumber])))
            }
            let actor = try context.actor()
            let pseudonym = try await offload { try privacy.erase(person: person.personalNumber, actor: actor) }
            return try APIJSON.response(ErasureDTO(pseudonym: pseudonym))
        }
        routes.get("\(api)/privacy/retention", .administer) { _, context in
            try APIJSON.response(RetentionDTO(days: try privacy.retentionDays()))
        }
        routes.post("\(api)/privacy/retention", .administer) { request, context in
            let body = try await APIJSON.body(RetentionRequest.self, request, context)
            let actor = try context.actor()
            try await offload { try privacy.setRetentionDays(Int(body.days.value), actor: actor) }
            return try APIJSON.response(RetentionDTO(days: Int(body.days.value)))
        }
        routes.post("\(api)/privacy/purge", .administer) { _, context in
            let actor = try context.actor()
            let summary = try await offload { try privacy.purge(actor: actor) }
            return try APIJSON.response(PurgeDTO(readAccesses: summary.readAccesses, sessions: summary.sessions,
                                                 resetLinks: summary.resetLinks, tokens: summary.tokens, messages: summary.messages))
        }
        routes.get("/admin/privacy/{number}/export.json", .administer) { _, context in
            try await export(try context.parameters.require("number"), format: "json", context)
        }
        routes.get("/admin/privacy/{number}/export.pdf", .administer) { _, context in
            try await export(try context.parameters.require("number"), format: "pdf", context)
        }
    }

    private func person(_ context: WebContext, _ parameter: String) throws -> Person {
        guard let person = try? people.person(try context.parameters.require(parameter)) else { throw WebError.notFound }
        return person
    }

    private func own(_ context: WebContext) throws -> String {
        guard let number = context.principal?.personalNumber else { throw WebError.forbidden }
        return number
    }

    private func export(_ number: String, format: String, _ context: WebContext) async throws -> Response {
        guard (try? people.person(number)) != nil else { throw WebError.notFound }
        // The reads logged so far are written first, so the export lists them (its own read is logged by the export).
        await readLog.flush()
        let actor = try context.actor(), own = context.principal?.personalNumber
        let export = try await offload { try privacy.export(person: number, reader: actor, readerPersonalNumber: own) }
        if format == "json" {
            return Download.response(try PersonalDataDocument.json(export), type: "application/json", name: "licni-podaci-\(number).json")
        }
        let pdf = try ReportPDF().render(PersonalDataDocument.report(export, localizer: context.localizer), created: clock.today)
        return Download.response(pdf, type: "application/pdf", name: "licni-podaci-\(number).pdf")
    }
}


struct ErasureDTO: Encodable { var pseudonym: String }
struct RetentionDTO: Encodable { var days: Int }
struct PurgeDTO: Encodable { var readAccesses, sessions, resetLinks, tokens, messages: Int }
/// The personal number again, to say the erasure is meant.
struct ErasureRequest: Decodable { var confirm: String }
/// Days (30…3,650).
struct RetentionRequest: Decodable { var days: JSONNumber<RetentionKind> }
