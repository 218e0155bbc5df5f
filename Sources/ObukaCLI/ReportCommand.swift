import ArgumentParser
import Foundation
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// `obuka report department|program|rebuild`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Training reports for departments and programs.",
        subcommands: [Department.self, ProgramReport.self, Transcript.self, SignIn.self, Rebuild.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, pdf }

    /// Options every report shares.
    struct Options: ParsableArguments {
        @Option(help: "First day, 15. 3. 2027. or 2027-03-15 (default: 1 January of this year).") var from: String?
        @Option(help: "Last day, 15. 3. 2027. or 2027-03-15 (default: today).") var to: String?
        @Option(help: "Only this program.") var program: String?
        @Option(help: "html, csv or pdf.") var format: Format = .html
        @Option(help: "CSV delimiter: ; (default, Excel in a Bosnian locale) or ,.") var delimiter: String = ";"
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?

        func validate() throws {
            for value in [from, to].compactMap({ $0 }) where LocalDate(typed: value) == nil {
                throw ValidationError(Localizer.commandLine("cli.error.date", ["value": value]))
            }
            guard delimiter == ";" || delimiter == "," else { throw ValidationError("--delimiter is ; or ,") }
        }

        /// The report's scope in `reports` (this year so far unless the days are given).
        func scope(_ reports: Reporting, department: DepartmentCode?) throws -> ReportScope {
            try reports.scope(department: department, from: from.flatMap(LocalDate.init(typed:)), to: to.flatMap(LocalDate.init(typed:)),
                              program: program)
        }

        func write(_ document: ReportDocument, created: LocalDate) throws {
            let data: Data
            switch format {
            case .csv: data = try ReportCSV.render(document, delimiter: delimiter.first!)
            case .html: data = Data(ReportHTML.render(document).utf8)
            case .pdf: data = try ReportPDF().render(document, created: created)
            }
            try OutputFile.write(data, to: output)
        }
    }

    struct Department: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "department", abstract: "A department's report: figures beside the District average, by sex, per module, per person.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Department code, e.g. EIMS.") var code: String
        @OptionGroup var options: Options

        func run() throws {
            let office = try global.currentOffice()
            let reports = office.reports
            let scope = try options.scope(reports, department: DepartmentCode(code.uppercased()))
            try options.write(ReportBuilder(localizer: global.localizer).department(try reports.departmentReport(scope)),
                              created: office.clock.today)
        }
    }

    struct ProgramReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "program", abstract: "All departments side by side, for coordinators.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: Options

        func run() throws {
            let office = try global.currentOffice()
            let reports = office.reports
            try options.write(ReportBuilder(localizer: global.localizer).program(try reports.programReport(try options.scope(reports, department: nil))),
                              created: office.clock.today)
        }
    }

    struct Transcript: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "transcript", abstract: "A trainee's transcript (PDF): modules, hours, results, certificates.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Personal number.") var person: String
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String

        func run() throws {
            let office = try global.currentOffice()
            let input = try office.reports.transcript(person: person)
            try OutputFile.write(try ReportPDF().render(ReportBuilder(localizer: global.localizer).transcript(input),
                                                        created: office.clock.today), to: output)
        }
    }

    struct SignIn: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "signin", abstract: "The paper sign-in sheet (PDF) of a session.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session number.") var session: NumberArgument
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String

        func run() throws {
            let office = try global.readingOffice()
            let input = try office.reports.signInSheet(session: SessionID(rawValue: try session.record("SESSION")))
            try OutputFile.write(try ReportPDF().render(ReportBuilder(localizer: global.localizer).signInSheet(input),
                                                        created: office.clock.today), to: output)
        }
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Recompute the report rollups from the ledgers.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try global.office().reports.rebuildRollups(actor: global.resolvedActor)
            Console.line(global.localizer("report.rebuilt"))
        }
    }
}
