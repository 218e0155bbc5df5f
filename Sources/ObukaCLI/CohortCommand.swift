import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka cohort create|edit|list|show`.
struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort", abstract: "Cohorts: runs of a program version.", subcommands: [Create.self, Edit.self, List.self, Show.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a cohort of a loaded program.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Short code, e.g. DIJ-2022-A.") var code: String
        @Option(help: "Name, e.g. \"Dijaspora 2022 – grupa A\".") var name: String
        @Option(help: "Program id.") var program: String
        @Option(help: "Program version (default: the newest).") var version: NumberArgument?
        @Option(help: "First day: 15. 3. 2027. or 2027-03-15.") var starts: String
        @Option(help: "Last day: 15. 3. 2027. or 2027-03-15.") var ends: String
        @Option(help: "Places.") var capacity: NumberArgument

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
            commandName: "edit", abstract: "Change a cohort's name, dates or places (what is not given stays as it is).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var code: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New first day: 15. 3. 2027. or 2027-03-15.") var starts: String?
        @Option(help: "New last day: 15. 3. 2027. or 2027-03-15.") var ends: String?
        @Option(help: "New number of places.") var capacity: NumberArgument?

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
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List cohorts.")

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
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a cohort's enrolments and waitlist.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var code: String

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
        commandName: "enrol", abstract: "Enrolments: places, requests, decisions and the waitlist.",
        subcommands: [Add.self, Department.self, Request.self, Approve.self, Decline.self, Withdraw.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Enrol people (a place while there is one, else the waitlist).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Personal numbers.") var people: [String]

        func run() throws {
            let changes = try global.office().enrolment.enrol(cohort: cohort, people: people, actor: global.resolvedActor)
            printChanges(changes, global: global)
        }
    }

    struct Department: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "department", abstract: "Enrol everyone in a department.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Department code.") var department: String

        func run() throws {
            let changes = try global.office().enrolment.enrolDepartment(
                cohort: cohort, department: DepartmentCode(department.uppercased()), actor: global.resolvedActor)
            printChanges(changes, global: global)
        }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "request", abstract: "Record a request for a place.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Personal number.") var person: String

        func run() throws {
            printChanges([try global.office().enrolment.request(cohort: cohort, person: person, actor: global.resolvedActor)],
                         global: global)
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a request (a place, or the waitlist when full).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Personal number.") var person: String

        func run() throws {
            printChanges([try global.office().enrolment.approve(cohort: cohort, person: person, actor: global.resolvedActor)],
                         global: global)
        }
    }

    struct Decline: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline a request, with a reason.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Personal number.") var person: String
        @Option(help: "Why the request is declined.") var reason: String

        func run() throws {
            printChanges([try global.office().enrolment.decline(cohort: cohort, person: person, reason: reason,
                                                                 actor: global.resolvedActor)], global: global)
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Withdraw a person; the waitlist moves up.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Cohort code.") var cohort: String
        @Argument(help: "Personal number.") var person: String
        @Option(help: "Why.") var reason: String?

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
