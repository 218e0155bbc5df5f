import Foundation
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// Sign-in, sign-out and the home page.
struct SignInController {
    let signIn: SignInDesk
    let pages: Pages
    let cookies: SessionCookies
    let clock: OfficeClock
    /// Five wrong passwords for one account lock it for five minutes.
    let accountLogins: Throttle
    /// Twenty wrong passwords from one address lock the address for fifteen minutes.
    let addressLogins: Throttle

    func register(on routes: RouteTable) {
        routes.get("/login", .everyone) { request, context in try await showForm(request, context) }
        routes.post("/login", .everyone, bodyLimit: BodyLimit.signIn) { request, context in try await signIn(request, context) }
        routes.post("/logout", .signedIn) { _, context in await signOut(context) }
        routes.get("/", .signedIn) { _, context in try home(context) }
    }

    /// Only a local path may be the target after sign-in (no `//host` or scheme).
    static func safeNext(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.count < 300 else { return "/" }
        return path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"
    }

    struct LoginPage {
        let csrf, next, login: String
        let error: String?
    }

    private func showForm(_ request: Request, _ context: WebContext, error: String? = nil,
                          status: HTTPResponse.Status = .ok, login: String = "") async throws -> Response {
        if context.identity != nil, error == nil { return .seeOther("/") }
        let token = context.cookies[cookies.loginCSRFName] ?? SecretToken.new()
        var response = pages.render("login", LoginPage(csrf: token, next: Self.safeNext(request.query("next")), login: login, error: error),
                                    context: context, status: status,
                                    notice: request.query("notice") == "password_set" ? context.localizer("web.notice.password_set") : nil)
        response.setCookie(cookies.cookie(cookies.loginCSRFName, token))
        return response
    }

    private func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        // The lock counts the login as it is looked up: one canonical form (a login no account can have counts as typed).
        let typed = form["login"] ?? ""
        let login = (try? CanonicalText.login(typed)) ?? typed.lowercased()
        let password = form.fields.first { $0.0 == "password" }?.1 ?? ""
        let t = context.localizer
        let addressKey = "ip:\(context.clientAddress)", accountKey = "account:\(login)"
        let addressWait = await addressLogins.retryAfter(addressKey)
        let accountWait = await accountLogins.retryAfter(accountKey)
        if let wait = addressWait ?? accountWait {
            return try await showForm(request, context, error: t("web.login.locked", ["minutes": String((wait + 59) / 60)]),
                                      status: .tooManyRequests, login: login)
        }
        // bcrypt blocks its thread: off the event loops. An unknown login takes as long as a wrong password.
        let (account, preferred) = try await offload { [signIn] in
            let account = try signIn.authenticate(login: login, password: password)
            return (account, account.flatMap(signIn.preferredLanguage))
        }
        guard let account else {
            await addressLogins.record(addressKey)
            if let lockout = await accountLogins.record(accountKey) {
                return try await showForm(request, context, error: t("web.login.locked", ["minutes": String(lockout / 60)]),
                                          status: .tooManyRequests, login: login)
            }
            return try await showForm(request, context, error: t("web.login.failed"), status: .unauthorized, login: login)
        }
        await accountLogins.reset(accountKey)
        let token = SecretToken.new()
        let now = Int64(clock.date().timeIntervalSince1970)
        try await offload { [signIn] in
            try signIn.startSession(tokenSHA256: SecretToken.digest(token), account: account, csrfToken: SecretToken.new(), now: now,
                                    idleExpiresAt: now + SessionCookies.idleTimeout, absoluteExpiresAt: now + SessionCookies.absoluteTimeout)
        }
        var response = Response.seeOther(Self.safeNext(form["next"]))
        response.setCookie(cookies.cookie(cookies.sessionName, token))
        response.setCookie(cookies.cookie(cookies.loginCSRFName, "", maxAge: 0))
        // A person who chose a language reads in it from the first page, unless this browser already chose one.
        if context.cookies["lang"] == nil, let language = preferred {
            response.setCookie(cookies.cookie("lang", language.rawValue, maxAge: 365 * 86400))
        }
        return response
    }

    private func signOut(_ context: WebContext) async -> Response {
        if let identity = context.identity { _ = try? await offload { [signIn] in try signIn.endSession(tokenSHA256: identity.sessionKey) } }
        var response = Response.seeOther("/login")
        response.setCookie(cookies.cookie(cookies.sessionName, "", maxAge: 0))
        return response
    }

    /// Each role's start page.
    private func home(_ context: WebContext) throws -> Response {
        guard let principal = context.principal else { throw WebError.signInRequired }
        if Access.allows(principal, .manageCohorts) { return .seeOther("/cohorts") }
        if principal.roles.contains(.departmentHead), let department = principal.department {
            return .seeOther("/department/\(department.rawValue)")
        }
        if principal.roles.contains(.admin) { return .seeOther("/admin/accounts") }
        if principal.personalNumber != nil { return .seeOther("/my") }
        return pages.message(context.localizer("web.error.forbidden"), status: .forbidden, context: context)
    }
}
