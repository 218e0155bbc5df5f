import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing
import TrainingCore
@testable import TrainingStore
@testable import TrainingWeb

/// A clock the test moves forward.
final class TestClock: Sendable {
    private let value = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { value.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { self.now } }
}

@Suite(.serialized) struct SessionSecurityTests {
    @Test func sessionSurvivesRestartButNotDisablingOrPasswordChange() async throws {
        let fixture = try WebFixture()
        let cookies = Mutex<[String: String]>([:])
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            #expect(try await web.get("/cohorts").status == .ok)
            cookies.withLock { $0 = web.cookies }
        }
        // A new server process (same data directory) accepts the stored session.
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            web.cookies = cookies.withLock { $0 }
            #expect(try await web.get("/cohorts").status == .ok)
            try fixture.office().accounts.setPassword(login: "koordinator", to: "nova-lozinka-123", actor: Actor("test:web")!)
            let after = try await web.get("/cohorts")
            #expect(after.status == .seeOther && after.headers[.location]?.hasPrefix("/login") == true)
            // Signing in again works with the new password; disabling ends that session too.
            #expect(try await web.signIn("koordinator", password: "nova-lozinka-123").headers[.location] == "/")
            #expect(try await web.get("/cohorts").status == .ok)
            try fixture.office().accounts.setDisabled(login: "koordinator", true, actor: Actor("test:web")!)
            #expect(try await web.get("/cohorts").status == .seeOther)
            #expect(try await web.signIn("koordinator", password: "nova-lozinka-123").status == .unauthorized)
        }
    }

    @Test func idleAndAbsoluteExpiryAndRefreshAtMostOnceAMinute() async throws {
        let fixture = try WebFixture()
        let clock = TestClock()
        @Sendable func refreshedAt() throws -> Int64 {
            try fixture.database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(refreshed_at) FROM web_session")! }
        }
        try await withLiveApp(fixture, clock: clock.closure) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            let signedIn = try refreshedAt()
            clock.advance(30)
            #expect(try await web.get("/cohorts").status == .ok)
            #expect(try refreshedAt() == signedIn, "viewing a page within a minute wrote the session")
            clock.advance(40)
            #expect(try await web.get("/cohorts").status == .ok)
            #expect(try refreshedAt() == signedIn + 70)
            // Idle: 31 minutes without a request ends the session.
            clock.advance(31 * 60)
            #expect(try await web.get("/cohorts").status == .seeOther)

            // Absolute: a session kept busy still ends after 12 hours.
            try await web.signIn("koordinator")
            for _ in 0..<(12 * 3) {
                clock.advance(20 * 60)
                let response = try await web.get("/cohorts")
                if response.status != .ok {
                    #expect(response.status == .seeOther)
                    return
                }
            }
            Issue.record("the session outlived its 12-hour limit")
        }
    }

    @Test func fiveWrongPasswordsLockTheAccountForAWhile() async throws {
        let fixture = try WebFixture()
        let clock = TestClock()
        try await withLiveApp(fixture, clock: clock.closure) { client in
            var web = WebClient(client)
            for attempt in 1...4 {
                #expect(try await web.signIn("sef", password: "pogresna-\(attempt)").status == .unauthorized)
            }
            let fifth = try await web.signIn("sef", password: "pogresna-5")
            #expect(fifth.status == .tooManyRequests)
            #expect(String(buffer: fifth.body).contains("id=\"login-error\""))
            // Even the right password is refused while locked; other accounts are not affected.
            #expect(try await web.signIn("sef").status == .tooManyRequests)
            var other = WebClient(client)
            #expect(try await other.signIn("koordinator").status == .seeOther)
            clock.advance(5 * 60 + 1)
            #expect(try await web.signIn("sef").headers[.location] == "/")
        }
    }

    @Test func formsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            _ = try await web.get("/cohorts/W1")
            let missing = try await web.post("/cohorts/W1/enrolments/1001", [("action", "withdraw")], includeCSRF: false)
            #expect(missing.status == .forbidden)
            let token = web.csrf
            web.csrf = String(token.reversed())
            #expect(try await web.post("/cohorts/W1/enrolments/1001", [("action", "withdraw")]).status == .forbidden)
            // A token of another session is no good either.
            var other = WebClient(client)
            try await other.signIn("koordinator")
            _ = try await other.get("/cohorts/W1")
            web.csrf = other.csrf
            #expect(try await web.post("/cohorts/W1/enrolments/1001", [("action", "withdraw")]).status == .forbidden)
            #expect(try fixture.office().enrolment.enrolments(cohort: "W1").first { $0.person.personalNumber == "1001" }?.status == .approved)
            // With the right token the same form works, audited with the account as actor.
            web.csrf = token
            #expect(try await web.post("/cohorts/W1/enrolments/1001", [("action", "withdraw")]).status == .seeOther)
            #expect(try fixture.office().enrolment.enrolments(cohort: "W1").first { $0.person.personalNumber == "1001" }?.status == .withdrawn)
            #expect(try fixture.office().administration.auditEvents(limit: 1).first?.actor == "account:koordinator")
        }
    }

    @Test func securityHeadersAndCookieFlags() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            let login = try await web.get("/login")
            let policy = login.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline") && policy.contains("default-src 'none'"))
            #expect(login.headers[.xContentTypeOptions] == "nosniff")
            #expect(login.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            // Each once: they are appended to every response, never set twice.
            for name in [HTTPField.Name.contentSecurityPolicy, .xContentTypeOptions, HTTPField.Name("Referrer-Policy")!,
                         HTTPField.Name("X-Frame-Options")!] {
                #expect(login.headers[values: name].count == 1, "\(name)")
            }
            #expect(login.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let signIn = try await web.signIn("koordinator")
            let cookie = signIn.headers[values: .setCookie].first { $0.hasPrefix("obuka_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            let report = try await web.get("/reports/department/EIMS")
            #expect(report.status == .ok)
            let reportPolicy = report.headers[.contentSecurityPolicy] ?? ""
            #expect(report.headers[values: .contentSecurityPolicy].count == 1, "the report's own policy, not a second one")
            #expect(reportPolicy.contains("'sha256-") && !reportPolicy.contains("unsafe-inline"))
        }
        // Behind HTTPS the cookie is __Host- prefixed and Secure.
        let secure = fixture.configuration(publicURL: "https://obuka.bdcentral.example")
        let app = try await buildApplication(secure)
        try await withLiveServer(app) { client in
            var web = WebClient(client)
            _ = try await web.get("/login")
            let signIn = try await web.post("/login", [("login", "koordinator"), ("password", WebFixture.password)])
            let cookie = signIn.headers[values: .setCookie].first { $0.hasPrefix("__Host-obuka_session=") } ?? ""
            #expect(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"))
        }
    }

    @Test func clashingSessionIsRefusedUntilOverriddenAndTheOverrideIsAudited() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            _ = try await web.get("/cohorts/W1/sessions")
            let clash: [(String, String)] = [("module", "M1"), ("date", "2026-11-10"), ("starts", "10:00"), ("ends", "11:00"),
                                             ("trainer", "Predavač"), ("action", "save")]
            let refused = try await web.post("/cohorts/W1/sessions", clash)
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(page.contains("id=\"conflicts\"") && page.contains("Predavač") && page.contains("id=\"override\""))
            #expect(try fixture.office().scheduling.sessions(cohort: "W1").count == 1)
            let forced = try await web.post("/cohorts/W1/sessions", clash + [("override", "1")])
            #expect(forced.status == .seeOther)
            #expect(try fixture.office().scheduling.sessions(cohort: "W1").count == 2)
            let event = try fixture.office().administration.auditEvents(limit: 1).first
            #expect(event?.action == "session.create.forced" && event?.actor == "account:koordinator")
        }
    }

    @Test func publicVerifyPageIsRateLimitedPerAddress() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            var statuses: [Int] = []
            for _ in 0..<61 { statuses.append(Int(try await web.get("/verify/BD-WEB-2026-000001-AB12").status.code)) }
            #expect(statuses.prefix(59).allSatisfy { $0 == 404 })
            #expect(statuses.last == 429)
        }
    }
}
