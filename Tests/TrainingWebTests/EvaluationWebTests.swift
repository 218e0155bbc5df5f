import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingWeb

/// Module questionnaires in the browser and the API: the trainee finds theirs on their page, a refused answer keeps
/// what was chosen, an answer is taken once; the coordinator sees nothing before the deadline and the figures after it,
/// free text escaped.
@Suite(.serialized) struct EvaluationWebTests {
    /// W1's module M1 (held on 10 November) attended by 1001 and four more, its deadline on 30 November, and the
    /// District's questionnaire stored; the four others answered on 20 November.
    static func fixture() throws -> WebFixture {
        let fixture = try WebFixture()
        let office = try fixture.office(), actor = Actor("test:web")!
        let reading = try office.curriculum.read([WebFixture.repositoryRoot.appendingPathComponent("Curriculum/upitnik-reakcija-modul.xml")], language: .bosnian)
        _ = try office.curriculum.load([], questionnaires: reading.questionnaires, actor: actor)
        let others = (1...4).map { "300\($0)" }
        _ = try office.people.importDrafts(others.map {
            PersonDraft(personalNumber: $0, givenName: "Polaznik", familyName: "Broj \($0)", sex: nil, email: "\($0)@uprava.example",
                        department: DepartmentCode("EIMS"), jobTitle: nil)
        }, file: "o.csv", sha256: String(repeating: "2", count: 64), actor: actor)
        _ = try office.enrolment.enrol(cohort: "W1", people: others, actor: actor)
        let session = SessionID(rawValue: fixture.sessionID)
        _ = try office.attendance.record(session: session, entries: (["1001"] + others).map { AttendanceEntry(personalNumber: $0, status: .present) },
                                         actor: actor)
        try office.evaluation.setDeadline(cohort: "W1", module: "M1", deadline: LocalDate(iso: "2026-11-30")!, actor: actor)
        for (index, number) in others.enumerated() {
            var answers: [String: ReactionValue] = ["Q6": .choice("dobro"), "Q8": .text(index == 0 ? "<script>alert(1)</script>" : "Više vježbi")]
            for item in 1...5 { answers["Q\(item)"] = .scale(index + 2) }
            try fixture.office(at: LocalDateTime(iso: "2026-11-20 10:00")!).evaluation.answer(personalNumber: number, cohort: "W1", module: "M1",
                                                                                             answers: answers)
        }
        return fixture
    }

    @Test func aTraineeAnswersOnceAndTheCoordinatorSeesTheFiguresAfterTheDeadline() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var trainee = WebClient(client)
            _ = try await trainee.signIn("polaznik")
            let home = String(buffer: try await trainee.get("/my").body)
            #expect(home.contains("id=\"my-evaluations\"") && home.contains("href=\"/my/evaluations/W1/M1\""))
            let form = String(buffer: try await trainee.get("/my/evaluations/W1/M1").body)
            #expect(form.contains("id=\"evaluation-anonymous\"") && form.contains("name=\"Q1\"") && form.contains("id=\"Q1-5\""))
            #expect(form.contains("30. 11. 2026."))
            // The length question left out: refused beside it, the points chosen kept.
            var answers: [(String, String)] = (1...5).map { ("Q\($0)", "4") } + [("Q8", "Dobro objašnjeno")]
            let refused = try await trainee.post("/my/evaluations/W1/M1", answers)
            #expect(refused.status == .unprocessableContent)
            let refusedPage = String(buffer: refused.body)
            #expect(refusedPage.contains("id=\"Q6-error\"") && refusedPage.contains("id=\"Q1-4\" value=\"4\" checked"))
            #expect(refusedPage.contains("Dobro objašnjeno"))
            // A scale point out of range is refused too, by the number reader.
            let outOfRange = try await trainee.post("/my/evaluations/W1/M1", [("Q1", "9")] + answers.filter { $0.0 != "Q1" } + [("Q6", "dobro")])
            #expect(outOfRange.status == .unprocessableContent && String(buffer: outOfRange.body).contains("id=\"Q1-error\""))
            answers.append(("Q6", "dobro"))
            let saved = try await trainee.post("/my/evaluations/W1/M1", answers)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/my?notice=evaluation_saved")
            #expect(!String(buffer: try await trainee.get("/my").body).contains("id=\"my-evaluations\""))
            // Once: the form is gone, and another answer is not taken.
            #expect(try await trainee.get("/my/evaluations/W1/M1").status == .notFound)
            #expect(try await trainee.post("/my/evaluations/W1/M1", answers).status == .notFound)

