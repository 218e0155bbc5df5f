import Foundation
import Localization
import Reports
import TrainingCore
internal import TrainingStore

/// A person's data export as JSON and as a readable document (for the CLI and the web app).
public enum PersonalDataDocument {
    public static func json(_ export: PersonalDataExport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(export)
    }

    public static func report(_ export: PersonalDataExport, localizer t: Localizer) -> ReportDocument {
        let person = export.person
        func table(_ key: String, _ header: [String], _ rows: [[String]]) -> ReportDocument.Table {
            ReportDocument.Table(title: t(key), header: header, rows: rows.isEmpty ? [["–"] + Array(repeating: "", count: header.count - 1)] : rows,
                                 numericColumns: [])
        }
        return ReportDocument(
            title: t("privacy.export.title"),
            subtitle: [t("privacy.export.subtitle", ["name": "\(person.givenName) \(person.familyName)",
                                                     "personal_number": person.personalNumber, "at": export.exportedAt])],
            tables: [
                table("privacy.export.person", [t("report.column.figure"), ""], [
                    [t("people.column.personal_number"), person.personalNumber], [t("people.column.name"), "\(person.familyName) \(person.givenName)"],
                    [t("people.column.email"), person.email], [t("people.column.department"), person.department],
                    [t("people.column.sex"), person.sex.map { t("sex.\($0)") } ?? "–"], [t("people.column.job_title"), person.jobTitle ?? "–"],
                    [t("people.column.language"), person.preferredLanguage.map { t("language.autonym.\($0)") } ?? "–"],
                    [t("people.column.employed_since"), person.employedSince.flatMap(LocalDate.init(iso:)).map(t.date) ?? "–"],
                ]),
                table("privacy.export.accounts", [t("account.column.login"), t("account.column.roles"), t("account.column.state")],
                      export.accounts.map { [$0.login, $0.roles, t($0.disabled ? "account.state.disabled" : "account.state.active")] }),
                table("privacy.export.enrolments", [t("cohort.column.code"), t("cohort.column.name"), t("enrolment.column.status"),
                                                    t("enrolment.column.department_at_enrolment")],
                      export.enrolments.map { [$0.cohort, $0.cohortName, t("enrolment.status.\($0.status)"), $0.departmentAtEnrolment] }),
                table("privacy.export.attendance", [t("schedule.column.when"), t("schedule.column.module"), t("attendance.column.status"),
                                                    t("attendance.column.minutes"), t("attendance.column.note")],
                      export.attendance.filter(\.current).map { [$0.starts, "\($0.cohort) \($0.module)", t("attendance.status.\($0.status)"),
                                                                String($0.minutesPresent), $0.note ?? ""] }),
                table("privacy.export.scores", [t("cohort.column.code"), t("web.programs.assessment"), t("web.programs.attempts"), t("web.assessment.best")],
                      export.scores.filter(\.current).map { [$0.cohort, $0.assessment, String($0.attempt), DecimalText.format($0.score)] }),
                table("privacy.export.certificates", [t("certificate.column.serial"), t("certificate.column.issued"), t("certificate.column.state")],
                      export.certificates.map { [$0.serial, $0.issued, $0.revokedAt == nil ? t("certificate.state.valid") : t("certificate.state.revoked")] }),
                table("privacy.export.nominations", [t("web.list.year"), t("people.column.department"), t("cohort.column.program"),
                                                     t("needs.column.priority"), t("needs.column.reason")],
                      export.nominations.map { [String($0.year), $0.department, $0.programID, t("needs.priority.\($0.priority)"), $0.reason] }),
                table("privacy.export.questionnaires", [t("cohort.column.code"), t("web.progress.module")],
                      export.questionnairesAnswered.map { [$0.cohort, $0.module] }),
                table("privacy.export.follow_ups", [t("cohort.column.code"), t("follow_up.column.respondent"), t("follow_up.column.due"),
                                                    t("follow_up.column.answered"), t("follow_up.column.answers")],
                      export.followUps.map { followUp in
                          [followUp.cohort, t("follow_up.respondent.\(followUp.respondent)"), followUp.due, followUp.answeredAt ?? "–",
                           (followUp.answers ?? [:]).sorted { $0.key < $1.key }.map { item, value in
                               switch value {
                               case .scale(let point): "\(item): \(point)"
                               case .choice(let option): "\(item): \(option)"
                               case .text(let text): "\(item): \(text)"
                               }
                           }.joined(separator: "; ")]
                      }),
                table("privacy.export.reads", [t("audit.at"), t("audit.actor"), t("audit.action")],
                      export.readAccesses.map { [$0.at, $0.actor, $0.what] }),
                table("privacy.export.audit", [t("audit.seq"), t("audit.at"), t("audit.actor"), t("audit.action")],
                      export.auditEvents.map { [String($0.seq), $0.at, $0.actor, $0.action] }),
            ],
            charts: [], language: t.language)
    }
}
