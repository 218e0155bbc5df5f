import CSVImport
import Foundation
import TrainingCore
internal import TrainingStore

/// Assessment results: one score, a class's scores at once, or a CSV of them. Each attempt is kept; recording an
/// attempt again corrects it (the earlier score is kept, superseded). Completion is decided in the same transaction.
public struct ScoreRecording: Sendable {
    let context: OfficeContext

    /// Records one person's score (the next attempt unless `attempt` is given); returns the attempt used.
    @discardableResult
    public func record(cohort: String, person: String, assessment: String, score: Double, attempt: Int? = nil,
                       actor: Actor) throws -> Int {
        try record(cohort: cohort, assessment: assessment,
                   entries: [ScoreEntry(personalNumber: person, score: score, attempt: attempt)], source: nil, actor: actor)[0]
    }

    /// Records scores of one assessment for several people, all or none, with one audit entry; returns the attempts
    /// used. Refuses an assessment the cohort's program lacks, someone without a place, a score outside 0…max and an
    /// attempt beyond those allowed or not next in line.
    @discardableResult
    public func record(cohort code: String, assessment assessmentID: String, entries: [ScoreEntry], source: String?,
                       actor: Actor) throws -> [Int] {
        let now = context.clock.now()
        return try context.write { tx in
            let cohort = try tx.cohort(code: code)
            let holders = try tx.placeHolders(of: cohort)
            guard let definition = try tx.program(of: cohort).assessments.first(where: { $0.id == assessmentID }) else {
                throw RecordingError.unknownAssessment(assessmentID: assessmentID, cohort: cohort.code)
            }
            var attempts: [Int] = []
            var corrections = 0
            var scored: [PersonID] = []
            for entry in entries {
                guard let person = holders[entry.personalNumber] else {
                    throw RecordingError.notAParticipant(personalNumber: entry.personalNumber, cohort: cohort.code)
                }
                guard entry.score.isFinite, entry.score >= 0, entry.score <= definition.maxScore else {
                    throw RecordingError.scoreOutOfRange(personalNumber: entry.personalNumber, assessmentID: assessmentID, score: entry.score, max: definition.maxScore)
                }
                let used = try tx.attemptsUsed(cohort: cohort.id, assessment: assessmentID, person: person)
                let attempt = entry.attempt ?? used + 1
                guard attempt >= 1, attempt <= definition.attempts, attempt <= used + 1 else {
                    throw RecordingError.attemptNotAllowed(personalNumber: entry.personalNumber, assessmentID: assessmentID, attempt: attempt, allowed: definition.attempts)
                }
                if try tx.recordScore(cohort: cohort.id, assessment: assessmentID, person: person, attempt: attempt,
                                      score: entry.score, recordedBy: actor) {
                    corrections += 1
                }
                attempts.append(attempt)
                scored.append(person)
            }
            let single = entries.count == 1 ? entries[0] : nil
            try tx.appendAudit(AuditEntry(
                actor: actor, action: corrections > 0 && single != nil ? "assessment.correct" : "assessment.record",
                entityType: single == nil ? "cohort" : "enrolment",
                entityID: single.map { "\(cohort.code)/\($0.personalNumber)" } ?? cohort.code,
                details: single.map {
                    AuditDetails([("assessment", .string(assessmentID)), ("attempt", .int(attempts[0])), ("score", .double($0.score))]).json
                } ?? AuditDetails([("assessment", .string(assessmentID)), ("entries", .int(entries.count)),
                                   ("corrections", .int(corrections)), ("source", source.map { .string($0) })]).json))
            try tx.refreshRollups(cohort: cohort.id, people: scored)
            try CompletionDecisions.decide(tx, cohort: cohort, people: scored, now: now, actor: actor,
                                            messages: MessageWriter(context: context))
            return attempts
        }
    }

    /// Records an assessment's results from CSV (`personal_number;score[;attempt]`): every row's problems at once
    /// (`RowProblems`), nothing recorded while any row has one. Returns how many were recorded.
    @discardableResult
    public func importSheet(cohort: String, assessment: String, data: Data, file: String, actor: Actor) throws -> Int {
        let rows = try ScoresCSV.rows(from: try CSVTable.decode(data, file: file), file: file)
        try record(cohort: cohort, assessment: assessment,
                   entries: rows.map { ScoreEntry(personalNumber: $0.personalNumber, score: $0.score, attempt: $0.attempt) },
                   source: "\(URL(fileURLWithPath: file).lastPathComponent) sha256:\(sha256Hex(data))", actor: actor)
        return rows.count
    }
}

/// Progress in a cohort, module by module, with the completion forecast: read from the ledgers, decided by
/// `ProgramProgress` at the District's time now.
public struct ProgressReading: Sendable {
    let context: OfficeContext

    /// A person's progress in every cohort they hold (or held) a place in, in cohort order.
    public func person(_ personalNumber: String) throws -> [CohortProgress] {
        let now = context.clock.now()
        return try context.read { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            return try tx.cohortsWithPlace(of: person.id).flatMap { id in
                try Self.progress(tx, cohort: try tx.cohort(id: id), people: [person.id], now: now)
            }
        }
    }

