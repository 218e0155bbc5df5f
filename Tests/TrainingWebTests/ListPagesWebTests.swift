import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingOffice
import TrainingStore
@testable import TrainingWeb

/// People and cohorts lists: a search that ignores case, diacritics and script, the Bosnian alphabet's order, filters,
/// and pages of at most 100 rows found by keyset, with every part of the state in the URL.
@Suite(.serialized) struct ListPagesWebTests {
    static let surnames = ["Žilić", "Šabić", "Đurić", "Džeko", "Ćosić", "Čolić", "Cerić", "Ljubić", "Lukić", "Njegoš", "Novak", "Adžić"]

    /// The web fixture with 250 more people (the named ones first) and 230 more cohorts.
    static func fixture() throws -> WebFixture {
        let fixture = try WebFixture()
        let office = fixture.office(), actor = Actor("test:web")!
        var drafts = surnames.enumerated().map { index, family in
            PersonDraft(personalNumber: "L\(index)", givenName: index == 3 ? "Dženan" : "Ime", familyName: family, sex: nil,
                        email: "l\(index)@uprava.example", department: DepartmentCode("EIMS"), jobTitle: nil)
        }
        drafts += (1...238).map { index in
            PersonDraft(personalNumber: "P\(1000 + index)", givenName: "Osoba", familyName: "Prezime\(1000 + index)", sex: nil,
                        email: "p\(index)@uprava.example", department: fixture.otherDepartment, jobTitle: nil)
        }
        _ = try office.people.importDrafts(drafts, file: "l.csv", sha256: String(repeating: "1", count: 64), actor: actor)
        for index in 1...230 {
            let starts = LocalDate(iso: "2025-01-06")!.adding(days: index * 3)
            _ = try office.cohorts.create(code: "L-\(index)", name: "Lista \(index)", program: "web-probni", starts: starts,
                                          ends: starts.adding(days: 10), capacity: 5, actor: actor)
        }
        return fixture
    }

