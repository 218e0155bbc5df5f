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
    /// says it forwards for (`ClientAddressMiddleware`). Written out only when asked (sign-in and verification limits,
    /// logs): most requests never need it.
    public internal(set) var clientAddress: String {
        get { forwardedClientAddress ?? connectedFrom?.ipAddress ?? "unknown" }
        set { forwardedClientAddress = newValue }
    }
    private var connectedFrom: SocketAddress?
    private var forwardedClientAddress: String?
    /// The database's data version as checked by this request's session lookup (nil: not checked yet).
    var dataVersion: Int?
    /// The request's cookies, parsed once (by `LanguageMiddleware`, the first to need them) for every later reader.
    var cookies = RequestCookies()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.connectedFrom = source.channel.remoteAddress
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
    /// The pairs in the order sent; a request has a handful, so a list is quicker to search than a table is to build.
    private var pairs: [(name: Substring, value: Substring)] = []

    init() {}

    /// Read a byte at a time: `;`, `=`, `"`, spaces and tabs are ASCII, so no character is cut.
    init(headers: [String]) {
        for header in headers {
            let bytes = header.utf8
            var start = bytes.startIndex
            while start < bytes.endIndex {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
                if let equals = bytes[start..<end].firstIndex(of: UInt8(ascii: "=")) {
                    let name = Self.trimmed(header[start..<equals])
                    var value = Self.trimmed(header[bytes.index(after: equals)..<end])
                    if value.utf8.count >= 2, value.utf8.first == UInt8(ascii: "\""), value.utf8.last == UInt8(ascii: "\"") {
                        value = value.dropFirst().dropLast()
                    }
                    pairs.append((name, value))
                }
                start = end < bytes.endIndex ? bytes.index(after: end) : end
            }
        }
    }

    /// `text` without the spaces and tabs around it (what may stand around a cookie's `=` and `;`).
    private static func trimmed(_ text: Substring) -> Substring {
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }

    /// The value of the cookie `name`, if the request has one. The first of two cookies with one name wins, as browsers
    /// send the most specific first.
    subscript(_ name: String) -> String? {
        pairs.first { $0.name.utf8.elementsEqual(name.utf8) }.map { String($0.value) }
    }
}

extension WebContext {
    /// The signed-in trainee's personal number; forbidden for an account with no person (or one no longer there).
    func ownPersonalNumber(_ selfService: TraineeSelfService) throws -> String {
        guard let number = principal?.personalNumber, (try? selfService.person(number)) != nil else { throw WebError.forbidden }
        return number
    }
}
