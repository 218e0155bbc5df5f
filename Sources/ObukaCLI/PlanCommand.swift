import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka plan show|item|approve|amend|diff|link`: the annual training plan.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: helpText("cli.help.plan.abstract"),
        subcommands: [Show.self, Item.self, Approve.self, Amend.self, Diff.self, Link.self, Cost.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: helpText("cli.help.plan.show.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
        @Option(help: .catalog("cli.help.plan.version")) var version: NumberArgument?

        func run() throws {
            let t = global.localizer
            let year = try self.year.whole(.year, "--year")
            let versions = try global.readingOffice().plan.versions(year: year)
            let number = try version.map { try $0.whole(.version, "--version") }
            guard let shown = number.map({ number in versions.first { $0.version == number } }) ?? versions.last else {
                throw PlanError.noPlan(year: year)
            }
            Console.line(PlanText(localizer: t).heading(shown))
            Console.table(PlanText(localizer: t).header, shown.items.map(PlanText(localizer: t).row))
        }
    }

    struct Item: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "item", abstract: helpText("cli.help.plan.item.abstract"),
                                                        subcommands: [Add.self, Remove.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: helpText("cli.help.plan.item.add.abstract"))
            @OptionGroup var global: GlobalOptions
            @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
            @Option(help: .catalog("cli.help.common.program_id")) var program: String
            @Option(help: .catalog("cli.help.plan.item.quarter")) var quarter: NumberArgument
            @Option(help: .catalog("cli.help.plan.item.cohorts")) var cohorts: NumberArgument = "1"
            @Option(help: .catalog("cli.help.plan.item.places")) var places: [String]
            @Option(help: .catalog("cli.help.plan.item.hours")) var hours: NumberArgument
            @Option(help: .catalog("cli.help.plan.item.cost")) var cost: NumberArgument
            @Option(help: .catalog("cli.help.plan.item.donor")) var donor: String?

            func run() throws {
                let byDepartment = try PlannedPlaces.parse(places)
                let item = try global.office().plan.addItem(year: try year.whole(.year, "--year"), .init(
                    programID: program, quarter: try quarter.whole(.quarter, "--quarter"), cohorts: try cohorts.whole(.plannedCohorts, "--cohorts"),
                    places: byDepartment, participantHours: try hours.value(.participantHours, "--hours"), costKM: try cost.value(.costKM, "--cost"),
                    funding: donor.map(Funding.donor) ?? .budget), actor: global.resolvedActor)
                Console.line(global.localizer("plan.item.added", ["id": String(item.id), "program": item.programID, "quarter": String(item.quarter)]))
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "remove", abstract: helpText("cli.help.plan.item.remove.abstract"))
            @OptionGroup var global: GlobalOptions
            @Argument(help: .catalog("cli.help.plan.item.id")) var id: NumberArgument

            func run() throws {
                let number = Int64(try id.whole(.recordNumber, "ID"))
                try global.office().plan.removeItem(number, actor: global.resolvedActor)
                Console.line(global.localizer("plan.item.removed", ["id": String(number)]))
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: helpText("cli.help.plan.approve.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
        @Option(help: .catalog("cli.help.plan.approve.decision_number")) var decisionNumber: String
        @Option(help: .catalog("cli.help.plan.approve.decision_date")) var decisionDate: String

        func validate() throws { _ = try dayArgument(decisionDate, "--decision-date") }

        func run() throws {
            let plan = try global.office().plan.approve(year: try year.whole(.year, "--year"), decisionNumber: decisionNumber,
                                                        decisionDate: try dayArgument(decisionDate, "--decision-date")!,
                                                        actor: global.resolvedActor)
            Console.line(PlanText(localizer: global.localizer).heading(plan))
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "amend", abstract: helpText("cli.help.plan.amend.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument

        func run() throws {
            let draft = try global.office().plan.draft(year: try year.whole(.year, "--year"), actor: global.resolvedActor)
            Console.line(PlanText(localizer: global.localizer).heading(draft))
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "diff", abstract: helpText("cli.help.plan.diff.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
        @Option(help: .catalog("cli.help.plan.version")) var version: NumberArgument

        func run() throws {
            let t = global.localizer
            guard let difference = try global.readingOffice().plan.difference(year: try year.whole(.year, "--year"),
                                                                              version: try version.whole(.version, "--version")) else {
                return Console.line(t("plan.diff.first"))
            }
            for line in PlanText(localizer: t).lines(difference) { Console.line(line) }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "link", abstract: helpText("cli.help.plan.link.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Option(help: .catalog("cli.help.plan.item.id")) var item: NumberArgument

        func run() throws {
            let number = Int64(try item.whole(.recordNumber, "--item"))
            try global.office().plan.link(cohort: cohort, item: number, actor: global.resolvedActor)
            Console.line(global.localizer("plan.linked", ["cohort": cohort, "id": String(number)]))
        }
    }

    struct Cost: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cost", abstract: helpText("cli.help.plan.cost.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Option(help: .catalog("cli.help.plan.cost.km")) var km: NumberArgument

        func run() throws {
            let amount = try km.value(.costKM, "--km")
            try global.office().plan.setActualCost(cohort: cohort, km: amount, actor: global.resolvedActor)
            Console.line(global.localizer("plan.cost_saved", ["cohort": cohort, "amount": DecimalText.money(hundredths: Int((amount * 100).rounded()))]))
        }
    }
}
