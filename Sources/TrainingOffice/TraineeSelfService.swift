import Foundation
import TrainingCore
internal import TrainingStore

/// What trainees do for themselves: ask for a place in a cohort that has not started, report an absence before a
/// session starts, and subscribe to their sessions as a calendar.
public struct TraineeSelfService: Sendable {
    let context: OfficeContext

    /// The person a trainee account belongs to.
    public func person(_ personalNumber: String) throws -> Person { try context.database.person(personalNumber: personalNumber) }

    /// Cohorts that have not started, that the person has no enrolment in, of programs they have not completed, newest
    /// first.
    public func openCohorts(person: String) throws -> [Cohort] {
        let enrolments = try context.database.enrolments(personalNumber: person)
        let enrolled = Set(enrolments.map(\.cohort.code))
        let completed = Set(enrolments.filter { $0.status == .completed }.map(\.cohort.programID))
        let today = context.clock.today
        return try context.database.cohorts().filter {
            $0.starts > today && !enrolled.contains($0.code) && !completed.contains($0.programID)
        }
    }

    /// Asks for a place in a cohort that has not started yet (a started or unknown cohort is not found).
    public func requestPlace(cohort code: String, person: String, actor: Actor) throws -> EnrolmentChange {
        guard let cohort = try? context.database.cohort(code: code), cohort.starts > context.clock.today else {
            throw CohortError.unknownCohort(code: code)
        }
        return try EnrolmentDesk(context: context).request(cohort: cohort.code, person: person, actor: actor)
    }

    /// Records (or updates) a person's notice that they will miss one of their sessions that has not started.
    public func reportAbsence(session id: SessionID, person number: String, reason: String, actor: Actor) throws {
        let now = context.clock.now()
        try context.write { tx in
            let session = try tx.session(id)
            guard now < session.starts else { throw TraineeError.sessionAlreadyStarted }
            guard let person = try tx.placeHolders(of: try tx.cohort(code: session.cohortCode))[number] else {
                throw TraineeError.notYourSession
            }
            try tx.recordAbsenceNotice(session: id, person: person, reason: String(reason.prefix(500)))
            try tx.appendAudit(AuditEntry(actor: actor, action: "absence.report", entityType: "session", entityID: String(id.rawValue),
                                          details: number))
        }
    }

    /// Absences reported for a session.
    public func absenceNotices(session id: SessionID) throws -> [AbsenceNotice] { try context.database.absenceNotices(session: id) }

    /// Absences a person reported, by session.
    public func absenceNotices(person: String) throws -> [SessionID: AbsenceNotice] {
        try context.database.absenceNotices(personalNumber: person)
    }

    /// A new secret calendar address for a person's sessions, shown once; the previous one stops working.
    public func newCalendarLink(person number: String, actor: Actor) throws -> String {
        let token = SecretToken.new()
        try context.write { tx in
            guard let person = try tx.person(personalNumber: number) else { throw PeopleError.unknownPerson(personalNumber: number) }
            try tx.replaceCalendarFeed(person: person.id, tokenSHA256: SecretToken.digest(token))
            try tx.appendAudit(AuditEntry(actor: actor, action: "calendar.token", entityType: "person", entityID: number))
        }
        return "\(context.settings.publicURL)/calendar/\(token).ics"
    }

    /// Ends a person's calendar subscription.
    public func revokeCalendarLink(person number: String, actor: Actor) throws {
        try context.write { tx in
            if let person = try tx.person(personalNumber: number) { try tx.revokeCalendarFeed(person: person.id) }
            try tx.appendAudit(AuditEntry(actor: actor, action: "calendar.revoke", entityType: "person", entityID: number))
        }
    }

    /// Whether a person has a calendar address.
    public func hasCalendarLink(person: String) throws -> Bool { try context.database.hasCalendarFeed(personalNumber: person) }

    /// The calendar a secret address names (`token`, with or without `.ics`), in `language`; nil for an unknown one.
    public func calendar(token: String, language: Language) throws -> String? {
        let token = token.hasSuffix(".ics") ? String(token.dropLast(4)) : token
        guard token.count < 100, let person = try context.database.calendarFeedOwner(tokenSHA256: SecretToken.digest(token)) else {
            return nil
        }
        let scheduling = Scheduling(context: context)
        return try scheduling.calendar(try scheduling.sessions(person: person.personalNumber), name: person.fullName, language: language)
    }
}
