import Reports
import Foundation
import GRDB
import Mail
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// E-mail end to end: a session's change queued in its own transaction, handed by msmtp to a real SMTP server on loopback
/// (aiosmtpd with STARTTLS and AUTH, `Tests/mail/smtp_server.py`), read back with Python's `email` parser and the
/// invitation with `icalendar`; a relay that refuses, is absent or rejects the login leaves the messages queued with
/// its reason.
@Suite(.serialized) struct MailDeliveryTests {
    /// The SMTP server, running until the value is released.
    final class SMTPServer {
        let folder = try! TemporaryDirectory()
        let process = Process()
        let port: Int

        init(refuse: Bool = false) throws {
            let portFile = folder.url.appendingPathComponent("port")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", repositoryRoot.appendingPathComponent("Tests/mail/smtp_server.py").path,
                                 folder.url.appendingPathComponent("mail").path, portFile.path] + (refuse ? ["--refuse"] : [])
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var found: Int?
            for _ in 0..<200 where found == nil {
                found = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
                if found == nil { Thread.sleep(forTimeInterval: 0.05) }
            }
            port = try #require(found, "the SMTP server did not start")
        }

        deinit {
            // SIGKILL, not waited for through Foundation: in the test runner the child starts with SIGTERM blocked,
            // and Foundation's exit notification is not to be relied on there.
            kill(process.processIdentifier, SIGKILL)
        }

        var certificate: String { folder.url.appendingPathComponent("mail/cert.pem").path }

