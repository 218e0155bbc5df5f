import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
import TrainingStore
@testable import TrainingWeb

@Suite(.serialized) struct RolePagesTests {
    @Test func traineeSeesOwnProgressAndCannotReachAnotherPersonsData() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            #expect(try await web.signIn("polaznik").headers[.location] == "/")
            let home = try await web.get("/")
            #expect(home.headers[.location] == "/my")
            let page = String(buffer: try await web.get("/my").body)
            #expect(page.contains("Probni program za web") && page.contains("class=\"forecast "))
            // Coordinator pages and other people's records are refused alike.
            #expect(try await web.get("/cohorts/W1/progress").status == .forbidden)
            #expect(try await web.get("/people/2002").status == .forbidden)
            #expect(try await web.get("/my/certificates/BD-WEB-2026-000001/pdf").status == .notFound)
            // The transcript is the trainee's own PDF.
            let transcript = try await web.get("/my/transcript.pdf")
            #expect(transcript.status == .ok && transcript.headers[.contentType] == "application/pdf")
        }
    }

    /// The header's language switch on pages whose own content lists languages too (a trainee's and a person's
    /// preferred language, the certificates' language): the content's list once took the header's place, and the
    /// certificates page showed the cohort's name four times where the languages belong.
    @Test func everyHeaderSwitchesBetweenTheFiveLanguagesWithTheCurrentOneMarked() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client), trainee = WebClient(client)
            try await coordinator.signIn("koordinator")
            try await trainee.signIn("polaznik")
            let autonyms = ["bs": "Bosanski", "hr": "Hrvatski", "sr-Latn": "Srpski (latinica)", "sr-Cyrl": "Српски (ћирилица)",
                            "en": "English"]
            for language in ["bs", "sr-Cyrl"] {
                for (web, path) in [(coordinator, "/people/1001"), (coordinator, "/cohorts/W1/certificates"), (coordinator, "/cohorts"),
                                    (trainee, "/my")] {
                    var web = web
                    let html = String(buffer: try await web.get("\(path)?lang=\(language)").body)
                    guard let start = html.range(of: "<span class=\"languages\">"),
                          let end = html[start.upperBound...].range(of: "</span>") else {
                        Issue.record("\(path): no language switch"); continue
                    }
                    let header = String(html[start.upperBound..<end.lowerBound])
                    #expect(header.components(separatedBy: "<strong").count == 2, "\(path), \(language): one current language")
                    #expect(header.contains("<strong lang=\"\(language)\">\(autonyms[language]!)</strong>"), "\(path), \(language)")
                    for (tag, name) in autonyms where tag != language {
                        #expect(header.contains("<a href=\"?lang=\(tag)\" hreflang=\"\(tag)\" lang=\"\(tag)\">\(name)</a>"), "\(path): \(tag)")
                    }
                    #expect(!header.contains("Web grupa"), "\(path): a content value in the header")
                    // The account's name in the page's script too.
                    let login = path == "/my" ? "polaznik" : "koordinator"
                    let shown = language == "sr-Cyrl" ? SerbianTransliteration.latinToCyrillic(login) : login
                    #expect(html.contains("<span class=\"account\">\(shown)</span>"), "\(path), \(language): \(shown)")
                }
            }
        }
    }

    @Test func calendarLinkIsSecretAndRevocable() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("polaznik")
            _ = try await web.get("/my")
            let created = String(buffer: try await web.post("/my/calendar", []).body)
            guard let range = created.range(of: "/calendar/") else { Issue.record("no calendar link shown"); return }
            let path = "/calendar/" + created[range.upperBound...].prefix { $0 != "<" && $0 != "\"" }
            var anonymous = WebClient(client)
            let feed = try await anonymous.get(path)
            #expect(feed.status == .ok && String(buffer: feed.body).contains("BEGIN:VEVENT"))
            #expect(try await anonymous.get("/calendar/not-a-token.ics").status == .notFound)
            _ = try await web.post("/my/calendar/revoke", [])
            #expect(try await anonymous.get(path).status == .notFound)
        }
    }

    @Test func departmentHeadDecidesOnlyOwnDepartmentsRequests() async throws {
        let fixture = try WebFixture()
        let actor = Actor("test:web")!
        _ = try fixture.office().cohorts.create(code: "W2", name: "Druga", program: "web-probni", starts: LocalDate(iso: "2026-12-07")!, ends: LocalDate(iso: "2026-12-18")!, capacity: 5, actor: actor)
        _ = try fixture.office().enrolment.request(cohort: "W2", person: "1001", actor: actor)
        _ = try fixture.office().enrolment.request(cohort: "W2", person: "2002", actor: actor)
        let other = fixture.otherDepartment.rawValue
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("sef")
            let page = String(buffer: try await web.get("/department/EIMS").body)
            #expect(page.contains("data-person=\"1001\"") && !page.contains("data-person=\"2002\""))
            // Another department's page is refused exactly like a department that does not exist.
            let foreign = try await web.get("/department/\(other)"), missing = try await web.get("/department/NEMA")
            #expect(foreign.status == .forbidden && String(buffer: foreign.body) == String(buffer: missing.body))
            // A request of another department's person through this department's form is not found.
            let sneaky = try await web.post("/department/EIMS/requests", [("person", "2002"), ("cohort", "W2"), ("action", "approve")])
            #expect(sneaky.status == .notFound)
            #expect(try await web.post("/department/EIMS/requests", [("person", "1001"), ("cohort", "W2"), ("action", "approve")])
                .status == .seeOther)
        }
        let statuses = Dictionary(uniqueKeysWithValues: try fixture.office().enrolment.enrolments(cohort: "W2").map { ($0.person.personalNumber, $0.status) })
        #expect(statuses == ["1001": .approved, "2002": .requested])
    }

    @Test func disablingAnAccountEndsItsOpenSessionAndResetLinksWorkOnce() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            try await coordinator.signIn("koordinator")
            #expect(try await coordinator.get("/cohorts").status == .ok)
            var admin = WebClient(client)
            try await admin.signIn("admin")
            _ = try await admin.get("/admin/accounts")
            #expect(try await admin.post("/admin/accounts/koordinator", [("action", "disable")]).status == .seeOther)
            let after = try await coordinator.get("/cohorts")
            #expect(after.status == .seeOther && after.headers[.location]?.hasPrefix("/login") == true)

            // A reset link sets a new password once and re-enables nothing by itself.
            _ = try await admin.post("/admin/accounts/koordinator", [("action", "enable")])
            let reset = String(buffer: try await admin.post("/admin/accounts/koordinator", [("action", "reset")]).body)
            guard let range = reset.range(of: "/reset/") else { Issue.record("no reset link shown"); return }
            let path = "/reset/" + reset[range.upperBound...].prefix { $0 != "<" }
            var holder = WebClient(client)
            #expect(try await holder.get(path).status == .ok)
            let done = try await holder.post(path, [("password", "sasvim-nova-lozinka"), ("repeat", "sasvim-nova-lozinka")])
            #expect(done.status == .seeOther)
            #expect(try await holder.get(path).status == .notFound)
            #expect(try await holder.signIn("koordinator", password: "sasvim-nova-lozinka").headers[.location] == "/")
            var stranger = WebClient(client)
            #expect(try await stranger.signIn("koordinator").status == .unauthorized)
            // The audit page verifies the chain and lists who did what.
            let audit = String(buffer: try await admin.get("/admin/audit?actor=account:admin").body)
            #expect(audit.contains("account.disable") && audit.contains("id=\"audit-verify\""))
        }
    }

    @Test func qrCheckInCountsFromArrivalAndRefusesExpiredCodes() async throws {
        let fixture = try WebFixture()
        // A session running at the fixture's "now" (12:00), started at 11:45: arriving at 12:00 is late.
        let (session, _) = try fixture.office().scheduling.schedule(cohort: "W1", module: "M1", starts: LocalDateTime(iso: "2026-11-25 11:45")!, ends: LocalDateTime(iso: "2026-11-25 14:45")!, venue: nil, trainer: nil, force: true, actor: Actor("test:web")!)
        let clock = TestClock()
        try await withLiveApp(fixture, clock: clock.closure) { client in
            var coordinator = WebClient(client)
            try await coordinator.signIn("koordinator")
            let display = try await coordinator.get("/sessions/\(session.id.rawValue)/checkin")
            #expect(display.headers[HTTPField.Name("Refresh")!] == "30")
            let page = String(buffer: display.body)
            guard let range = page.range(of: "/checkin/\(session.id.rawValue)/") else { Issue.record("no check-in URL"); return }
            let path = "/checkin/\(session.id.rawValue)/" + page[range.upperBound...].prefix { $0.isHexDigit }
            #expect(try await coordinator.get("/sessions/\(session.id.rawValue)/checkin.svg").headers[.contentType] == "image/svg+xml")
            // The module's last session also shows a code to its questionnaire; an earlier session of it does not.
            #expect(page.contains("id=\"checkin-evaluation\"") && page.contains("http://127.0.0.1/my/evaluations/W1/M1"))
            #expect(try await coordinator.get("/sessions/\(session.id.rawValue)/evaluation.svg").headers[.contentType] == "image/svg+xml")
            #expect(!String(buffer: try await coordinator.get("/sessions/\(fixture.sessionID)/checkin").body).contains("checkin-evaluation"))
            #expect(try await coordinator.get("/sessions/\(fixture.sessionID)/evaluation.svg").status == .notFound)

            var trainee = WebClient(client)
            try await trainee.signIn("polaznik")
            // The previous window's code still counts; two windows later it does not.
            clock.advance(30)
            let first = try await trainee.get(path)
            #expect(first.status == .ok)
            #expect(String(buffer: try await trainee.get(path).body).contains("id=\"checkin-result\""))
            clock.advance(60)
            #expect(try await trainee.get(path).status == .gone)
            // A tampered code is refused too.
            #expect(try await trainee.get(String(path.dropLast()) + "0").status == .gone || path.hasSuffix("0"))
        }
        let record = try fixture.office().attendance.records(session: session.id).first { $0.person.personalNumber == "1001" }
        #expect(record?.status == .late && record?.minutesPresent == 165)
    }
}
