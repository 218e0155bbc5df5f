import Reports
import TrainingCore
import TrainingStore

/// Gathers what a report shows, for the CLI and the web app alike.
public enum ReportGathering {
    /// The figures as SQL sums over the rollups, all from one snapshot; the per-person table (department reports
    /// only) evaluates each of the department's enrolments.
    public static func input(_ database: AppDatabase, department: DepartmentCode?, from: LocalDate, to: LocalDate,
                             programID: String?, perDepartment: Bool = false, now: LocalDateTime) throws -> ReportInput {
        let scope = ReportScope(department: department, from: from, to: to, programID: programID)
        // A department's report reads its two halves side by side when the database has connections for both.
        let reading = department != nil && !perDepartment
            ? try database.reportReadingSideBySide(scope, now: now)
            : try database.reportReading(scope, perDepartment: perDepartment, now: now)
        return try input(database, reading: reading, department: department, from: from, to: to, programID: programID, now: now)
    }

    /// What a report shows, from a reading already made (the web app keeps readings while they hold).
    public static func input(_ database: AppDatabase, reading: ReportReading, department: DepartmentCode?, from: LocalDate,
                             to: LocalDate, programID: String?, now: LocalDateTime) throws -> ReportInput {
        ReportInput(
            department: try department.flatMap { try database.department($0) },
            from: from, to: to, program: try programID.map { try database.program(id: $0).program },
            contents: reading.contents, today: now.date, departments: try database.departments())
    }

    /// A trainee's transcript: every cohort with its progress, and every certificate with its state.
    public static func transcript(_ database: AppDatabase, personalNumber: String, now: LocalDateTime) throws -> TranscriptInput {
        let person = try database.person(personalNumber: personalNumber)
        let certificates = try database.certificates(personalNumber: personalNumber).map { certificate in
            (serial: certificate.serial, program: certificate.payload.programID, issued: certificate.issued,
             expires: certificate.expires,
             state: certificate.registerState(today: now.date))
        }
        return TranscriptInput(
            person: person, department: try database.department(person.department),
            cohorts: try database.progress(personalNumber: personalNumber, now: now).map {
                (cohortCode: $0.cohort.code, cohortName: $0.cohort.name, program: $0.program, status: $0.status, progress: $0.progress)
            },
            certificates: certificates, today: now.date)
    }
}
