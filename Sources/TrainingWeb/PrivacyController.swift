import Foundation
import Hummingbird
import Reports
import TrainingCore
import TrainingOffice
import TrainingStore

/// The right of access in the web app: a trainee exports their own data, an administrator anyone's
/// (logged in the read-access log).
struct PrivacyController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/my/export.json", .viewOwnProgress) { _, context in
            try await export(own(context), format: "json", context)
        }
        routes.get("/my/export.pdf", .viewOwnProgress) { _, context in
            try await export(own(context), format: "pdf", context)
        }
        routes.get("/admin/privacy", .administer) { request, context in
            if let number = request.query("person") {
                let path = number.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? ""
                return .seeOther("/admin/privacy/\(path)")
            }
            return services.pages.render("admin_privacy", [:], context: context)
        }
        routes.get("/admin/privacy/{number}", .administer) { _, context in
            let number = try context.parameters.require("number")
            guard let person = try? database.person(personalNumber: number) else { throw WebError.notFound }
            return services.pages.render("admin_privacy", ["person": ["number": person.personalNumber, "name": person.fullName]],
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
        guard (try? database.person(personalNumber: number)) != nil else { throw WebError.notFound }
        await services.logReads(context, what: "privacy.export", subjects: [number])
        await services.readLog.flush()
        let export = try database.personalData(personalNumber: number, at: services.clock())
        if format == "json" {
            return Download.response(try PersonalDataDocument.json(export), type: "application/json", name: "licni-podaci-\(number).json")
        }
        let pdf = try ReportPDF().render(PersonalDataDocument.report(export, localizer: context.localizer), created: services.now().date)
        return Download.response(pdf, type: "application/pdf", name: "licni-podaci-\(number).pdf")
    }
}
