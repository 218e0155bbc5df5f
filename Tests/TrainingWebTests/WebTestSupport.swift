import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import TrainingCore
@testable import TrainingOffice
import TrainingStore
@testable import TrainingWeb

/// A data directory with a small program, people in two departments, a cohort with a session, and one
/// account per role; removed when the value goes away. Changes go through the office; `database` is the store
/// itself, for looking at what the office cannot show.
final class WebFixture: @unchecked Sendable {
    let root: URL
    let dataDirectory: DataDirectory
    let database: AppDatabase
    static let password = "lozinka-za-test-1"
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let now = LocalDateTime(iso: "2026-11-25 12:00")!

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-web-\(UUID().uuidString)")
        dataDirectory = DataDirectory(path: root.appendingPathComponent("var").path)
        database = try dataDirectory.initialize().database
        let actor = Actor("test:web")!
        let office = self.office()
        let program = Program(
            id: "web-probni", version: 1, year: 2026, serialCode: "WEB", validYears: nil,
            title: LocalizedText([.bosnian: "Probni program za web"]), provider: DepartmentCode("EIMS"), goal: nil,
            completion: CompletionRule(attendancePercent: 75, excused: .absent, finalPass: 50),
            modules: [Module(id: "M1", order: 1, hours: 3, title: LocalizedText([.bosnian: "Jedini modul"]), assessments: [
                AssessmentDefinition(id: "M1-T", moduleID: "M1", kind: .test, maxScore: 100, passScore: 50, weight: 1,
                                     attempts: 2, required: true),
            ])])
        _ = try office.curriculum.load([ProgramFile(program: program, source: "<program/>", file: "web-probni.xml")], actor: actor)
        let other = try office.administration.departments().first { $0.code.rawValue != "EIMS" }!.code
        _ = try office.people.importDrafts([
            PersonDraft(personalNumber: "1001", givenName: "Amra", familyName: "Hodžić", sex: .female, email: "a@uprava.example",
                        department: DepartmentCode("EIMS"), jobTitle: nil),
            PersonDraft(personalNumber: "2002", givenName: "Marko", familyName: "Jović", sex: .male, email: "m@uprava.example",
                        department: other, jobTitle: nil),
        ], file: "p.csv", sha256: String(repeating: "0", count: 64), actor: actor)
        _ = try office.cohorts.create(code: "W1", name: "Web grupa", program: "web-probni", starts: LocalDate(iso: "2026-11-02")!,
                                      ends: LocalDate(iso: "2026-12-18")!, capacity: 10, actor: actor)
        _ = try office.enrolment.enrol(cohort: "W1", people: ["1001", "2002"], actor: actor)
        _ = try office.scheduling.schedule(cohort: "W1", module: "M1", starts: LocalDateTime(iso: "2026-11-10 09:00")!,
                                           ends: LocalDateTime(iso: "2026-11-10 12:00")!, venue: nil, trainer: "Predavač",
                                           force: false, actor: actor)
        for (login, role, department, person) in [
            ("admin", Role.admin, nil, nil), ("koordinator", .coordinator, nil, nil),
            ("sef", .departmentHead, DepartmentCode("EIMS"), nil), ("polaznik", .trainee, nil, "1001"),
        ] as [(String, Role, DepartmentCode?, String?)] {
            _ = try office.accounts.create(login: login, displayName: login, password: Self.password, roles: [role],
                                           department: department, person: person, actor: actor)
        }
        otherDepartment = other
    }

    private(set) var otherDepartment: DepartmentCode = DepartmentCode("EIMS")

    var sessionID: Int64 { (try? office().scheduling.sessions(cohort: "W1").first?.id.rawValue) ?? 0 }

    /// The office over the fixture's data directory, its District clock at `now` (the fixture's time unless given), its
    /// wall clock `clock`.
    func office(at now: LocalDateTime? = nil, clock: @escaping @Sendable () -> Date = { Date() },
                publicURL: String = "http://127.0.0.1") -> TrainingOffice {
        let time = now ?? self.now
        return office(now: { time }, clock: clock, publicURL: publicURL)
    }

    /// The office with a District clock of its own (a test that moves time).
    func office(now: @escaping @Sendable () -> LocalDateTime, clock: @escaping @Sendable () -> Date = { Date() },
                publicURL: String = "http://127.0.0.1") -> TrainingOffice {
        try! TrainingOffice.open(dataDirectory: dataDirectory.url, settings: OfficeSettings(
            clock: OfficeClock(now: now, date: clock), home: .success(HomeDirectory(url: Self.repositoryRoot)), publicURL: publicURL))
    }

    func configuration(clock: @escaping @Sendable () -> Date = { Date() }, publicURL: String = "http://127.0.0.1") -> WebConfiguration {
        WebConfiguration(host: "127.0.0.1", port: 0, office: office(clock: clock, publicURL: publicURL))
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

/// A browser-like client: keeps cookies, reads the CSRF token from pages.
struct WebClient {
    let client: any HTTPTestClient
    var cookies: [String: String] = [:]
    var csrf = ""
    /// Sent as `Authorization: Bearer …` on /api/ requests.
    var bearer: String?
    /// Sent with every request (e.g. what a proxy adds).
    var extraHeaders = HTTPFields()

    init(_ client: any HTTPTestClient) { self.client = client }

    mutating func request(_ method: HTTPRequest.Method, _ uri: String, form: [(String, String)]? = nil,
                          includeCSRF: Bool = true) async throws -> HTTPTestResponse {
        var headers = extraHeaders
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if let bearer, uri.hasPrefix("/api/") { headers[.authorization] = "Bearer \(bearer)" }
        var body: ByteBuffer?
        if var fields = form {
            if includeCSRF { fields.append(("_csrf", csrf)) }
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty || value.contains("Max-Age=0") { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
        }
        if let token = Self.csrfToken(in: String(buffer: response.body)) { csrf = token }
        return response
    }

    mutating func get(_ uri: String) async throws -> HTTPTestResponse { try await request(.get, uri) }

    /// A JSON body to an API route, with the bearer token.
    mutating func postJSON(_ uri: String, _ json: String) async throws -> HTTPTestResponse {
        var headers = extraHeaders
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        headers[.contentType] = "application/json"
        return try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    mutating func post(_ uri: String, _ form: [(String, String)], includeCSRF: Bool = true) async throws -> HTTPTestResponse {
        try await request(.post, uri, form: form, includeCSRF: includeCSRF)
    }

    /// Signs in; returns the response to the sign-in POST.
    @discardableResult
    mutating func signIn(_ login: String, password: String = WebFixture.password) async throws -> HTTPTestResponse {
        _ = try await get("/login")
        return try await post("/login", [("login", login), ("password", password), ("next", "/")])
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

/// Runs a test against a live server on a free port.
func withLiveApp(_ fixture: WebFixture, clock: @escaping @Sendable () -> Date = { Date() },
                 _ test: @escaping @Sendable (any HTTPTestClient) async throws -> Void) async throws {
    let app = try await buildApplication(fixture.configuration(clock: clock))
    try await withLiveServer(app) { client in try await test(client) }
}

/// A response read by a test, live or in process.
struct HTTPTestResponse: Sendable {
    let head: HTTPResponse
    let body: ByteBuffer
    var status: HTTPResponse.Status { head.status }
    var headers: HTTPFields { head.headerFields }
}

/// What a test sends requests through: a live server (`withLiveServer`) or the router in process (`RouterTestClient`).
protocol HTTPTestClient: Sendable {
    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> HTTPTestResponse
    var port: Int? { get }
}

extension HTTPTestClient {
    @discardableResult func execute<Value>(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        testCallback: (HTTPTestResponse) async throws -> Value = { $0 }
    ) async throws -> Value {
        try await testCallback(executeRequest(uri: uri, method: method, headers: headers, body: body))
    }
}

/// HummingbirdTesting's in-process router client, read as an `HTTPTestClient`.
struct RouterTestClient: HTTPTestClient {
    let base: any TestClientProtocol
    init(_ base: any TestClientProtocol) { self.base = base }
    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> HTTPTestResponse {
        let response = try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return HTTPTestResponse(head: response.head, body: response.body)
    }
    var port: Int? { base.port }
}

/// The client of a live server on a free port. HummingbirdTesting's own live client gives up after 20 seconds
/// without a byte, and the whole test run on a 2-core CI machine (every suite at once on a cooperative pool of two
/// threads, some suites computing for minutes) starves a server's handlers longer than that: CI failed on it. A
/// hung server still fails the test, after `LiveServer.readTimeout`.
struct LiveServerClient: HTTPTestClient {
    let client: TestClient
    let port: Int?
    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> HTTPTestResponse {
        var headers = headers
        headers[.connection] = "keep-alive"
        let response = try await client.execute(
            TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
        return HTTPTestResponse(head: response.head, body: response.body ?? ByteBuffer())
    }
}

enum LiveServer {
    static let readTimeout: Duration = .seconds(240)
}

/// The application under test, bound to a free loopback port, which it reports once it listens.
private struct LiveApplication<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder
    let base: Base
    let listening: AsyncStream<Int>.Continuation

    var responder: Responder { get async throws { try await base.responder } }
    var server: HTTPServerBuilder { base.server }
    var eventLoopGroup: any EventLoopGroup { base.eventLoopGroup }
    var configuration: ApplicationConfiguration { base.configuration.with(address: .hostname("127.0.0.1", port: 0)) }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart }

    @Sendable func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
        listening.yield(channel.localAddress?.port ?? 0)
        listening.finish()
    }
}

/// Runs `test` against `app` served on a free port, then stops the server.
func withLiveServer<App: ApplicationProtocol, Value: Sendable>(
    _ app: App, _ test: @Sendable (any HTTPTestClient) async throws -> Value
) async throws -> Value {
    let (ports, listening) = AsyncStream<Int>.makeStream()
    let server = Task { try await LiveApplication(base: app, listening: listening).run() }
    defer { server.cancel() }
    var port: Int?
    for await listened in ports { port = listened }
    guard let port, port > 0 else {
        server.cancel()
        _ = try await server.value
        throw CancellationError()
    }
    let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: LiveServer.readTimeout))
    client.connect()
    do {
        let value = try await test(LiveServerClient(client: client, port: port))
        try await client.shutdown()
        server.cancel()
        _ = await server.result
        return value
    } catch {
        try? await client.shutdown()
        server.cancel()
        _ = await server.result
        throw error
    }
}
