import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// The time-driven messages of the clock tick's daily pass, the forecast told once per change, people who switched
/// reminders off and people without an address.
@Suite struct RemindersTests {
    /// Cohort A (November–December 2026) of 1, 2 (reminders off) and 3 (no e-mail address); 4 asks for a place; 5 heads
    /// EIMS with an account.
    static func fixture() throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        try storeSampleProgram(database)
        var noAddress = draft("3", "Bez", "Adrese")
        noAddress.email = ""
        _ = try office(database).people.importDrafts([draft("1", "Ana", "Šarić"), draft("2", "Ćazim", "Đozo"), noAddress, draft("4", "Iva", "Ivić"),
                                                      draft("5", "Šefik", "Šefić")],
                                                     file: "p.csv", sha256: String(repeating: "0", count: 64), actor: testActor)
        try office(database).people.setReminders("2", enabled: false, actor: testActor)
        _ = try office(database).accounts.create(login: "sef", displayName: "Šefik Šefić", password: "dugacka-lozinka-1", roles: [.departmentHead],
                                                 department: DepartmentCode("EIMS"), person: "5", actor: testActor)
        _ = try office(database).cohorts.create(code: "A", name: "Grupa A", program: "probni", starts: LocalDate(iso: "2026-11-01")!,
                                                ends: LocalDate(iso: "2026-12-31")!, capacity: 5, actor: testActor)
        _ = try office(database).enrolment.enrol(cohort: "A", people: ["1", "2", "3"], actor: testActor)
        return database
    }

    static func messages(_ database: AppDatabase, _ kind: MessageKind) throws -> [(person: String, subject: String, text: String, due: String)] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.personal_number, o.subject, o.text_body, o.due_day FROM outbox o JOIN person p ON p.id = o.person_id
                WHERE o.kind = ? ORDER BY o.id
                """, arguments: [kind.rawValue]).map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }

    static func outboxSize(_ database: AppDatabase) throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") } ?? 0
    }

    @Test func theDaysPassQueuesEachReminderOnceAndASecondPassNothing() throws {
        let database = try Self.fixture()
        // Monday 30 November; the working day before is Friday 27 November.
        _ = try office(database, at: at("2026-11-25 12:00")).scheduling.schedule(
            cohort: "A", module: "M1", starts: at("2026-11-30 09:00"), ends: at("2026-11-30 13:00"), venue: nil, trainer: nil, force: false,
            actor: testActor)
        _ = try office(database).enrolment.request(cohort: "A", person: "4", actor: testActor)

        // Thursday: nothing about Monday's session yet; before 07:00 nothing is due at all.
        #expect(try office(database, at: at("2026-11-26 06:59")).clockTick.isDue() == false)
        let thursday = try office(database, at: at("2026-11-26 07:00")).clockTick.run()
        #expect(thursday.reminders != nil)
        #expect(try Self.messages(database, .sessionReminder).isEmpty)

        let friday = office(database, at: at("2026-11-27 08:00")).clockTick
        #expect(try friday.isDue())
        _ = try friday.run()
        let reminders = try Self.messages(database, .sessionReminder)
        // 2 switched reminders off and 3 has no address: only 1 is reminded, in the District's date style.
        #expect(reminders.map(\.person) == ["1"])
        #expect(reminders.first?.subject == "Podsjetnik: Prvi, 30. 11. 2026. 09:00–13:00")
        // Run twice in a row: nothing the second time.
        let size = try Self.outboxSize(database)
        #expect(try friday.isDue() == false)
        #expect(try friday.run().reminders == nil)
        #expect(try Self.outboxSize(database) == size)

        // The head's digest: one a day while the request waits, not one per request.
        let digests = try Self.messages(database, .requestsWaiting)
        #expect(digests.map(\.person) == ["5", "5"] && digests.map(\.due) == ["2026-11-26", "2026-11-27"])
        #expect(digests.first?.subject == "1 zahtjev za upis čeka vašu odluku")
        // Saturday, a free day, reminds of nothing (Friday did Monday's).
        _ = try office(database, at: at("2026-11-28 09:00")).clockTick.run()
        #expect(try Self.messages(database, .sessionReminder).count == 1)

        // 3 is listed to coordinators instead of being skipped in silence; 2 (reminders off) still gets decisions.
        #expect(try office(database).mail.unreachable().map(\.person.personalNumber) == ["3"])
        #expect(try office(database).mail.unreachable().first?.cohorts == ["A"])
        #expect(try Self.messages(database, .enrolmentApproved).map(\.person).sorted() == ["1", "2"])
    }

    @Test func aForecastThatGoesBackAndForthSendsOneMessagePerChangeNotPerWrite() throws {
        let database = try Self.fixture()
        let scores = office(database).scores
        // A failed first attempt with one left: at risk, to the trainee and their head, with the reason in words.
        try scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 40, actor: testActor)
        var atRisk = try Self.messages(database, .progressAtRisk)
        #expect(atRisk.map(\.person) == ["1", "5"])
        #expect(atRisk[0].text.contains("ostao je još 1 pokušaj na provjeri M1-T"))
        #expect(atRisk[1].subject == "Završetak obuke je ugrožen: Ana Šarić")
        // The same score written again as a correction: a write, not a change.
        try scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 40, attempt: 1, actor: testActor)
        #expect(try Self.messages(database, .progressAtRisk).count == 2)
        // Corrected to a pass (back on track: nothing said), then back to the fail: told again.
        try scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 80, attempt: 1, actor: testActor)
        #expect(try Self.messages(database, .progressAtRisk).count == 2)
        try scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 40, attempt: 1, actor: testActor)
        atRisk = try Self.messages(database, .progressAtRisk)
        #expect(atRisk.count == 4)
        // The last attempt failed: cannot complete, once.
        try scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 30, actor: testActor)
        try scores.record(cohort: "A", person: "1", assessment: "M1-T", score: 30, attempt: 2, actor: testActor)
        #expect(try Self.messages(database, .progressCannotComplete).map(\.person) == ["1", "5"])
        // The daily pass sees no change and tells nothing more.
        _ = try office(database, at: at("2026-11-26 08:00")).clockTick.run()
        #expect(try Self.messages(database, .progressAtRisk).count == 4)
        #expect(try Self.messages(database, .progressCannotComplete).count == 2)
    }

    @Test func aHeldSessionWithoutMarksWarnsNobody() throws {
        let database = try Self.fixture()
        let scheduling = office(database, at: at("2026-11-02 08:00")).scheduling
        for day in ["2026-11-03", "2026-11-10"] {
            _ = try scheduling.schedule(cohort: "A", module: "M1", starts: at("\(day) 09:00"), ends: at("\(day) 13:00"), venue: nil,
                                        trainer: nil, force: false, actor: testActor)
        }
        // Both sessions are over and neither has marks: everyone would read as absent, but the register is behind.
        _ = try office(database, at: at("2026-11-11 08:00")).clockTick.run()
        #expect(try Self.messages(database, .progressCannotComplete).isEmpty)
    }

    @Test func theRulesOfTheDays() {
        let free: (LocalDate) -> Bool = { $0.isWeekend || $0 == LocalDate(iso: "2026-12-31")! }
        let days = { (iso: String) in ReminderRules.sessionDays(remindedOn: LocalDate(iso: iso)!, isFreeDay: free).map(\.iso) }
        #expect(days("2026-11-26") == ["2026-11-27"])
        #expect(days("2026-11-27") == ["2026-11-28", "2026-11-29", "2026-11-30"])
        #expect(days("2026-12-30") == ["2026-12-31", "2027-01-01"])
        let expires = LocalDate(iso: "2027-03-01")!
        let notice = { (iso: String) in ReminderRules.certificateNotice(expires: expires, today: LocalDate(iso: iso)!) }
        #expect(notice("2026-11-30") == nil)
        #expect(notice("2026-12-01") == 90)
        #expect(notice("2027-01-29") == 90)
        #expect(notice("2027-01-30") == 30)
        #expect(notice("2027-03-01") == 30)
        #expect(notice("2027-03-02") == nil)
        #expect(ForecastNotice.message(from: nil, to: .onTrack) == nil)
        #expect(ForecastNotice.message(from: "on_track", to: .atRisk([])) == .progressAtRisk)
        #expect(ForecastNotice.message(from: "at_risk", to: .atRisk([])) == nil)
        #expect(ForecastNotice.message(from: "at_risk", to: .cannotComplete([])) == .progressCannotComplete)
        #expect(MessageKind.sessionReminder.isReminder && !MessageKind.sessionMoved.isReminder && !MessageKind.progressAtRisk.isReminder)
    }
}
