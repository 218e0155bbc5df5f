/// One session as a calendar event.
public struct CalendarEvent: Sendable {
    /// Stable identifier: the same session keeps its UID across every change.
    public var uid: String
    /// Raised on every change, so calendar clients replace the old copy.
    public var sequence: Int
    /// Start, District time.
    public var starts: LocalDateTime
    /// End, District time.
    public var ends: LocalDateTime
    /// Title.
    public var summary: String
    /// Venue.
    public var location: String?
    /// Details (trainer, cohort).
    public var description: String?
    /// Whether the session was cancelled (sent as STATUS:CANCELLED).
    public var cancelled: Bool
    /// For an invitation: who organises it and whom it invites (name, address).
    public var organizer: (name: String, address: String)?
    public var attendees: [(name: String, address: String)] = []

    public init(uid: String, sequence: Int, starts: LocalDateTime, ends: LocalDateTime, summary: String,
                location: String?, description: String?, cancelled: Bool) {
        self.uid = uid
        self.sequence = sequence
        self.starts = starts
        self.ends = ends
        self.summary = summary
        self.location = location
        self.description = description
        self.cancelled = cancelled
    }
}

/// Writes iCalendar (RFC 5545) with the Europe/Sarajevo time zone.
public enum ICalendar {
    /// The District's time zone.
    public static let timeZoneID = "Europe/Sarajevo"

    /// A VCALENDAR with one VEVENT per event; `stamp` is the UTC time of writing (`YYYYMMDDTHHMMSSZ`). `method` is
    /// PUBLISH for a feed, REQUEST or CANCEL for an invitation (iTIP, RFC 5546), which carries ORGANIZER and ATTENDEE.
    public static func render(_ events: [CalendarEvent], calendarName: String, stamp: String, method: String = "PUBLISH") -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Brcko District//obuka//BS", "CALSCALE:GREGORIAN",
            "METHOD:\(method)", "X-WR-CALNAME:\(escape(calendarName))", "X-WR-TIMEZONE:\(timeZoneID)",
        ]
        lines += timeZone
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(escape(event.uid))",
                "DTSTAMP:\(stamp)",
                "SEQUENCE:\(event.sequence)",
                "DTSTART;TZID=\(timeZoneID):\(format(event.starts))",
                "DTEND;TZID=\(timeZoneID):\(format(event.ends))",
                "SUMMARY:\(escape(event.summary))",
            ]
            if let location = event.location { lines.append("LOCATION:\(escape(location))") }
            if let description = event.description { lines.append("DESCRIPTION:\(escape(description))") }
            if let organizer = event.organizer {
                lines.append("ORGANIZER;CN=\(parameter(organizer.name)):mailto:\(organizer.address)")
            }
            for attendee in event.attendees {
                lines.append("ATTENDEE;CN=\(parameter(attendee.name));ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:\(attendee.address)")
            }
            lines.append("STATUS:\(event.cancelled ? "CANCELLED" : "CONFIRMED")")
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// CET/CEST with the EU's last-Sunday rules.
    static let timeZone = [
        "BEGIN:VTIMEZONE", "TZID:\(timeZoneID)",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func format(_ time: LocalDateTime) -> String {
        "\(LocalDate.pad(time.date.year, 4))\(LocalDate.pad(time.date.month, 2))\(LocalDate.pad(time.date.day, 2))T"
            + "\(LocalDate.pad(time.hour, 2))\(LocalDate.pad(time.minute, 2))00"
    }

    /// A parameter value (a CN): quoted, with quotes and line breaks left out (RFC 5545 §3.2 allows neither).
    static func parameter(_ text: String) -> String {
        "\"" + String(text.filter { $0 != "\"" && !$0.isNewline && $0 != "\r" }) + "\""
    }

    /// TEXT escaping: backslash, semicolon, comma and newlines.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n", "\r\n", "\r": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var output = "", count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                output += "\r\n "
                count = 1
            }
            output.append(character)
            count += size
        }
        return output
    }
}
