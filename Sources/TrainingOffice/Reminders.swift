import Foundation
import Localization
import TrainingCore
internal import TrainingStore

/// The time-driven messages, queued by the clock tick once a day from `ReminderRules.passHour`: the working day before
/// a session, forecasts that changed with time, certificates about to expire, the heads' daily digest of requests,
/// required training coming due, questionnaires about to close, follow-ups waiting and the nomination deadline. Each is
/// unique per (kind, subject, recipient, day) in the outbox, and a notice is told once per subject, so a second pass
/// queues nothing.
struct ReminderPass {
    let context: OfficeContext
    var writer: MessageWriter { MessageWriter(context: context) }

    /// Whether today's pass is due (one indexed read).
    func isDue(_ tx: StoreTransaction, now: LocalDateTime) throws -> Bool {
        try now.hour >= ReminderRules.passHour && !tx.reminderPassRan(on: now.date)
    }

    /// Queues the day's messages and records the pass; returns how many were queued.
    func run(_ tx: StoreTransaction, now: LocalDateTime, freeDays: Set<LocalDate>) throws -> Int {
        let today = now.date
        var queued = 0
        let isFreeDay = { (day: LocalDate) in day.isWeekend || freeDays.contains(day) }
        if ReminderRules.remindsOfSessions(on: today, isFreeDay: isFreeDay) {
            queued += try sessionReminders(tx, days: ReminderRules.sessionDays(remindedOn: today, isFreeDay: isFreeDay))
        }
        for cohort in try tx.cohortsRunning(on: today) {
            queued += try ForecastNotices.tell(tx, cohort: cohort, people: nil, now: now, writer: writer)
        }
        queued += try certificateNotices(tx, today: today)
        queued += try requestDigests(tx, today: today)
        queued += try requirementNotices(tx, today: today)
        queued += try evaluationReminders(tx, today: today)
        queued += try followUpReminders(tx, today: today)
        queued += try nominationReminders(tx, today: today)
        try tx.recordReminderPass(on: today)
        return queued
    }

    /// Queues one message whose subject and body are the catalog's `mail.<kind>.subject` and `.body`, with arguments in
    /// the recipient's language; 1 when it was queued.
    private func remind(_ tx: StoreTransaction, _ kind: MessageKind, key: String, to person: Person,
                        link: ((Localizer) -> (href: String, label: String))? = nil,
                        _ arguments: (Localizer) -> [String: String]) throws -> Int {
        let t = writer.localizer(for: person)
        let words = arguments(t)
        return try writer.enqueue(tx, kind: kind, subjectKey: key, person: person, t: t, subject: t("mail.\(kind.rawValue).subject", words),
                                  body: [t("mail.\(kind.rawValue).body", words)], link: link?(t) ?? writer.myPage(t), calendar: nil,
                                  due: context.clock.today) ? 1 : 0
    }

    private func sessionReminders(_ tx: StoreTransaction, days: [LocalDate]) throws -> Int {
        var queued = 0
        for session in try tx.sessionsStarting(on: days) {
            let cohort = try tx.cohort(code: session.cohortCode)
            let program = try tx.program(of: cohort)
            for (person, _) in try tx.messageRecipients(cohort: cohort.id) {
                queued += try remind(tx, .sessionReminder, key: "session:\(session.id.rawValue):\(session.sequence)", to: person) { t in
                    writer.sessionArguments(session, cohort: cohort, program: program, t: t)
                }
            }
        }
        return queued
    }

    private func certificateNotices(_ tx: StoreTransaction, today: LocalDate) throws -> Int {
        var queued = 0
        let farthest = ReminderRules.certificateNoticeDays.max() ?? 0
        for certificate in try tx.expiringCertificates(within: farthest, today: today) where certificate.holderErasedAt == nil {
            guard let expires = certificate.expires, let days = ReminderRules.certificateNotice(expires: expires, today: today),
                  let person = try tx.person(personalNumber: certificate.personalNumber) else { continue }
            let key = "certificate:\(certificate.serial):\(days)"
            guard try !tx.messageQueued(kind: .certificateExpiring, subjectKey: key, person: person.id) else { continue }
            let program = try tx.program(of: tx.cohort(code: certificate.cohortCode))
            queued += try remind(tx, .certificateExpiring, key: key, to: person) { t in
                ["program": program.title.text(in: t.language), "serial": certificate.serial, "date": t.date(expires)]
            }
        }
        return queued
    }

