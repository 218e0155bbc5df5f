import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka cohort create|edit|list|show`.
struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort", abstract: helpText("cli.help.cohort.abstract"), subcommands: [Create.self, Edit.self, List.self, Show.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: helpText("cli.help.cohort.create.abstract"))

        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.cohort.create.code")) var code: String
        @Option(help: .catalog("cli.help.cohort.create.name")) var name: String
        @Option(help: .catalog("cli.help.common.program_id")) var program: String
        @Option(help: .catalog("cli.help.common.program_version")) var version: NumberArgument?
        @Option(help: .catalog("cli.help.common.first_day")) var starts: String
        @Option(help: .catalog("cli.help.common.last_day")) var ends: String
        @Option(help: .catalog("cli.help.cohort.create.capacity")) var capacity: NumberArgument

        func validate() throws {
            for value in [starts, ends] where LocalDate(typed: value) == nil {
                throw ValidationError(global.localizer("cli.error.date", ["value": value]))
            }
        }

        func run() throws {
            let cohort = try global.office().cohorts.create(
                code: code, name: name, program: program, version: try version?.whole(.version, "--version"),
                starts: LocalDate(typed: starts)!, ends: LocalDate(typed: ends)!, capacity: try capacity.whole(.capacity, "--capacity"),
                actor: global.resolvedActor)
            Console.line(global.localizer("cohort.created", ["cohort": cohort.code, "program": "\(cohort.programID) v\(cohort.programVersion)"]))
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit", abstract: helpText("cli.help.cohort.edit.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var code: String
        @Option(help: .catalog("cli.help.cohort.edit.name")) var name: String?
        @Option(help: .catalog("cli.help.cohort.edit.starts")) var starts: String?
        @Option(help: .catalog("cli.help.cohort.edit.ends")) var ends: String?
        @Option(help: .catalog("cli.help.cohort.edit.capacity")) var capacity: NumberArgument?

        func validate() throws {
            for value in [starts, ends].compactMap({ $0 }) where LocalDate(typed: value) == nil {
                throw ValidationError(global.localizer("cli.error.date", ["value": value]))
            }
        }

        func run() throws {
            let office = try global.office()
            let cohort = try office.cohorts.cohort(code)
            let edit = try office.cohorts.edit(
                code: cohort.code, name: name ?? cohort.name, starts: starts.flatMap(LocalDate.init(typed:)) ?? cohort.starts,
                ends: ends.flatMap(LocalDate.init(typed:)) ?? cohort.ends,
                capacity: try capacity?.whole(.capacity, "--capacity") ?? cohort.capacity, actor: global.resolvedActor)
            let t = global.localizer
            Console.line(t("cohort.edited", ["cohort": edit.cohort.code, "dates": "\(t.date(edit.cohort.starts)) – \(t.date(edit.cohort.ends))",
                                             "capacity": String(edit.cohort.capacity)]))
            if !edit.promoted.isEmpty { Console.line(t("enrolment.promoted", ["people": edit.promoted.joined(separator: ", ")])) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.cohort.list.abstract"))

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            Console.table(
                [t("cohort.column.code"), t("cohort.column.name"), t("cohort.column.program"), t("cohort.column.dates"),
                 t("cohort.column.places")],
                try global.readingOffice().cohorts.overview().map { entry in
                    let cohort = entry.cohort
                    return [cohort.code, cohort.name, "\(cohort.programID) v\(cohort.programVersion)",
                            "\(t.date(cohort.starts)) – \(t.date(cohort.ends))", "\(entry.occupied)/\(cohort.capacity)"]
                })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: helpText("cli.help.cohort.show.abstract"))

        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var code: String

        func run() throws {
            let t = global.localizer
            let office = try global.currentOffice()
            let cohort = try office.cohorts.cohort(code)
            let enrolments = try office.enrolment.enrolments(cohort: code)
            Console.line("\(cohort.name) (\(cohort.code)): \(cohort.programID) v\(cohort.programVersion), "
                         + "\(t.date(cohort.starts)) – \(t.date(cohort.ends))")
            Console.line(t("cohort.places", ["occupied": String(enrolments.filter(\.status.occupiesPlace).count),
                                             "capacity": String(cohort.capacity)]))
            Console.line()
            Console.table(
                ["#", t("people.column.personal_number"), t("people.column.name"), t("enrolment.column.department_at_enrolment"),
                 t("enrolment.column.status"), t("enrolment.column.reason")],
                enrolments.map { [String($0.position), $0.person.personalNumber, $0.person.fullName,
                                  $0.departmentAtEnrolment.rawValue, t("enrolment.status.\($0.status.rawValue)"), $0.reason ?? ""] })
        }
    }
}

/// `obuka enrol add|department|request|approve|decline|withdraw`.
struct EnrolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrol", abstract: helpText("cli.help.enrol.abstract"),
        subcommands: [Add.self, Department.self, Request.self, Approve.self, Decline.self, Withdraw.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: helpText("cli.help.enrol.add.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.enrol.add.people")) var people: [String]

        func run() throws {
            let changes = try global.office().enrolment.enrol(cohort: cohort, people: people, actor: global.resolvedActor)
            printChanges(changes, global: global)
        }
    }

    struct Department: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "department", abstract: helpText("cli.help.enrol.department.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.enrol.department.department")) var department: String

        func run() throws {
            let changes = try global.office().enrolment.enrolDepartment(
                cohort: cohort, department: DepartmentCode(department.uppercased()), actor: global.resolvedActor)
            printChanges(changes, global: global)
        }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "request", abstract: helpText("cli.help.enrol.request.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.common.personal_number")) var person: String

        func run() throws {
            printChanges([try global.office().enrolment.request(cohort: cohort, person: person, actor: global.resolvedActor)],
                         global: global)
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: helpText("cli.help.enrol.approve.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.common.personal_number")) var person: String

        func run() throws {
            printChanges([try global.office().enrolment.approve(cohort: cohort, person: person, actor: global.resolvedActor)],
                         global: global)
        }
    }

    struct Decline: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decline", abstract: helpText("cli.help.enrol.decline.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.common.personal_number")) var person: String
        @Option(help: .catalog("cli.help.enrol.decline.reason")) var reason: String

        func run() throws {
            printChanges([try global.office().enrolment.decline(cohort: cohort, person: person, reason: reason,
                                                                 actor: global.resolvedActor)], global: global)
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw", abstract: helpText("cli.help.enrol.withdraw.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Argument(help: .catalog("cli.help.common.personal_number")) var person: String
        @Option(help: .catalog("cli.help.common.why")) var reason: String?

        func run() throws {
            printChanges([try global.office().enrolment.withdraw(cohort: cohort, person: person, reason: reason,
                                                                  actor: global.resolvedActor)], global: global)
        }
    }
}

private func printChanges(_ changes: [EnrolmentChange], global: GlobalOptions) {
    let t = global.localizer
    for change in changes {
        Console.line(t("enrolment.changed", ["personal_number": change.personalNumber,
                                              "status": t("enrolment.status.\(change.status.rawValue)")]))
        for promoted in change.promoted { Console.line(t("enrolment.promoted", ["personal_number": promoted])) }
    }
    if changes.isEmpty { Console.line(t("enrolment.nothing_changed")) }
}
