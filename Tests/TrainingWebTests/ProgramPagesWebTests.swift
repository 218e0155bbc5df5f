import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingOffice
import TrainingStore
@testable import TrainingWeb

/// Program pages read the same program three ways: the coordinator's (who confirms its policy and publishes it), the
/// trainee's (their own programs only) and the public catalogue's (only what was published), in all five languages, with
/// the API beside them.
@Suite(.serialized) struct ProgramPagesWebTests {
    /// The web fixture with both versions of the diaspora program, and trainee 1001 in cohort W2 on version 2.
    static func fixture() throws -> WebFixture {
        let fixture = try WebFixture()
        let office = fixture.office(), actor = Actor("test:web")!
        let reading = try office.curriculum.read([WebFixture.repositoryRoot.appendingPathComponent("Curriculum")], language: .english)
        #expect(reading.problems.isEmpty, "\(reading.problems)")
        _ = try office.curriculum.load(reading.files, actor: actor)
        _ = try office.cohorts.create(code: "W2", name: "Dijaspora", program: "dijaspora-2022", starts: LocalDate(iso: "2026-12-01")!,
                                      ends: LocalDate(iso: "2026-12-30")!, capacity: 5, actor: actor)
        _ = try office.enrolment.enrol(cohort: "W2", people: ["1001"], actor: actor)
        return fixture
    }

