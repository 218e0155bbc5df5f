import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// Personal API tokens: any signed-in account makes tokens for its scripts (shown once), sees when each was
/// last used, and revokes them.
struct TokenController {
    let accounts: AccountAdministration
    let pages: Pages

    func register(on routes: RouteTable) {
        routes.get("/tokens", .signedIn) { _, context in try page(context) }
        routes.post("/tokens", .signedIn) { request, context in
            var request = request
            let form = try await request.form(context)
            guard let login = context.identity?.account.login else { throw WebError.signInRequired }
            let name = form["name"] ?? "script", actor = try context.actor()
            let created = try await offload { try accounts.createToken(login: login, name: name, actor: actor) }
            return try page(context, newToken: created)
        }
        routes.post("/tokens/{id}/revoke", .signedIn) { _, context in
            guard let login = context.identity?.account.login,
                  let id = try? NumberField.recordNumber.readWhole(context.parameters.get("id") ?? "", field: "id") else { throw WebError.notFound }
            let actor = try context.actor()
            guard try await offload({ try accounts.revokeToken(id: Int64(id), login: login, actor: actor) }) else { throw WebError.notFound }
            return .seeOther("/tokens")
        }
        let api = APIController.prefix
        routes.get("\(api)/tokens", .signedIn) { request, context in
            guard let login = context.identity?.account.login else { throw WebError.signInRequired }
            return try APIJSON.response(try Page(try accounts.tokens(login: login).map(TokenDTO.init), request: request, context: context))
        }
        routes.post("\(api)/tokens", .signedIn) { request, context in
            guard let login = context.identity?.account.login else { throw WebError.signInRequired }
            let body = try await APIJSON.body(TokenRequest.self, request, context)
            let actor = try context.actor()
            let created = try await offload { try accounts.createToken(login: login, name: body.name ?? "script", actor: actor) }
            return try APIJSON.response(TokenCreatedDTO(token: created.token, listed: TokenDTO(created.listed)), status: .created)
        }
        routes.post("\(api)/tokens/{id}/revocation", .signedIn) { _, context in
            guard let login = context.identity?.account.login,
                  let id = try? NumberField.recordNumber.readWhole(context.parameters.get("id") ?? "", field: "id") else { throw WebError.notFound }
            let actor = try context.actor()
            guard try await offload({ try accounts.revokeToken(id: Int64(id), login: login, actor: actor) }) else { throw WebError.notFound }
            return try APIJSON.response(RemovedDTO(removed: true))
        }
    }

    struct TokensPage {
        struct Token {
            let id, name, created, expires: String
            let revoked: Bool
            let last_used: String
        }
        let tokens: [Token]
        let new_token: String?
        let new_expires: String?
    }

    private func page(_ context: WebContext, newToken: (token: String, listed: APIToken)? = nil) throws -> Response {
        guard let login = context.identity?.account.login else { throw WebError.signInRequired }
        let t = context.localizer
        let page = TokensPage(
            tokens: try accounts.tokens(login: login).map { token in
                .init(id: String(token.id), name: token.name, created: token.createdAt, expires: Self.day(token.expiresAt, t),
                      revoked: token.revoked,
                      last_used: token.lastUsedAt.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0))) }
                        ?? t("web.tokens.never"))
            },
            new_token: newToken?.token, new_expires: newToken.map { Self.day($0.listed.expiresAt, t) })
        return pages.render("tokens", page, context: context)
    }

    /// A Unix time as the District's day (`25. 11. 2026.`).
    static func day(_ seconds: Int64, _ t: Localizer) -> String {
        t.date(Clock.district(Date(timeIntervalSince1970: TimeInterval(seconds))).date)
    }
}

struct TokenDTO: Encodable {
    var id: Int64
    var name, createdAt: String
    var expiresAt: Int64
    var lastUsedAt: Int64?
    var revoked: Bool
    init(_ token: APIToken) {
        id = token.id; name = token.name; createdAt = token.createdAt; expiresAt = token.expiresAt; lastUsedAt = token.lastUsedAt
        revoked = token.revoked
    }
}

/// A new token: shown this once, never stored as such.
struct TokenCreatedDTO: Encodable { var token: String; var listed: TokenDTO }
struct TokenRequest: Decodable { var name: String? }
