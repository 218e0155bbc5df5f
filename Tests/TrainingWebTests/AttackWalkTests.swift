import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingWeb

/// What an attacker's walk over the app found (issue 25), each as a test that failed before its fix.
@Suite(.serialized) struct AttackWalkTests {
    /// `polaznik\0xyz` was its own lock key while the lookup stopped at the NUL: after five wrong passwords the right
    /// password behind a NUL signed in.
    @Test func aNULInALoginIsRefusedAndTheLockHolds() async throws {
        let fixture = try WebFixture()
        let clock = TestClock()
        try await withLiveApp(fixture, clock: clock.closure) { client in
            var web = WebClient(client)
            for attempt in 1...5 { _ = try await web.signIn("polaznik", password: "pogresna-\(attempt)") }
            for variant in ["polaznik\u{0}a1", "polaznik\u{0}", "POLAZNIK", " polaznik "] {
                let response = try await web.signIn(variant)
                #expect(response.status != .seeOther, "\(variant.debugDescription) signed in past the lock")
                #expect(web.cookies["obuka_session"] == nil)
            }
            #expect(try await web.signIn("polaznik").status == .tooManyRequests)
            clock.advance(5 * 60 + 1)
            #expect(try await web.signIn("polaznik").headers[.location] == "/")
        }
    }

    /// `a%00b` typed into a form was stored as `a`.
    @Test func aNULInAFormFieldIsRefusedAndNothingIsStored() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            _ = try await web.get("/cohorts")
            let response = try await web.post("/cohorts", [("code", "NUL1"), ("name", "a\u{0}b"), ("program", "web-probni"),
                                                           ("starts", "2026-12-01"), ("ends", "2026-12-20"), ("capacity", "5")])
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("name:"))
            #expect(try fixture.office().cohorts.list().allSatisfy { $0.code != "NUL1" })
            // JSON bodies too.
            let token = try fixture.office().accounts.createToken(login: "koordinator", name: "t", actor: Actor("test:web")!).token
            let json = try await client.executeRequest(
                uri: "/api/v1/cohorts/W1/enrolments", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"personal_numbers":["1001\u0000x"]}"#))
            #expect(json.status == .unprocessableContent)
        }
    }

    /// Codes become addresses and file names: `../../etc`, `A/B`, line breaks and tabs are refused.
    @Test func cohortCodesAreCodes() throws {
        let fixture = try WebFixture()
        for code in ["../../etc", "A/B", "A\r\nB", "A\tB", "A B", "", String(repeating: "A", count: 21), "Š1"] {
            #expect(throws: TextInputError.self, "\(code.debugDescription)") {
                try fixture.office().cohorts.create(code: code, name: "X", program: "web-probni", starts: LocalDate(iso: "2026-12-01")!,
                                                    ends: LocalDate(iso: "2026-12-20")!, capacity: 5, actor: Actor("test:web")!)
            }
        }
        #expect(throws: TextInputError.controlCharacter(field: "name")) {
            try fixture.office().cohorts.create(code: "OK-1", name: "X\nY", program: "web-probni", starts: LocalDate(iso: "2026-12-01")!,
                                                ends: LocalDate(iso: "2026-12-20")!, capacity: 5, actor: Actor("test:web")!)
        }
    }

    /// A login typed with a combining caron is the login typed with the precomposed letter.
    @Test func loginsAreComposedBeforeTheyAreStoredOrLookedUp() async throws {
        let fixture = try WebFixture()
        _ = try fixture.office().accounts.create(login: "S\u{30C}ef2", displayName: "Šef", password: WebFixture.password,
                                                 roles: [.coordinator], department: nil, person: nil, actor: Actor("test:web")!)
        #expect(try fixture.office().accounts.account(login: "\u{161}ef2") != nil)
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            let response = try await web.signIn("\u{160}EF2")
            #expect(response.status == .seeOther)
        }
    }
}

