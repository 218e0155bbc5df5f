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
