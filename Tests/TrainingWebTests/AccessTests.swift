import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingWeb

/// Every route × role × department: forbidden cells are refused, and the refusal is the same page whether
/// the record asked for exists or not.
@Suite(.serialized) struct AccessTests {
    /// The path with its parameters filled with records that exist, or with ones that do not.
    static func fill(_ path: String, existing: Bool, fixture: WebFixture, department: String? = nil) -> String {
        let values: [String: (String, String)] = [
            "code": ("W1", "NEMA"), "number": ("1001", "9999"), "personal_number": ("1001", "9999"), "id": (String(fixture.sessionID), "999999"),
            "assessment": ("M1-T", "NEMA"), "serial": ("BD-WEB-2026-000001", "BD-NEMA-2026-000009"),
            "department": (department ?? "EIMS", "NEMA"), "login": ("polaznik", "nema-nikog"),
            "token": ("a", "b"), "version": ("1", "99"), "year": ("2027", "1800"), "module": ("M1", "NEMA"),
        ]
        var result = path
        // A program's pages and routes name a program by its id.
        if path.contains("programs/{id}") || path.hasPrefix("/catalogue/{id}") {
            result = result.replacingOccurrences(of: "{id}", with: existing ? "web-probni" : "nema")
        }
        for (name, pair) in values {
            result = result.replacingOccurrences(of: "{\(name)}", with: existing ? pair.0 : pair.1)
        }
        // /programs/{id} names a program, /sessions/{id} a session.

        if path.hasPrefix("/verify/") { result = "/verify/" + (existing ? "BD-WEB-2026-000001-AB12" : "BD-WEB-2026-999999-AB12") }
        return result
    }

    @Test func everyForbiddenCellIsRefusedAlikeForExistingAndMissingRecords() async throws {
        let fixture = try WebFixture()
        let (_, specs) = try await buildRouter(fixture.configuration())
        #expect(specs.count >= 30)
        #expect(Set(specs.map { "\($0.method) \($0.path)" }).count == specs.count, "a route is declared twice")
        let principals: [(login: String?, principal: Principal?)] = [
            (nil, nil),
            ("admin", Principal(login: "admin", roles: [.admin], department: nil, personalNumber: nil)),
            ("koordinator", Principal(login: "koordinator", roles: [.coordinator], department: nil, personalNumber: nil)),
            ("sef", Principal(login: "sef", roles: [.departmentHead], department: DepartmentCode("EIMS"), personalNumber: nil)),
            ("polaznik", Principal(login: "polaznik", roles: [.trainee], department: nil, personalNumber: "1001")),
        ]
        let other = fixture.otherDepartment.rawValue
        var tokens: [String: String] = [:]
        for login in ["admin", "koordinator", "sef", "polaznik"] {
            tokens[login] = try fixture.office().accounts.createToken(login: login, name: "access", actor: Actor("test:web")!).token
        }
        let walk = Walk(fixture: fixture, specs: specs, principals: principals, other: other, tokens: tokens)
        try await withLiveApp(fixture) { client in
            let refused = try await walk.run(client)
            #expect(refused > 100)
        }
        // Nothing a refused request carried reached the store.
        #expect(try fixture.office().enrolment.enrolments(cohort: "W1").allSatisfy { $0.status == .approved })
        #expect(try fixture.office().certificates.list().isEmpty)
    }

    @Test func accessTableGivesEachRoleOnlyItsCapabilities() {
        let trainee = Principal(login: "p", roles: [.trainee], department: nil, personalNumber: "1")
        let head = Principal(login: "h", roles: [.departmentHead], department: DepartmentCode("EIMS"), personalNumber: nil)
        let coordinator = Principal(login: "c", roles: [.coordinator], department: nil, personalNumber: nil)
        #expect(!Access.allows(trainee, .viewCohortProgress))
        #expect(!Access.allows(head, .managePeople))
        #expect(Access.allows(head, .viewDepartmentReports, department: DepartmentCode("EIMS")))
        #expect(!Access.allows(head, .viewDepartmentReports, department: DepartmentCode("PRAV")))
        #expect(Access.allows(coordinator, .viewDepartmentReports, department: DepartmentCode("PRAV")))
        #expect(!Access.allows(nil, .signedIn))
        #expect(Access.allows(nil, .everyone))
        #expect(!Access.allows(Principal(login: "a", roles: [.admin], department: nil, personalNumber: nil), .issueCertificates))
    }
}

/// The walk over routes × roles × departments (a type of its own: the compiler crashed on it as a closure).
struct Walk: Sendable {
    let fixture: WebFixture
    let specs: [RouteSpec]
    let principals: [(login: String?, principal: Principal?)]
    let other: String
    /// Each login's API token.
    let tokens: [String: String]

    func run(_ client: any HTTPTestClient) async throws -> Int {
        var refused = 0
        for (login, principal) in principals {
            var web = WebClient(client)
            if let login {
                web.bearer = tokens[login]
                let signIn = try await web.signIn(login)
                #expect(signIn.status == .seeOther && signIn.headers[.location] == "/", "\(login) could not sign in")
            }
            for spec in specs where spec.capability != .everyone {
                let departments = spec.departmentScoped ? ["EIMS", other] : ["EIMS"]
                for department in departments {
                    let allowed = spec.departmentScoped
                        ? Access.allows(principal, spec.capability, department: DepartmentCode(department))
                        : Access.allows(principal, spec.capability)
                    let method = HTTPRequest.Method(spec.method)!
                    let existingPath = AccessTests.fill(spec.path, existing: true, fixture: fixture, department: department)
                    let missingPath = AccessTests.fill(spec.path, existing: false, fixture: fixture, department: department)
                    let form: [(String, String)]? = method == .post ? [("reason", "test")] : nil
                    if allowed {
                        guard method == .get else { continue }
                        let response = try await web.request(method, existingPath)
                        #expect(response.status.code < 500 && response.status != .forbidden && response.status != .unauthorized
                                    && response.headers[.location]?.hasPrefix("/login") != true,
                                "\(login ?? "anonymous") GET \(existingPath) → \(response.status.code)")
                        continue
                    }
                    let onExisting = try await web.request(method, existingPath, form: form)
                    let onMissing = try await web.request(method, missingPath, form: form)
                    let cell = "\(login ?? "anonymous") \(spec.method) \(existingPath)"
                    if login == nil && method == .get && !spec.path.hasPrefix("/api/") {
                        #expect(onExisting.status == .seeOther, "\(cell) → \(onExisting.status.code)")
                        #expect(onExisting.headers[.location]?.hasPrefix("/login?next=") == true, "\(cell)")
                    } else {
                        #expect(onExisting.status == .forbidden || onExisting.status == .unauthorized,
                                "\(cell) → \(onExisting.status.code)")
                    }
                    #expect(onExisting.status == onMissing.status, "\(cell): status differs for a missing record")
                    #expect(String(buffer: onExisting.body) == String(buffer: onMissing.body),
                            "\(cell): the refusal reveals whether the record exists")
                    refused += 1
                }
            }
        }
        return refused
    }
}
