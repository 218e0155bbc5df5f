import Foundation
import Reports
import TrainingCore
internal import TrainingStore

/// Reports: a department's training beside the District's, every department side by side for a program, a trainee's
/// transcript and a session's sign-in sheet. Figures are sums over the rollups, all from one snapshot of the data (a
/// department's two halves read side by side where the database has connections for both).
public struct Reporting: Sendable {
    let context: OfficeContext

    /// The District's time now, by the office's clock.
    public func now() -> LocalDateTime { context.clock.now() }

    /// The period a report covers when none is given: this year so far.
    public func defaultPeriod() -> (from: LocalDate, to: LocalDate) {
        let today = context.clock.today
        return (LocalDate(year: today.year, month: 1, day: 1)!, today)
    }

    /// A report's scope: one department (nil: the District), a period (this year so far where a day is not given) and
    /// one program (nil: all). Refuses a department or program the District does not have.
    public func scope(department: DepartmentCode?, from: LocalDate?, to: LocalDate?, program: String?) throws -> ReportScope {
        if let department, try context.database.department(department) == nil {
            throw PeopleError.unknownDepartment(code: department.rawValue)
        }
        if let program { _ = try context.database.program(id: program) }
        let period = defaultPeriod()
        return ReportScope(department: department, from: from ?? period.from, to: to ?? period.to, programID: program)
    }

    /// What a department's report shows (its figures beside the District's, by sex, per module and per person), or with
    /// `department` nil the District's.
    public func departmentReport(_ scope: ReportScope) throws -> ReportInput {
        let now = context.clock.now()
        let reading = scope.department != nil
            ? try context.database.reportReadingSideBySide(scope, now: now)
            : try context.database.reportReading(scope, now: now)
        return try input(reading, scope: scope)
    }

    /// The program report: the District's figures and every department's side by side.
    public func programReport(_ scope: ReportScope) throws -> ReportInput {
        try input(try context.database.reportReading(scope, perDepartment: true, now: context.clock.now()), scope: scope, reaction: true)
    }

    /// A department's figures and the District's beside them, without the per-person table (the API's report).
    public func figures(_ scope: ReportScope) throws -> ReportReading {
        try context.database.reportReading(scope, perPerson: false, now: context.clock.now())
    }

    /// A department's report read for the web app, with its two halves side by side on the pool's connections, taking the
    /// District's side `known` from an earlier report of the same period when it still holds; read at `now`.
    public func reading(_ scope: ReportScope, now: LocalDateTime, known: DistrictReading?) async throws -> ReportReading {
        try await context.database.reportReadingSideBySide(scope, now: now, known: known)
    }

    /// The program report's reading, without holding the caller's thread.
    public func programReading(_ scope: ReportScope, now: LocalDateTime) async throws -> ReportReading {
        try await context.database.programReportReading(scope, now: now)
    }

    /// What a report shows, from a reading already made (the web app keeps readings while they hold), with its
    /// evaluation section: learning gain and follow-ups, and with `reaction` (the program report only: per department
    /// it would identify the one or two people a department sends) the modules' and trainers' reaction results.
    public func input(_ reading: ReportReading, scope: ReportScope, reaction: Bool = false) throws -> ReportInput {
        let evaluation = try EvaluationDesk(context: context).figures(scope, reaction: reaction)
        return ReportInput(
            department: try scope.department.flatMap { try context.database.department($0) },
            from: scope.from, to: scope.to, program: try scope.programID.map { try context.database.program(id: $0).program },
            contents: reading.contents, today: context.clock.today, departments: try context.database.departments(),
            evaluation: evaluation)
    }

    /// A trainee's transcript: every cohort with its progress, every certificate with its state.
    public func transcript(person number: String) throws -> TranscriptInput {
        let person = try context.database.person(personalNumber: number)
        let today = context.clock.today
        let certificates = try context.database.certificates(personalNumber: number).map { certificate in
            (serial: certificate.serial, program: certificate.payload.programID, issued: certificate.issued,
             expires: certificate.expires, state: certificate.registerState(today: today))
        }
        return TranscriptInput(
            person: person, department: try context.database.department(person.department),
            cohorts: try ProgressReading(context: context).person(number).map {
                (cohortCode: $0.cohort.code, cohortName: $0.cohort.name, program: $0.program, status: $0.status, progress: $0.progress)
            },
            certificates: certificates, today: today)
    }

    /// The paper sign-in sheet of a session: its module, time and place, and everyone with a place.
    public func signInSheet(session id: SessionID) throws -> SignInInput {
        let session = try context.database.session(id)
        let cohort = try context.database.cohort(code: session.cohortCode)
        return SignInInput(
            program: try context.database.program(id: cohort.programID, version: cohort.programVersion).program,
            moduleID: session.moduleID, cohortName: cohort.name, starts: session.starts, ends: session.ends,
            venue: session.venue, trainer: session.trainer, participants: try context.database.signInParticipants(session: id))
    }

    /// Recomputes the report rollups from the ledgers.
    public func rebuildRollups(actor: Actor) throws {
        try context.write { tx in
            try tx.rebuildRollups()
            try tx.appendAudit(AuditEntry(actor: actor, action: "report.rebuild", entityType: "rollup", entityID: "all"))
        }
    }
}
