import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Mustache
import NIOCore
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

/// What every page shows around its own content: the catalog, the language switch, the account and its navigation.
/// The layout template reads them as `layout.…`, so a page whose content has a field of the same name (the trainee's
/// and a person's preferred-language lists, the certificates' languages) cannot take the header's place.
struct LayoutValues: MustacheParent {
    struct LanguageChoice {
        let tag: String
        let name: String
        let current: Bool
    }

    struct AccountBadge {
        let name: String
        let login: String
    }

    struct NavigationLink {
        let href: String
        let label: String
    }

    let t: CatalogNode
    let lang: String
    let csrf: String
    let account: AccountBadge?
    let languages: [LanguageChoice]
    let nav: [NavigationLink]
    let notice: String?

    init(context: WebContext, notice: String?) {
        let localizer = context.localizer
        t = CatalogNode(localizer: localizer, path: "")
        lang = context.language.rawValue
        csrf = context.identity?.csrfToken ?? ""
        account = context.identity.map { AccountBadge(name: localizer.script($0.account.displayName), login: $0.account.login) }
        languages = Language.interfaceLanguages.map { language in
            // Each language under its own name (an autonym reads the same in every catalog).
            LanguageChoice(tag: language.rawValue, name: localizer("language.autonym.\(language.rawValue)"), current: language == context.language)
        }
        nav = Navigation.items(for: context.principal).map { NavigationLink(href: $0.href, label: localizer($0.labelKey)) }
        self.notice = notice
    }

    func child(named name: String) -> Any? {
        switch name {
        case "t": t
        case "lang": lang
        case "csrf": csrf
        case "account": account.map { $0 as Any }
        case "languages": languages
        case "nav": nav
        case "notice": notice.map { $0 as Any }
        default: nil
        }
    }
}

/// A page's values as its template sees them: the page's own typed content first, then the layout's. Lookups of the
/// content go through `Mirror`, as swift-mustache does for any value, so a content type is a plain struct.
struct PageContext<Content>: MustacheParent {
    let content: Content
    let layout: LayoutValues

    func child(named name: String) -> Any? {
        if name == "layout" { return layout }
        if let value = Mirror(reflecting: content).children.first(where: { $0.label == name })?.value { return Self.unwrapped(value) }
        return layout.child(named: name)
    }

    /// The value an optional holds, or nil (an Optional inside `Any` is not nil by itself).
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map(\.value)
    }
}

/// The content of a page that shows only a message (errors, refusals).
struct MessagePage {
    let message: String
    let status: String
}

/// The server-rendered pages: Mustache templates wrapped in one layout, each escaping its values byte by byte
/// (`HTMLEscaping`, named on its first line), each rendered from a typed content value.
struct Pages: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Pages {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw WebSetupError.missingResource("templates")
        }
        _ = HTMLEscaping.registered
        return Pages(library: try await MustacheLibrary(directory: folder.path))
    }

    /// Renders a page template with its content and the layout's values.
    func render<Content>(_ template: String, _ content: Content, context: WebContext, status: HTTPResponse.Status = .ok,
                         notice: String? = nil) -> Response {
        let html = self.html(template, content, context: context, notice: notice)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page's HTML (for callers that cache it).
    func html<Content>(_ template: String, _ content: Content, context: WebContext, notice: String? = nil) -> String {
        library.render(PageContext(content: content, layout: LayoutValues(context: context, notice: notice)), withTemplate: template) ?? ""
    }

    /// The one page for every refused or failed request; it never names the record asked for.
    func error(_ error: WebError, context: WebContext) -> Response {
        var response = message(context.localizer(error.messageKey), status: error.status, context: context)
        if case .tooManyRequests(let retryAfter) = error { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// The error page with a message.
    func message(_ text: String, status: HTTPResponse.Status, context: WebContext) -> Response {
        render("error", MessagePage(message: text, status: String(status.code)), context: context, status: status)
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
        Item(href: "/sessions", labelKey: "web.nav.sessions", capability: .manageSchedule),
        Item(href: "/people", labelKey: "web.nav.people", capability: .managePeople),
        Item(href: "/requirements", labelKey: "web.nav.requirements", capability: .manageRequiredTraining),
        Item(href: "/needs", labelKey: "web.nav.needs", capability: .manageRequiredTraining),
        Item(href: "/plan", labelKey: "web.nav.plan", capability: .manageRequiredTraining),
        Item(href: "/certificates", labelKey: "web.nav.certificates", capability: .issueCertificates),
        Item(href: "/programs", labelKey: "web.nav.programs", capability: .viewCurriculum),
        Item(href: "/reports", labelKey: "web.nav.reports", capability: .viewDepartmentReports),
        Item(href: "/my", labelKey: "web.nav.my", capability: .viewOwnProgress),
        Item(href: "/admin/accounts", labelKey: "web.nav.accounts", capability: .administer),
        Item(href: "/admin/keys", labelKey: "web.nav.keys", capability: .administer),
        Item(href: "/admin/audit", labelKey: "web.nav.audit", capability: .administer),
        Item(href: "/admin/privacy", labelKey: "web.nav.privacy", capability: .administer),
        Item(href: "/admin/outbox", labelKey: "web.nav.outbox", capability: .administer),
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

    /// A notice named in a redirect's query (`?notice=person_saved`), in words.
    func notice(_ request: Request) -> String? {
        request.query("notice").map { self("web.notice.\($0)") }
    }
}

extension String {
    /// The text, or nil when it is empty (a page shows nothing for it).
    var nonEmpty: String? { isEmpty ? nil : self }
}