    static func hasCyrillic(_ text: String) -> Bool { text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } }

    @Test func aTraineeReadsTheirProgramInEveryLanguageWithItsCaseStudy() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var trainee = WebClient(client)
            _ = try await trainee.signIn("polaznik")
            let home = String(buffer: try await trainee.get("/my").body)
            #expect(home.contains("href=\"/my/programs/dijaspora-2022\""))

            let page = try await trainee.get("/my/programs/dijaspora-2022")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("Usluge dijaspori"))
            #expect(html.contains("Ovo je ključni modul razvoja komunikacije i saradnje sa dijasporom"))
            // The case study's figures in the District's style, with their period and the estimate marked.
            #expect(html.contains("<dt class=\"num\">9.680</dt><dd>posjeta iz dijaspore na web stranici"))
            #expect(html.contains("<dt class=\"num\">10.171</dt>") && html.contains("procjena"))
            #expect(html.contains("U prethodnih 12 mjeseci (2019.)"))
            #expect(html.contains("Migracije i razvoj <span class=\"mark\">rekonstruisano</span>"))
            #expect(html.contains("„#DijasporazaRazvoj"))
            // A reader sees no assessment ids, no coordinator's forms.
            #expect(!html.contains("M1-T") && !html.contains("confirm-policy") && !html.contains("catalogue-toggle"))

            let latin = String(buffer: try await trainee.get("/my/programs/dijaspora-2022?lang=sr-Latn").body)
            #expect(latin.contains("<html lang=\"sr-Latn\""))
            #expect(latin.contains("Realizacija mjera u domenu očuvanja nacionalnog identiteta"))
            #expect(latin.contains("Teme") && !Self.hasCyrillic(latin), "Serbian Latin shows Cyrillic")
            let croatian = String(buffer: try await trainee.get("/my/programs/dijaspora-2022?lang=hr").body)
            #expect(croatian.contains("Program izobrazbe rukovoditelja/službenika") && croatian.contains("Provedba mjera u području"))
            let cyrillic = String(buffer: try await trainee.get("/my/programs/dijaspora-2022?lang=sr-Cyrl").body)
            #expect(cyrillic.contains("Услуге дијаспори"))

            // Only their own programs: another program is not found, as the API says too.
            #expect(try await trainee.get("/my/programs/web-probni-nema").status == .notFound)
            trainee.bearer = try fixture.office().accounts.createToken(login: "polaznik", name: "t", actor: Actor("test:web")!).token
            let api = try await trainee.get("/api/v1/me/programs/dijaspora-2022?lang=en")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [String: Any])
            #expect(json["version"] as? Int == 2 && json["marks_provenance"] as? Bool == true)
            let modules = try #require(json["modules"] as? [[String: Any]])
            let figures = try #require((modules.last?["case_studies"] as? [[String: Any]])?.first?["figures"] as? [[String: Any]])
            #expect(figures.contains { $0["value"] as? Int == 10171 && $0["estimated"] as? Bool == true && $0["period_year"] as? Int == 2019 })
            #expect((modules.first?["title"] as? [String: Any])?["provenance"] as? String == "reconstructed")

            // Their preferred language is kept and speaks on the next page.
            let saved = try await trainee.post("/my/language", [("language", "hr")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/my?notice=language_saved&lang=hr")
            #expect(try fixture.office().people.person("1001").preferredLanguage == .croatian)
            let bad = try await trainee.post("/my/language", [("language", "xx")])
            #expect(bad.status == .badRequest)
        }
    }

    @Test func theCoordinatorConfirmsAndPublishesAndThePublicReadsOnlyWhatIsPublished() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var anonymous = WebClient(client)
            #expect(try await anonymous.get("/catalogue/dijaspora-2022").status == .notFound)
            #expect(String(buffer: try await anonymous.get("/catalogue").body).contains("nijedan program"))

            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let list = String(buffer: try await coordinator.get("/programs").body)
            #expect(list.contains("href=\"/programs/dijaspora-2022?version=1\"") && list.contains("href=\"/programs/dijaspora-2022?version=2\""))
            #expect(list.contains("nisu potvrđena"))
            let page = String(buffer: try await coordinator.get("/programs/dijaspora-2022").body)
            #expect(page.contains("id=\"confirm-policy\"") && page.contains("M1-T"))
            #expect(try await coordinator.get("/programs/dijaspora-2022?version=1e3").status == .badRequest)
            let one = String(buffer: try await coordinator.get("/programs/dijaspora-2022?version=1").body)
            #expect(!one.contains("confirm-policy") && !one.contains("class=\"mark\""))

            let confirmed = try await coordinator.post("/programs/dijaspora-2022/versions/2/confirm", [])
            #expect(confirmed.status == .seeOther)
            #expect(try fixture.office().curriculum.standing("dijaspora-2022", version: 2).policyConfirmed)
            #expect(!String(buffer: try await coordinator.get("/programs/dijaspora-2022").body).contains("id=\"confirm-policy\""))

            #expect(try await coordinator.post("/programs/dijaspora-2022/catalogue", [("shown", "1")]).status == .seeOther)
            let published = try await anonymous.get("/catalogue/dijaspora-2022?lang=en")
            #expect(published.status == .ok)
            let html = String(buffer: published.body)
            #expect(html.contains("Services for the diaspora") && html.contains("9.680"))
            #expect(!html.contains("M1-T") && !html.contains("_csrf"))
            #expect(String(buffer: try await anonymous.get("/catalogue").body).contains("href=\"/catalogue/dijaspora-2022\""))

            // The API: a coordinator's token confirms (201 the first time, 200 after) and publishes.
            coordinator.bearer = try fixture.office().accounts.createToken(login: "koordinator", name: "t", actor: Actor("test:web")!).token
            let again = try await coordinator.request(.post, "/api/v1/programs/dijaspora-2022/versions/2/confirmation")
            #expect(again.status == .ok)
            let versionOne = try await coordinator.request(.post, "/api/v1/programs/dijaspora-2022/versions/1/confirmation")
            #expect(versionOne.status == .unprocessableContent)
            let programs = String(buffer: try await coordinator.get("/api/v1/programs").body)
            #expect(programs.contains("\"in_catalogue\":true") && programs.contains("\"policy_confirmed_at\""))
            let versionTwo = String(buffer: try await coordinator.get("/api/v1/programs/dijaspora-2022/versions/2").body)
            #expect(versionTwo.contains("\"version\":2"))
            #expect(try await coordinator.get("/api/v1/programs/dijaspora-2022/versions/7").status == .notFound)
        }
    }
}
