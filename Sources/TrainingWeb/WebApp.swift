import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Localization
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import TrainingCore
import TrainingOffice

/// How the web app is started: where it listens and the office it serves (its settings carry the clocks, the home folder
/// and the public address).
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var office: TrainingOffice
    /// Reverse proxies whose `X-Forwarded-For` is believed (`OBUKA_TRUSTED_PROXIES`): addresses or IPv4/IPv6 networks.
    public var trustedProxies: TrustedProxies = TrustedProxies()
    /// How often the clock tick makes the decisions that come due with time (and once at start).
    public var tickInterval: Duration = .seconds(30)

    public init(host: String = "127.0.0.1", port: Int = 8080, office: TrainingOffice) {
        self.host = host
        self.port = port
        self.office = office
    }

    var secureCookies: Bool { office.settings.publicURL.lowercased().hasPrefix("https://") }
}

/// What a cached page depends on besides the data: whose session (its CSRF token is in the forms), the
/// language, and the District's minute (forecasts and "upcoming" depend on the time).
struct PageKey: Hashable, Sendable {
    let session: String
    let language: String
    /// Minutes since 1970 (the page shows what is under way and what is to come, to the minute).
    let minute: Int
}

/// Builds the obuka web application: its routes, and the clock tick that runs beside them.
public func buildApplication(_ configuration: WebConfiguration, logger: Logger = Logger(label: "obuka.web"))
    async throws -> some ApplicationProtocol {
    let (router, _) = try await buildRouter(configuration)
    return Application(responder: CanonicalPathResponder(inner: router.buildResponder()),
                       configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "obuka"),
                       services: [clockTick(configuration.office.clockTick, configuration.tickInterval, logger),
                                  mailDelivery(configuration.office.mail, configuration.tickInterval, logger)],
                       logger: logger)
}

/// The router and the table of every route with the capability it needs (the access test walks it). The composition
/// root of the web app: each controller receives the use cases it needs and nothing else.
public func buildRouter(_ configuration: WebConfiguration) async throws -> (Router<WebContext>, [RouteSpec]) {
    let office = configuration.office
    let changes = try office.changes()
    let pages = try await Pages.load()
    let cookies = SessionCookies(secure: configuration.secureCookies)
    let clock = office.clock
    let readLog = ReadAccessLog(privacy: office.privacy, clock: clock)
    let sessionCache = FreshnessCache<String, WebSession?>(changes: changes)

    let router = Router(context: WebContext.self)
    router.add(middleware: ClientAddressMiddleware(trusted: configuration.trustedProxies))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LanguageMiddleware(secureCookies: configuration.secureCookies))
    router.add(middleware: SessionAuthenticator(signIn: office.signIn, cookies: cookies, clock: clock, cache: sessionCache))
    router.add(middleware: BearerTokenAuthenticator(signIn: office.signIn, clock: clock))
    router.add(middleware: ErrorPageMiddleware(pages: pages))

    let routes = RouteTable(router: router, pages: pages, cookies: cookies)
    StaticFiles.register(on: routes)
    OpenAPIDocument.register(on: routes)
    SignInController(signIn: office.signIn, pages: pages, cookies: cookies, clock: clock,
                     accountLogins: Throttle(.init(limit: 5, window: 15 * 60, lockout: 5 * 60), clock: clock.date),
                     addressLogins: Throttle(.init(limit: 20, window: 15 * 60, lockout: 15 * 60), clock: clock.date))
        .register(on: routes)
    CurriculumController(curriculum: office.curriculum, pages: pages).register(on: routes)
    PeopleController(people: office.people, progress: office.progress, reports: office.reports, requirements: office.requiredTraining,
                     pages: pages, clock: clock, readLog: readLog, mail: office.mail).register(on: routes)
    CohortController(cohorts: office.cohorts, enrolment: office.enrolment, progress: office.progress, scheduling: office.scheduling,
                     plan: office.plan, needs: office.needs, pages: pages, readLog: readLog).register(on: routes)
    ScheduleController(cohorts: office.cohorts, scheduling: office.scheduling, pages: pages).register(on: routes)
    VenueController(scheduling: office.scheduling, pages: pages).register(on: routes)
    PlanController(plan: office.plan, needs: office.needs, cohorts: office.cohorts, pages: pages).register(on: routes)
    NeedsController(needs: office.needs, requirements: office.requiredTraining, people: office.people, cohorts: office.cohorts,
                    pages: pages, readLog: readLog).register(on: routes)
    RequirementController(desk: office.requiredTraining, people: office.people, cohorts: office.cohorts, pages: pages,
                          readLog: readLog).register(on: routes)
    EvaluationController(evaluation: office.evaluation, cohorts: office.cohorts, selfService: office.selfService, pages: pages)
        .register(on: routes)
    OutboxController(mail: office.mail, pages: pages, readLog: readLog).register(on: routes)
    FollowUpController(followUps: office.followUps, reports: office.reports, cohorts: office.cohorts, people: office.people,
                       selfService: office.selfService, pages: pages, readLog: readLog).register(on: routes)
    AttendanceController(attendance: office.attendance, scheduling: office.scheduling, cohorts: office.cohorts,
                         selfService: office.selfService, reports: office.reports, pages: pages, clock: clock,
                         readLog: readLog).register(on: routes)
    ScoreController(cohorts: office.cohorts, scores: office.scores, progress: office.progress, pages: pages).register(on: routes)
    CertificateController(cohorts: office.cohorts, certificates: office.certificates, pages: pages, clock: clock,
                          dataDirectory: office.dataDirectory, issueJobs: IssueJobs(), readLog: readLog).register(on: routes)
    VerifyController(certificates: office.certificates, pages: pages, clock: clock,
                     verifications: Throttle(.init(limit: 60, window: 60, lockout: 60), clock: clock.date)).register(on: routes)
    ReportController(reports: office.reports, curriculum: office.curriculum, administration: office.administration,
                     cache: ReportCache(changes: changes), pages: pages, readLog: readLog).register(on: routes)
    TraineeController(progress: office.progress, scheduling: office.scheduling, enrolment: office.enrolment,
                      selfService: office.selfService, certificates: office.certificates, reports: office.reports,
                      curriculum: office.curriculum, requirements: office.requiredTraining, evaluation: office.evaluation,
                      followUps: office.followUps,
                      people: office.people, pages: pages,
                      clock: clock, pageCache: FreshnessCache(changes: changes, limit: 500)).register(on: routes)
    DepartmentController(people: office.people, progress: office.progress, enrolment: office.enrolment, cohorts: office.cohorts, pages: pages,
                         readLog: readLog).register(on: routes)
    AdminController(accounts: office.accounts, certificates: office.certificates, administration: office.administration,
                    pages: pages, cookies: cookies).register(on: routes)
    TokenController(accounts: office.accounts, pages: pages).register(on: routes)
    PrivacyController(privacy: office.privacy, people: office.people, pages: pages, clock: clock, readLog: readLog)
        .register(on: routes)
    CheckInController(checkIn: try office.checkIn(), pages: pages, clock: clock).register(on: routes)
    return (router, routes.specs)
}

