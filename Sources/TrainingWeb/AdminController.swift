import Foundation
import HTTPTypes
import Hummingbird
import TrainingCore
import TrainingOffice
import TrainingStore

/// The administrator's pages: accounts (create, roles and scope, disable, one-time reset links), signing
/// keys, and the audit log with filters and the chain check.
struct AdminController {
    let services: WebServices
    var database: AppDatabase { services.database }
    /// A reset link works for one day, once.
    static let resetLifetime: Int64 = 24 * 60 * 60

    func register(on routes: RouteTable) {
        routes.get("/admin/accounts", .administer) { request, context in
            try accounts(context, notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
        }
        routes.post("/admin/accounts", .administer) { request, context in try await create(request, context) }
        routes.post("/admin/accounts/{login}", .administer) { request, context in try await change(request, context) }
        routes.get("/admin/keys", .administer) { request, context in try keys(context, notice: request.query("notice")) }
        routes.post("/admin/keys/rotate", .administer) { _, context in
            _ = try CertificateOffice.rotateKey(database, dataDirectory: services.office.dataDirectory, actor: try context.actor())
            return .seeOther("/admin/keys?notice=rotated")
        }
        routes.get("/admin/audit", .administer) { request, context in try audit(request, context) }
        routes.get("/reset/{token}", .everyone) { request, context in try resetForm(request, context) }
        routes.post("/reset/{token}", .everyone) { request, context in try await reset(request, context) }
    }

    private func accounts(_ context: WebContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok,
                          notice: String? = nil) throws -> Response {
        let t = context.localizer
        let departments = try database.departments()
        var values: [String: Any] = [
            "accounts": try database.accounts().map { account in
                [
                    "login": account.login, "name": account.displayName, "disabled": account.disabled,
                    "roles": account.roles.sorted().map { t("role.\($0.rawValue)") }.joined(separator: ", "),
                    "scope": (account.department?.rawValue ?? account.personalNumber).section,
                    "role_options": Role.allCases.filter { $0 != .trainee || account.personalNumber != nil }.map { role in
                        ["value": role.rawValue, "label": t("role.\(role.rawValue)"), "checked": account.roles.contains(role)]
                    },
                    "departments": departments.map { ["code": $0.code.rawValue, "selected": $0.code == account.department] },
                    "self": account.login == context.identity?.account.login,
                ] as [String: Any]
            },
            "roles": Role.allCases.map { ["value": $0.rawValue, "label": t("role.\($0.rawValue)")] },
            "departments": departments.map { ["code": $0.code.rawValue, "name": $0.name(in: context.language)] },
            "errors": [String](),
        ]
        values.merge(extra) { $1 }
        return services.pages.render("admin_accounts", values, context: context, status: status, notice: notice)
    }

    private func create(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let roles = Set(form.all("role").compactMap(Role.init(rawValue:)))
        do {
            let account = try database.createAccount(AccountDraft(
                login: form["login"] ?? "", displayName: form["name"] ?? form["login"] ?? "",
                // No usable password until the person follows the one-time link.
                passwordHash: Passwords.hash(SessionCookies.newToken()), roles: roles,
                department: form["department"].map(DepartmentCode.init), personalNumber: form["person"]), actor: try context.actor())
            return try accounts(context, extra: ["reset_url": try resetLink(for: account.login, context)],
                                notice: context.localizer("web.notice.account_created"))
        } catch let error as any UserFacingError {
            return try accounts(context, extra: ["errors": [context.localizer.message(for: error)]], status: .unprocessableContent)
        }
    }

    private func change(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let login = try context.parameters.require("login")
        guard try database.account(login: login) != nil else { throw WebError.notFound }
        let actor = try context.actor()
        do {
            switch try form.require("action") {
            case "disable":
                guard login != context.identity?.account.login else { throw WebError.badRequest("self") }
                try database.setDisabled(login: login, true, actor: actor)
            case "enable": try database.setDisabled(login: login, false, actor: actor)
            case "roles":
                try database.setRoles(login: login, roles: Set(form.all("role").compactMap(Role.init(rawValue:))),
                                      department: form["department"].map(DepartmentCode.init), actor: actor)
            case "reset":
                return try accounts(context, extra: ["reset_url": try resetLink(for: login, context), "reset_login": login])
            default: throw WebError.badRequest("action")
            }
        } catch let error as any UserFacingError {
            return try accounts(context, extra: ["errors": [context.localizer.message(for: error)]], status: .unprocessableContent)
        }
        return .seeOther("/admin/accounts?notice=account_changed")
    }

    /// A one-time link the administrator hands over; only its hash is stored.
    private func resetLink(for login: String, _ context: WebContext) throws -> String {
        let token = SessionCookies.newToken()
        let expires = Int64(services.clock().timeIntervalSince1970) + Self.resetLifetime
        try database.createPasswordReset(login: login, tokenSHA256: SessionCookies.key(of: token), expiresAt: expires,
                                         actor: try context.actor())
        return "\(services.office.publicURL)/reset/\(token)"
    }

    private func resetAccount(_ context: WebContext) throws -> (String, Account) {
        let token = try context.parameters.require("token")
        let now = Int64(services.clock().timeIntervalSince1970)
        guard token.count < 100, let account = try database.passwordResetAccount(tokenSHA256: SessionCookies.key(of: token), now: now) else {
            throw WebError.notFound
        }
        return (token, account)
    }

    private func resetForm(_ request: Request, _ context: WebContext, error: String? = nil,
                           status: HTTPResponse.Status = .ok) throws -> Response {
        let (token, account) = try resetAccount(context)
        // Signed out, the form's CSRF token is the same double-submit cookie the sign-in form uses.
        let csrf = context.cookies[services.cookies.loginCSRFName] ?? SessionCookies.newToken()
        var values: [String: Any] = ["token": token, "login": account.login, "csrf": context.identity?.csrfToken ?? csrf]
        if let error { values["error"] = error }
        var response = services.pages.render("reset", values, context: context, status: status)
        response.setCookie(services.cookies.cookie(services.cookies.loginCSRFName, csrf))
        return response
    }

    private func reset(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let (token, _) = try resetAccount(context)
        let password = form.fields.first { $0.0 == "password" }?.1 ?? ""
        guard password.count >= 10 else {
            return try resetForm(request, context, error: context.localizer("web.reset.too_short"), status: .unprocessableContent)
        }
        guard password == form.fields.first(where: { $0.0 == "repeat" })?.1 else {
            return try resetForm(request, context, error: context.localizer("web.reset.mismatch"), status: .unprocessableContent)
        }
        let hash = try await Passwords.hashOffThread(password)
        _ = try database.completePasswordReset(tokenSHA256: SessionCookies.key(of: token), passwordHash: hash,
                                               now: Int64(services.clock().timeIntervalSince1970))
        return .seeOther("/login?notice=password_set")
    }

    private func keys(_ context: WebContext, notice: String?) throws -> Response {
        let t = context.localizer
        let current = try database.currentSigningKeyID()
        return services.pages.render("admin_keys", [
            "keys": try database.signingKeys().map { key in
                ["id": key.keyID, "public_key": key.publicKey, "created": key.createdAt, "retired": key.retiredAt ?? "",
                 "current": key.keyID == current]
            },
        ], context: context, notice: notice.map { t("web.notice.key_\($0)") })
    }

    private func audit(_ request: Request, _ context: WebContext) throws -> Response {
        let t = context.localizer
        let limit = min(max(request.query("limit").flatMap(Int.init) ?? 100, 1), 1000)
        let events = try database.auditEvents(limit: limit, entityType: request.query("entity_type"), entityID: request.query("entity_id"),
                                              actor: request.query("actor"), actionPrefix: request.query("action"))
        let verification: [String: Any]
        switch try database.verifyAudit() {
        case .intact(let count, let head):
            verification = ["intact": true, "text": t("audit.verify.intact", ["count": String(count), "head": head])]
        case .broken(let seq, let reason):
            verification = ["intact": false, "text": t("audit.verify.broken", ["seq": String(seq), "reason": t("audit.break.\(reason.rawValue)")])]
        }
        return services.pages.render("admin_audit", [
            "events": events.map { event in
                ["seq": String(event.seq), "at": event.at, "actor": event.actor, "action": event.action,
                 "entity": "\(event.entityType) \(event.entityID)", "details": event.details ?? (event.detailsDigest == nil ? "" : t("audit.details_erased"))]
            },
            "verification": verification,
            "filter": ["entity_type": request.query("entity_type") ?? "", "entity_id": request.query("entity_id") ?? "",
                       "actor": request.query("actor") ?? "", "action": request.query("action") ?? "", "limit": String(limit)],
        ], context: context)
    }
}
