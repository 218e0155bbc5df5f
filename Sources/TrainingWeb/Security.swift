import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdAuth
import Localization
import MultipartKit
import TrainingCore
import TrainingOffice

/// Counts events per key in a sliding window and locks a key out once it reaches the limit.
/// Kept in memory: a restart forgets lockouts, which only gives an attacker a restart's worth of tries.
actor Throttle {
    struct Rule: Sendable {
        /// Events allowed within `window` seconds.
        let limit: Int
        let window: TimeInterval
        /// How long a key stays locked once it reaches the limit.
        let lockout: TimeInterval
    }

    private let rule: Rule
    private let clock: @Sendable () -> Date
    private var events: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]

    init(_ rule: Rule, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.rule = rule
        self.clock = clock
    }

    /// Seconds until the key may try again, or nil when it is not locked.
    func retryAfter(_ key: String) -> Int? {
        let now = clock()
        guard let until = lockedUntil[key] else { return nil }
        if until <= now {
            lockedUntil[key] = nil
            return nil
        }
        return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
    }

    /// Counts one event; returns the lockout in seconds when this event reached the limit.
    @discardableResult
    func record(_ key: String) -> Int? {
        let now = clock()
        var recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < rule.window }
        recent.append(now)
        if recent.count >= rule.limit {
            events[key] = nil
            lockedUntil[key] = now.addingTimeInterval(rule.lockout)
            return Int(rule.lockout)
        }
        events[key] = recent
        if events.count > 10_000 { events = events.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < rule.window } }
        return nil
    }

    func reset(_ key: String) { events[key] = nil }
}

/// Session cookies and tokens.
struct SessionCookies: Sendable {
    /// Over HTTPS the cookie is `__Host-` prefixed and Secure; browsers refuse such a cookie over plain HTTP.
    let secure: Bool
    static let idleTimeout: Int64 = 30 * 60
    static let absoluteTimeout: Int64 = 12 * 60 * 60
    /// A session's idle expiry is written at most this often, not on every request.
    static let refreshInterval: Int64 = 60

    var sessionName: String { secure ? "__Host-obuka_session" : "obuka_session" }
    var loginCSRFName: String { secure ? "__Host-obuka_login" : "obuka_login" }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

}

/// Finds the signed-in account from the session cookie; refreshes the idle expiry at most once a minute.
/// Sessions come from a cache valid until the next commit, so viewing a page reads no table; the data
/// version it checked is handed on for the page caches of the same request.
struct SessionAuthenticator: RouterMiddleware {
    typealias Context = WebContext
    let signIn: SignInDesk
    let cookies: SessionCookies
    let clock: OfficeClock
    let cache: FreshnessCache<String, WebSession?>

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        // The API authenticates by bearer token only (BearerTokenAuthenticator), never by cookie.
        guard !request.uri.path.hasPrefix("/api/"), let token = context.cookies[cookies.sessionName],
              !token.isEmpty, token.utf8.count < 200 else {
            return try await next(request, context)
        }
        var context = context
        let key = SecretToken.digest(token)
        let now = Int64(clock.date().timeIntervalSince1970)
        let (stored, version) = try cache.valueAndVersion(key) { try signIn.session(tokenSHA256: key) }
        context.dataVersion = version
        if let session = stored?.live(at: now) {
            if now - session.refreshedAt >= SessionCookies.refreshInterval {
                let idle = min(now + SessionCookies.idleTimeout, session.absoluteExpiresAt)
                try await offload { [signIn] in try signIn.refreshSession(tokenSHA256: key, now: now, idleExpiresAt: idle) }
                context.dataVersion = nil
            }
            context.identity = WebIdentity(account: session.account, sessionKey: key, csrfToken: session.csrfToken)
        }
        return try await next(request, context)
    }
}

