import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka needs open|propose|list|withdraw`: a year's training needs as departments propose them.
struct NeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needs", abstract: helpText("cli.help.needs.abstract"), subcommands: [Open.self, Propose.self, List.self, Withdraw.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: helpText("cli.help.needs.open.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
        @Option(help: .catalog("cli.help.needs.open.deadline")) var deadline: String

        func validate() throws { _ = try dayArgument(deadline, "--deadline") }

        func run() throws {
            let t = global.localizer
            let window = try global.office().needs.openWindow(year: try year.whole(.year, "--year"),
                                                              deadline: try dayArgument(deadline, "--deadline")!,
                                                              actor: global.resolvedActor)
            Console.line(t("needs.window_opened", ["year": String(window.year), "opens": t.date(window.opens), "deadline": t.date(window.deadline)]))
        }
    }

    struct Propose: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "propose", abstract: helpText("cli.help.needs.propose.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
        @Option(help: .catalog("cli.help.requirement.gaps.department")) var department: String
        @Option(help: .catalog("cli.help.common.program_id")) var program: String
        @Option(name: .customLong("person"), help: .catalog("cli.help.needs.propose.people")) var people: [String] = []
        @Option(help: .catalog("cli.help.needs.propose.count")) var count: NumberArgument?
        @Option(help: .catalog("cli.help.needs.propose.priority")) var priority: String = "medium"
        @Option(help: .catalog("cli.help.needs.propose.reason")) var reason: String

        func validate() throws {
            guard NeedPriority(rawValue: priority) != nil else {
                throw ValidationError(Localizer.commandLine("cli.error.priority", ["value": priority]))
            }
        }

        func run() throws {
            let t = global.localizer
            let need = try global.office().needs.propose(.init(
                year: try year.whole(.year, "--year"), department: DepartmentCode(department.uppercased()), programID: program, people: people,
                headCount: try count.map { try $0.whole(.headCount, "--count") }, priority: NeedPriority(rawValue: priority)!, reason: reason),
                actor: global.resolvedActor)
            Console.line(t("needs.proposed", ["id": String(need.id), "program": need.programID,
                                              "places": t("web.needs.places", ["count": DecimalText.count(need.places)])]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.needs.list.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
        @Option(help: .catalog("cli.help.requirement.gaps.department")) var department: String?

        func run() throws {
            let t = global.localizer
            let year = try self.year.whole(.year, "--year")
            let needs = try global.readingOffice().needs
            if let window = try needs.window(year: year) {
                Console.line(t(window.deadline < needs.today ? "needs.window.closed" : "needs.window.open",
                               ["year": String(year), "opens": t.date(window.opens), "deadline": t.date(window.deadline)]))
            } else {
                Console.line(t("needs.window.none", ["year": String(year)]))
            }
            let proposals = try needs.needs(year: year, department: department.map { DepartmentCode($0.uppercased()) })
            guard !proposals.isEmpty else { return Console.line(t("needs.none", ["year": String(year)])) }
            Console.table(
                [t("needs.column.id"), t("needs.column.department"), t("needs.column.program"), t("needs.column.people"),
                 t("needs.column.head_count"), t("needs.column.priority"), t("needs.column.reason"), t("needs.column.state")],
                proposals.map { need in
                    [String(need.id), need.department.rawValue, need.programID, need.nominees.map(t.listName).joined(separator: ", "),
                     DecimalText.count(need.places), t("needs.priority.\(need.priority.rawValue)"), need.reason,
                     t(need.withdrawn ? "needs.state.withdrawn" : "needs.state.proposed")]
                })
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw", abstract: helpText("cli.help.needs.withdraw.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.needs.withdraw.id")) var id: NumberArgument
        @Option(help: .catalog("cli.help.requirement.gaps.department")) var department: String

        func run() throws {
            let number = Int64(try id.whole(.recordNumber, "ID"))
            try global.office().needs.withdraw(need: number, department: DepartmentCode(department.uppercased()), actor: global.resolvedActor)
            Console.line(global.localizer("needs.withdrawn", ["id": String(number)]))
        }
    }
}
