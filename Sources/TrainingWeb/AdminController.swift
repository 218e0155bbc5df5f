import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// The administrator's pages: accounts (create, roles and scope, disable, one-time reset links), signing
/// keys, and the audit log with filters and the chain check; and the reset link's own page.
struct AdminController {
    let accounts: AccountAdministration
    let certificates: CertificateDesk
    let administration: DataAdministration
    let pages: Pages
    let cookies: SessionCookies
    /// A reset link works for one day, once.
    static let resetLifetime: Int64 = 24 * 60 * 60

    /// How many audit events the filter shows.
    static let auditLimitField = NumberFormField("GET", path: "/admin/audit", name: "limit", field: Paging.limit,
                                                 labelKey: "web.admin.limit")

    func register(on routes: RouteTable) {
        routes.get("/admin/accounts", .administer) { request, context in
            try accountsPage(context, notice: context.localizer.notice(request))
        }
        routes.post("/admin/accounts", .administer) { request, context in try await create(request, context) }
        routes.post("/admin/accounts/{login}", .administer) { request, context in try await change(request, context) }
        // An administrator sees every account's live API tokens and revokes any of them.
        routes.post("/admin/accounts/{login}/tokens/{id}/revoke", .administer) { _, context in
            let login = try context.parameters.require("login"), actor = try context.actor()
            guard let id = try? NumberField.recordNumber.readWhole(context.parameters.get("id") ?? "", field: "id"),
                  try await offload({ try accounts.revokeToken(id: Int64(id), login: login, actor: actor) }) else { throw WebError.notFound }
            return .seeOther("/admin/accounts?notice=token_revoked")
        }
        routes.get("/admin/keys", .administer) { request, context in try keys(context, notice: request.query("notice")) }
        routes.post("/admin/keys/rotate", .administer) { _, context in
            let actor = try context.actor()
            _ = try await offload { try certificates.rotateKey(actor: actor) }
            return .seeOther("/admin/keys?notice=rotated")
        }
        routes.get("/admin/audit", .administer) { request, context in try audit(request, context) }
        registerAPI(on: routes)
        routes.get("\(APIController.prefix)/audit", .administer) { request, context in
            // The API's numbers are read as every API query number is: a refusal is a 400 problem naming the parameter.
            let limit = try Page<AuditEventDTO>.integer(request, "limit", Paging.limit, default: 100, context)
            let after = request.uri.queryParameters["after"] == nil ? nil
                : try Page<AuditEventDTO>.integer(request, "after", .recordNumber, default: 0, context)
            let query = AuditListQuery(entityType: request.query("entity_type"), entityID: request.query("entity_id"),
                                       actor: request.query("actor"), actionPrefix: request.query("action"),
                                       position: after.map { .after(Int64($0)) } ?? .first, limit: limit)
            let slice = try administration.auditEvents(query)
            return try APIJSON.response(AuditPageDTO(items: slice.items.map(AuditEventDTO.init), total: slice.total, limit: limit,
                                                     nextAfter: slice.hasNext ? slice.items.last?.seq : nil))
        }
        routes.get("\(APIController.prefix)/audit/verification", .administer) { _, _ in
            switch try administration.verifyAudit() {
            case .intact(let count, let head): try APIJSON.response(AuditVerificationDTO(intact: true, events: count, head: head))
            case .broken(let seq, let reason):
                try APIJSON.response(AuditVerificationDTO(intact: false, brokenAt: seq, reason: reason.rawValue))
            }
        }
        routes.get("/reset/{token}", .everyone) { request, context in try resetForm(request, context) }
        routes.post("/reset/{token}", .everyone) { request, context in try await reset(request, context) }
    }