extension AttackWalkTests {
    /// `//api/v1/people` reached the API's handler while the middlewares took it for a page and honoured the cookie.
    @Test func pathsAreNormalisedBeforeAuthentication() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            for path in ["//api/v1/people", "/./api/v1/people", "/static/../api/v1/people", "/api//v1/people"] {
                let response = try await web.get(path)
                #expect(response.status == .unauthorized, "\(path): \(response.status)")
                #expect(!String(buffer: response.body).contains("personal_number"), "\(path)")
            }
            // Pages still work with odd slashes.
            #expect(try await web.get("//cohorts").status == .ok)
        }
    }

    /// The web page logged who read a person; the API did not.
    @Test func apiReadsOfPersonalDataAreLogged() async throws {
        let fixture = try WebFixture()
        let token = try fixture.office().accounts.createToken(login: "koordinator", name: "t", actor: Actor("test:web")!).token
        try await withLiveApp(fixture) { client in
            func get(_ path: String) async throws -> HTTPTestResponse {
                try await client.executeRequest(uri: "/api/v1" + path, method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
            }
            #expect(try await get("/people/2002").status == .ok)
            #expect(try await get("/people?limit=500").status == .ok)
            #expect(try await get("/cohorts/W1/progress").status == .ok)
            #expect(try await get("/cohorts/W1/enrolments").status == .ok)
            // The log is written in batches every two seconds.
            var whats = Set<String>()
            let deadline = ContinuousClock.now + .seconds(20)
            while whats.count < 4, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                whats = Set(try fixture.office().privacy.reads(of: "2002").filter { $0.actor == "account:koordinator" }.map(\.what))
            }
            #expect(whats == ["api.person", "api.people", "api.cohort.progress", "api.cohort.enrolments"])
        }
    }

    /// The public register promises state, program, name and dates; it showed the revocation reason too.
    @Test func thePublicRegisterDoesNotShowWhyACertificateWasRevoked() async throws {
        let fixture = try WebFixture()
        let actor = Actor("test:web")!
        let office = fixture.office(at: LocalDateTime(iso: "2026-11-25 12:00")!)
        try office.attendance.record(session: SessionID(rawValue: fixture.sessionID),
                                     entries: [AttendanceEntry(personalNumber: "1001", status: .present)], actor: actor)
        try office.scores.record(cohort: "W1", person: "1001", assessment: "M1-T", score: 90, actor: actor)
        let (certificate, _) = try office.certificates.issue(
            person: "1001", cohort: "W1", language: .bosnian, registryNumber: nil,
            settings: CertificateSettings(signatoryName: "A", signatoryTitle: "B", place: "Brčko"), actor: actor)
        _ = try office.certificates.revoke(serial: certificate.serial, reason: "tajni-razlog-disciplinski", actor: actor)
        try await withLiveApp(fixture) { client in
            let page = try await client.executeRequest(uri: "/verify/\(certificate.verificationID)", method: .get, headers: [:], body: nil)
            #expect(String(buffer: page.body).contains("id=\"verify-state\""))
            #expect(!String(buffer: page.body).contains("tajni-razlog"))
            let json = try await client.executeRequest(uri: "/api/v1/verify/\(certificate.verificationID)", method: .get, headers: [:], body: nil)
            #expect(String(buffer: json.body).contains("\"revoked\"") && !String(buffer: json.body).contains("tajni-razlog"))
        }
    }

    /// A cohort's certificates page showed an erased holder's name (kept inside the signed certificate), which the
    /// register hid; it also wrote holders in Latin on a Cyrillic page.
    @Test func aCohortsCertificatesPageNamesNoErasedHolderAndWritesHoldersInThePagesScript() async throws {
        let fixture = try WebFixture()
        let actor = Actor("test:web")!
        let office = fixture.office(at: LocalDateTime(iso: "2026-11-25 12:00")!)
        try office.attendance.record(session: SessionID(rawValue: fixture.sessionID),
                                     entries: ["1001", "2002"].map { AttendanceEntry(personalNumber: $0, status: .present) }, actor: actor)
        let settings = CertificateSettings(signatoryName: "A", signatoryTitle: "B", place: "Brčko")
        for number in ["1001", "2002"] {
            try office.scores.record(cohort: "W1", person: number, assessment: "M1-T", score: 90, actor: actor)
            _ = try office.certificates.issue(person: number, cohort: "W1", language: .bosnian, registryNumber: nil, settings: settings,
                                              actor: actor)
        }
        _ = try office.privacy.erase(person: "2002", actor: actor)
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            try await coordinator.signIn("koordinator")
            let latin = String(buffer: try await coordinator.get("/cohorts/W1/certificates?lang=bs").body)
            #expect(latin.contains("Amra Hodžić") && !latin.contains("Jović"))
            let cyrillic = String(buffer: try await coordinator.get("/cohorts/W1/certificates?lang=sr-Cyrl").body)
            #expect(cyrillic.contains("Амра Хоџић") && !cyrillic.contains("Jović") && !cyrillic.contains("Јовић"))
        }
    }

    /// The database was created 0644; the language cookie was not Secure over HTTPS.
    @Test func theDatabaseIsTheOwnersAndCookiesAreSecureOverHTTPS() async throws {
        let fixture = try WebFixture()
        for file in ["obuka.sqlite", "obuka.sqlite-wal"] {
            let path = fixture.dataDirectory.url.appendingPathComponent(file).path
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(file): \(String(mode ?? 0, radix: 8))")
        }
        let app = try await buildApplication(fixture.configuration(publicURL: "https://obuka.example"))
        try await app.test(.router) { client in
            let response = try await client.executeRequest(uri: "/login?lang=en", method: .get, headers: [:], body: nil)
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("lang=") }
            #expect(cookie?.contains("Secure") == true, "\(cookie ?? "no lang cookie")")
        }
    }
}