/// Work that time brings, run at start and then every `interval` while the server runs, off the event loops (it
/// writes). An error is logged and never stops the server (a service that returned would); the server's graceful
/// shutdown ends the loop and its sleep at once.
struct RepeatingService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    /// One round; what it returns, when anything, is logged.
    let work: @Sendable () throws -> String?

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if let line = try await offload(work) { logger.info("\(name): \(line)") }
                } catch is CancellationError {
                    return  // the server is stopping
                } catch {
                    logger.error("\(name) failed: \(String(describing: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}

/// The decisions that come due with time (completion when a cohort's last session ends, follow-ups).
func clockTick(_ tick: ClockTick, _ interval: Duration, _ logger: Logger) -> RepeatingService {
    RepeatingService(name: "clock tick", interval: interval, logger: logger) {
        let outcome = try tick.run()
        return outcome.completed.isEmpty && outcome.followUps == 0 ? nil
            : "\(outcome.completed.count) completed in \(outcome.cohorts), \(outcome.followUps) follow-ups"
    }
}

/// The outbox handed to the mail relay. Without settings nothing is tried: mail stays queued, shown to administrators.
func mailDelivery(_ mail: MailDesk, _ interval: Duration, _ logger: Logger) -> RepeatingService {
    RepeatingService(name: "mail", interval: interval, logger: logger) {
        let outcome = try mail.deliver()
        return outcome.sent == 0 && outcome.failed.isEmpty ? nil : "\(outcome.sent) sent, \(outcome.failed.count) failed"
    }
}

/// Runs blocking work (a database write and its fsync, bcrypt) on NIO's thread pool, never on the event loops that
/// serve requests.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
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
    let csrf: CSRFCheck
    private(set) var specs: [RouteSpec] = []

    init(router: Router<WebContext>, pages: Pages, cookies: SessionCookies) {
        self.router = router
        self.pages = pages
        self.csrf = CSRFCheck(cookies: cookies)
    }

    func get(_ path: String, _ capability: Capability, departmentScoped: Bool = false, _ handler: @escaping Handler) {
        add(.get, path, capability, departmentScoped, bodyLimit: 0, handler)
    }

    /// A POST route whose body may be `bodyLimit` bytes at most (a form's unless it says otherwise; the API's JSON).
    func post(_ path: String, _ capability: Capability, departmentScoped: Bool = false, bodyLimit: Int? = nil,
              _ handler: @escaping Handler) {
        add(.post, path, capability, departmentScoped,
            bodyLimit: bodyLimit ?? (path.hasPrefix(APIController.prefix) ? BodyLimit.json : BodyLimit.form), handler)
    }

    /// The route's capability is checked before anything else, then (for a POST) its body is read, up to its limit, and
    /// a form's CSRF token compared: a request that may not use the route is refused before its body is read, and
    /// no body is read beyond what its route takes.
    private func add(_ method: HTTPRequest.Method, _ path: String, _ capability: Capability, _ departmentScoped: Bool,
                     bodyLimit: Int, _ handler: @escaping Handler) {
        let csrf = self.csrf
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
            guard method == .post else { return try await handler(request, context) }
            let request = try await BodyLimit.read(request, upTo: bodyLimit)
            if !path.hasPrefix("/api/") { try await csrf.verify(request, context) }
            return try await handler(request, context)
        }
    }
}