    /// The administrator's API: accounts, keys.
    private func registerAPI(on routes: RouteTable) {
        let api = APIController.prefix
        routes.get("\(api)/accounts", .administer) { request, context in
            try APIJSON.response(try Page(try accounts.list().map(AccountDTO.init), request: request, context: context))
        }
        routes.post("\(api)/accounts", .administer) { request, context in
            let body = try await APIJSON.body(AccountRequest.self, request, context)
            let roles = try Self.roles(body.roles, context), actor = try context.actor()
            let created = try await offload {
                try accounts.createWithResetLink(login: body.login, displayName: body.name ?? body.login, roles: roles,
                                                 department: body.department.map(DepartmentCode.init), person: body.personalNumber,
                                                 lifetime: Self.resetLifetime, actor: actor)
            }
            return try APIJSON.response(AccountCreatedDTO(account: AccountDTO(created.account), resetLink: created.resetLink), status: .created)
        }
        routes.post("\(api)/accounts/{login}", .administer) { request, context in
            let login = try context.parameters.require("login")
            guard try accounts.account(login: login) != nil else { throw WebError.notFound }
            let body = try await APIJSON.body(AccountChangeRequest.self, request, context)
            let actor = try context.actor()
            var resetLink: String?
            switch body.action {
            case "disable":
                guard login != context.identity?.account.login else {
                    throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: context.localizer("web.admin.not_self")))
                }
                try await offload { try accounts.setDisabled(login: login, true, actor: actor) }
            case "enable": try await offload { try accounts.setDisabled(login: login, false, actor: actor) }
            case "roles":
                let roles = try Self.roles(body.roles ?? [], context), department = body.department.map(DepartmentCode.init)
                try await offload { try accounts.setRoles(login: login, roles: roles, department: department, actor: actor) }
            case "reset":
                resetLink = try await offload { try accounts.resetLink(login: login, lifetime: Self.resetLifetime, actor: actor) }
            default:
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                               detail: context.localizer("web.admin.unknown_action", ["value": body.action])))
            }
            guard let account = try accounts.account(login: login) else { throw WebError.notFound }
            return try APIJSON.response(AccountCreatedDTO(account: AccountDTO(account), resetLink: resetLink))
        }
        routes.get("\(api)/keys", .everyone) { _, _ in
            try APIJSON.response(try certificates.signingKeys().map(SigningKeyDTO.init))
        }
        routes.post("\(api)/keys/rotation", .administer) { _, context in
            let actor = try context.actor()
            let rotated = try await offload { try certificates.rotateKey(actor: actor) }
            return try APIJSON.response(KeyRotationDTO(key: rotated.key, previous: rotated.previous), status: .created)
        }
    }

    /// Roles named in a request; an unknown one is refused by name.
    private static func roles(_ names: [String], _ context: WebContext) throws -> Set<Role> {
        Set(try names.map { name in
            guard let role = Role(rawValue: name) else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                               detail: context.localizer("web.admin.unknown_role", ["value": name])))
            }
            return role
        })
    }

    struct AccountsPage {
        struct Row {
            struct RoleOption {
                let value, label: String
                let checked: Bool
            }
            struct DepartmentOption {
                let code: String
                let selected: Bool
            }
            let login, name: String
            let disabled: Bool
            let roles: String
            let scope: String?
            let role_options: [RoleOption]
            let departments: [DepartmentOption]
            let `self`: Bool
            let tokens: [Token]
        }
        /// A live API token of an account (never the token itself).
        struct Token {
            let id, name, expires: String
        }
        struct RoleChoice {
            let value, label: String
        }
        struct DepartmentChoice {
            let code, name: String
        }
        let accounts: [Row]
        let roles: [RoleChoice]
        let departments: [DepartmentChoice]
        var errors: [String] = []
        var reset_url: String?
        var reset_login: String?
    }

    private func accountsPage(_ context: WebContext, status: HTTPResponse.Status = .ok, notice: String? = nil,
                              adjust: (inout AccountsPage) -> Void = { _ in }) throws -> Response {
        let t = context.localizer
        let departments = try administration.departments()
        var page = AccountsPage(
            accounts: try accounts.list().map { account in
                .init(login: account.login, name: account.displayName, disabled: account.disabled,
                      roles: account.roles.sorted().map { t("role.\($0.rawValue)") }.joined(separator: ", "),
                      scope: (account.department?.rawValue ?? account.personalNumber)?.nonEmpty,
                      role_options: Role.allCases.filter { $0 != .trainee || account.personalNumber != nil }.map { role in
                          .init(value: role.rawValue, label: t("role.\(role.rawValue)"), checked: account.roles.contains(role))
                      },
                      departments: departments.map { .init(code: $0.code.rawValue, selected: $0.code == account.department) },
                      self: account.login == context.identity?.account.login,
                      tokens: try accounts.tokens(login: account.login).filter { !$0.revoked }.map { token in
                          .init(id: String(token.id), name: token.name, expires: TokenController.day(token.expiresAt, t))
                      })
            },
            roles: Role.allCases.map { .init(value: $0.rawValue, label: t("role.\($0.rawValue)")) },
            departments: departments.map { .init(code: $0.code.rawValue, name: $0.name(in: context.language)) })
        adjust(&page)
        return pages.render("admin_accounts", page, context: context, status: status, notice: notice)
    }

    private func create(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let roles = Set(form.all("role").compactMap(Role.init(rawValue:)))
        let actor = try context.actor()
        do {
            // No usable password until the person follows the one-time link: a generated one nobody sees.
            let url = try await offload {
                try accounts.createWithResetLink(
                    login: form["login"] ?? "", displayName: form["name"] ?? form["login"] ?? "", roles: roles,
                    department: form["department"].map(DepartmentCode.init), person: form["person"], lifetime: Self.resetLifetime,
                    actor: actor).resetLink
            }
            return try accountsPage(context, notice: context.localizer("web.notice.account_created")) { $0.reset_url = url }
        } catch let error as any UserFacingError {
            return try accountsPage(context, status: .unprocessableContent) { $0.errors = [context.localizer.message(for: error)] }
        }
    }

    private func change(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let login = try context.parameters.require("login")
        guard try accounts.account(login: login) != nil else { throw WebError.notFound }
        let actor = try context.actor()
        do {
            switch try form.require("action") {
            case "disable":
                guard login != context.identity?.account.login else { throw WebError.badRequest("self") }
                try await offload { try accounts.setDisabled(login: login, true, actor: actor) }
            case "enable": try await offload { try accounts.setDisabled(login: login, false, actor: actor) }
            case "roles":
                let roles = Set(form.all("role").compactMap(Role.init(rawValue:))), department = form["department"].map(DepartmentCode.init)
                try await offload { try accounts.setRoles(login: login, roles: roles, department: department, actor: actor) }
            case "reset":
                let url = try await offload { try accounts.resetLink(login: login, lifetime: Self.resetLifetime, actor: actor) }
                return try accountsPage(context) { page in
                    page.reset_url = url
                    page.reset_login = login
                }
            default: throw WebError.badRequest("action")
            }
        } catch let error as any UserFacingError {
            return try accountsPage(context, status: .unprocessableContent) { $0.errors = [context.localizer.message(for: error)] }
        }
        return .seeOther("/admin/accounts?notice=account_changed")
    }

    private func resetAccount(_ context: WebContext) throws -> (String, Account) {
        let token = try context.parameters.require("token")
        guard let account = try accounts.account(resetToken: token) else { throw WebError.notFound }
        return (token, account)
    }

    struct ResetPage {
        let token, login, csrf: String
        var error: String?
    }

    private func resetForm(_ request: Request, _ context: WebContext, error: String? = nil,
                           status: HTTPResponse.Status = .ok) throws -> Response {
        let (token, account) = try resetAccount(context)
        // Signed out, the form's CSRF token is the same double-submit cookie the sign-in form uses.
        let csrf = context.cookies[cookies.loginCSRFName] ?? SecretToken.new()
        var response = pages.render("reset", ResetPage(token: token, login: account.login, csrf: context.identity?.csrfToken ?? csrf, error: error),
                                    context: context, status: status)
        response.setCookie(cookies.cookie(cookies.loginCSRFName, csrf))
        return response
    }

    private func reset(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let (token, _) = try resetAccount(context)
        let password = form.fields.first { $0.0 == "password" }?.1 ?? ""
        guard password.count >= Passwords.minimumLength else {
            return try resetForm(request, context, error: context.localizer("web.reset.too_short"), status: .unprocessableContent)
        }
        guard password == form.fields.first(where: { $0.0 == "repeat" })?.1 else {
            return try resetForm(request, context, error: context.localizer("web.reset.mismatch"), status: .unprocessableContent)
        }
        _ = try await offload { try accounts.completeReset(token: token, password: password) }
        return .seeOther("/login?notice=password_set")
    }

    struct KeysPage {
        struct Key {
            let id, public_key, created, retired: String
            let current: Bool
        }
        let keys: [Key]
    }

    private func keys(_ context: WebContext, notice: String?) throws -> Response {
        let current = try certificates.currentKeyID()
        let page = KeysPage(keys: try certificates.signingKeys().map {
            .init(id: $0.keyID, public_key: $0.publicKey, created: $0.createdAt, retired: $0.retiredAt ?? "", current: $0.keyID == current)
        })
        return pages.render("admin_keys", page, context: context, notice: notice.map { context.localizer("web.notice.key_\($0)") })
    }

    struct AuditPage {
        struct Event {
            let seq, at, actor, action, entity, details: String
        }
        struct Verification {
            let intact: Bool
            let text: String
        }
        let events: [Event]
        let verification: Verification
        /// The damage found in the database, if it is marked damaged (writes are refused until a backup is restored).
        let damage: String?
        let filter: [String: String]
        let pager: ListControls.Pager
    }

    /// The audit query a request asks for: its filters, page size and position.
    private func auditQuery(_ request: Request, _ context: WebContext) throws -> (AuditListQuery, ListControls, Int) {
        let t = context.localizer
        let limit = try Form(fields: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
            .number(Self.auditLimitField, t).map { Int($0) } ?? 100
        let controls = try ListControls(request, path: "/admin/audit", filters: ["entity_type", "entity_id", "actor", "action", "limit"],
                                        sorts: ["seq"], defaultSort: "seq", defaultDescending: true, t)
        let query = AuditListQuery(entityType: request.query("entity_type"), entityID: request.query("entity_id"), actor: request.query("actor"),
                                   actionPrefix: request.query("action"), descending: controls.descending, position: controls.position,
                                   limit: limit)
        return (query, controls, limit)
    }

    private func audit(_ request: Request, _ context: WebContext) throws -> Response {
        let t = context.localizer
        let (query, controls, limit) = try auditQuery(request, context)
        let slice = try administration.auditEvents(query)
        let verification: AuditPage.Verification
        switch try administration.verifyAudit() {
        case .intact(let count, let head):
            verification = .init(intact: true, text: t("audit.verify.intact", ["count": String(count), "head": head]))
        case .broken(let seq, let reason):
            verification = .init(intact: false, text: t("audit.verify.broken", ["seq": String(seq), "reason": t("audit.break.\(reason.rawValue)")]))
        }
        let page = AuditPage(
            events: slice.items.map { event in
                .init(seq: String(event.seq), at: "\(t.day(ofTimestamp: event.at)) \(event.at.dropFirst(11).prefix(5))", actor: event.actor,
                      action: event.action, entity: "\(event.entityType) \(event.entityID)",
                      details: event.details ?? (event.detailsDigest == nil ? "" : t("audit.details_erased")))
            },
            verification: verification,
            damage: administration.damage.map { t("status.damaged", ["finding": $0]) },
            filter: ["entity_type": request.query("entity_type") ?? "", "entity_id": request.query("entity_id") ?? "",
                     "actor": request.query("actor") ?? "", "action": request.query("action") ?? "", "limit": String(limit)],
            pager: controls.pager(slice, id: \.seq, t))
        return pages.render("admin_audit", page, context: context)
    }
}

