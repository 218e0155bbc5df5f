import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Localization
import Logging
import TrainingCore
import TrainingOffice
import TrainingStore

/// How the web app is started.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: DataDirectory
    public var home: HomeDirectory
    /// The address users reach the app at; `https://…` turns on `__Host-` Secure cookies.
    public var publicURL: String
    /// The District's current time (honours `OBUKA_NOW` in tests and demos).
    public var now: @Sendable () -> LocalDateTime
    /// Wall-clock time for sessions and rate limits.
    public var clock: @Sendable () -> Date
    /// Seconds a check-in QR code lasts (30; tests shorten it).
    public var checkInWindow: Int64 = 30

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: DataDirectory, home: HomeDirectory,
                publicURL: String, now: @escaping @Sendable () -> LocalDateTime, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.home = home
        self.publicURL = publicURL
        self.now = now
        self.clock = clock
    }

    var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }
}

/// Everything the controllers share.
struct WebServices: Sendable {
    let database: AppDatabase
    let office: CertificateOffice
    let pages: Pages
    let cookies: SessionCookies
    let now: @Sendable () -> LocalDateTime
    let clock: @Sendable () -> Date
    /// Five wrong passwords for one account lock it for five minutes.
    let accountLogins: Throttle
    /// Twenty wrong passwords from one address lock the address for fifteen minutes.
    let addressLogins: Throttle
    /// The public verify page answers sixty requests a minute per address.
    let verifications: Throttle
    let issueJobs: IssueJobs
    /// Sessions by token hash, until the next commit (viewing a page reads no table).
    let sessionCache: FreshnessCache<String, WebSession?>
    /// Rendered trainee pages by session, language and minute, until the next commit.
    let pageCache: FreshnessCache<PageKey, CachedPage>
    /// Report readings by scope, while the data generation holds.
    let reportCache: ReportCache
    /// Who read another person's data, written in batches.
    let readLog: ReadAccessLog
}

/// What a cached page depends on besides the data: whose session (its CSRF token is in the forms), the
/// language, and the District's minute (forecasts and "upcoming" depend on the time).
struct PageKey: Hashable, Sendable {
    let session: String
    let language: String
    let minute: String
}

/// Builds the obuka web application.
public func buildApplication(_ configuration: WebConfiguration, logger: Logger = Logger(label: "obuka.web"))
    async throws -> some ApplicationProtocol {
    let (router, _) = try await buildRouter(configuration)
    return Application(router: router,
                       configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "obuka"),
                       logger: logger)
}

/// The router and the table of every route with the capability it needs (the access test walks it).
public func buildRouter(_ configuration: WebConfiguration) async throws -> (Router<WebContext>, [RouteSpec]) {
    let database = try configuration.dataDirectory.open()
    let watch = try configuration.dataDirectory.changeWatch()
    let pages = try await Pages.load()
    let cookies = SessionCookies(secure: configuration.secureCookies)
    let clock = configuration.clock
    let services = WebServices(
        database: database,
        office: CertificateOffice(database: database, dataDirectory: configuration.dataDirectory, home: configuration.home,
                                  environment: ["OBUKA_PUBLIC_URL": configuration.publicURL]),
        pages: pages, cookies: cookies, now: configuration.now, clock: clock,
        accountLogins: Throttle(.init(limit: 5, window: 15 * 60, lockout: 5 * 60), clock: clock),
        addressLogins: Throttle(.init(limit: 20, window: 15 * 60, lockout: 15 * 60), clock: clock),
        verifications: Throttle(.init(limit: 60, window: 60, lockout: 60), clock: clock),
        issueJobs: IssueJobs(), sessionCache: FreshnessCache(watch: watch), pageCache: FreshnessCache(watch: watch, limit: 500),
        reportCache: ReportCache(watch: watch), readLog: ReadAccessLog(database: database))

    let router = Router(context: WebContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: SessionAuthenticator(database: database, cookies: cookies, clock: clock, cache: services.sessionCache))
    router.add(middleware: BearerTokenAuthenticator(database: database, clock: clock))
    router.add(middleware: ErrorPageMiddleware(pages: pages))
    router.add(middleware: CSRFMiddleware(cookies: cookies, pages: pages))

    let routes = RouteTable(router: router, pages: pages)
    StaticFiles.register(on: routes)
    SignInController(services: services).register(on: routes)
    CurriculumController(services: services).register(on: routes)
    PeopleController(services: services).register(on: routes)
    CohortController(services: services).register(on: routes)
    ScheduleController(services: services).register(on: routes)
    CertificateController(services: services).register(on: routes)
    ReportController(services: services).register(on: routes)
    VerifyController(services: services).register(on: routes)
    TraineeController(services: services).register(on: routes)
    DepartmentController(services: services).register(on: routes)
    AdminController(services: services).register(on: routes)
    APIController(services: services).register(on: routes)
    TokenController(services: services).register(on: routes)
    PrivacyController(services: services).register(on: routes)
    CheckInController(services: services, codes: try CheckInCodes.load(dataDirectory: configuration.dataDirectory.url,
                                                                       window: configuration.checkInWindow))
        .register(on: routes)
    return (router, routes.specs)
}

