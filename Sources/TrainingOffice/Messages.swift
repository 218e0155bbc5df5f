import Foundation
import Localization
import Reports
import TrainingCore
internal import TrainingStore

/// The messages events cause, written in each recipient's language (their preference, else Bosnian) and the District's
/// date style, and queued in the event's own transaction (`StoreTransaction.enqueue`): a rolled-back change queues
/// nothing, a committed one cannot lose its message.
struct MessageWriter {
    let context: OfficeContext

    /// The organiser of invitations: the District's obuka address (the public site's host).
    private var organizer: (name: String, address: String) {
        let host = URL(string: context.settings.publicURL)?.host ?? "obuka.invalid"
        return ("obuka", "obuka@\(host)")
    }

    func localizer(for person: Person) -> Localizer {
        Localizer(person.preferredLanguage.map { Language.interfaceLanguages.contains($0) ? $0 : .default } ?? .default)
    }

    /// A session scheduled, moved or cancelled: a message to everyone holding a place, with an invitation (the
    /// session's UID and current SEQUENCE, METHOD:REQUEST or CANCEL) unless they subscribed to their calendar feed.
    func session(_ tx: StoreTransaction, _ session: ScheduledSession, kind: MessageKind) throws {
        let cohort = try tx.cohort(code: session.cohortCode)
        let program = try tx.program(of: cohort)
        let today = context.clock.today
        for (person, subscribed) in try tx.messageRecipients(cohort: cohort.id) {
            let t = localizer(for: person)
            let arguments = sessionArguments(session, cohort: cohort, program: program, t: t)
            let moduleTitle = arguments["module"] ?? session.moduleID
            let key = "mail.\(kind.rawValue)"
            var calendar: String?
            if let method = kind.calendarMethod, !subscribed {
                var event = CalendarEvent(uid: session.uid, sequence: session.sequence, starts: session.starts, ends: session.ends,
                                          summary: "\(moduleTitle) (\(t.script(cohort.name)))", location: session.venue,
                                          description: session.trainer, cancelled: kind == .sessionCancelled)
                event.organizer = organizer
                event.attendees = [(person.fullName, person.email)]
                calendar = ICalendar.render([event], calendarName: "obuka", stamp: ICalendar.stamp(context.clock.date()), method: method)
            }
            try enqueue(tx, kind: kind, subjectKey: "session:\(session.id.rawValue):\(session.sequence)", person: person, t: t,
                        subject: t("\(key).subject", arguments), body: [t("\(key).body", arguments)] + (subscribed && kind.calendarMethod != nil
                            ? [t("mail.session.feed")] : []),
                        link: myPage(t), calendar: calendar, due: today)
        }
    }

    /// The words of a session for a message: its module's title, cohort, time and venue in the recipient's language.
    func sessionArguments(_ session: ScheduledSession, cohort: Cohort, program: Program, t: Localizer) -> [String: String] {
        let module = program.modules.first { $0.id == session.moduleID }
        return ["module": module?.title.text(in: t.language) ?? session.moduleID, "cohort": t.script(cohort.name),
                "when": "\(t.dateTime(session.starts))–\(session.ends.timeOfDay)",
                "venue": session.venue.map { t.script($0) } ?? t("mail.session.no_venue")]
    }

    /// A decision on a person's place: approved, declined (with the reason), waitlisted, or promoted from the waitlist.
    func enrolment(_ tx: StoreTransaction, cohort: Cohort, person: Person, kind: MessageKind, reason: String?) throws {
        let t = localizer(for: person)
        let program = try tx.program(of: cohort)
        let arguments = ["cohort": t.script(cohort.name), "program": program.title.text(in: t.language),
                         "dates": "\(t.date(cohort.starts)) – \(t.date(cohort.ends))", "reason": reason ?? "–"]
        let key = "mail.\(kind.rawValue)"
        try enqueue(tx, kind: kind, subjectKey: "enrolment:\(cohort.code):\(kind.rawValue)", person: person, t: t,
                    subject: t("\(key).subject", arguments), body: [t("\(key).body", arguments)],
                    link: myPage(t), calendar: nil, due: context.clock.today)
    }

    /// A certificate issued: where to download it and how anyone can verify it.
    func certificateIssued(_ tx: StoreTransaction, serial: String, program: Program, verifyURL: String, person: Person) throws {
        let t = localizer(for: person)
        let arguments = ["program": program.title.text(in: t.language), "serial": serial]
        try enqueue(tx, kind: .certificateIssued, subjectKey: "certificate:\(serial)", person: person, t: t,
                    subject: t("mail.certificate.issued.subject", arguments),
                    body: [t("mail.certificate.issued.body", arguments), t("mail.certificate.issued.verify", ["url": verifyURL])],
                    link: myPage(t), calendar: nil, due: context.clock.today)
    }

    /// The link to the recipient's own page.
    func myPage(_ t: Localizer) -> (href: String, label: String) { (context.settings.publicURL + "/my", t("mail.link.my")) }

    /// The link to a department head's page of their department (`path` below it, e.g. `/needs`).
    func departmentPage(_ t: Localizer, _ department: DepartmentCode, path: String = "") -> (href: String, label: String) {
        (context.settings.publicURL + "/department/\(department.rawValue)\(path)", t("mail.link.department"))
    }

    /// Writes a message (greeting, paragraphs, link, footer; as text and HTML) and queues it; true when it was queued
    /// (see `StoreTransaction.enqueue` for when it is not).
    @discardableResult
    func enqueue(_ tx: StoreTransaction, kind: MessageKind, subjectKey: String, person: Person, t: Localizer, subject: String,
                         body: [String], link: (href: String, label: String), calendar: String?, due: LocalDate) throws -> Bool {
        let greeting = t("mail.greeting", ["name": t.script(person.fullName)])
        let footer = t("mail.footer")
        let text = ([greeting] + body + ["\(link.label): \(link.href)", "--", footer]).joined(separator: "\n\n") + "\n"
        let html = MailHTML.render(language: t.language.rawValue, title: subject, paragraphs: [greeting] + body, link: link, footer: footer)
        return try tx.enqueue(OutgoingMessage(kind: kind, subjectKey: subjectKey, recipient: person.id, recipientName: person.fullName,
                                       recipientEmail: person.email, subject: subject, text: text, html: html, calendar: calendar),
                       due: due)
    }
}

extension ICalendar {
    /// DTSTAMP's form of a moment: `20261125T110000Z`.
    static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false)
            .timeSeparator(.omitted).timeZone(separator: .omitted))
    }
}
