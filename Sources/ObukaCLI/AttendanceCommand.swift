import ArgumentParser
import CSVImport
import Foundation
import Localization
import TrainingCore
import TrainingOffice

extension AttendanceStatus: ExpressibleByArgument {}

/// `obuka attendance record|bulk|import|show`.
struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: helpText("cli.help.attendance.abstract"),
        subcommands: [Record.self, Bulk.self, Import.self, Show.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: helpText("cli.help.attendance.record.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument
        @Argument(help: .catalog("cli.help.common.personal_number")) var person: String
        @Option(help: .catalog("cli.help.attendance.record.status")) var status: AttendanceStatus
        @Option(help: .catalog("cli.help.attendance.record.minutes")) var minutes: NumberArgument?
        @Option(help: .catalog("cli.help.attendance.record.note")) var note: String?

        func run() throws {
            let id = try session.record("SESSION")
            try global.office().attendance.record(
                session: SessionID(rawValue: id),
                entries: [AttendanceEntry(personalNumber: person, status: status, minutes: try minutes?.whole(.minutes, "--minutes"),
                                          note: note)],
                actor: global.resolvedActor)
            Console.line(global.localizer("attendance.recorded", ["count": "1", "session": String(id)]))
        }
    }

    struct Bulk: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bulk", abstract: helpText("cli.help.attendance.bulk.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument
        @Option(name: .customLong("except"), parsing: .upToNextOption, help: .catalog("cli.help.attendance.bulk.except"))
        var exceptions: [String] = []
        @Option(help: .catalog("cli.help.attendance.bulk.except_status")) var exceptStatus: AttendanceStatus = .absent

        func validate() throws {
            guard exceptStatus == .absent || exceptStatus == .excused else {
                throw ValidationError(global.localizer("cli.error.except_status"))
            }
        }

        func run() throws {
            let id = try session.record("SESSION")
            let count = try global.office().attendance.recordEveryone(
                session: SessionID(rawValue: id), except: exceptions, exceptStatus: exceptStatus, actor: global.resolvedActor)
            Console.line(global.localizer("attendance.recorded", ["count": String(count), "session": String(id)]))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: helpText("cli.help.attendance.import.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument
        @Argument(help: .catalog("cli.help.common.csv_file")) var file: String

        func run() throws {
            let id = try session.record("SESSION")
            let count = try RowProblemText.reporting(file: file, localizer: global.localizer) {
                try global.office().attendance.importSheet(session: SessionID(rawValue: id), data: try InputFile.read(file), file: file,
                                                           actor: global.resolvedActor)
            }
            Console.line(global.localizer("attendance.recorded", ["count": String(count), "session": String(id)]))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: helpText("cli.help.attendance.show.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument
        @Flag(help: .catalog("cli.help.attendance.show.history")) var history = false

        func run() throws {
            let t = global.localizer
            let records = try global.readingOffice().attendance.records(session: SessionID(rawValue: try session.record("SESSION")),
                                                                       history: history)
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

/// `obuka assessment record|import`.
struct AssessmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment", abstract: helpText("cli.help.assessment.abstract"), subcommands: [Record.self, Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: helpText("cli.help.assessment.import.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.common.assessment_id")) var assessment: String
        @Argument(help: .catalog("cli.help.common.csv_file")) var file: String

        func run() throws {
            let count = try RowProblemText.reporting(file: file, localizer: global.localizer) {
                try global.office().scores.importSheet(cohort: cohort, assessment: assessment, data: try InputFile.read(file), file: file,
                                                       actor: global.resolvedActor)
            }
            Console.line(global.localizer("assessment.imported", ["count": String(count), "assessment": assessment]))
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: helpText("cli.help.assessment.record.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.common.personal_number")) var person: String
        @Argument(help: .catalog("cli.help.common.assessment_id")) var assessment: String
        @Option(help: .catalog("cli.help.assessment.record.score")) var score: NumberArgument
        @Option(help: .catalog("cli.help.assessment.record.attempt")) var attempt: NumberArgument?

        func run() throws {
            let value = try score.value(.score, "--score")
            let number = try global.office().scores.record(
                cohort: cohort, person: person, assessment: assessment, score: value,
                attempt: try attempt?.whole(.attempt, "--attempt"), actor: global.resolvedActor)
            Console.line(global.localizer("assessment.recorded", ["assessment": assessment, "attempt": String(number),
                                                                  "score": DecimalText.format(value)]))
        }
    }
}

/// `obuka progress PERSON` or `obuka progress --cohort C`.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: helpText("cli.help.progress.abstract"))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .catalog("cli.help.common.personal_number")) var person: String?
    @Option(help: .catalog("cli.help.progress.cohort")) var cohort: String?

    func validate() throws {
        if (person == nil) == (cohort == nil) { throw ValidationError(global.localizer("cli.error.person_or_cohort")) }
    }

    func run() throws {
        let office = try global.currentOffice()
        let text = ProgressText(localizer: global.localizer)
        if let cohort {
            let rows = try office.progress.cohort(cohort)
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
        for entry in try office.progress.person(person!) {
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
        Console.line("  " + t("progress.status_line", ["status": t("enrolment.status.\(entry.status.rawValue)")]))
        for (module, state) in zip(entry.program.modules, progress.modules) {
            Console.line("  " + t("progress.module_line", [
                "order": String(module.order), "title": module.title.text(in: language),
                "attended": hours(state.presentMinutes), "held": hours(state.countedMinutes),
                "percent": percent(state.attendancePercent), "remaining": hours(state.remainingMinutes),
            ]))
            for assessment in progress.assessments where assessment.definition.moduleID == module.id {
                Console.line("    " + t("progress.assessment_line", [
                    "assessment": assessment.definition.id,
                    "best": assessment.best.map { DecimalText.format($0) } ?? "–",
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