/// One route: method, path pattern and the capability it declares.
public struct RouteSpec: Sendable, Hashable {
    public let method: String
    public let path: String
    public let capability: Capability
    /// The route's `{department}` parameter limits a department head to their own department.
    public let departmentScoped: Bool
}

/// Registers routes together with their capability; the check runs before the handler looks at any record,
/// so a refusal is the same whether the record exists or not.
final class RouteTable: @unchecked Sendable {
    typealias Handler = @Sendable (Request, WebContext) async throws -> Response
    let router: Router<WebContext>
    let pages: Pages
    private(set) var specs: [RouteSpec] = []

    init(router: Router<WebContext>, pages: Pages) {
        self.router = router
        self.pages = pages
    }

    func get(_ path: String, _ capability: Capability, departmentScoped: Bool = false, _ handler: @escaping Handler) {
        add(.get, path, capability, departmentScoped, handler)
    }

    func post(_ path: String, _ capability: Capability, departmentScoped: Bool = false, _ handler: @escaping Handler) {
        add(.post, path, capability, departmentScoped, handler)
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ capability: Capability, _ departmentScoped: Bool,
                     _ handler: @escaping Handler) {
        specs.append(RouteSpec(method: method.rawValue, path: path, capability: capability, departmentScoped: departmentScoped))
        router.on(RouterPath(path), method: method) { request, context in
            guard Access.allows(context.principal, capability) else {
                if context.identity == nil {
                    if method == .get, !path.hasPrefix("/api/") { return Response.redirect(to: "/login?next=" + SignInController.safeNext(request.uri.path)) }
                    throw WebError.signInRequired
                }
                throw WebError.forbidden
            }
            if departmentScoped, let department = context.parameters.get("department"),
               !Access.allows(context.principal, capability, department: DepartmentCode(department)) {
                throw WebError.forbidden
            }
            return try await handler(request, context)
        }
    }
}

/// Turns errors into pages: refusals and missing records into the shared error page, user-facing errors
/// into their localised message, anything else into a 500 page without details.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await page(request, context: context, next: next) }
        do {
            return try await next(request, context)
        } catch APIError.problem(let problem) {
            return problem.response()
        } catch let error as WebError {
            var response = Problem(title: error.status.reasonPhrase, status: Int(error.status.code),
                                   detail: Localizer(.english)(error.messageKey)).response()
            if case .tooManyRequests(let retryAfter) = error { response.headers[.retryAfter] = String(retryAfter) }
            if case .signInRequired = error { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        } catch let error as any UserFacingError {
            if case StoreError.notFound? = error as? StoreError {
                return Problem(title: "Not Found", status: 404, detail: nil).response()
            }
            return Problem(title: "Unprocessable Content", status: 422, detail: context.localizer.message(for: error)).response()
        } catch let error as HTTPError {
            return Problem(title: error.status.reasonPhrase, status: Int(error.status.code), detail: nil).response()
        } catch {
            context.logger.error("API request failed: \(String(describing: error))")
            return Problem(title: "Internal Server Error", status: 500, detail: nil).response()
        }
    }

    private func page(_ request: Request, context: WebContext,
                      next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            return pages.error(error, context: context)
        } catch let error as any UserFacingError {
            if let store = error as? StoreError {
                switch store {
                case .notFound: return pages.error(.notFound, context: context)
                case .diskFull: return pages.render("error", ["message": context.localizer.message(for: error), "status": "507"],
                                                    context: context, status: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"))
                default: break
                }
            }
            return pages.render("error", ["message": context.localizer.message(for: error), "status": "422"],
                                context: context, status: .unprocessableContent)
        } catch let error as HTTPError where error.status == .notFound {
            return pages.error(.notFound, context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return pages.error(.payloadTooLarge, context: context)
        } catch {
            context.logger.error("request failed: \(String(describing: error))")
            return pages.render("error", ["message": context.localizer("web.error.internal"), "status": "500"],
                                context: context, status: .internalServerError)
        }
    }
}

/// The stylesheet, served from the bundle with a long cache lifetime.
enum StaticFiles {
    static func register(on routes: RouteTable) {
        let css = Bundle.module.url(forResource: "static/obuka", withExtension: "css").flatMap { try? Data(contentsOf: $0) } ?? Data()
        routes.get("/static/obuka.css", .everyone) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: css)))
        }
    }
}

/// Small helpers the controllers share.
extension Request {
    /// The posted form (the CSRF middleware has already read the body).
    mutating func form(_ context: WebContext) async throws -> Form {
        Form(fields: FormFields.urlEncoded(try await collectBody(upTo: context.maxUploadSize)))
    }

    func query(_ name: String) -> String? {
        uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Fields of a posted form.
struct Form {
    let fields: [(String, String)]

    subscript(_ name: String) -> String? {
        fields.first { $0.0 == name }.map { $0.1.trimmingWhitespace }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func all(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }

    func require(_ name: String) throws -> String {
        guard let value = self[name] else { throw WebError.badRequest(name) }
        return value
    }
}

extension Response {
    /// A 303 redirect after a successful POST, so a reload does not post again.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
