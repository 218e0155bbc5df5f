import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Localization
import NIOCore
import TrainingCore
import TrainingStore

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
    /// The client's IP address, or "unknown".
    public let clientAddress: String
    /// The database's data version as checked by this request's session lookup (nil: not checked yet).
    var dataVersion: Int?
    /// The request's cookies, parsed once (by `LanguageMiddleware`, the first to need them) for every later reader.
    var cookies = Cookies(from: [])

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
