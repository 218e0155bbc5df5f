import ArgumentParser
import CSVImport
import Foundation
import Localization
import TrainingCore
import TrainingOffice
import TrainingStore

extension AttendanceStatus: ExpressibleByArgument {}

/// `obuka attendance record|bulk|import|show`.
struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "Attendance per session, in minutes; corrections keep history.",
        subcommands: [Record.self, Bulk.self, Import.self, Show.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: "Record (or correct) one person's attendance.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: Int64
        @Argument(help: "Personal number.") var person: String
        @Option(help: "present, late, excused or absent.") var status: AttendanceStatus
        @Option(help: "Minutes present (required for late).") var minutes: Int?
        @Option(help: "Note, e.g. the reason for an excused absence.") var note: String?

        func run() throws {
            try global.openDatabase().recordAttendance(
                session: SessionID(rawValue: session),
                entries: [AttendanceEntry(personalNumber: person, status: status, minutes: minutes, note: note)],
                actor: global.resolvedActor, now: Clock.districtNow())
            Console.line(global.localizer("attendance.recorded", ["count": "1", "session": String(session)]))
        }
    }

    struct Bulk: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bulk", abstract: "Everyone present, except the people listed (absent, or --except-status).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: Int64
        @Option(name: .customLong("except"), parsing: .upToNextOption, help: "Personal numbers not present.")
        var exceptions: [String] = []
        @Option(help: "Status of those listed: absent or excused.") var exceptStatus: AttendanceStatus = .absent

        func validate() throws {
            guard exceptStatus == .absent || exceptStatus == .excused else {
                throw ValidationError("--except-status is absent or excused")
            }
        }

        func run() throws {
            let database = try global.openDatabase()
            let id = SessionID(rawValue: session)
            let everyone = try database.participants(session: id).map(\.personalNumber)
            let unknown = exceptions.filter { !everyone.contains($0) }
            if let first = unknown.first {
                throw RecordingError.notAParticipant(personalNumber: first, cohort: try database.session(id).cohortCode)
            }
            let entries = everyone.map { number in
                AttendanceEntry(personalNumber: number, status: exceptions.contains(number) ? exceptStatus : .present)
            }
            try database.recordAttendance(session: id, entries: entries, source: "bulk", actor: global.resolvedActor,
                                          now: Clock.districtNow())
            Console.line(global.localizer("attendance.recorded", ["count": String(entries.count), "session": String(session)]))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a sign-in CSV (personal_number;status;minutes_present;note); all rows or none.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: Int64
        @Argument(help: "CSV file.") var file: String

        func run() throws {
            let t = global.localizer
            let id = SessionID(rawValue: session)
            guard let data = FileManager.default.contents(atPath: file) else { throw StoreError.notFound(entity: "file", id: file) }
            let table = try CSVTable.decode(data, file: file)
            let rows: [AttendanceCSV.Row]
            do {
                rows = try AttendanceCSV.rows(from: table, file: file)
            } catch let problems as RowProblems {
                for item in problems.items { Console.error(RowProblemText.line(item, file: file, localizer: t)) }
                Console.error(t.plural("people.import.nothing_imported", count: problems.items.count))
                throw ExitCode(1)
            }
            let entries = rows.map { AttendanceEntry(personalNumber: $0.personalNumber, status: $0.status, minutes: $0.minutes, note: $0.note) }
            let reading = try global.openReadOnlyDatabase()
            let problems = try reading.attendanceProblems(session: id, entries: entries)
            guard problems.isEmpty else {
                for (index, error) in problems {
                    Console.error(t("csv.row_problem", ["file": file, "row": String(rows[index].row), "message": t.message(for: error)]))
                }
                Console.error(t.plural("people.import.nothing_imported", count: problems.count))
                throw ExitCode(1)
            }
            try global.openDatabase().recordAttendance(
                session: id, entries: entries, source: "\(URL(fileURLWithPath: file).lastPathComponent) sha256:\(sha256Hex(data))",
                actor: global.resolvedActor, now: Clock.districtNow())
            Console.line(t("attendance.recorded", ["count": String(entries.count), "session": String(session)]))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "A session's attendance; --history shows corrections.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: Int64
        @Flag(help: "Include superseded records.") var history = false

        func run() throws {
            let t = global.localizer
            let records = try global.openReadOnlyDatabase().attendance(session: SessionID(rawValue: session), history: history)
            Console.table(
                [t("people.column.personal_number"), t("people.column.name"), t("attendance.column.status"),
                 t("attendance.column.minutes"), t("attendance.column.note"), t("attendance.column.recorded")],
                records.map { record in
                    [record.person.personalNumber, record.person.fullName,
                     t("attendance.status.\(record.status.rawValue)") + (record.current ? "" : " " + t("attendance.superseded")),
                     String(record.minutesPresent), record.note ?? "", "\(record.recordedBy) \(record.recordedAt)"]
                })
        }
    }
}

