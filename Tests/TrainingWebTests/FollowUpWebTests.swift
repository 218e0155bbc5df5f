import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore
@testable import TrainingWeb

/// Follow-ups on use at work through the pages and the API: the trainee answers theirs, the department's head answers
/// about their own people only (reads logged), and a department's results show from the fifth answer; the module
/// evaluation's threshold in the program report's CSV and PDF.
@Suite(.serialized) struct FollowUpWebTests {
    /// Cohort F1 of web-probni ended on 20 August with five EIMS trainees (1001 and four more) and 2002 of another
    /// department completed; the District's follow-up questionnaires stored; at the fixture's time (25 November) the
    /// follow-ups, due on 18 November, are open.
    static func fixture() throws -> WebFixture {
        let fixture = try WebFixture()
        let office = try fixture.office(), actor = Actor("test:web")!
        let files = ["upitnik-primjena-polaznik.xml", "upitnik-primjena-rukovodilac.xml"].map {
            WebFixture.repositoryRoot.appendingPathComponent("Curriculum/\($0)")
        }
        _ = try office.curriculum.load([], questionnaires: try office.curriculum.read(files, language: .bosnian).questionnaires, actor: actor)
        let others = (1...4).map { "400\($0)" }
        _ = try office.people.importDrafts(others.map {
            PersonDraft(personalNumber: $0, givenName: "Službenik", familyName: "Broj \($0)", sex: nil, email: "\($0)@uprava.example",
                        department: DepartmentCode("EIMS"), jobTitle: nil)
        }, file: "f.csv", sha256: String(repeating: "4", count: 64), actor: actor)
        let trainees = ["1001", "2002"] + others
        _ = try office.cohorts.create(code: "F1", name: "Ljetna grupa", program: "web-probni", starts: LocalDate(iso: "2026-07-01")!,
                                      ends: LocalDate(iso: "2026-08-20")!, capacity: 10, actor: actor)
        _ = try office.enrolment.enrol(cohort: "F1", people: trainees, actor: actor)
        let (session, _) = try office.scheduling.schedule(cohort: "F1", module: "M1", starts: LocalDateTime(iso: "2026-07-10 09:00")!,
                                                          ends: LocalDateTime(iso: "2026-07-10 12:00")!, venue: nil, trainer: "Predavač",
                                                          force: false, actor: actor)
        let summer = fixture.office(at: LocalDateTime(iso: "2026-07-20 10:00")!)
        _ = try summer.attendance.record(session: session.id, entries: trainees.map { AttendanceEntry(personalNumber: $0, status: .present) },
                                         actor: actor)
        for number in trainees { try summer.scores.record(cohort: "F1", person: number, assessment: "M1-T", score: 80, actor: actor) }
        try fixture.office(at: LocalDateTime(iso: "2026-08-21 08:00")!).clockTick.run()
        #expect(try office.clockTick.run().followUps == 12)
        return fixture
    }

