import Foundation
import Mail
import Testing

/// The MIME composer read back by Python's `email` parser (and the invitation by `icalendar`), as a mail client would.
@Suite struct MIMEMessageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What `Tests/mail/read_message.py` makes of a message.
    static func read(_ message: Data) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-mime-\(UUID().uuidString).eml")
        defer { try? FileManager.default.removeItem(at: file) }
        try message.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The python3 on PATH: the one bootstrap installed icalendar and aiosmtpd into.
        process.arguments = ["python3", repository.appendingPathComponent("Tests/mail/read_message.py").path, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static let calendar = """
        BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:session-7@obuka\r\n\
        DTSTAMP:20261125T110000Z\r\nSEQUENCE:3\r\nDTSTART:20261201T090000\r\nDTEND:20261201T130000\r\nSUMMARY:Modul 1\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n
        """

    @Test func namesAndSubjectsWithDiacriticsAndCyrillicDecodeExactly() throws {
        let subject = "Термин је помјерен: Čćđšž – Управни поступак, 1. 12. 2026. у 09:00, сала 3 (дуга тема да се преломи у више ријечи)"
        let message = MIMEMessage(
            from: .init(name: "obuka", address: "obuka@uprava.example"), to: .init(name: "Đurđa Šćepanović-Žižić", address: "d@uprava.example"),
            subject: subject, messageID: "outbox-7.abc@uprava.example", date: Date(timeIntervalSince1970: 1_795_000_000),
            text: "Poštovana Đurđa,\n\nTermin je pomjeren.\n", html: "<p>Poštovana Đurđa,</p>",
            invitation: .init(method: "REQUEST", text: Self.calendar))
        let bytes = message.rendered()
        // Headers are ASCII; no line is longer than 78 characters (RFC 5322 §2.1.1).
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 78 })
        #expect(bytes.allSatisfy { $0 < 0x80 })
        let read = try Self.read(bytes)
        #expect(read["subject"] as? String == subject)
        #expect(read["to_name"] as? String == "Đurđa Šćepanović-Žižić" && read["to_address"] as? String == "d@uprava.example")
        #expect(read["message_id"] as? String == "<outbox-7.abc@uprava.example>")
        #expect(read["defects"] as? Int == 0)
        let parts = try #require(read["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html", "text/calendar", "application/ics"])
        #expect(parts[0]["text"] as? String == "Poštovana Đurđa,\n\nTermin je pomjeren.\n")
        #expect(parts[2]["method"] as? String == "REQUEST" && parts[3]["filename"] as? String == "invite.ics")
        let calendar = try #require(read["calendar"] as? [String: Any])
        #expect(calendar["uid"] as? String == "session-7@obuka" && calendar["sequence"] as? Int == 3)
    }

    @Test func aPlainMessageHasTextAndHTMLOnlyAndAnASCIINameIsQuoted() throws {
        let message = MIMEMessage(from: .init(name: "obuka", address: "o@x.example"), to: .init(name: "Ana \"A\" Kovač", address: "a@x.example"),
                                  subject: "Upis odobren", messageID: "m1@x.example", date: Date(timeIntervalSince1970: 0), text: "Tekst",
                                  html: "<p>Tekst</p>")
        let read = try Self.read(message.rendered())
        #expect(read["subject"] as? String == "Upis odobren" && read["to_name"] as? String == "Ana \"A\" Kovač")
        #expect((read["parts"] as? [[String: Any]])?.map { $0["type"] as? String } == ["text/plain", "text/html"])
        #expect(read["date"] as? String == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test func settingsComeFromTheEnvironmentAndWrongOnesNameTheirVariable() throws {
        #expect(try MailSettings.from(environment: [:]) == nil)
        let settings = try #require(try MailSettings.from(environment: ["OBUKA_SMTP_HOST": "relay.uprava.example", "OBUKA_SMTP_USER": "obuka"]))
        #expect(settings.port == 587 && settings.security == .starttls && settings.timeout == 30 && settings.from == "obuka@relay.uprava.example")
        for (variable, value) in [("OBUKA_SMTP_PORT", "0"), ("OBUKA_SMTP_PORT", "99999"), ("OBUKA_SMTP_TIMEOUT", "1e3"),
                                  ("OBUKA_SMTP_SECURITY", "ssl"), ("OBUKA_SMTP_FROM", "a b@c")] {
            #expect(throws: MailSettings.Problem(variable: variable, value: value)) {
                _ = try MailSettings.from(environment: ["OBUKA_SMTP_HOST": "relay.example", variable: value])
            }
        }
        // msmtp's configuration names the password file; the password itself is never in it.
        let configuration = MailSubmission(settings: settings, directory: URL(fileURLWithPath: "/var/obuka")).configuration()
        #expect(configuration.contains("passwordeval \"cat '/var/obuka/smtp-password'\"") && configuration.contains("tls_starttls on"))
        #expect(configuration.contains("timeout 30") && !configuration.contains("password ") )
    }
}