/// `obuka assessment record`.
struct AssessmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment", abstract: "Assessment results per attempt.", subcommands: [Record.self, Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import results of one assessment from CSV (personal_number;score[;attempt]); all rows or none.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Assessment id, e.g. M3-T.") var assessment: String
        @Argument(help: "CSV file.") var file: String

        func run() throws {
            let t = global.localizer
            guard let data = FileManager.default.contents(atPath: file) else { throw StoreError.notFound(entity: "file", id: file) }
            let table = try CSVTable.decode(data, file: file)
            let rows: [ScoresCSV.Row]
            do {
                rows = try ScoresCSV.rows(from: table, file: file)
            } catch let problems as RowProblems {
                for item in problems.items { Console.error(RowProblemText.line(item, file: file, localizer: t)) }
                Console.error(t.plural("people.import.nothing_imported", count: problems.items.count))
                throw ExitCode(1)
            }
            try global.openDatabase().recordScores(
                cohortCode: cohort, assessmentID: assessment,
                entries: rows.map { ScoreEntry(personalNumber: $0.personalNumber, score: $0.score, attempt: $0.attempt) },
                source: "\(URL(fileURLWithPath: file).lastPathComponent) sha256:\(sha256Hex(data))",
                actor: global.resolvedActor, now: Clock.districtNow())
            Console.line(t("assessment.imported", ["count": String(rows.count), "assessment": assessment]))
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: "Record a score (the next attempt unless --attempt).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Personal number.") var person: String
        @Argument(help: "Assessment id, e.g. M3-T.") var assessment: String
        @Option(help: "Score, 0…max.") var score: Double
        @Option(help: "Attempt number (to correct an earlier attempt).") var attempt: Int?

        func run() throws {
            let number = try global.openDatabase().recordScore(
                cohortCode: cohort, personalNumber: person, assessmentID: assessment, score: score, attempt: attempt,
                actor: global.resolvedActor, now: Clock.districtNow())
            Console.line(global.localizer("assessment.recorded", ["assessment": assessment, "attempt": String(number),
                                                                  "score": DecimalText.format(score)]))
        }
    }
}

/// `obuka progress PERSON` or `obuka progress --cohort C`.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "Progress module by module, with the completion forecast.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Personal number.") var person: String?
    @Option(help: "Cohort code: a table of the whole cohort.") var cohort: String?

    func validate() throws {
        if (person == nil) == (cohort == nil) { throw ValidationError("give a personal number or --cohort, not both") }
    }

    func run() throws {
        let database = try global.openReadOnlyDatabase()
        let text = ProgressText(localizer: global.localizer)
        let now = Clock.districtNow()
        if let cohort {
            let rows = try database.progress(cohortCode: cohort, now: now)
            let modules = rows.first?.program.modules ?? []
            let t = global.localizer
            Console.table(
                [t("people.column.personal_number"), t("people.column.name")] + modules.map { t("progress.column.module", ["module": $0.id]) }
                    + [t("progress.column.final"), t("progress.column.forecast")],
                rows.map { row in
                    [row.person.personalNumber, row.person.fullName]
                        + row.progress.modules.map { text.percent($0.attendancePercent) }
                        + [text.score(row.progress.finalScore), text.forecastWord(row.progress.forecast, person: row.person)]
                })
            return
        }
        for entry in try database.progress(personalNumber: person!, now: now) {
            text.printDetail(entry, language: global.language)
            Console.line()
        }
    }
}

extension ProgressText {
    func printDetail(_ entry: CohortProgress, language: Language) {
        let t = localizer
        let progress = entry.progress
        Console.line("\(entry.person.fullName) – \(entry.cohort.name) (\(entry.cohort.code)): \(entry.program.title.text(in: language))")
        for (module, state) in zip(entry.program.modules, progress.modules) {
            Console.line("  " + t("progress.module_line", [
                "order": String(module.order), "title": module.title.text(in: language),
                "attended": hours(state.presentMinutes), "held": hours(state.countedMinutes),
                "percent": percent(state.attendancePercent), "remaining": hours(state.remainingMinutes),
            ]))
            for assessment in progress.assessments where assessment.definition.moduleID == module.id {
                Console.line("    " + t("progress.assessment_line", [
                    "assessment": assessment.definition.id,
                    "best": assessment.best.map(DecimalText.format) ?? "–",
                    "max": DecimalText.format(assessment.definition.maxScore),
                    "pass": DecimalText.format(assessment.definition.passScore),
                    "attempts": String(assessment.scores.count), "allowed": String(assessment.definition.attempts),
                ]))
            }
        }
        Console.line("  " + t("progress.final_line", ["score": score(progress.finalScore),
                                                      "pass": DecimalText.format(entry.program.completion.finalPass)]))
        Console.line("  " + t("progress.forecast_line", ["forecast": forecastWord(progress.forecast, person: entry.person)]))
        for reason in progress.forecast.reasons { Console.line("   – " + self.reason(reason)) }
    }
}
