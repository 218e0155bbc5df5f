import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Localization
import NIOCore
import TrainingCore
import TrainingOffice

/// The signed-in account of a request and its session.
public struct WebIdentity: Sendable {
    public var account: Account
    /// SHA-256 of the session cookie's token (the key of the stored session).
    public var sessionKey: String
    /// The token every form of this session carries.
    public var csrfToken: String

    public var principal: Principal { account.principal }
}

/// Per-request state: who is signed in, the page language, and the client address for rate limits.
public struct WebContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: WebIdentity?
    /// The language pages are rendered in (from `?lang=`, then the `lang` cookie, then Bosnian).
    public var language: Language = .default
    /// The client's IP address, or "unknown": the connecting address, or behind a trusted proxy the address that proxy
    /// says it forwards for (`ClientAddressMiddleware`).
    public internal(set) var clientAddress: String
    /// The database's data version as checked by this request's session lookup (nil: not checked yet).
    var dataVersion: Int?
    /// The request's cookies, parsed once (by `LanguageMiddleware`, the first to need them) for every later reader.
    var cookies = RequestCookies()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Uploads (CSV files) up to 10 MB; anything bigger is refused before it is read.
    public var maxUploadSize: Int { 10 * 1024 * 1024 }

    public var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }

    var localizer: Localizer { Localizer(language) }
    var principal: Principal? { identity?.principal }
    /// The actor for the audit log: always the signed-in account.
    func actor() throws -> Actor {
        guard let identity else { throw WebError.signInRequired }
        return identity.account.actor
    }
}

/// What a request may fail with; each case maps to a status and a localised page.
enum WebError: Error, Equatable {
    case signInRequired
    /// The capability is missing, or the record is outside the account's scope. Never says whether it exists.
    case forbidden
    case notFound
    case badCSRFToken
    case tooManyRequests(retryAfter: Int)
    case badRequest(String)
    case payloadTooLarge

    var status: HTTPResponse.Status {
        switch self {
        case .signInRequired: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .badCSRFToken: .forbidden
        case .tooManyRequests: .tooManyRequests
        case .badRequest: .badRequest
        case .payloadTooLarge: .contentTooLarge
        }
    }

    var messageKey: String {
        switch self {
        case .signInRequired: "web.error.sign_in_required"
        case .forbidden: "web.error.forbidden"
        case .notFound: "web.error.not_found"
        case .badCSRFToken: "web.error.csrf"
        case .tooManyRequests: "web.error.too_many_requests"
        case .badRequest: "web.error.bad_request"
        case .payloadTooLarge: "web.error.too_large"
        }
    }
}

/// The name–value pairs of a request's `Cookie` headers. Hummingbird's `Cookies` parses each cookie's
/// attributes again on every lookup; a request cookie has none, and this lookup runs on every page
/// (about 4 % of the trainee page's time when measured).
struct RequestCookies: Sendable {
    private var values: [Substring: Substring] = [:]

    init() {}

    init(headers: [String]) {
        for header in headers {
            for pair in header.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = Self.trimmed(pair[..<equals])
                var value = Self.trimmed(pair[pair.index(after: equals)...])
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                // The first of two cookies with one name wins, as browsers send the most specific first.
                if values[name] == nil { values[name] = value }
            }
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let start = text.drop(while: \.isWhitespace)
        return start[..<(start.lastIndex { !$0.isWhitespace }.map(start.index(after:)) ?? start.startIndex)]
    }

    /// The value of the cookie `name`, if the request has one.
    subscript(_ name: String) -> String? { values[Substring(name)].map(String.init) }
}

extension WebContext {
    /// The signed-in trainee's personal number; forbidden for an account with no person (or one no longer there).
    func ownPersonalNumber(_ selfService: TraineeSelfService) throws -> String {
        guard let number = principal?.personalNumber, (try? selfService.person(number)) != nil else { throw WebError.forbidden }
        return number
    }
}
