import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka schedule add|list|move|cancel|history|ics`.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Sessions: scheduling, conflicts, changes and calendars.",
        subcommands: [Add.self, List.self, Move.self, Cancel.self, History.self, ICS.self])

    /// Date and time options shared by `add` and `move`.
    struct When: ParsableArguments {
        @Option(help: "Day: 15. 3. 2027., 15.03.2027 or 2027-03-15.") var date: String
        @Option(help: "Start time, HH:MM (District time).") var from: String
        @Option(help: "End time, HH:MM.") var to: String

        func validate() throws {
            guard LocalDate(typed: date) != nil else { throw ValidationError(Localizer.commandLine("cli.error.date", ["value": date])) }
            guard starts != nil, ends != nil else { throw ValidationError(Localizer.commandLine("cli.error.time", ["from": from, "to": to])) }
        }

        var starts: LocalDateTime? { LocalDate(typed: date).flatMap { LocalDateTime(iso: "\($0.iso) \(from)") } }
        var ends: LocalDateTime? { LocalDate(typed: date).flatMap { LocalDateTime(iso: "\($0.iso) \(to)") } }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Schedule a session; conflicts refuse it unless --force (which is audited).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Option(help: "Module id, e.g. M3.") var module: String
        @OptionGroup var when: When
        @Option(help: "Venue (registered with `obuka venue add`).") var venue: String?
        @Option(help: "Trainer's name.") var trainer: String?
        @Flag(help: "Schedule despite conflicts (recorded in the audit log).") var force = false

        func run() throws {
            let t = global.localizer
            do {
                let (session, warnings) = try global.office().scheduling.schedule(
                    cohort: cohort, module: module, starts: when.starts!, ends: when.ends!, venue: venue,
                    trainer: trainer, force: force, actor: global.resolvedActor)
                ConflictText.printWarnings(warnings, localizer: t)
                Console.line(t("schedule.added", ["session": String(session.id.rawValue), "starts": t.dateTime(session.starts),
                                                  "ends": session.ends.timeOfDay]))
            } catch let error as ScheduleError {
                throw ConflictText.report(error, localizer: t)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a cohort's sessions.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String

        func run() throws {
            let t = global.localizer
            Console.table(
                ["#", t("schedule.column.module"), t("schedule.column.when"), t("schedule.column.venue"),
                 t("schedule.column.trainer"), t("schedule.column.status")],
                try global.readingOffice().scheduling.sessions(cohort: cohort).map { session in
                    [String(session.id.rawValue), session.moduleID, "\(t.dateTime(session.starts))–\(session.ends.timeOfDay)",
                     session.venue ?? "", session.trainer ?? "",
                     t(session.cancelled ? "schedule.status.cancelled" : "schedule.status.scheduled")]
                })
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "move", abstract: "Move a session (its history is kept).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: NumberArgument
        @OptionGroup var when: When
        @Option(help: "New venue.") var venue: String?
        @Option(help: "New trainer.") var trainer: String?
        @Flag(help: "Move despite conflicts (recorded in the audit log).") var force = false

        func run() throws {
            let t = global.localizer
            do {
                let (moved, warnings) = try global.office().scheduling.move(
                    session: SessionID(rawValue: try session.record("SESSION")), starts: when.starts!, ends: when.ends!,
                    venue: venue.map { .some($0) }, trainer: trainer.map { .some($0) }, force: force, actor: global.resolvedActor)
                ConflictText.printWarnings(warnings, localizer: t)
                Console.line(t("schedule.moved", ["session": String(moved.id.rawValue), "starts": t.dateTime(moved.starts),
                                                  "sequence": String(moved.sequence)]))
            } catch let error as ScheduleError {
                throw ConflictText.report(error, localizer: t)
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a session (calendars receive STATUS:CANCELLED).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: NumberArgument
        @Option(help: "Why.") var reason: String?

        func run() throws {
            let cancelled = try global.office().scheduling.cancel(session: SessionID(rawValue: try session.record("SESSION")),
                                                                  reason: reason, actor: global.resolvedActor)
            Console.line(global.localizer("schedule.cancelled", ["session": String(cancelled.id.rawValue)]))
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "Every version of a session.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: NumberArgument

        func run() throws {
            let t = global.localizer
            Console.table(
                [t("schedule.column.sequence"), t("schedule.column.change"), t("schedule.column.when"),
                 t("schedule.column.venue"), t("schedule.column.trainer"), t("audit.actor"), t("schedule.column.note")],
                try global.readingOffice().scheduling.history(session: SessionID(rawValue: try session.record("SESSION"))).map { entry in
                    [String(entry.sequence), t("schedule.change.\(entry.kind)"), "\(t.dateTime(entry.starts))–\(entry.ends.timeOfDay)",
                     entry.venue ?? "", entry.trainer ?? "", entry.actor,
                     [entry.reason, entry.overridden.map { t("schedule.overridden", ["conflicts": $0]) }]
                        .compactMap { $0 }.joined(separator: "; ")]
                })
        }
    }

    struct ICS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ics", abstract: "Write an iCalendar file of a cohort's or a person's sessions.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code (or use --person).") var cohort: String?
        @Option(help: "A person's personal number: their sessions in every cohort.") var person: String?
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?

        func validate() throws {
            if (cohort == nil) == (person == nil) { throw ValidationError("give a cohort code or --person, not both") }
        }

        func run() throws {
            let scheduling = try global.readingOffice().scheduling
            let sessions = try person.map { try scheduling.sessions(person: $0) } ?? scheduling.sessions(cohort: cohort!)
            let text = try scheduling.calendar(sessions, name: cohort ?? person!, language: global.language)
            try OutputFile.write(Data(text.utf8), to: output)
        }
    }
}

extension ConflictText {
    static func printWarnings(_ warnings: [ScheduleConflict], localizer: Localizer) {
        for warning in warnings { Console.error(localizer("schedule.warning", ["message": line(warning, localizer: localizer)])) }
    }

    /// Prints a refused schedule's conflicts and returns the exit to throw.
    static func report(_ error: ScheduleError, localizer t: Localizer) -> any Error {
        guard case .conflicts(let conflicts) = error else { return error }
        Console.error(t("schedule.refused"))
        for conflict in conflicts {
            Console.error("  - " + line(conflict, localizer: t) + (conflict.isWarning ? " " + t("schedule.warning_only") : ""))
        }
        if !conflicts.contains(.invalidTimes) { Console.error(t("schedule.force_hint")) }
        return ExitCode(1)
    }
}
