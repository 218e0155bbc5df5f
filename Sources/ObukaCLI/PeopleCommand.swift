import ArgumentParser
import CSVImport
import Foundation
import Localization
import TrainingCore
import TrainingOffice
import TrainingStore

/// `obuka people import|list|show|transfer`.
struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "Civil servants who take part in training.",
        subcommands: [Import.self, List.self, Show.self, Transfer.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import participants from CSV (UTF-8 or Windows-1250, ',' or ';'); all rows or none.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "CSV file with personal_number, given_name, family_name, [sex], email, department, [job_title].")
        var file: String
        @Flag(help: "Only show what would change.") var dryRun = false
        @Option(help: "Column delimiter (default: detected from the header).") var delimiter: String?

        func validate() throws {
            if let delimiter, delimiter.count != 1 { throw ValidationError("--delimiter takes one character") }
        }

        func run() throws {
            // Everything is checked against a read-only connection first: a bad file leaves the
            // database file untouched, byte for byte.
            let reading = try global.openReadOnlyDatabase()
            let t = global.localizer
            let url = URL(fileURLWithPath: file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw StoreError.notFound(entity: "file", id: file)
            }
            let table = try CSVTable.decode(data, file: file, delimiter: delimiter.flatMap(\.first))
            let departments = Set(try reading.departments().map(\.code))
            let drafts: [(row: Int, draft: PersonDraft)]
            do {
                drafts = try PeopleCSV.drafts(from: table, file: file, knownDepartments: departments)
            } catch let problems as RowProblems {
                for item in problems.items { Console.error(RowProblemText.line(item, file: file, localizer: t)) }
                Console.error(t.plural("people.import.nothing_imported", count: problems.items.count))
                throw ExitCode(1)
            }
            let summary = try global.openDatabase().importPeople(drafts.map(\.draft), file: url.lastPathComponent, sha256: sha256Hex(data),
                                                    actor: global.resolvedActor, dryRun: dryRun)
            if dryRun {
                for number in summary.added { Console.line(t("people.import.would_add", ["personal_number": number])) }
                for (number, fields) in summary.updated {
                    Console.line(t("people.import.would_update", ["personal_number": number, "fields": fields.joined(separator: ", ")]))
                }
            }
            Console.line(t(dryRun ? "people.import.dry_run_summary" : "people.import.summary", [
                "added": String(summary.added.count), "updated": String(summary.updated.count),
                "unchanged": String(summary.unchanged), "encoding": table.encoding.rawValue,
                "delimiter": String(table.delimiter),
            ]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List people, optionally of one department.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Department code, e.g. EIMS.") var department: String?

        func run() throws {
            let t = global.localizer
            let people = try global.openReadOnlyDatabase().people(department: department.map { DepartmentCode($0.uppercased()) })
            Console.table(
                [t("people.column.personal_number"), t("people.column.name"), t("people.column.department"),
                 t("people.column.email"), t("people.column.job_title")],
                people.map { [$0.personalNumber, "\($0.familyName) \($0.givenName)", $0.department.rawValue, $0.email, $0.jobTitle ?? ""] })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one person.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Personal number.") var personalNumber: String

        func run() throws {
            let t = global.localizer
            let database = try global.openReadOnlyDatabase()
            let person = try database.person(personalNumber: personalNumber)
            let department = try database.department(person.department)
            Console.line("\(person.fullName) (\(person.personalNumber))")
            Console.line("\(t("people.column.department")): \(person.department.rawValue) – \(department?.name(in: global.language) ?? "")")
            Console.line("\(t("people.column.email")): \(person.email)")
            if let title = person.jobTitle { Console.line("\(t("people.column.job_title")): \(title)") }
            if let sex = person.sex { Console.line("\(t("people.column.sex")): \(t("sex.\(sex.rawValue)"))") }
        }
    }

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfer", abstract: "Move a person to another department (past enrolments keep their department).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Personal number.") var personalNumber: String
        @Option(help: "The new department's code.") var to: String

        func run() throws {
            let person = try global.openDatabase().transfer(
                personalNumber: personalNumber, to: DepartmentCode(to.uppercased()), actor: global.resolvedActor)
            Console.line(global.localizer("people.transferred", ["name": person.fullName, "department": person.department.rawValue]))
        }
    }
}

/// A row problem as one line: `file: row 5, email: …`.