/// Normalises a request's path once, before routing and every middleware: `//api/v1/people` is `/api/v1/people` to the
/// router, so it must be to the middlewares that tell the API (bearer tokens only) from pages (cookies) too. Empty and
/// `.` segments are dropped, `..` removes the segment before it. (Router middlewares run after the route is found, so
/// this wraps the router itself.)
struct CanonicalPathResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == WebContext {
    let inner: Inner

    func respond(to request: Request, context: WebContext) async throws -> Response {
        let path = request.uri.path
        let canonical = Self.canonical(path)
        guard canonical != path else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.path = canonical + (request.uri.query.map { "?" + $0 } ?? "")
        return try await inner.respond(to: Request(head: head, body: request.body), context: context)
    }

    static func canonical(_ path: String) -> String {
        if isCanonical(path) { return path }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// Whether `path` is its own canonical form (a `/` and segments, none empty, `.` or `..`): almost every request's
    /// path, told by one pass over its bytes instead of splitting it.
    static func isCanonical(_ path: String) -> Bool {
        let bytes = path.utf8, slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard bytes.first == slash else { return false }
        if bytes.count == 1 { return true }
        var segmentStart = true, dots = 0
        for byte in bytes.dropFirst() {
            if byte == slash {
                if segmentStart || dots == 1 || dots == 2 { return false }  // empty, `.` or `..`
                segmentStart = true
                dots = 0
            } else {
                dots = byte == dot && (segmentStart || dots > 0) ? dots + 1 : -1
                segmentStart = false
            }
        }
        return !segmentStart && dots != 1 && dots != 2
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
            if error.kind == .notFound { return Problem(title: "Not Found", status: 404, detail: nil).response() }
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
            switch error.kind {
            case .notFound: return pages.error(.notFound, context: context)
            case .storageFull:
                return pages.message(context.localizer.message(for: error),
                                     status: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), context: context)
            case .refused: return pages.message(context.localizer.message(for: error), status: .unprocessableContent, context: context)
            }
        } catch let error as HTTPError where error.status == .notFound {
            return pages.error(.notFound, context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return pages.error(.payloadTooLarge, context: context)
        } catch {
            context.logger.error("request failed: \(String(describing: error))")
            return pages.message(context.localizer("web.error.internal"), status: .internalServerError, context: context)
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
    /// A field holding a NUL byte is refused: stored or looked up, the text would end there.
    mutating func form(_ context: WebContext) async throws -> Form {
        let fields = FormFields.urlEncoded(try await collectBody(upTo: context.maxUploadSize))
        if let field = fields.first(where: { $0.0.contains("\u{0}") || $0.1.contains("\u{0}") }) {
            throw TextInputError.controlCharacter(field: field.0)
        }
        return Form(fields: fields)
    }

    /// A query parameter as a form sends it: `+` is a space, `%2B` a plus (the router's own decoding keeps `+`). Nil when
    /// absent or empty.
    func query(_ name: String) -> String? {
        // Most requests have no query: nothing to decode (this runs on every view of the trainee's page).
        guard let query = uri.query, !query.isEmpty else { return nil }
        return FormFields.urlEncoded(ByteBuffer(string: query)).first { $0.0 == name }.map(\.1).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Fields of a posted form.
struct Form {
    let fields: [(String, String)]

    subscript(_ name: String) -> String? {
        fields.first { $0.0 == name }.map { $0.1.trimmingWhitespace }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A field exactly as it was sent ("" when absent), for showing a refused form again.
    func raw(_ name: String) -> String { fields.first { $0.0 == name }?.1 ?? "" }

    func all(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }

    func require(_ name: String) throws -> String {
        guard let value = self[name] else { throw WebError.badRequest(name) }
        return value
    }

    /// The fields by name (the last of a repeated name), to show a form again as it was filled in.
    var values: [String: String] { fields.reduce(into: [:]) { $0[$1.0] = $1.1 } }
}

extension Response {
    /// A 303 redirect after a successful POST, so a reload does not post again.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