            // The coordinator: nothing before the deadline.
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let early = String(buffer: try await coordinator.get("/cohorts/W1/evaluation").body)
            #expect(early.contains("30. 11. 2026.") && !early.contains("data-item=\"Q1\"") && !early.contains("Više vježbi"))
            // Moved back to yesterday: the five answers show, the comments escaped.
            let moved = try await coordinator.post("/cohorts/W1/evaluation/deadline", [("module", "M1"), ("deadline", "24. 11. 2026.")])
            #expect(moved.status == .seeOther)
            let results = String(buffer: try await coordinator.get("/cohorts/W1/evaluation?notice=evaluation_deadline_saved").body)
            #expect(results.contains("data-item=\"Q1\"") && results.contains("Odgovora: 5"))
            // Q1: points 2, 3, 4, 5 and the trainee's 4: mean 3,6.
            #expect(results.contains("<td class=\"num\">3,6</td>"))
            #expect(results.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !results.contains("<script>alert(1)"))
            #expect(results.contains("Dobro objašnjeno"))
            // A department head may not read them.
            var head = WebClient(client)
            _ = try await head.signIn("sef")
            #expect(try await head.get("/cohorts/W1/evaluation").status == .forbidden)

            // The API: the trainee has nothing pending; the coordinator reads the same figures.
            trainee.bearer = try fixture.office().accounts.createToken(login: "polaznik", name: "t", actor: Actor("test:web")!).token
            #expect(String(buffer: try await trainee.get("/api/v1/me/evaluations").body) == "[]")
            let again = try await trainee.postJSON("/api/v1/me/evaluations/W1/M1", #"{"answers":[{"item":"Q1","scale":3}]}"#)
            #expect(again.status == .unprocessableContent && String(buffer: again.body).contains("već ste popunili"))
            coordinator.bearer = try fixture.office().accounts.createToken(login: "koordinator", name: "t", actor: Actor("test:web")!).token
            let api = String(buffer: try await coordinator.get("/api/v1/cohorts/W1/evaluation").body)
            #expect(api.contains(#""visible":true"#) && api.contains(#""answers":5"#) && api.contains(#""mean":3.6"#))
        }
    }

    /// The module's results in the program report, per module and per trainer: four answers after the deadline show
    /// "too few", the fifth shows the mean, in HTML, CSV and PDF (read back with `pdftotext`); never in a department's.
    @Test func theProgramReportShowsAModulesRatingOnlyAfterTheDeadlineAndFromFiveAnswers() async throws {
        let fixture = try Self.fixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            let period = "from=2026-01-01&to=2026-12-31&lang=en"
            func report(_ format: String) async throws -> String {
                let response = try await coordinator.get("/reports/program?\(period)&format=\(format)")
                #expect(response.status == .ok)
                return format == "pdf" ? try pdfText(Data(buffer: response.body)) : String(buffer: response.body)
            }
            func deadline(_ day: String) async throws {
                _ = try await coordinator.get("/cohorts/W1/evaluation")  // for the form's token
                #expect(try await coordinator.post("/cohorts/W1/evaluation/deadline", [("module", "M1"), ("deadline", day)]).status == .seeOther)
            }
            // Before the deadline: no rating at all.
            #expect(try await !report("csv").contains("Module ratings"))
            // Four answers after it: the rows say too few, in every format.
            try await deadline("24. 11. 2026.")
            for format in ["csv", "html", "pdf"] {
                let text = try await report(format)
                #expect(text.contains("Module ratings") && text.contains("Too few answers to show."), "\(format)")
                #expect(text.contains("4 of 5 answered"), "\(format)")
            }
            // The API says the same: visible, but neither the count nor any figure.
            var reader = WebClient(client)
            reader.bearer = try fixture.office().accounts.createToken(login: "koordinator", name: "r", actor: Actor("test:web")!).token
            let four = String(buffer: try await reader.get("/api/v1/cohorts/W1/evaluation").body)
            #expect(four.contains(#""visible":true"#) && !four.contains(#""items""#) && !four.contains(#""answers""#))
            // The fifth trainee answers while it is open again; after the deadline the mean shows: (2+3+4+5+4)/5 per item.
            try await deadline("30. 11. 2026.")
            var trainee = WebClient(client)
            _ = try await trainee.signIn("polaznik")
            let answers: [(String, String)] = (1...5).map { ("Q\($0)", "4") } + [("Q6", "dobro")]
            _ = try await trainee.get("/my/evaluations/W1/M1")
            #expect(try await trainee.post("/my/evaluations/W1/M1", answers).status == .seeOther)
            try await deadline("24. 11. 2026.")
            for format in ["csv", "html", "pdf"] {
                let text = try await report(format)
                #expect(!text.contains("Too few answers to show."), "\(format)")
                #expect(text.contains("5 of 5 answered (100 %)") && text.contains("3.6"), "\(format)")
                // Per trainer too: the session's trainer.
                #expect(text.contains("Module ratings by trainer") && text.contains("Predavač"), "\(format)")
            }
            // A department's report never carries the ratings.
            let department = String(buffer: try await coordinator.get("/reports/department/EIMS?\(period)&format=csv").body)
            #expect(!department.contains("Module ratings") && !department.contains("3.6"))
        }
    }
}

/// A PDF's text as `pdftotext` reads it.
func pdfText(_ pdf: Data) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-web-pdf-\(UUID().uuidString).pdf")
    defer { try? FileManager.default.removeItem(at: url) }
    try pdf.write(to: url)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
    process.arguments = ["-layout", url.path, "-"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text
}
