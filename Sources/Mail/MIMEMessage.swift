import Foundation

/// An e-mail as RFC 5322 with MIME: UTF-8 names and subject as RFC 2047 encoded words, a plain-text part with an HTML
/// alternative, and, for an invitation, a `text/calendar; method=…` alternative plus the same calendar as an `.ics`
/// attachment (what Outlook and Google Calendar read to update an entry in place). Every part is base64, so no line is
/// too long and no byte needs escaping. Tests read what it writes with Python's `email` parser.
public struct MIMEMessage: Sendable {
    /// A name and an address.
    public struct Mailbox: Sendable {
        public var name: String
        public var address: String

        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }

    /// An iCalendar invitation: its METHOD and text.
    public struct Invitation: Sendable {
        public var method: String
        public var text: String

        public init(method: String, text: String) {
            self.method = method
            self.text = text
        }
    }

    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    /// Without the angle brackets, e.g. `outbox-12.4f1c@obuka.example`; stable for a message however often it is sent.
    public var messageID: String
    public var date: Date
    public var text: String
    public var html: String
    public var invitation: Invitation?

    public init(from: Mailbox, to: Mailbox, subject: String, messageID: String, date: Date, text: String, html: String,
                invitation: Invitation? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.messageID = messageID
        self.date = date
        self.text = text
        self.html = html
        self.invitation = invitation
    }

    /// The message's bytes, lines ending in CRLF.
    public func rendered() -> Data {
        var lines = [
            Self.folded("From: " + Self.mailbox(from)),
            Self.folded("To: " + Self.mailbox(to)),
            Self.folded("Subject: " + Self.encodedWords(subject)),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        // Boundaries from the Message-ID: stable, and never in a base64 body (which has no hyphens in a row).
        let boundary = "--=_obuka_" + String(messageID.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            .prefix(40).map(Character.init))
        let alternative = boundary + "_alt", mixed = boundary + "_mix"
        var parts: [(type: String, body: String, disposition: String?)] = [
            ("text/plain; charset=UTF-8", text, nil), ("text/html; charset=UTF-8", html, nil),
        ]
        if let invitation {
            parts.append(("text/calendar; charset=UTF-8; method=\(invitation.method)", invitation.text, nil))
            lines += ["Content-Type: multipart/mixed;\r\n boundary=\"\(mixed)\"", "", "--\(mixed)",
                      "Content-Type: multipart/alternative;\r\n boundary=\"\(alternative)\"", ""]
        } else {
            lines += ["Content-Type: multipart/alternative;\r\n boundary=\"\(alternative)\"", ""]
        }
        for part in parts {
            lines += ["--\(alternative)"] + Self.part(type: part.type, body: part.body)
        }
        lines.append("--\(alternative)--")
        if let invitation {
            lines += ["", "--\(mixed)"]
                + Self.part(type: "application/ics; name=\"invite.ics\"", body: invitation.text,
                            disposition: "attachment; filename=\"invite.ics\"")
            lines.append("--\(mixed)--")
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func part(type: String, body: String, disposition: String? = nil) -> [String] {
        var lines = ["Content-Type: \(type)", "Content-Transfer-Encoding: base64"]
        if let disposition { lines.append("Content-Disposition: \(disposition)") }
        lines.append("")
        let encoded = Data(body.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        lines.append("")
        return lines
    }

    /// `Name <address>`, the name quoted when plain ASCII, else as encoded words (RFC 2047, UTF-8).
    static func mailbox(_ mailbox: Mailbox) -> String {
        guard !mailbox.name.isEmpty else { return "<\(mailbox.address)>" }
        let plain = mailbox.name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        let name = plain ? "\"" + mailbox.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            : encodedWords(mailbox.name)
        return "\(name) <\(mailbox.address)>"
    }

    /// Text as it may stand in a header: as is when printable ASCII, else base64 encoded words of at most 75
    /// characters each, never splitting a UTF-8 character, separated by a space (RFC 2047 §2, §5).
    static func encodedWords(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return clean }
        // "=?UTF-8?B?" + "?=" take 12 characters; 39 bytes make 52 of base64: a word of 64 fits beside "Subject: " on a
        // line of 78, so no header is folded right after its colon (a reader keeps that space as part of the value).
        var words: [String] = [], chunk = Data()
        for character in clean {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// A header folded before an encoded word once its line would pass 78 characters.
    static func folded(_ header: String) -> String {
        var lines: [String] = [], line = ""
        for word in header.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty, line.count + 1 + word.count > 78 {
                lines.append(line)
                line = " " + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// `Sun, 06 Dec 2026 03:40:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
