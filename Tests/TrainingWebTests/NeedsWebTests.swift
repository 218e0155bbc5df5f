import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingWeb

/// A department head proposes needs on the web: the people lacking required training are offered first, a refused
/// proposal keeps the people ticked, another department's page is closed to them, and the coordinator sees every one.
@Suite(.serialized) struct NeedsWebTests {
    @Test func aHeadProposesTheirPeopleLackingRequiredTrainingFirst() async throws {
        let fixture = try WebFixture()
        let actor = Actor("test:web")!
        _ = try fixture.office().requiredTraining.define(.init(code: "ZNR", programID: "web-probni", scope: .everyone,
                                                               due: .by(LocalDate(iso: "2027-06-30")!)), actor: actor)
        try await withLiveApp(fixture) { client in
            var head = WebClient(client)
            _ = try await head.signIn("sef")
            // No window yet: the page says so and offers no form.
            let closed = String(buffer: try await head.get("/department/EIMS/needs?year=2027").body)
            #expect(closed.contains("id=\"window-state\"") && !closed.contains("id=\"need-form\""))
            _ = try fixture.office().needs.openWindow(year: 2027, deadline: LocalDate(iso: "2026-12-20")!, actor: actor)
            let open = String(buffer: try await head.get("/department/EIMS/needs?year=2027").body)
            let gapSection = try #require(open.range(of: "id=\"gap-people\"").map { String(open[$0.lowerBound...].prefix(2000)) })
            #expect(gapSection.contains("value=\"1001\""), "Amra Hodžić lacks ZNR: offered first")
            // No reason: refused beside the field, the person still ticked.
            let refused = try await head.post("/department/EIMS/needs?year=2027", [("year", "2027"), ("program", "web-probni"),
                                                                                   ("person", "1001"), ("priority", "high"), ("reason", "")])
            #expect(refused.status == .unprocessableContent)
            let refusedPage = String(buffer: refused.body)
            #expect(refusedPage.contains("id=\"reason-error\"") && refusedPage.contains("value=\"1001\" checked"))
            let saved = try await head.post("/department/EIMS/needs?year=2027", [("year", "2027"), ("program", "web-probni"),
                                                                                 ("person", "1001"), ("priority", "high"),
                                                                                 ("reason", "Novi propisi")])
            #expect(saved.status == .seeOther)
            #expect(try fixture.office().needs.needs(year: 2027).map { $0.nominees.map(\.personalNumber) } == [["1001"]])
            // Another department's page and proposals are not theirs.
            let other = fixture.otherDepartment.rawValue
            let otherPage = try await head.get("/department/\(other)/needs?year=2027").status
            #expect(otherPage == .notFound || otherPage == .forbidden)
            let otherPost = try await head.post("/department/\(other)/needs?year=2027", [("year", "2027"), ("program", "web-probni"),
                                                                                         ("person", "2002"), ("reason", "x")])
            #expect(otherPost.status == .notFound || otherPost.status == .forbidden)
            #expect(try await head.get("/needs?year=2027").status == .forbidden)

            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let overview = String(buffer: try await coordinator.get("/needs?year=2027").body)
            #expect(overview.contains("Hodžić Amra") && overview.contains("Novi propisi"))
            coordinator.bearer = try fixture.office().accounts.createToken(login: "koordinator", name: "t", actor: actor).token
            let api = String(buffer: try await coordinator.get("/api/v1/needs?year=2027").body)
            #expect(api.contains(#""personal_numbers":["1001"]"#))
            let proposed = try await coordinator.postJSON("/api/v1/departments/\(other)/needs",
                                                          #"{"year":2027,"program_id":"web-probni","head_count":3,"reason":"Šalter"}"#)
            #expect(proposed.status == .created)
        }
        // After the deadline the page is read-only.
        let late = try await buildApplication(WebConfiguration(host: "127.0.0.1", port: 0, office: fixture.office(at: LocalDateTime(iso: "2026-12-21 09:00")!)))
        try await withLiveServer(late) { client in
            var head = WebClient(client)
            _ = try await head.signIn("sef")
            let page = String(buffer: try await head.get("/department/EIMS/needs?year=2027").body)
            #expect(!page.contains("id=\"need-form\"") && !page.contains("id=\"withdraw-") && page.contains("data-need="))
        }
    }
}
