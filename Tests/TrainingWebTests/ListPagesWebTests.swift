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
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr>").dropFirst().map { row in
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
}