        /// The messages received, in order, as `read_message.py` reads them (the server saves it beside each).
        func received() throws -> [[String: Any]] {
            let folder = self.folder.url.appendingPathComponent("mail")
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map {
                try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent($0))) as? [String: Any])
            }
        }
    }

    static let now = at("2026-11-25 12:00")

    /// A cohort of two with diacritics and a Cyrillic reader, in a data directory of its own (msmtp's configuration
    /// and the password file go there).
    static func fixture() throws -> (AppDatabase, TemporaryDirectory) {
        let database = try AppDatabase.inMemory()
        try storeSampleProgram(database)
        _ = try office(database).people.importDrafts([draft("1", "Đurđa", "Šćepanović"), draft("2", "Ćamil", "Žižić")], file: "p.csv",
                                                     sha256: String(repeating: "0", count: 64), actor: testActor)
        _ = try office(database).people.setPreferredLanguage("2", .serbianCyrillic, actor: testActor)
        _ = try office(database).cohorts.create(code: "A", name: "Grupa A", program: "probni", starts: LocalDate(iso: "2026-11-01")!,
                                                ends: LocalDate(iso: "2026-12-31")!, capacity: 5, actor: testActor)
        _ = try office(database).enrolment.enrol(cohort: "A", people: ["1", "2"], actor: testActor)
        return (database, try TemporaryDirectory())
    }

    /// The office with a relay on `port` (STARTTLS, the test certificate trusted, login `obuka`).
    static func mailOffice(_ database: AppDatabase, _ data: TemporaryDirectory, port: Int, certificate: String) -> TrainingOffice {
        var settings = OfficeSettings(clock: OfficeClock(now: { now }), home: .success(HomeDirectory(url: repositoryRoot)),
                                      publicURL: "https://obuka.example")
        settings.mail = .success(MailSettings(host: "127.0.0.1", port: port, security: .starttls, user: "obuka", from: "obuka@uprava.example",
                                              fromName: "obuka", timeout: 5, trustFile: certificate))
        return TrainingOffice(database: database, dataDirectory: DataDirectory(path: data.url.path), settings: settings)
    }

    static func queued(_ database: AppDatabase) throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'queued'") } ?? 0
    }

    @Test func aMovedSessionReachesEveryTraineeAsAnUpdateOfTheSameCalendarEntry() throws {
        let server = try SMTPServer()
        let (database, data) = try Self.fixture()
        let office = Self.mailOffice(database, data, port: server.port, certificate: server.certificate)
        try office.mail.setPassword("tajna-lozinka", actor: testActor)
        let attributes = try FileManager.default.attributesOfItem(atPath: data.url.appendingPathComponent("smtp-password").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // Two enrolment decisions were queued by the enrolment itself.
        #expect(try Self.queued(database) == 2)

        let (session, _) = try office.scheduling.schedule(cohort: "A", module: "M1", starts: at("2026-12-01 09:00"), ends: at("2026-12-01 13:00"),
                                                          venue: nil, trainer: nil, force: false, actor: testActor)
        #expect(try Self.queued(database) == 4)
        #expect(try office.mail.deliver() == MailDesk.Outcome(configured: true, sent: 4, failed: []))
        let moved = try office.scheduling.move(session: session.id, starts: at("2026-12-02 09:00"), ends: at("2026-12-02 13:00"), venue: nil,
                                               trainer: nil, force: false, actor: testActor).session
        #expect(moved.sequence == session.sequence + 1)
        #expect(try office.mail.deliver().sent == 2)
        _ = try office.scheduling.cancel(session: session.id, reason: "bolest", actor: testActor)
        #expect(try office.mail.deliver().sent == 2)
        // Nothing is sent twice.
        #expect(try office.mail.deliver().sent == 0)

        let received = try server.received()
        #expect(received.count == 8)
        func invitations(_ method: String) -> [[String: Any]] {
            received.compactMap { $0["calendar"] as? [String: Any] }.filter { $0["method"] as? String == method }
        }
        let requests = invitations("REQUEST"), cancels = invitations("CANCEL")
        #expect(requests.count == 4 && cancels.count == 2)
        #expect(requests.allSatisfy { $0["uid"] as? String == session.uid })
        #expect(Set(requests.compactMap { $0["sequence"] as? Int }) == [session.sequence, session.sequence + 1])
        #expect(cancels.allSatisfy { $0["uid"] as? String == session.uid && $0["status"] as? String == "CANCELLED" })
        // Names and subjects decode exactly: the Bosnian reader's and the Cyrillic reader's.
        #expect(received.contains { $0["to_name"] as? String == "Đurđa Šćepanović" && ($0["subject"] as? String)?.hasPrefix("Termin je pomjeren") == true })
        #expect(received.contains { $0["to_name"] as? String == "Ćamil Žižić" && ($0["subject"] as? String)?.hasPrefix("Термин је помјерен") == true })
        #expect(received.allSatisfy { $0["defects"] as? Int == 0 })
        // One Message-ID per outbox row.
        #expect(Set(received.compactMap { $0["message_id"] as? String }).count == 8)
        // A refused change queues nothing: the transaction that failed took its messages with it.
        #expect(throws: (any Error).self) {
            _ = try office.scheduling.move(session: moved.id, starts: at("2026-12-03 13:00"), ends: at("2026-12-03 09:00"), venue: nil,
                                           trainer: nil, force: false, actor: testActor)
        }
        #expect(try Self.queued(database) == 0)
    }

    @Test func aRelayThatRefusesIsAbsentOrRejectsTheLoginLeavesTheMessagesQueuedWithItsReason() throws {
        let (database, data) = try Self.fixture()
        // Absent: nothing listens on the port.
        let absent = Self.mailOffice(database, data, port: try SMTPServer().port, certificate: "/nonexistent.pem")
        let outcome = try absent.mail.deliver()
        #expect(outcome.sent == 0 && outcome.failed.count == 2)
        let rows = try absent.mail.outbox()
        #expect(rows.allSatisfy { $0.state == .queued && $0.attempts == 1 && ($0.lastError ?? "").isEmpty == false })
        // Not again before the backoff has passed.
        #expect(try absent.mail.deliver().failed.isEmpty)

        // Refusing: the relay's own words are kept.
        let refusing = try SMTPServer(refuse: true)
        try database.writer.write { db in try db.execute(sql: "UPDATE outbox SET next_attempt_at = 0") }
        let office = Self.mailOffice(database, data, port: refusing.port, certificate: refusing.certificate)
        try office.mail.setPassword("tajna-lozinka", actor: testActor)
        let refused = try office.mail.deliver()
        #expect(refused.failed.count == 2 && refused.failed.allSatisfy { $0.reason.contains("554") })

        // A wrong password: refused at login.
        let server = try SMTPServer()
        try database.writer.write { db in try db.execute(sql: "UPDATE outbox SET next_attempt_at = 0") }
        let wrong = Self.mailOffice(database, data, port: server.port, certificate: server.certificate)
        try wrong.mail.setPassword("kriva", actor: testActor)
        #expect(try wrong.mail.deliver().failed.count == 2)
        #expect(try server.received().isEmpty)
        // The right one: delivered, with the attempts counted.
        try database.writer.write { db in try db.execute(sql: "UPDATE outbox SET next_attempt_at = 0") }
        try wrong.mail.setPassword("tajna-lozinka", actor: testActor)
        #expect(try wrong.mail.deliver().sent == 2)
        #expect(try wrong.mail.outbox().allSatisfy { $0.state == .sent && $0.attempts == 4 })
        #expect(try server.received().count == 2)
    }

    @Test func withoutSettingsMailIsQueuedAndNothingIsTried() throws {
        let (database, _) = try Self.fixture()
        let outcome = try office(database).mail.deliver()
        #expect(!outcome.configured && outcome.sent == 0)
        #expect(try office(database).mail.counts().queued == 2)
    }
}

/// A message's HTML answers its template by name: every value is escaped, and a message without a link has none.
@Suite struct MailHTMLTests {
    @Test func valuesAreEscapedAndALinkShowsOnlyWhenThereIsOne() {
        let linked = MailHTML.render(language: "bs", title: "Uvjerenje <b>", paragraphs: ["Prvi & drugi", "\"treći\""],
                                     link: (href: "https://obuka.example/verify?a=1&b=2", label: "Provjeri <ovdje>"), footer: "obuka")
        #expect(linked.contains("<html lang=\"bs\">") && linked.contains("<title>Uvjerenje &lt;b&gt;</title>"))
        #expect(linked.contains("<p>Prvi &amp; drugi</p>") && linked.contains("<p>&quot;treći&quot;</p>"))
        #expect(linked.contains("<a href=\"https://obuka.example/verify?a=1&amp;b=2\">Provjeri &lt;ovdje&gt;</a>"))
        let plain = MailHTML.render(language: "en", title: "T", paragraphs: [], link: nil, footer: "f")
        #expect(!plain.contains("<a ") && plain.contains("<p style=\"color: #52606d; font-size: 0.875em\">f</p>"))
    }
}