    static func ids(_ html: String, _ prefix: String) -> [String] {
        html.components(separatedBy: "href=\"\(prefix)").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    @Test func theTraineeAndTheirHeadAnswerAndTheHeadSeesOnlyTheirDepartment() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var trainee = WebClient(client)
            _ = try await trainee.signIn("polaznik")
            let home = String(buffer: try await trainee.get("/my").body)
            #expect(home.contains("id=\"my-follow-ups\"") && home.contains("18. 12. 2026."))
            let id = try #require(Self.ids(home, "/my/follow-ups/").first)
            let form = String(buffer: try await trainee.get("/my/follow-ups/\(id)").body)
            #expect(form.contains("name=\"F1\"") && form.contains("id=\"F3-sedmicno\"") && form.contains("Ljetna grupa"))
            let answers = [("F1", "4"), ("F2", "3"), ("F3", "sedmicno")]
            let refused = try await trainee.post("/my/follow-ups/\(id)", [("F1", "0")] + answers.dropFirst())
            #expect(refused.status == .unprocessableContent && String(buffer: refused.body).contains("id=\"F1-error\""))
            let saved = try await trainee.post("/my/follow-ups/\(id)", answers)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/my?notice=follow_up_saved")
            #expect(!String(buffer: try await trainee.get("/my").body).contains("id=\"my-follow-ups\""))
            #expect(try await trainee.get("/my/follow-ups/\(id)").status == .notFound)
            // Not a page for a trainee to answer on their head's behalf.
            #expect(try await trainee.get("/department/EIMS/follow-up").status == .forbidden)

            var head = WebClient(client)
            _ = try await head.signIn("sef")
            let page = String(buffer: try await head.get("/department/EIMS/follow-up").body)
            // Their five people, not 2002 of another department; the trainees' results still too few (one answer).
            #expect(page.contains("data-person=\"1001\"") && page.contains("data-person=\"4004\"") && !page.contains("data-person=\"2002\""))
            #expect(page.contains("Premalo odgovora za prikaz.") && page.contains("Odgovorilo 1 od 5"))
            #expect(try await head.get("/department/\(fixture.otherDepartment.rawValue)/follow-up").status == .forbidden)
            let headIDs = Self.ids(page, "/department/EIMS/follow-up/")
            #expect(headIDs.count == 5)
            // The follow-up about 2002 belongs to the other department's head.
            let theirs = try fixture.database.read { tx in try tx.headFollowUps(department: fixture.otherDepartment) }
            #expect(try await head.get("/department/EIMS/follow-up/\(try #require(theirs.first).id)").status == .notFound)
            for (index, id) in headIDs.enumerated() {
                let form = String(buffer: try await head.get("/department/EIMS/follow-up/\(id)").body)
                #expect(form.contains("name=\"R1\"") && form.contains("id=\"evaluation-anonymous\""))
                let done = try await head.post("/department/EIMS/follow-up/\(id)", [("R1", "5"), ("R2", String(3 + index % 2)), ("R3", "da")])
                #expect(done.status == .seeOther)
                let results = String(buffer: try await head.get("/department/EIMS/follow-up").body)
                // Four answers show nothing; the fifth shows the figures.
                #expect(results.contains("<tr data-item=\"R1\">") == (index == 4), "after \(index + 1) answers")
            }
            let results = String(buffer: try await head.get("/department/EIMS/follow-up").body)
            #expect(results.contains("Odgovorilo 5 od 5") && results.contains("<td class=\"num\">5</td>"))
            // The coordinator sees the department's results and answers none.
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let read = String(buffer: try await coordinator.get("/department/EIMS/follow-up").body)
            #expect(read.contains("<tr data-item=\"R1\">") && !read.contains("id=\"follow-up-waiting\""))
            #expect(try await coordinator.get("/department/EIMS/follow-up/\(headIDs[0])").status == .forbidden)

            // The head's list was logged as read for each person on it.
            try await Task.sleep(for: .seconds(2.5))
            #expect(try fixture.office().privacy.export(person: "4001", reader: Actor("test:web")!).readAccesses
                .contains { $0.what == "department.follow_up" && $0.actor == "account:sef" })

            // The API: the same figures for the head, nothing left for the trainee.
            head.bearer = try fixture.office().accounts.createToken(login: "sef", name: "t", actor: Actor("test:web")!).token
            let api = String(buffer: try await head.get("/api/v1/departments/EIMS/follow-up").body)
            #expect(api.contains(#""respondent":"head""#) && api.contains(#""answered":5"#) && api.contains(#""mean":5"#))
            #expect(String(buffer: try await head.get("/api/v1/departments/EIMS/follow-ups").body) == "[]")
            #expect(try await head.get("/api/v1/departments/\(fixture.otherDepartment.rawValue)/follow-up").status == .forbidden)
            trainee.bearer = try fixture.office().accounts.createToken(login: "polaznik", name: "t", actor: Actor("test:web")!).token
            #expect(String(buffer: try await trainee.get("/api/v1/me/follow-ups").body) == "[]")
            let again = try await trainee.postJSON("/api/v1/me/follow-ups/\(id)", #"{"answers":[{"item":"F1","scale":5}]}"#)
            #expect(again.status == .unprocessableContent)
            #expect(try await trainee.postJSON("/api/v1/me/follow-ups/\(headIDs[0])", #"{"answers":[]}"#).status == .notFound)
        }
    }
}
