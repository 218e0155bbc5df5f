import ArgumentParser
import Foundation
import Localization
import Reports
import TrainingCore
import TrainingOffice
import TrainingStore

/// `obuka report department|program|rebuild`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Training reports for departments and programs.",
        subcommands: [Department.self, ProgramReport.self, Transcript.self, SignIn.self, Rebuild.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, pdf }

    /// Options every report shares.
    struct Options: ParsableArguments {
        @Option(help: "First day, YYYY-MM-DD (default: 1 January of this year).") var from: String?
        @Option(help: "Last day, YYYY-MM-DD (default: today).") var to: String?
        @Option(help: "Only this program.") var program: String?
        @Option(help: "html, csv or pdf.") var format: Format = .html
        @Option(help: "CSV delimiter: ; (default, Excel in a Bosnian locale) or ,.") var delimiter: String = ";"
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?

        func validate() throws {
            for value in [from, to].compactMap({ $0 }) where LocalDate(iso: value) == nil {
                throw ValidationError("dates are YYYY-MM-DD")
            }
            guard delimiter == ";" || delimiter == "," else { throw ValidationError("--delimiter is ; or ,") }
        }

        func period(today: LocalDate) -> (LocalDate, LocalDate) {
            (from.flatMap(LocalDate.init(iso:)) ?? LocalDate(year: today.year, month: 1, day: 1)!,
             to.flatMap(LocalDate.init(iso:)) ?? today)
        }

        func write(_ document: ReportDocument) throws {
            let data: Data
            switch format {
            case .csv: data = try ReportCSV.render(document, delimiter: delimiter.first!)
            case .html: data = Data(ReportHTML.render(document).utf8)
            case .pdf: data = try ReportPDF().render(document, created: Clock.districtToday())
            }
            try OutputFile.write(data, to: output)
        }
    }

    static func input(_ database: AppDatabase, department: DepartmentCode?, options: Options,
                      perDepartment: Bool = false) throws -> ReportInput {
        let now = Clock.districtNow()
        let (from, to) = options.period(today: now.date)
        return try ReportGathering.input(database, department: department, from: from, to: to, programID: options.program,
                                         perDepartment: perDepartment, now: now)
    }

    struct Department: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "department", abstract: "A department's report: figures beside the District average, by sex, per module, per person.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Department code, e.g. EIMS.") var code: String
        @OptionGroup var options: Options

        func run() throws {
            let database = try global.openReadOnlyDatabase()
            let department = DepartmentCode(code.uppercased())
            guard try database.department(department) != nil else { throw PeopleError.unknownDepartment(code: department.rawValue) }
            try options.write(ReportBuilder(localizer: global.localizer)
                .department(try ReportCommand.input(database, department: department, options: options)))
        }
    }

    struct ProgramReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "program", abstract: "All departments side by side, for coordinators.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: Options

        func run() throws {
            let database = try global.openReadOnlyDatabase()
            try options.write(ReportBuilder(localizer: global.localizer)
                .program(try ReportCommand.input(database, department: nil, options: options, perDepartment: true)))
        }
    }

    struct Transcript: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "transcript", abstract: "A trainee's transcript (PDF): modules, hours, results, certificates.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Personal number.") var person: String
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String

        func run() throws {
            let now = Clock.districtNow()
            let input = try ReportGathering.transcript(global.openReadOnlyDatabase(), personalNumber: person, now: now)
            try OutputFile.write(try ReportPDF().render(ReportBuilder(localizer: global.localizer).transcript(input), created: now.date),
                                    to: output)
        }
    }

    struct SignIn: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "signin", abstract: "The paper sign-in sheet (PDF) of a session.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: Int64
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String

        func run() throws {
            let database = try global.openReadOnlyDatabase()
            let id = SessionID(rawValue: session)
            let stored = try database.session(id)
            let cohort = try database.cohort(code: stored.cohortCode)
            let input = SignInInput(
                program: try database.program(id: cohort.programID, version: cohort.programVersion).program, moduleID: stored.moduleID,
                cohortName: cohort.name, starts: stored.starts, ends: stored.ends, venue: stored.venue, trainer: stored.trainer,
                participants: try database.signInParticipants(session: id))
            try OutputFile.write(try ReportPDF().render(ReportBuilder(localizer: global.localizer).signInSheet(input),
                                                           created: Clock.districtToday()), to: output)
        }
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Recompute the report rollups from the ledgers.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try global.openDatabase().rebuildRollups(actor: global.resolvedActor)
            Console.line(global.localizer("report.rebuilt"))
        }
    }
}
