import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka venue add|list`.
struct VenueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venue", abstract: helpText("cli.help.venue.abstract"), subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: helpText("cli.help.venue.add.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.name")) var name: String
        @Option(help: .catalog("cli.help.venue.add.capacity")) var capacity: NumberArgument

        func run() throws {
            let seats = try capacity.whole(.capacity, "--capacity")
            try global.office().scheduling.addVenue(name: name, capacity: seats, actor: global.resolvedActor)
            Console.line(global.localizer("venue.added", ["venue": name, "capacity": String(seats)]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.venue.list.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            Console.table([t("schedule.column.venue"), t("venue.column.capacity")],
                          try global.readingOffice().scheduling.venues().map { [$0.name, String($0.capacity)] })
        }
    }
}

/// `obuka holiday list|add|remove`.
struct HolidayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holiday", abstract: helpText("cli.help.holiday.abstract"),
        subcommands: [List.self, Add.self, Remove.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.holiday.list.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.holiday.list.year")) var year: NumberArgument

        func run() throws {
            let t = global.localizer
            let year = try self.year.whole(.year, "--year")
            Console.table([t("holiday.column.date"), t("holiday.column.name"), t("holiday.column.kind")],
                          try global.readingOffice().scheduling.holidays(year: year).map { [t.date($0.date), HolidayText.name($0, t), t("holiday.kind.\($0.kind.rawValue)")] })
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: helpText("cli.help.holiday.add.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.date")) var date: String
        @Argument(help: .catalog("cli.help.common.name")) var name: String
        @Option(help: .catalog("cli.help.holiday.add.kind")) var kind: String

        func validate() throws {
            guard LocalDate(typed: date) != nil else { throw ValidationError(global.localizer("cli.error.date", ["value": date])) }
            guard ["religious", "one-off", "one_off"].contains(kind) else {
                throw ValidationError(global.localizer("cli.error.holiday_kind"))
            }
        }

        func run() throws {
            let entry = ScheduleContext.HolidayEntry(date: LocalDate(typed: date)!, name: name, kind: kind == "religious" ? .religious : .oneOff)
            try global.office().scheduling.addHoliday(entry, actor: global.resolvedActor)
            Console.line(global.localizer("holiday.added", ["date": global.localizer.date(entry.date), "holiday": name]))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: helpText("cli.help.holiday.remove.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.date")) var date: String
        @Argument(help: .catalog("cli.help.common.name")) var name: String

        func validate() throws { guard LocalDate(typed: date) != nil else { throw ValidationError(global.localizer("cli.error.date", ["value": date])) } }

        func run() throws {
            let removed = try global.office().scheduling.removeHoliday(date: LocalDate(typed: date)!, name: name, actor: global.resolvedActor)
            Console.line(global.localizer(removed ? "holiday.removed" : "holiday.not_found",
                                          ["date": global.localizer.date(LocalDate(typed: date)!), "holiday": name]))
        }
    }
}
