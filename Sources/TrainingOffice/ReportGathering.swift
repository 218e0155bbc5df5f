import Reports
import TrainingCore
import TrainingStore

/// Gathers what a report shows, for the CLI and the web app alike.
public enum ReportGathering {
    /// The figures as SQL sums over the rollups; the per-person table (department reports only) evaluates each
    /// of the department's enrolments.
    public static func input(_ database: AppDatabase, department: DepartmentCode?, from: LocalDate, to: LocalDate,
                             programID: String?, perDepartment: Bool = false, now: LocalDateTime) throws -> ReportInput {
        let scope = ReportScope(department: department, from: from, to: to, programID: programID)
        let district = ReportScope(department: nil, from: from, to: to, programID: programID)
        let departments = try database.departments()
        var byDepartment: [DepartmentCode: ReportFigures] = [:]
        if perDepartment {
            for each in departments {
                byDepartment[each.code] = try database.reportFigures(
                    ReportScope(department: each.code, from: from, to: to, programID: programID), now: now)
            }
        }
        return ReportInput(
            department: try department.flatMap { try database.department($0) },
            from: from, to: to, program: try programID.map { try database.program(id: $0).program },
            entries: department == nil ? [] : try database.reportEntries(scope, now: now),
            figures: try database.reportFigures(scope, now: now), districtFigures: try database.reportFigures(district, now: now),
            departmentFigures: byDepartment,
            hoursPerMonth: try database.hoursPerMonth(scope), districtHoursPerMonth: try database.hoursPerMonth(district),
            today: now.date, departments: departments)
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