/// Picks the page language: `?lang=` (remembered in a cookie), then the cookie, then Bosnian. Being the
/// first middleware to read cookies, it parses them once into the context for the rest.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    /// Whether cookies carry `Secure` (the public address is HTTPS).
    let secureCookies: Bool

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        context.cookies = RequestCookies(headers: request.headers[values: .cookie])
        let chosen = request.uri.queryParameters["lang"].flatMap { Language(tag: String($0)) }
            .flatMap { Language.interfaceLanguages.contains($0) ? $0 : nil }
        if let language = chosen ?? context.cookies["lang"].flatMap(Language.init(tag:)),
           Language.interfaceLanguages.contains(language) {
            context.language = language
        }
        var response = try await next(request, context)
        if let chosen {
            response.setCookie(Cookie(name: "lang", value: chosen.rawValue, maxAge: 365 * 86400, path: "/", secure: secureCookies,
                                        httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

// Header names HTTPTypes does not predefine, made once (a generic type cannot hold static stored values).
private let referrerPolicyField = HTTPField.Name("Referrer-Policy")!
/// The fields every response carries, made once.
private let securityFields: [HTTPField] = [
    HTTPField(name: .xContentTypeOptions, value: "nosniff"), HTTPField(name: referrerPolicyField, value: "same-origin"),
    HTTPField(name: frameOptionsField, value: "DENY"),
]
private let frameOptionsField = HTTPField.Name("X-Frame-Options")!

/// Security headers on every response (DESIGN.md §8): no inline script or style, no framing, no sniffing.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers.append(HTTPField(name: .contentSecurityPolicy, value: Self.contentSecurityPolicy))
        }
        // Appended, not set: no handler sets these, and setting a field searches the response's fields for it first.
        response.headers.append(contentsOf: securityFields)
        return response
    }
}

/// Refuses every state-changing request whose form does not carry the session's CSRF token (or, before
/// sign-in, the token of the sign-in cookie). The body is read once here and handed on.
/// How much of a request body a route reads: a refusal (413) comes as soon as the limit is passed (or at once, when the
/// declared length is already beyond it), so a large or endless body from anyone costs the server no more than the
/// limit, and other requests go on meanwhile.
enum BodyLimit {
    /// The sign-in form: a login, a password, a token.
    static let signIn = 8 * 1024
    /// A form (an attendance sheet of a few hundred rows is the largest).
    static let form = 256 * 1024
    /// A JSON body of the API.
    static let json = 1024 * 1024
    /// A CSV upload.
    static let upload = 10 * 1024 * 1024

    /// The request with its body read into memory, up to `limit` bytes.
    static func read(_ request: Request, upTo limit: Int) async throws -> Request {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit { throw WebError.payloadTooLarge }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw WebError.payloadTooLarge
        } catch is NIOTooManyBytesError {
            throw WebError.payloadTooLarge
        }
        return request
    }
}

/// Checks that a form was sent by a page of this site: its `_csrf` field matches the session's token, or before sign-in
/// the double-submit cookie of the sign-in form. API requests carry a bearer token instead, which a browser never adds
/// on its own. A multipart body (an upload) is parsed off the event loops.
struct CSRFCheck: Sendable {
    let cookies: SessionCookies

    func verify(_ request: Request, _ context: WebContext) async throws {
        var request = request
        let body = try await request.collectBody(upTo: BodyLimit.upload)
        let expected = context.identity?.csrfToken ?? context.cookies[cookies.loginCSRFName] ?? ""
        let contentType = request.headers[.contentType] ?? ""
        let sent = FormFields.boundary(of: contentType) == nil
            ? FormFields.csrfToken(in: body, contentType: contentType)
            : try await offload { FormFields.csrfToken(in: body, contentType: contentType) }
        guard !expected.isEmpty, let sent, Self.constantTimeEqual(sent, expected) else { throw WebError.badCSRFToken }
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Reads posted forms: URL-encoded fields, or multipart parts for uploads.
enum FormFields {
    static let csrfField = "_csrf"

    /// Every field of a URL-encoded body; a name used twice keeps all its values in order.
    static func urlEncoded(_ body: ByteBuffer) -> [(String, String)] {
        let text = String(buffer: body)
        return text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// Parts of a multipart body by field name (multipart-kit's parser does the parsing; the first part of a
    /// name wins).
    static func multipart(_ body: ByteBuffer, boundary: String) throws -> [String: MultipartPart] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [String: MultipartPart] = [:]
        var current = MultipartPart(body: ByteBuffer())
        parser.onHeader = { name, value in current.headers.add(name: name, value: value) }
        parser.onBody = { chunk in current.body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            if let name = current.name, parts[name] == nil { parts[name] = current }
            current = MultipartPart(body: ByteBuffer())
        }
        try parser.execute(body)
        return parts
    }

    static func csrfToken(in body: ByteBuffer, contentType: String) -> String? {
        if let boundary = boundary(of: contentType) {
            guard let parts = try? multipart(body, boundary: boundary), let part = parts[csrfField] else { return nil }
            return String(buffer: part.body)
        }
        return urlEncoded(body).first { $0.0 == csrfField }?.1
    }
}