struct AuditEventDTO: Encodable {
    var seq: Int64
    var at, actor, action, entityType, entityId: String
    var details: String?
    init(_ event: AuditEvent) {
        seq = event.seq; at = event.at; actor = event.actor; action = event.action; entityType = event.entityType
        entityId = event.entityID; details = event.details
    }
}

/// A page of the audit log; `next_after` is the `after` of the next page (none on the last).
struct AuditPageDTO: Encodable {
    var items: [AuditEventDTO]
    var total: Int
    var limit: Int
    var nextAfter: Int64?
}

struct AuditVerificationDTO: Encodable {
    var intact: Bool
    var events: Int?
    var head: String?
    var brokenAt: Int64?
    var reason: String?
}

struct AccountDTO: Encodable {
    var login, name: String
    var roles: [String]
    var department, personalNumber: String?
    var disabled: Bool
    init(_ account: Account) {
        login = account.login; name = account.displayName; roles = account.roles.map(\.rawValue).sorted()
        department = account.department?.rawValue; personalNumber = account.personalNumber; disabled = account.disabled
    }
}

/// An account, and the one-time link that sets its password when one was made.
struct AccountCreatedDTO: Encodable {
    var account: AccountDTO
    var resetLink: String?
}

struct SigningKeyDTO: Encodable {
    var id, publicKey, created: String
    var retired: String?
    init(_ key: PublicSigningKey) { id = key.keyID; publicKey = key.publicKey; created = key.createdAt; retired = key.retiredAt }
}

struct KeyRotationDTO: Encodable { var key: String; var previous: String? }

/// A new account: it has no usable password until its holder follows the reset link.
struct AccountRequest: Decodable { var login: String; var name: String?; var roles: [String]; var department, personalNumber: String? }
/// `disable`, `enable`, `roles` (with roles and department) or `reset` (a new one-time link).
struct AccountChangeRequest: Decodable { var action: String; var roles: [String]?; var department: String? }
