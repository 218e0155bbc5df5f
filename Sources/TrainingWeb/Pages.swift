import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Mustache
import Reports
import TrainingCore

/// Looks up catalog text from templates: `{{t.web.nav.people}}` is the message `web.nav.people`.
struct CatalogNode: MustacheParent, CustomStringConvertible {
    let localizer: Localizer
    let path: String

    func child(named name: String) -> Any? {
        CatalogNode(localizer: localizer, path: path.isEmpty ? name : "\(path).\(name)")
    }

    var description: String { localizer(path) }
}

/// The server-rendered pages: Mustache templates wrapped in one layout, each escaping its values byte by byte
/// (`HTMLEscaping`, named on its first line).
struct Pages: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Pages {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw WebSetupError.missingResource("templates")
        }
        _ = HTMLEscaping.registered
        return Pages(library: try await MustacheLibrary(directory: folder.path))
    }

    /// Renders a page template with the values every page has: the catalog, the account, the CSRF token,
    /// the language switch and the navigation for the account's capabilities.
    func render(_ template: String, _ values: [String: Any], context: WebContext,
                status: HTTPResponse.Status = .ok, notice: String? = nil) -> Response {
        let html = self.html(template, values, context: context, notice: notice)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page's HTML (for callers that cache it).
    func html(_ template: String, _ values: [String: Any], context: WebContext, notice: String? = nil) -> String {
        var page = values
        let t = context.localizer
        page["t"] = CatalogNode(localizer: t, path: "")
        page["lang"] = context.language.rawValue
        if page["csrf"] == nil { page["csrf"] = context.identity?.csrfToken ?? "" }
        if let identity = context.identity {
            page["account"] = ["name": identity.account.displayName, "login": identity.account.login]
        }
        page["languages"] = Language.interfaceLanguages.map { language in
            ["tag": language.rawValue, "name": Localizer(language)("web.language.name"), "current": language == context.language]
        }
        page["nav"] = Navigation.items(for: context.principal).map { ["href": $0.href, "label": t($0.labelKey)] }
        if let notice { page["notice"] = notice }
        return library.render(page, withTemplate: template) ?? ""
    }

    /// The one page for every refused or failed request; it never names the record asked for.
    func error(_ error: WebError, context: WebContext) -> Response {
        var response = render("error", ["message": context.localizer(error.messageKey),
                                        "status": String(error.status.code)], context: context, status: error.status)
        if case .tooManyRequests(let retryAfter) = error { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// Links in the page header, shown only to accounts with the capability behind them.
enum Navigation {
    struct Item {
        let href: String
        let labelKey: String
        let capability: Capability
    }

    static let all: [Item] = [
        Item(href: "/cohorts", labelKey: "web.nav.cohorts", capability: .manageCohorts),
        Item(href: "/people", labelKey: "web.nav.people", capability: .managePeople),
        Item(href: "/programs", labelKey: "web.nav.programs", capability: .viewCurriculum),
        Item(href: "/reports", labelKey: "web.nav.reports", capability: .viewDepartmentReports),
        Item(href: "/my", labelKey: "web.nav.my", capability: .viewOwnProgress),
        Item(href: "/admin/accounts", labelKey: "web.nav.accounts", capability: .administer),
        Item(href: "/admin/keys", labelKey: "web.nav.keys", capability: .administer),
        Item(href: "/admin/audit", labelKey: "web.nav.audit", capability: .administer),
        Item(href: "/admin/privacy", labelKey: "web.nav.privacy", capability: .administer),
        Item(href: "/tokens", labelKey: "web.nav.tokens", capability: .signedIn),
    ]

    static func items(for principal: Principal?) -> [Item] {
        var items = all.filter { Access.allows(principal, $0.capability) }
        // A department head's own department page.
        if let principal, principal.roles.contains(.departmentHead), let department = principal.department {
            items.insert(Item(href: "/department/\(department.rawValue)", labelKey: "web.nav.department", capability: .viewDepartmentPeople), at: 0)
        }
        return items
    }
}

enum WebSetupError: Error, CustomStringConvertible {
    case missingResource(String)
    var description: String {
        switch self { case .missingResource(let name): "the web app's bundled resource '\(name)' is missing" }
    }
}

/// Values shown on pages, written the District's way.
extension Localizer {
    func date(_ date: LocalDate) -> String { self.date(year: date.year, month: date.month, day: date.day) }

    func dateTime(_ value: LocalDateTime) -> String {
        date(value.date) + " " + String(format: "%02d:%02d", value.hour, value.minute)
    }
}

extension Optional where Wrapped == String {
    /// The text for a `{{#name}}…{{name}}…{{/name}}` section, or `false` when it is missing or empty: a
    /// Mustache section renders for any value that is not false or empty, and an Optional inside `Any` is not nil.
    var section: Any {
        guard let self, !self.isEmpty else { return false }
        return self
    }
}