    /// The texts of a table column in the page.
    static func column(_ html: String, table: String, index: Int) -> [String] {
        guard let body = html.range(of: "<table id=\"\(table)\"").flatMap({ html[$0.upperBound...].range(of: "<tbody>") }),
              let end = html[body.upperBound...].range(of: "</tbody>") else { return [] }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr").dropFirst().map { row in
            let cell = row.components(separatedBy: "<td>")[index + 1]
            return cell.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
                .components(separatedBy: "</td>")[0]
        }
    }

    static func link(_ html: String, id: String) -> String? {
        guard let range = html.range(of: "id=\"\(id)\"") else { return nil }
        let before = html[..<range.lowerBound]
        guard let href = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[href.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func peopleAreFoundWhateverTheScriptAndSortedInTheBosnianAlphabet() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            for query in ["dzenan", "D%C5%BEENAN", "%D1%9F%D0%B5%D0%BD%D0%B0%D0%BD", "dzeko"] {
                let html = String(buffer: try await coordinator.get("/people?q=\(query)").body)
                #expect(Self.column(html, table: "people", index: 1) == ["Džeko Dženan"], "\(query)")
            }
            // A search with LIKE's own characters finds them literally, not everything.
            #expect(Self.column(String(buffer: try await coordinator.get("/people?q=%25").body), table: "people", index: 1).isEmpty)

            let eims = String(buffer: try await coordinator.get("/people?department=EIMS&sort=name").body)
            let names = Self.column(eims, table: "people", index: 1).map { String($0.split(separator: " ")[0]) }
            #expect(names == ["Adžić", "Cerić", "Čolić", "Ćosić", "Džeko", "Đurić", "Hodžić", "Lukić", "Ljubić", "Novak", "Njegoš",
                              "Šabić", "Žilić"])
            #expect(eims.contains("aria-sort=\"ascending\""))
            let reversed = Self.column(String(buffer: try await coordinator.get("/people?department=EIMS&sort=name&dir=desc").body),
                                       table: "people", index: 1).map { String($0.split(separator: " ")[0]) }
            #expect(reversed == names.reversed())

            // 252 people: three pages of at most 100 by keyset, forward and back, keeping the filter and order.
            var page = String(buffer: try await coordinator.get("/people?sort=number").body)
            var seen: [String] = []
            var pages = 0
            // Bounded: a keyset that fails to move on must fail the test, not loop.
            while pages < 10 {
                let numbers = Self.column(page, table: "people", index: 0)
                #expect(numbers.count <= 100)
                seen += numbers
                pages += 1
                guard let next = Self.link(page, id: "next-page") else { break }
                #expect(next.contains("sort=number") && next.contains("after="))
                page = String(buffer: try await coordinator.get(next).body)
            }
            #expect(pages == 3 && seen.count == 252 && Set(seen).count == 252 && seen == seen.sorted())
            let back = try #require(Self.link(page, id: "previous-page"))
            #expect(Self.column(String(buffer: try await coordinator.get(back).body), table: "people", index: 0)
                    == Array(seen[100..<200]))
            #expect(try await coordinator.get("/people?after=1e3").status == .badRequest)
        }
    }

    @Test func cohortsArePagedFilteredAndTheNewCohortFormIsReachable() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let first = String(buffer: try await coordinator.get("/cohorts").body)
            #expect(first.contains("href=\"#new-cohort\"") && first.contains("id=\"new-cohort\""))
            let codes = Self.column(first, table: "cohorts", index: 0)
            #expect(codes.count == 100 && codes.first == "L-230", "newest first")
            let second = String(buffer: try await coordinator.get(try #require(Self.link(first, id: "next-page"))).body)
            let third = String(buffer: try await coordinator.get(try #require(Self.link(second, id: "next-page"))).body)
            let thirdCodes = Self.column(third, table: "cohorts", index: 0)
            #expect(thirdCodes.count == 31 && Self.link(third, id: "next-page") == nil && thirdCodes.last == "L-1")
            #expect(third.contains("Prikazano 31 od 231"))

            let search = Self.column(String(buffer: try await coordinator.get("/cohorts?q=lista+12").body), table: "cohorts", index: 0)
            #expect(Set(search) == ["L-12", "L-120", "L-121", "L-122", "L-123", "L-124", "L-125", "L-126", "L-127", "L-128", "L-129"])
            let year = Self.column(String(buffer: try await coordinator.get("/cohorts?year=2025").body), table: "cohorts", index: 0)
            #expect(!year.isEmpty && year.allSatisfy { $0.hasPrefix("L-") })
            let finished = Self.column(String(buffer: try await coordinator.get("/cohorts?state=finished&year=2026").body),
                                       table: "cohorts", index: 0)
            #expect(finished.allSatisfy { $0.hasPrefix("L-") } && !finished.isEmpty && !finished.contains("W1"))
            #expect(try await coordinator.get("/cohorts?year=dvije").status == .badRequest)
        }
    }

    @Test func everyCohortsSessionsArePagedByTheClockAndFilteredOnThePageAndTheAPI() async throws {
        let fixture = try Self.fixture()
        let office = fixture.office(), actor = Actor("test:web")!
        // One session at each list cohort's first morning (weekends and holidays overridden: the list is what is tested).
        for index in 1...230 {
            let day = LocalDate(iso: "2025-01-06")!.adding(days: index * 3)
            _ = try office.scheduling.schedule(cohort: "L-\(index)", module: "M1", starts: LocalDateTime(date: day, hour: 9, minute: 0)!,
                                               ends: LocalDateTime(date: day, hour: 12, minute: 0)!, venue: nil,
                                               trainer: index.isMultiple(of: 2) ? "Parni Predavač" : "Neparni Predavač", force: true, actor: actor)
        }
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            // By default the sessions not yet ended (the fixture's clock: 25. 11. 2026. 12:00): only L-230's, on 27. 11.
            let upcoming = String(buffer: try await coordinator.get("/sessions").body)
            #expect(Self.column(upcoming, table: "sessions-list", index: 1) == ["27. 11. 2026. 09:00–12:00"])
            #expect(upcoming.contains("href=\"/sessions\""), "the navigation links the list")

            // Every session: 231 in three pages by keyset, in time order, each session once.
            var page = String(buffer: try await coordinator.get("/sessions?when=all").body)
            var ids: [String] = []
            var pages = 0
            while pages < 10 {
                pages += 1
                ids += Self.column(page, table: "sessions-list", index: 0)
                guard let next = Self.link(page, id: "next-page") else { break }
                #expect(next.contains("when=all"))
                page = String(buffer: try await coordinator.get(next).body)
            }
            #expect(pages == 3 && ids.count == 231 && Set(ids).count == 231)
            // Each list cohort's session was scheduled after the one before it, so their numbers ascend; W1's (number 1,
            // on 10. 11. 2026.) sits between those of 8. and 11. 11. 2026.
            #expect(ids.filter { $0 != "1" } == ids.filter { $0 != "1" }.sorted { Int($0)! < Int($1)! })
            #expect(ids.firstIndex(of: "1") == 224)

            let search = Self.column(String(buffer: try await coordinator.get("/sessions?when=all&q=LISTA+12").body),
                                     table: "sessions-list", index: 2)
            #expect(Set(search) == Set(["Lista 12"] + (120...129).map { "Lista \($0)" }))
            let february = Self.column(String(buffer: try await coordinator.get("/sessions?when=all&from=1.2.2025&to=2025-02-28").body),
                                       table: "sessions-list", index: 1)
            #expect(february.count == 9 && february.allSatisfy { $0.contains(". 2. 2025.") }, "\(february)")
            let even = Self.column(String(buffer: try await coordinator.get("/sessions?when=past&trainer=Parni+Predava%C4%8D").body),
                                   table: "sessions-list", index: 5).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(even.count == 100 && Set(even) == ["Parni Predavač"], "\(Set(even))")
            #expect(try await coordinator.get("/sessions?from=juce").status == .badRequest)

            // The API: the same list, a page at a time by `after`, and a refusal that names the parameter.
            coordinator.bearer = try fixture.office().accounts.createToken(login: "koordinator", name: "t", actor: actor).token
            var after: Int64?
            var apiIDs: [Int64] = []
            for _ in 0..<10 {
                let response = try await coordinator.get("/api/v1/sessions?when=all&limit=100" + (after.map { "&after=\($0)" } ?? ""))
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["total"] as? Int == 231)
                apiIDs += (json["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
                after = (json["next_after"] as? NSNumber)?.int64Value
                if after == nil { break }
            }
            #expect(apiIDs.map(String.init) == ids)
            let refused = try await coordinator.get("/api/v1/sessions?when=sutra")
            #expect(refused.status == .badRequest && String(buffer: refused.body).contains("when"))
        }
    }

    @Test func namesAreWrittenInTheScriptOfTheSerbianCyrillicPages() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let cyrillic = String(buffer: try await coordinator.get("/people?q=dzeko&lang=sr-Cyrl").body)
            #expect(Self.column(cyrillic, table: "people", index: 1) == ["Џеко Џенан"])
            // The e-mail and the links stay as they are; the Bosnian page keeps the name as typed.
            #expect(cyrillic.contains("l3@uprava.example"))
            let latin = String(buffer: try await coordinator.get("/people?q=dzeko&lang=bs").body)
            #expect(Self.column(latin, table: "people", index: 1) == ["Džeko Dženan"])
            // A cohort's name on the trainee's page too: "Web grupa" is „Wеб група“ (w has no Cyrillic letter and stays).
            var trainee = WebClient(client)
            _ = try await trainee.signIn("polaznik")
            let own = String(buffer: try await trainee.get("/my?lang=sr-Cyrl").body)
            #expect(own.contains("Wеб група") && !own.contains("Web grupa"))
        }
    }

    /// Venues, trainers and cohorts are typed in Latin; a Cyrillic page shows them in Cyrillic wherever they are read,
    /// and sends them back as typed wherever they are chosen.
    @Test func venuesTrainersAndCohortsAreShownInTheScriptOfTheSerbianCyrillicPages() async throws {
        let fixture = try Self.fixture()
        let office = fixture.office(), actor = Actor("test:web")!
        try office.scheduling.addVenue(name: "Sala Vijećnica", capacity: 30, actor: actor)
        let day = LocalDate(iso: "2026-11-27")!
        _ = try office.scheduling.schedule(cohort: "L-230", module: "M1", starts: LocalDateTime(date: day, hour: 9, minute: 0)!,
                                           ends: LocalDateTime(date: day, hour: 12, minute: 0)!, venue: "Sala Vijećnica",
                                           trainer: "Nikola Đurić", force: true, actor: actor)
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let list = String(buffer: try await coordinator.get("/sessions?cohort=L-230&lang=sr-Cyrl").body)
            #expect(Self.column(list, table: "sessions-list", index: 2) == ["Листа 230"])
            #expect(Self.column(list, table: "sessions-list", index: 4) == ["Сала Вијећница"])
            #expect(Self.column(list, table: "sessions-list", index: 5).map(\.trimmingWhitespace) == ["Никола Ђурић"])
            // The filters show the venue and the trainer in Cyrillic and send them back as stored.
            #expect(list.contains("<option value=\"Sala Vijećnica\">Сала Вијећница</option>"))
            #expect(list.contains("<option value=\"Nikola Đurić\">Никола Ђурић</option>"))
            let calendar = String(buffer: try await coordinator.get("/cohorts/L-230/sessions?lang=sr-Cyrl").body)
            #expect(calendar.contains("Сала Вијећница") && calendar.contains("Никола Ђурић") && calendar.contains("Листа 230"))
            #expect(calendar.contains("<option value=\"Sala Vijećnica\">Сала Вијећница (30)</option>"))
            #expect(!calendar.contains(">Sala Vijećnica"))
            let cohorts = String(buffer: try await coordinator.get("/cohorts?q=L-230&lang=sr-Cyrl").body)
            #expect(Self.column(cohorts, table: "cohorts", index: 1).contains("Листа 230"))
            let venues = String(buffer: try await coordinator.get("/venues?lang=sr-Cyrl").body)
            #expect(venues.contains("<td>Сала Вијећница</td>"))
            // The Bosnian pages keep them as typed.
            let latin = String(buffer: try await coordinator.get("/sessions?cohort=L-230&lang=bs").body)
            #expect(Self.column(latin, table: "sessions-list", index: 4) == ["Sala Vijećnica"])
        }
    }
}
