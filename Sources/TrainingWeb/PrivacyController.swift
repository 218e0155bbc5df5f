import Foundation
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
    }

    func register(on routes: RouteTable) {
        routes.get("/my/export.json", .viewOwnProgress) { _, context in try await export(own(context), format: "json", context) }
        routes.get("/my/export.pdf", .viewOwnProgress) { _, context in try await export(own(context), format: "pdf", context) }
        routes.get("/admin/privacy", .administer) { request, context in
            if let number = request.query("person") {
                let path = number.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? ""
                return .seeOther("/admin/privacy/\(path)")
            }
            return pages.render("admin_privacy", PrivacyPage(person: nil), context: context)
        }
        routes.get("/admin/privacy/{number}", .administer) { _, context in
            let number = try context.parameters.require("number")
            guard let person = try? people.person(number) else { throw WebError.notFound }
            return pages.render("admin_privacy", PrivacyPage(person: .init(number: person.personalNumber, name: person.fullName)),
                                context: context)
        }
        routes.get("/admin/privacy/{number}/export.json", .administer) { _, context in
            try await export(try context.parameters.require("number"), format: "json", context)
        }
        routes.get("/admin/privacy/{number}/export.pdf", .administer) { _, context in
            try await export(try context.parameters.require("number"), format: "pdf", context)
        }
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
