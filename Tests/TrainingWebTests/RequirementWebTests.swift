import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingWeb

/// Required training in the browser and the API: a refused rule keeps what was typed, a saved one shows in every
/// version, the department's gap list and the person's page; a department head reads their own department only.
@Suite(.serialized) struct RequirementWebTests {
    @Test func aRuleIsDefinedOnThePageAndItsGapsShowForTheDepartmentAndThePerson() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let empty = String(buffer: try await coordinator.get("/requirements").body)
            #expect(empty.contains("id=\"no-rules\"") && empty.contains("href=\"/requirements\""))
            // Neither days nor a date: refused beside the field, what was typed kept.
            let refused = try await coordinator.post("/requirements", [("code", "znr"), ("program", "web-probni"), ("scope", "department"),
                                                                       ("department", "EIMS"), ("renew_years", "2")])
            #expect(refused.status == .unprocessableContent)
            let refusedPage = String(buffer: refused.body)
            #expect(refusedPage.contains("id=\"days-error\"") && refusedPage.contains("value=\"znr\"") && refusedPage.contains("value=\"2\""))
            #expect(refusedPage.contains("value=\"department\" checked"))
            // Saved: by 30. 6. 2027. for EIMS.
            let saved = try await coordinator.post("/requirements", [("code", "znr"), ("program", "web-probni"), ("scope", "department"),
                                                                     ("department", "EIMS"), ("by", "30. 6. 2027."), ("renew_years", "2")])
            #expect(saved.status == .seeOther)
            let rules = String(buffer: try await coordinator.get("/requirements?notice=requirement_saved").body)
            #expect(rules.contains("data-code=\"ZNR\"") && rules.contains("do 30. 6. 2027.") && rules.contains("obnova svakih 2 god."))
            // The department's list: Amra Hodžić (1001) of EIMS lacks it; Marko Jović is in another department.
            let gaps = String(buffer: try await coordinator.get("/department/EIMS/gaps").body)
            #expect(gaps.contains("data-person=\"1001\" data-requirement=\"ZNR\"") && !gaps.contains("data-person=\"2002\""))
            #expect(gaps.contains("class=\"gap-in_progress\"") || gaps.contains("class=\"gap-missing\""))
            let person = String(buffer: try await coordinator.get("/people/1001").body)
            #expect(person.contains("id=\"person-gaps\"") && person.contains("<strong>ZNR</strong>"))
            // Retiring asks for the box to be ticked first.
            #expect(try await coordinator.post("/requirements/ZNR/retire", []).status == .unprocessableContent)
            #expect(try await coordinator.post("/requirements/ZNR/retire", [("confirm_ZNR", "1")]).status == .seeOther)
            #expect(String(buffer: try await coordinator.get("/department/EIMS/gaps").body).contains("data-person") == false)

            // The API: a rule, its list, and the gaps of a department and a person.
            coordinator.bearer = try fixture.office().accounts.createToken(login: "koordinator", name: "t", actor: Actor("test:web")!).token
            let created = try await coordinator.postJSON("/api/v1/requirements", #"{"code":"uvod","program_id":"web-probni","scope":"everyone","due_days":30}"#)
            #expect(created.status == .created && String(buffer: created.body).contains(#""code":"UVOD""#))
            let missingDue = try await coordinator.postJSON("/api/v1/requirements", #"{"code":"x","program_id":"web-probni","scope":"everyone"}"#)
            #expect(missingDue.status == .unprocessableContent)
            let listed = String(buffer: try await coordinator.get("/api/v1/requirements").body)
            #expect(listed.contains(#""standing":"retired""#) && listed.contains(#""code":"UVOD""#))
            let departmentGaps = String(buffer: try await coordinator.get("/api/v1/departments/EIMS/gaps").body)
            #expect(departmentGaps.contains(#""state":"start_date_unknown""#) && departmentGaps.contains(#""personal_number":"1001""#))
            #expect(try await coordinator.get("/api/v1/people/1001/gaps").status == .ok)
            #expect(try await coordinator.get("/api/v1/people/9999/gaps").status == .notFound)
        }
    }

    @Test func aDepartmentHeadReadsTheirOwnDepartmentsGapsOnly() async throws {
        let fixture = try WebFixture()
        _ = try fixture.office().requiredTraining.define(.init(code: "ZNR", programID: "web-probni", scope: .everyone,
                                                               due: .by(LocalDate(iso: "2027-06-30")!)), actor: Actor("test:web")!)
        try await withLiveApp(fixture) { client in
            var head = WebClient(client)
            _ = try await head.signIn("sef")
            let own = String(buffer: try await head.get("/department/EIMS/gaps").body)
            #expect(own.contains("data-person=\"1001\""))
            let other = try await head.get("/department/\(fixture.otherDepartment.rawValue)/gaps").status
            #expect(other == .notFound || other == .forbidden)
            #expect(try await head.get("/requirements").status == .forbidden)
            // The trainee sees what is required of them on their own page.
            var trainee = WebClient(client)
            _ = try await trainee.signIn("polaznik")
            let my = String(buffer: try await trainee.get("/my").body)
            #expect(my.contains("id=\"my-required\"") && my.contains("Probni program za web") && my.contains("30. 6. 2027."))
        }
    }

    @Test func aLongGapListIsReadAHundredRowsAPageWithEveryoneOnce() async throws {
        let fixture = try WebFixture()
        let office = try fixture.office(), actor = Actor("test:web")!
        for index in 1...130 {
            let number = "77\(index + 1000)"
            _ = try office.people.add(try office.people.draft(personalNumber: number, givenName: "Osoba", familyName: "Brojić \(index)",
                                                              sex: nil, email: "o\(index)@uprava.example", department: "JR",
                                                              jobTitle: nil).get(), actor: actor)
        }
        _ = try office.requiredTraining.define(.init(code: "ZNR", programID: "web-probni", scope: .department(DepartmentCode("JR")),
                                                     due: .by(LocalDate(iso: "2027-06-30")!)), actor: actor)
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            var seen: [String] = [], path: String? = "/department/JR/gaps?state=missing", pages = 0
            while let next = path {
                let page = String(buffer: try await coordinator.get(next).body)
                let people = page.matches(of: /data-person="(\d+)"/).map { String($0.output.1) }
                #expect(people.count <= 100 && !people.isEmpty)
                // The summary counts the whole department on every page.
                #expect(page.contains("130"))
                seen += people
                pages += 1
                path = page.firstMatch(of: /href="([^"]*)" rel="next"/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
                #expect(path == nil || path!.contains("state=missing"))
            }
            #expect(pages == 2 && seen.count == 130 && Set(seen).count == 130)
        }
    }
}
