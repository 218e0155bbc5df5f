import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka schedule add|list|move|cancel|history|ics`.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: helpText("cli.help.schedule.abstract"),
        subcommands: [Add.self, List.self, Move.self, Cancel.self, History.self, ICS.self])

    /// Date and time options shared by `add` and `move`.
    struct When: ParsableArguments {
        @Option(help: .catalog("cli.help.schedule.when.date")) var date: String
        @Option(help: .catalog("cli.help.schedule.when.from")) var from: String
        @Option(help: .catalog("cli.help.schedule.when.to")) var to: String

        func validate() throws {
            guard LocalDate(typed: date) != nil else { throw ValidationError(Localizer.commandLine("cli.error.date", ["value": date])) }
            guard starts != nil, ends != nil else { throw ValidationError(Localizer.commandLine("cli.error.time", ["from": from, "to": to])) }
        }

        var starts: LocalDateTime? { LocalDate(typed: date).flatMap { LocalDateTime(iso: "\($0.iso) \(from)") } }
        var ends: LocalDateTime? { LocalDate(typed: date).flatMap { LocalDateTime(iso: "\($0.iso) \(to)") } }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: helpText("cli.help.schedule.add.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Option(help: .catalog("cli.help.schedule.add.module")) var module: String
        @OptionGroup var when: When
        @Option(help: .catalog("cli.help.schedule.add.venue")) var venue: String?
        @Option(help: .catalog("cli.help.schedule.add.trainer")) var trainer: String?
        @Flag(help: .catalog("cli.help.schedule.add.force")) var force = false

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
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: helpText("cli.help.schedule.list.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.schedule.list.cohort")) var cohort: String?
        @Option(help: .catalog("cli.help.schedule.list.search")) var search: String?
        @Option(help: .catalog("cli.help.common.program_id")) var program: String?
        @Option(help: .catalog("cli.help.schedule.list.venue")) var venue: String?
        @Option(help: .catalog("cli.help.schedule.list.trainer")) var trainer: String?
        @Option(help: .catalog("cli.help.common.first_day")) var from: String?
        @Option(help: .catalog("cli.help.common.last_day")) var to: String?
        @Option(help: .catalog("cli.help.schedule.list.when")) var when: String?

        func validate() throws { _ = try query() }

        /// The list asked for; a bad day or choice names its option.
        private func query() throws -> SessionListQuery {
            let t = Localizer.commandLine
            var timing = cohort == nil ? SessionListQuery.When.upcoming : .all
            if let when {
                guard let chosen = SessionListQuery.When(rawValue: when) else {
                    throw ValidationError(t("web.list.bad_choice", ["field": "--when", "value": when,
                                                                     "choices": SessionListQuery.When.allCases.map(\.rawValue).joined(separator: ", ")]))
                }
                timing = chosen
            }
            return SessionListQuery(search: search, cohort: cohort, programID: program, venue: venue, trainer: trainer,
                                    from: try dayArgument(from, "--from"), to: try dayArgument(to, "--to"), when: timing)
        }

        func run() throws {
            let t = global.localizer
            let scheduling = try global.readingOffice().scheduling
            if let cohort { _ = try scheduling.sessions(cohort: cohort) }  // an unknown cohort is named, not an empty list
            var query = try query()
            var rows: [[String]] = []
            // The command line prints every match: it walks the list a page at a time.
            while true {
                let slice = try scheduling.list(query)
                rows += slice.items.map { listing in
                    let session = listing.session
                    return [String(session.id.rawValue), session.cohortCode, session.moduleID,
                            "\(t.dateTime(session.starts))–\(session.ends.timeOfDay)", session.venue ?? "", session.trainer ?? "",
                            t(session.cancelled ? "schedule.status.cancelled" : "schedule.status.scheduled")]
                }
                guard slice.hasNext, let last = slice.items.last else { break }
                query.position = .after(last.session.id.rawValue)
            }
            Console.table(
                ["#", t("web.sessions.cohort"), t("schedule.column.module"), t("schedule.column.when"), t("schedule.column.venue"),
                 t("schedule.column.trainer"), t("schedule.column.status")], rows)
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "move", abstract: helpText("cli.help.schedule.move.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument
        @OptionGroup var when: When
        @Option(help: .catalog("cli.help.schedule.move.venue")) var venue: String?
        @Option(help: .catalog("cli.help.schedule.move.trainer")) var trainer: String?
        @Flag(help: .catalog("cli.help.schedule.move.force")) var force = false

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
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: helpText("cli.help.schedule.cancel.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument
        @Option(help: .catalog("cli.help.common.why")) var reason: String?

        func run() throws {
            let cancelled = try global.office().scheduling.cancel(session: SessionID(rawValue: try session.record("SESSION")),
                                                                  reason: reason, actor: global.resolvedActor)
            Console.line(global.localizer("schedule.cancelled", ["session": String(cancelled.id.rawValue)]))
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: helpText("cli.help.schedule.history.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument

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
            commandName: "ics", abstract: helpText("cli.help.schedule.ics.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.schedule.ics.cohort")) var cohort: String?
        @Option(help: .catalog("cli.help.schedule.ics.person")) var person: String?
        @Option(name: .shortAndLong, help: .catalog("cli.help.common.output_stdout")) var output: String?

        func validate() throws {
            if (cohort == nil) == (person == nil) { throw ValidationError(global.localizer("cli.error.cohort_or_person")) }
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
