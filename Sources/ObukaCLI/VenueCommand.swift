import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka venue add|list`.
struct VenueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venue", abstract: "Training rooms and their seats.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a venue.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Name.") var name: String
        @Option(help: "Seats.") var capacity: NumberArgument

        func run() throws {
            let seats = try capacity.whole(.capacity, "--capacity")
            try global.office().scheduling.addVenue(name: name, capacity: seats, actor: global.resolvedActor)
            Console.line(global.localizer("venue.added", ["venue": name, "capacity": String(seats)]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List venues.")
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
        commandName: "holiday", abstract: "District holidays (computed) and the editable table of other days.",
        subcommands: [List.self, Add.self, Remove.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "A year's District holidays and table entries.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Year.") var year: NumberArgument

        func run() throws {
            let t = global.localizer
            let year = try self.year.whole(.year, "--year")
            Console.table([t("holiday.column.date"), t("holiday.column.name"), t("holiday.column.kind")],
                          try global.readingOffice().scheduling.holidays(year: year).map { [t.date($0.date), HolidayText.name($0, t), t("holiday.kind.\($0.kind.rawValue)")] })
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a religious holiday (warns) or a one-off non-working day (refuses).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Date: 15. 3. 2027. or 2027-03-15.") var date: String
        @Argument(help: "Name.") var name: String
        @Option(help: "religious or one-off.") var kind: String

        func validate() throws {
            guard LocalDate(typed: date) != nil else { throw ValidationError(global.localizer("cli.error.date", ["value": date])) }
            guard ["religious", "one-off", "one_off"].contains(kind) else { throw ValidationError("--kind is religious or one-off") }
        }

        func run() throws {
            let entry = ScheduleContext.HolidayEntry(date: LocalDate(typed: date)!, name: name, kind: kind == "religious" ? .religious : .oneOff)
            try global.office().scheduling.addHoliday(entry, actor: global.resolvedActor)
            Console.line(global.localizer("holiday.added", ["date": global.localizer.date(entry.date), "holiday": name]))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a table entry.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Date: 15. 3. 2027. or 2027-03-15.") var date: String
        @Argument(help: "Name.") var name: String

        func validate() throws { guard LocalDate(typed: date) != nil else { throw ValidationError(global.localizer("cli.error.date", ["value": date])) } }

        func run() throws {
            let removed = try global.office().scheduling.removeHoliday(date: LocalDate(typed: date)!, name: name, actor: global.resolvedActor)
            Console.line(global.localizer(removed ? "holiday.removed" : "holiday.not_found",
                                          ["date": global.localizer.date(LocalDate(typed: date)!), "holiday": name]))
        }
    }
}
