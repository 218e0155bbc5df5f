import Foundation
import HTTPTypes
import Hummingbird
import TrainingCore
import TrainingStore

/// Personal API tokens: any signed-in account makes tokens for its scripts (shown once), sees when each was
/// last used, and revokes them.
struct TokenController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/tokens", .signedIn) { _, context in try page(context) }
        routes.post("/tokens", .signedIn) { request, context in
            var request = request
            let form = try await request.form(context)
            guard let login = context.identity?.account.login else { throw WebError.signInRequired }
            let token = "obk_" + SessionCookies.newToken()
            try database.createAPIToken(login: login, name: form["name"] ?? "script", tokenSHA256: SessionCookies.key(of: token),
                                        actor: try context.actor())
            return try page(context, newToken: token)
        }
        routes.post("/tokens/{id}/revoke", .signedIn) { _, context in
            guard let login = context.identity?.account.login, let id = context.parameters.get("id").flatMap(Int64.init),
                  try database.revokeAPIToken(id: id, login: login, actor: try context.actor()) else { throw WebError.notFound }
            return .seeOther("/tokens")
        }
    }

    private func page(_ context: WebContext, newToken: String? = nil) throws -> Response {
        guard let login = context.identity?.account.login else { throw WebError.signInRequired }
        let t = context.localizer
        return services.pages.render("tokens", [
            "tokens": try database.apiTokens(login: login).map { token in
                ["id": String(token.id), "name": token.name, "created": token.createdAt, "revoked": token.revoked,
                 "last_used": token.lastUsedAt.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0))) }
                    ?? t("web.tokens.never")]
            },
            "new_token": newToken ?? "",
        ], context: context)
    }
}

/// The OpenAPI 3.1 document of the API, bundled and served as written (design first; a test compares it
/// with the routes).
enum OpenAPIDocument {
    static let data: Data = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) } ?? Data("{}".utf8)

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "public, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
