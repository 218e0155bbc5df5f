import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrainingCore
import TrainingStore
@testable import TrainingWeb

@Suite(.serialized) struct APITests {
    /// Every /api/v1 route is in the OpenAPI document with the same method, and the document has nothing else.
    @Test func openAPIDocumentMatchesTheRoutes() async throws {
        let fixture = try WebFixture()
        let (_, specs) = try await buildRouter(fixture.configuration())
        let routes = Set(specs.filter { $0.path.hasPrefix(APIController.prefix + "/") }.map { spec in
            "\(spec.method.uppercased()) \(spec.path.dropFirst(APIController.prefix.count))"
        })
        let document = try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as! [String: Any]
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = document["paths"] as! [String: [String: Any]]
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(routes.count >= 15)
        #expect(routes == documented, "only in routes: \(routes.subtracting(documented)); only in the document: \(documented.subtracting(routes))")
    }

    /// A token made through the API is listed, revoked through the API, and refused from then on; the revocation is
    /// tested here because the schemathesis run leaves it out (it would revoke its own token).
    @Test func aTokenIsMadeListedAndRevokedThroughTheAPI() async throws {
        let fixture = try WebFixture()
        let first = try fixture.office().accounts.createToken(login: "koordinator", name: "test", actor: Actor("test:web")!).token
        try await withLiveApp(fixture) { client in
            func call(_ method: HTTPRequest.Method, _ path: String, _ token: String, _ body: String? = nil) async throws -> HTTPTestResponse {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(token)"
                if body != nil { headers[.contentType] = "application/json" }
                return try await client.executeRequest(uri: "/api/v1" + path, method: method, headers: headers,
                                                       body: body.map { ByteBuffer(string: $0) })
            }
            let made = try await call(.post, "/tokens", first, #"{"name":"skripta"}"#)
            #expect(made.status == .created)
            let created = try JSONSerialization.jsonObject(with: Data(buffer: made.body)) as! [String: Any]
            let second = created["token"] as! String, id = (created["listed"] as! [String: Any])["id"] as! Int
            #expect(try await call(.get, "/cohorts", second).status == .ok)
            let listed = String(buffer: try await call(.get, "/tokens", first).body)
            #expect(listed.contains("\"name\":\"skripta\"") && !listed.contains(second))
            #expect(try await call(.post, "/tokens/\(id)/revocation", first).status == .ok)
            #expect(try await call(.get, "/cohorts", second).status == .unauthorized)
            #expect(try await call(.post, "/tokens/\(id)/revocation", first).status == .notFound)
            #expect(try await call(.get, "/cohorts", first).status == .ok)
        }
    }

    @Test func tokensAreScopedLikeTheirOwnerAndRevocable() async throws {
        let fixture = try WebFixture()
        let actor = Actor("test:web")!
        func token(_ login: String) throws -> String {
            try fixture.office().accounts.createToken(login: login, name: "test", actor: actor).token
        }
        let coordinator = try token("koordinator"), head = try token("sef"), trainee = try token("polaznik")
        let other = fixture.otherDepartment.rawValue
        try await withLiveApp(fixture) { client in
            func get(_ path: String, _ token: String?) async throws -> HTTPTestResponse {
                var headers = HTTPFields()
                if let token { headers[.authorization] = "Bearer \(token)" }
                return try await client.executeRequest(uri: "/api/v1" + path, method: .get, headers: headers, body: nil)
            }
            let people = try await get("/people?limit=1", coordinator)
            #expect(people.status == .ok && people.headers[.contentType] == "application/json")
            let page = try JSONSerialization.jsonObject(with: Data(buffer: people.body)) as! [String: Any]
            #expect(page["total"] as? Int == 2 && (page["items"] as? [Any])?.count == 1)
            #expect(try await get("/people", nil).status == .unauthorized)
            #expect(try await get("/people", "obk_wrong").status == .unauthorized)
            let refused = try await get("/people", head)
            #expect(refused.status == .forbidden && refused.headers[.contentType] == "application/problem+json")
            #expect(try await get("/reports/department/EIMS", head).status == .ok)
            let foreign = try await get("/reports/department/\(other)", head), missing = try await get("/reports/department/NEMA", head)
            #expect(foreign.status == .forbidden && String(buffer: foreign.body) == String(buffer: missing.body))
            // The program report: every department beside the District, for coordinators only.
            let program = try await get("/reports/program?from=2026-01-01&to=2026-11-25", coordinator)
            #expect(program.status == .ok)
            let report = try JSONSerialization.jsonObject(with: Data(buffer: program.body)) as! [String: Any]
            let departments = report["departments"] as! [[String: Any]]
            #expect(departments.map { $0["department"] as! String } == (try fixture.office().administration.departments().map(\.code.rawValue)).sorted())
            // (No one in the fixture changed department, so the departments add up to the District.)
            let enrolled = departments.map { ($0["figures"] as! [String: Any])["enrolled"] as! Int }
            #expect(enrolled.reduce(0, +) == (report["district"] as! [String: Any])["enrolled"] as? Int && enrolled.contains { $0 > 0 })
            #expect(try await get("/reports/program", head).status == .forbidden)
            let mine = try await get("/me/progress", trainee)
            #expect(mine.status == .ok && String(buffer: mine.body).contains("\"personal_number\":\"1001\""))
            #expect(try await get("/people?limit=0", coordinator).status == .badRequest)
            // A cookie session does not open the API (it would need a CSRF token).
            var web = WebClient(client)
            try await web.signIn("koordinator")
            var headers = HTTPFields()
            headers[.cookie] = web.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            #expect(try await client.executeRequest(uri: "/api/v1/people", method: .get, headers: headers, body: nil).status == .unauthorized)
            // Writes go through the same rules and the audit log names the token's account.
            var post = HTTPFields()
            post[.authorization] = "Bearer \(coordinator)"
            post[.contentType] = "application/json"
            let recorded = try await client.executeRequest(uri: "/api/v1/cohorts/W1/assessments/M1-T/scores", method: .post, headers: post,
                                                           body: ByteBuffer(string: #"{"entries":[{"personal_number":"1001","score":77}]}"#))
            #expect(recorded.status == .created)
            #expect(try fixture.office().administration.auditEvents(limit: 1).first?.actor == "account:koordinator")
            let bad = try await client.executeRequest(uri: "/api/v1/cohorts/W1/assessments/M1-T/scores", method: .post, headers: post,
                                                      body: ByteBuffer(string: #"{"entries":[{"personal_number":"1001","score":700}]}"#))
            #expect(bad.status == .unprocessableContent && bad.headers[.contentType] == "application/problem+json")
            // Revoked and disabled tokens stop at once; use is recorded.
            let id = try fixture.office().accounts.tokens(login: "sef").first!.id
            #expect(try fixture.office().accounts.tokens(login: "sef").first?.lastUsedAt != nil)
            try fixture.office().accounts.revokeToken(id: id, login: "sef", actor: actor)
            #expect(try await get("/reports/department/EIMS", head).status == .unauthorized)
            try fixture.office().accounts.setDisabled(login: "polaznik", true, actor: actor)
            #expect(try await get("/me/progress", trainee).status == .unauthorized)
        }
    }

    @Test func traineePageIsCachedRevalidatedAndNeverStale() async throws {
        let fixture = try WebFixture()
        // Another connection, as the CLI in another process would have.
        let other = fixture.office(at: fixture.now)
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("polaznik")
            let first = try await web.get("/my")
            let second = try await web.get("/my")
            let etag = first.headers[.eTag]
            #expect(first.status == .ok && etag != nil && second.headers[.eTag] == etag)
            #expect(String(buffer: first.body) == String(buffer: second.body))
            var conditional = HTTPFields()
            conditional[.ifNoneMatch] = etag!
            conditional[.cookie] = web.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let notModified = try await client.executeRequest(uri: "/my", method: .get, headers: conditional, body: nil)
            #expect(notModified.status == .notModified && notModified.body.readableBytes == 0)
            // Viewing the page wrote nothing.
            let events = try fixture.office().administration.auditEvents(limit: 1000).count
            _ = try await web.get("/my")
            #expect(try fixture.office().administration.auditEvents(limit: 1000).count == events)
            // A score recorded elsewhere shows on the next view.
            #expect(!String(buffer: first.body).contains("88 / 100"))
            try other.scores.record(cohort: "W1", person: "1001", assessment: "M1-T", score: 88, actor: Actor("test:cli")!)
            let after = try await web.get("/my")
            #expect(String(buffer: after.body).contains("88 / 100"))
            #expect(after.headers[.eTag] != etag)
            let stale = try await client.executeRequest(uri: "/my", method: .get, headers: conditional, body: nil)
            #expect(stale.status == .ok)
        }
    }
}