extension AttackWalkTests {
    /// A stolen session could mint a token that outlived the victim's password change, and tokens never expired.
    @Test func tokensEndWithAPasswordChangeDisablingAndTheirExpiry() async throws {
        let fixture = try WebFixture()
        let actor = Actor("test:web")!
        let clock = TestClock()
        let office = fixture.office(clock: clock.closure)
        let changed = try office.accounts.createToken(login: "koordinator", name: "a", actor: actor)
        let disabled = try office.accounts.createToken(login: "sef", name: "b", actor: actor)
        let short = try office.accounts.createToken(login: "admin", name: "c", days: 1, actor: actor)
        #expect(short.listed.expiresAt == Int64(clock.now.timeIntervalSince1970) + 86_400)
        try await withLiveApp(fixture, clock: clock.closure) { client in
            func status(_ token: String) async throws -> HTTPResponse.Status {
                try await client.executeRequest(uri: "/api/v1/cohorts", method: .get,
                                                headers: [.authorization: "Bearer \(token)"], body: nil).status
            }
            #expect(try await status(changed.token) == .ok)
            #expect(try await status(disabled.token) != .unauthorized)
            #expect(try await status(short.token) != .unauthorized)
            _ = try office.accounts.setPassword(login: "koordinator", to: "nova-lozinka-123", actor: actor)
            try office.accounts.setDisabled(login: "sef", true, actor: actor)
            clock.advance(86_400 + 1)
            #expect(try await status(changed.token) == .unauthorized)
            #expect(try await status(disabled.token) == .unauthorized)
            #expect(try await status(short.token) == .unauthorized)
        }
        // An administrator sees an account's live tokens and revokes them on the accounts page.
        let kept = try office.accounts.createToken(login: "polaznik", name: "skripta-polaznika", actor: actor)
        try await withLiveApp(fixture, clock: clock.closure) { client in
            var admin = WebClient(client)
            try await admin.signIn("admin")
            let page = String(buffer: try await admin.get("/admin/accounts").body)
            #expect(page.contains("skripta-polaznika"))
            let revoked = try await admin.post("/admin/accounts/polaznik/tokens/\(kept.listed.id)/revoke", [])
            #expect(revoked.status == .seeOther)
            let status = try await client.executeRequest(uri: "/api/v1/me/progress", method: .get,
                                                         headers: [.authorization: "Bearer \(kept.token)"], body: nil).status
            #expect(status == .unauthorized)
        }
        // Enabling the account again does not bring its old tokens back; the list says they are over.
        try office.accounts.setDisabled(login: "sef", false, actor: actor)
        #expect(try office.accounts.tokens(login: "sef").allSatisfy(\.revoked))
        #expect(try office.accounts.tokens(login: "koordinator").allSatisfy(\.revoked))
    }
}

extension AttackWalkTests {
    /// Behind a proxy everyone shared its address: twenty failed sign-ins on made-up names locked the real users out.
    @Test func behindATrustedProxyEachClientHasItsOwnLimit() async throws {
        let fixture = try WebFixture()
        for trusted in [true, false] {
            var configuration = fixture.configuration()
            if trusted { configuration.trustedProxies = try TrustedProxies("127.0.0.1, 10.0.0.0/8") }
            let app = try await buildApplication(configuration)
            try await withLiveServer(app) { client in
                // The attacker claims to be the coordinator's address; the proxy appends the address it really saw.
                var attacker = WebClient(client)
                attacker.extraHeaders[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.7, 203.0.113.66, 10.1.2.3"
                for attempt in 1...20 { _ = try await attacker.signIn("nepostojeci-\(attempt)", password: "x") }
                var coordinator = WebClient(client)
                coordinator.extraHeaders[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.7"
                let response = try await coordinator.signIn("koordinator")
                if trusted {
                    #expect(response.status == .seeOther, "the coordinator shared the attacker's limit")
                    #expect(try await attacker.signIn("koordinator").status == .tooManyRequests)
                } else {
                    // Without a trusted proxy the header is not believed: one address, one limit.
                    #expect(response.status == .tooManyRequests)
                }
            }
        }
        #expect(throws: TrustedProxiesError.invalid("10.0.0.0/33")) { try TrustedProxies("10.0.0.0/33") }
        #expect(throws: TrustedProxiesError.invalid("proxy.example")) { try TrustedProxies("::1 proxy.example") }
        #expect(try TrustedProxies("fd00::/8").contains("fd12::1") && !TrustedProxies("fd00::/8").contains("fe80::1"))
    }
}
