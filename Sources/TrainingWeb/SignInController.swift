import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import TrainingCore
import TrainingStore

/// Password hashing for accounts: bcrypt, cost 11 (≈ 0.1 s here), run off the request threads.
public enum Passwords {
    public static let cost: UInt8 = 11

    public static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// A hash no password matches, checked for unknown logins so they take as long as known ones.
    static let decoy = Bcrypt.hash("obuka-decoy-\(UUID().uuidString)", cost: cost)

    /// Hashes on NIO's thread pool, not on a request thread.
    static func hashOffThread(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { hash(password) }
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

/// Sign-in, sign-out and the home page.
struct SignInController {
    let services: WebServices

    func register(on routes: RouteTable) {
        routes.get("/login", .everyone) { request, context in try await showForm(request, context) }
        routes.post("/login", .everyone) { request, context in try await signIn(request, context) }
        routes.post("/logout", .signedIn) { _, context in signOut(context) }
        routes.get("/", .signedIn) { _, context in try home(context) }
    }

    /// Only a local path may be the target after sign-in (no `//host` or scheme).
    static func safeNext(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.count < 300 else { return "/" }
        return path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"
    }

    private func showForm(_ request: Request, _ context: WebContext, error: String? = nil,
                          status: HTTPResponse.Status = .ok, login: String = "") async throws -> Response {
        if context.identity != nil, error == nil { return .seeOther("/") }
        let token = context.cookies[services.cookies.loginCSRFName] ?? SessionCookies.newToken()
        var values: [String: Any] = ["csrf": token, "next": Self.safeNext(request.query("next")), "login": login]
        if let error { values["error"] = error }
        var response = services.pages.render("login", values, context: context, status: status,
                                             notice: request.query("notice") == "password_set" ? context.localizer("web.notice.password_set") : nil)
        response.setCookie(services.cookies.cookie(services.cookies.loginCSRFName, token))
        return response
    }

    private func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let login = (form["login"] ?? "").lowercased()
        let password = form.fields.first { $0.0 == "password" }?.1 ?? ""
        let t = context.localizer
        let addressKey = "ip:\(context.clientAddress)", accountKey = "account:\(login)"
        let addressWait = await services.addressLogins.retryAfter(addressKey)
        let accountWait = await services.accountLogins.retryAfter(accountKey)
        if let wait = addressWait ?? accountWait {
            return try await showForm(request, context, error: t("web.login.locked", ["minutes": String((wait + 59) / 60)]),
                                      status: .tooManyRequests, login: login)
        }
        let account = login.isEmpty ? nil : try services.database.account(login: login)
        let matches = try await Passwords.verify(password, hash: account?.passwordHash ?? Passwords.decoy)
        guard let account, matches, !account.disabled else {
            await services.addressLogins.record(addressKey)
            if let lockout = await services.accountLogins.record(accountKey) {
                return try await showForm(request, context, error: t("web.login.locked", ["minutes": String(lockout / 60)]),
                                          status: .tooManyRequests, login: login)
            }
            return try await showForm(request, context, error: t("web.login.failed"), status: .unauthorized, login: login)
        }
        await services.accountLogins.reset(accountKey)
        let token = SessionCookies.newToken()
        let now = Int64(services.clock().timeIntervalSince1970)
        try services.database.createSession(
            tokenSHA256: SessionCookies.key(of: token), accountID: account.id, csrfToken: SessionCookies.newToken(), now: now,
            idleExpiresAt: now + SessionCookies.idleTimeout, absoluteExpiresAt: now + SessionCookies.absoluteTimeout)
        var response = Response.seeOther(Self.safeNext(form["next"]))
        response.setCookie(services.cookies.cookie(services.cookies.sessionName, token))
        response.setCookie(services.cookies.cookie(services.cookies.loginCSRFName, "", maxAge: 0))
        return response
    }

    private func signOut(_ context: WebContext) -> Response {
        if let identity = context.identity { try? services.database.deleteSession(tokenSHA256: identity.sessionKey) }
        var response = Response.seeOther("/login")
        response.setCookie(services.cookies.cookie(services.cookies.sessionName, "", maxAge: 0))
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
        return services.pages.render("error", ["message": context.localizer("web.error.forbidden"), "status": "403"],
                                     context: context, status: .forbidden)
    }
}