    private func requestDigests(_ tx: StoreTransaction, today: LocalDate) throws -> Int {
        var queued = 0
        for waiting in try tx.waitingRequests() {
            for head in try tx.departmentHeads(waiting.department) {
                let t = writer.localizer(for: head)
                let arguments = ["department": waiting.department.rawValue]
                queued += try writer.enqueue(tx, kind: .requestsWaiting, subjectKey: "requests:\(waiting.department.rawValue)", person: head,
                                             t: t, subject: t.plural("mail.enrolment.requests_waiting.subject", count: waiting.count, arguments),
                                             body: [t.plural("mail.enrolment.requests_waiting.body", count: waiting.count, arguments)],
                                             link: writer.departmentPage(t, waiting.department),
                                             calendar: nil, due: today) ? 1 : 0
            }
        }
        return queued
    }

    private func requirementNotices(_ tx: StoreTransaction, today: LocalDate) throws -> Int {
        var queued = 0
        let last = today.adding(days: ReminderRules.requirementNoticeDays)
        var titles: [String: Program] = [:]
        for gap in try RequiredTrainingDesk(context: context).gaps(tx, department: nil, personalNumber: nil)
        where gap.state == .missing {
            guard let due = gap.due, due >= today, due <= last else { continue }
            let key = "requirement:\(gap.requirement.code):\(due.iso)"
            guard try !tx.messageQueued(kind: .requirementDue, subjectKey: key, person: gap.person.id) else { continue }
            let program: Program
            if let known = titles[gap.requirement.programID] { program = known } else {
                program = try tx.program(id: gap.requirement.programID, version: nil).program
                titles[gap.requirement.programID] = program
            }
            queued += try remind(tx, .requirementDue, key: key, to: gap.person) { t in
                ["program": program.title.text(in: t.language), "date": t.date(due)]
            }
        }
        return queued
    }

    private func evaluationReminders(_ tx: StoreTransaction, today: LocalDate) throws -> Int {
        var queued = 0
        for round in try tx.reactionRoundsClosing(today: today, within: ReminderRules.evaluationReminderDays) {
            let program = try tx.program(of: round.cohort)
            let key = "evaluation:\(round.cohort.code):\(round.module)"
            for id in round.people {
                guard let person = try tx.livePerson(id),
                      try !tx.messageQueued(kind: .evaluationReminder, subjectKey: key, person: id) else { continue }
                queued += try remind(tx, .evaluationReminder, key: key, to: person) { t in
                    ["module": program.modules.first { $0.id == round.module }?.title.text(in: t.language) ?? round.module,
                     "cohort": t.script(round.cohort.name), "date": t.date(round.deadline)]
                }
            }
        }
        return queued
    }

    private func followUpReminders(_ tx: StoreTransaction, today: LocalDate) throws -> Int {
        var queued = 0
        for followUp in try tx.followUpsWaiting(today: today) {
            guard let about = try tx.livePerson(followUp.person) else { continue }
            let key = "follow-up:\(followUp.id)"
            let recipients = followUp.respondent == .trainee ? [about] : try tx.departmentHeads(followUp.department)
            for recipient in recipients where try !tx.messageQueued(kind: .followUpOpen, subjectKey: key, person: recipient.id) {
                let t = writer.localizer(for: recipient)
                let arguments = ["name": t.script(about.fullName), "date": t.date(followUp.closes)]
                let link = followUp.respondent == .trainee ? writer.myPage(t) : writer.departmentPage(t, followUp.department, path: "/follow-up")
                queued += try writer.enqueue(tx, kind: .followUpOpen, subjectKey: key, person: recipient, t: t,
                                             subject: t("mail.follow_up.open.\(followUp.respondent.rawValue).subject", arguments),
                                             body: [t("mail.follow_up.open.\(followUp.respondent.rawValue).body", arguments)], link: link,
                                             calendar: nil, due: today) ? 1 : 0
            }
        }
        return queued
    }