    /// Every participant's progress in a cohort, by name.
    public func cohort(_ code: String) throws -> [CohortProgress] {
        let now = context.clock.now()
        return try context.read { tx in try Self.progress(tx, cohort: try tx.cohort(code: code), people: nil, now: now) }
    }

    /// The progress of everyone now in a department, by personal number (each person's list in cohort order): read a
    /// cohort at a time, not a person at a time, so a department of hundreds is a handful of queries.
    public func department(_ code: DepartmentCode) throws -> [String: [CohortProgress]] {
        let now = context.clock.now()
        return try context.read { tx in
            var result: [String: [CohortProgress]] = [:]
            for (id, people) in try tx.placesHeld(department: code) {
                for entry in try Self.progress(tx, cohort: try tx.cohort(id: id), people: people, now: now) {
                    result[entry.person.personalNumber, default: []].append(entry)
                }
            }
            return result
        }
    }

    static func progress(_ tx: StoreTransaction, cohort: Cohort, people: [PersonID]?, now: LocalDateTime) throws -> [CohortProgress] {
        let program = try tx.program(of: cohort)
        return try tx.progressFacts(cohort, people: people, now: now).map { facts in
            CohortProgress(cohort: cohort, program: program, person: facts.person, status: facts.status,
                           progress: facts.progress(in: program))
        }
    }
}

/// What happens because time passes: completion decisions come due when a cohort's last session ends, follow-ups on
/// use at work some months after a completion, and once a day the time-driven messages (`ReminderPass`). The server
/// runs it at start and every minute, the CLI before any command that shows completion and before `mail send`.
public struct ClockTick: Sendable {
    let context: OfficeContext

    /// Who decides what comes due with time, in the audit log.
    public static let actor = Actor("system:clock")!

    /// What one tick decided.
    public struct Outcome: Sendable, Equatable {
        /// Enrolments completed, as `COHORT/personal number`.
        public var completed: [String] = []
        /// Cohorts whose decisions were made.
        public var cohorts: [String] = []
        /// Follow-ups created (a trainee's and a head's for each completion that came due).
        public var followUps = 0
        /// Messages queued by the day's reminder pass (nil: it was not due).
        public var reminders: Int?
    }

    /// Whether anything has come due (two indexed reads; nothing is written).
    public func isDue() throws -> Bool {
        let now = context.clock.now()
        return try context.read { tx in
            try !tx.completionsDue(by: now).isEmpty
                || tx.followUpsComingDue(today: now.date, days: FollowUpRules.defaultDaysAfterCompletion)
                || ReminderPass(context: context).isDue(tx, now: now)
        }
    }

    /// Makes the decisions that have come due, in one transaction with their audit entries. Writes only when
    /// something is due; an office opened read-only opens its file for writing then.
    @discardableResult
    public func run() throws -> Outcome {
        let now = context.clock.now()
        guard try isDue() else { return Outcome() }
        let freeDays = try freeDays(around: now.date)
        return try context.writableDatabase().write(at: context.clock.date()) { tx in
            var outcome = Outcome()
            for id in try tx.completionsDue(by: now) {
                let cohort = try tx.cohort(id: id)
                outcome.completed += try CompletionDecisions.decide(tx, cohort: cohort, people: nil, now: now, actor: Self.actor,
                                                                    messages: MessageWriter(context: context))
                    .map { "\(cohort.code)/\($0.personalNumber)" }
                outcome.cohorts.append(cohort.code)
                try tx.completionsDecided(cohort: id)
            }
            outcome.followUps = try tx.createFollowUpsDue(today: now.date, days: FollowUpRules.defaultDaysAfterCompletion)
            if outcome.followUps > 0 {
                try tx.appendAudit(AuditEntry(actor: Self.actor, action: "follow_up.due", entityType: "follow_up", entityID: now.date.iso,
                                              details: AuditDetails([("count", .int(outcome.followUps))]).json))
            }
            let reminders = ReminderPass(context: context)
            if try reminders.isDue(tx, now: now) {
                let queued = try reminders.run(tx, now: now, freeDays: freeDays)
                outcome.reminders = queued
                try tx.appendAudit(AuditEntry(actor: Self.actor, action: "reminders.queue", entityType: "outbox", entityID: now.date.iso,
                                              details: AuditDetails([("count", .int(queued))]).json))
            }
            return outcome
        }
    }

    /// The days off around `day` besides weekends: the District's holidays and the one-off entries of the holiday
    /// table (a religious holiday is off only for those who keep it, so sessions on it are still reminded of).
    private func freeDays(around day: LocalDate) throws -> Set<LocalDate> {
        let scheduling = Scheduling(context: context)
        return Set(try [day.year, day.year + 1].flatMap { try scheduling.holidays(year: $0) }
            .filter { $0.kind != .religious }.map(\.date))
    }
}