    private func nominationReminders(_ tx: StoreTransaction, today: LocalDate) throws -> Int {
        var queued = 0
        for year in [today.year, today.year + 1] {
            guard let window = try tx.nominationWindow(year: year), window.isOpen(on: today),
                  window.deadline.daysSinceEpoch - today.daysSinceEpoch <= ReminderRules.nominationReminderDays else { continue }
            let key = "needs:\(year)"
            for department in try tx.departmentsWithoutNeeds(year: year) {
                for head in try tx.departmentHeads(department) where try !tx.messageQueued(kind: .nominationReminder, subjectKey: key,
                                                                                             person: head.id) {
                    queued += try remind(tx, .nominationReminder, key: key, to: head,
                                         link: { t in writer.departmentPage(t, department, path: "/needs") }) { t in
                        ["year": String(year), "date": t.date(window.deadline), "department": department.rawValue]
                    }
                }
            }
        }
        return queued
    }
}

/// A trainee's forecast told when it changes: becoming at risk or unable to complete is a message to the trainee and
/// to their department's head, with the reasons in words; rewriting the same marks changes nothing and tells nothing.
/// Checked where the forecast can change: after marks and scores are recorded, and on the daily pass as time passes.
enum ForecastNotices {
    /// Tells the changes among a running cohort's trainees (nil: all); returns how many messages were queued.
    @discardableResult
    static func tell(_ tx: StoreTransaction, cohort: Cohort, people: [PersonID]?, now: LocalDateTime, writer: MessageWriter) throws -> Int {
        guard now.date <= cohort.ends else { return 0 }
        let program = try tx.program(of: cohort)
        let progress = try tx.progressFacts(cohort, people: people, now: now).filter { $0.status == .approved }
            .map { ($0.person, $0.progress(in: program)) }
        return try tell(tx, cohort: cohort, program: program, progress: progress, writer: writer)
    }

    /// Tells the changes among progress already evaluated (the completion decision's).
    static func tell(_ tx: StoreTransaction, cohort: Cohort, program: Program, progress: [(Person, ProgramProgress)],
                     writer: MessageWriter) throws -> Int {
        // A cohort that has ended is decided: completion, not a warning, is what its trainees hear of.
        let now = writer.context.clock.now()
        guard !progress.isEmpty, now.date <= cohort.ends else { return 0 }
        let told = try tx.forecastNotices(cohort: cohort.id)
        let changed = progress.filter { ForecastNotice.hasChanged(from: told[$0.0.id]?.forecast, to: $0.1.forecast) }
        // While a held session has no marks at all the register is behind, not the trainees: nobody is warned on it.
        guard !changed.isEmpty, try !tx.registerIsBehind(cohort: cohort.id, now: now) else { return 0 }
        var queued = 0
        for (person, progress) in changed {
            let previous = told[person.id]
            let changes = (previous?.changes ?? 0) + 1
            try tx.setForecastNotice(cohort: cohort.id, person: person.id, forecast: progress.forecast.code, changes: changes)
            guard let kind = ForecastNotice.message(from: previous?.forecast, to: progress.forecast) else { continue }
            let key = "forecast:\(cohort.code):p\(person.id.rawValue):\(changes)"
            let recipients = [person] + (try tx.departmentHeads(person.department).filter { $0.id != person.id })
            for recipient in recipients {
                let t = writer.localizer(for: recipient)
                let words = ProgressText(localizer: t)
                let arguments = ["name": t.script(person.fullName), "cohort": t.script(cohort.name),
                                 "program": program.title.text(in: t.language)]
                let role = recipient.id == person.id ? "trainee" : "head"
                queued += try writer.enqueue(tx, kind: kind, subjectKey: key, person: recipient, t: t,
                                             subject: t("mail.\(kind.rawValue).\(role).subject", arguments),
                                             body: [t("mail.\(kind.rawValue).\(role).body", arguments)]
                                                + progress.forecast.reasons.map { "– " + words.reason($0) },
                                             link: role == "trainee" ? writer.myPage(t) : writer.departmentPage(t, person.department),
                                             calendar: nil, due: writer.context.clock.today) ? 1 : 0
            }
        }
        return queued
    }
}
