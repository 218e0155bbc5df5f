import ArgumentParser
import Foundation
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// `obuka report department|program|rebuild`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: helpText("cli.help.report.abstract"),
        subcommands: [Department.self, ProgramReport.self, PlanReport.self, Transcript.self, SignIn.self, Rebuild.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, pdf }

    /// Options every report shares.
    struct Options: ParsableArguments {
        @Option(help: .catalog("cli.help.report.options.from")) var from: String?
        @Option(help: .catalog("cli.help.report.options.to")) var to: String?
        @Option(help: .catalog("cli.help.report.options.program")) var program: String?
        @Option(help: .catalog("cli.help.report.options.format")) var format: Format = .html
        @Option(help: .catalog("cli.help.report.options.delimiter")) var delimiter: String = ";"
        @Option(name: .shortAndLong, help: .catalog("cli.help.common.output_stdout")) var output: String?

        func validate() throws {
            for value in [from, to].compactMap({ $0 }) where LocalDate(typed: value) == nil {
                throw ValidationError(Localizer.commandLine("cli.error.date", ["value": value]))
            }
            guard delimiter == ";" || delimiter == "," else { throw ValidationError(Localizer.commandLine("cli.error.report_delimiter")) }
        }

        /// The report's scope in `reports` (this year so far unless the days are given).
        func scope(_ reports: Reporting, department: DepartmentCode?) throws -> ReportScope {
            try reports.scope(department: department, from: from.flatMap(LocalDate.init(typed:)), to: to.flatMap(LocalDate.init(typed:)),
                              program: program)
        }

        func write(_ document: ReportDocument, created: LocalDate) throws {
            try ReportCommand.write(document, format: format, delimiter: delimiter, output: output, created: created)
        }
    }

    /// A report document as HTML, CSV or PDF, to a file or standard output.
    static func write(_ document: ReportDocument, format: Format, delimiter: String, output: String?, created: LocalDate) throws {
        let data: Data
        switch format {
        case .csv: data = try ReportCSV.render(document, delimiter: delimiter.first!)
        case .html: data = Data(ReportHTML.render(document).utf8)
        case .pdf: data = try ReportPDF().render(document, created: created)
        }
        try OutputFile.write(data, to: output)
    }

    struct PlanReport: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan", abstract: helpText("cli.help.report.plan.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.needs.year")) var year: NumberArgument
        @Option(help: .catalog("cli.help.requirement.gaps.department")) var department: String?
        @Option(help: .catalog("cli.help.report.options.format")) var format: Format = .html
        @Option(help: .catalog("cli.help.report.options.delimiter")) var delimiter: String = ";"
        @Option(name: .shortAndLong, help: .catalog("cli.help.common.output_stdout")) var output: String?

        func validate() throws {
            guard delimiter == ";" || delimiter == "," else { throw ValidationError(Localizer.commandLine("cli.error.report_delimiter")) }
        }

        func run() throws {
            let office = try global.currentOffice()
            let figures = try office.plan.realisation(year: try year.whole(.year, "--year"))
            let document = ReportBuilder(localizer: global.localizer).realisation(figures, department: department.map { DepartmentCode($0.uppercased()) })
            try ReportCommand.write(document, format: format, delimiter: delimiter, output: output, created: office.clock.today)
        }
    }

    struct Department: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "department", abstract: helpText("cli.help.report.department.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.department_code_example")) var code: String
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
            commandName: "program", abstract: helpText("cli.help.report.program.abstract"))
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
        static let configuration = CommandConfiguration(
            commandName: "transcript", abstract: helpText("cli.help.report.transcript.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.personal_number")) var person: String
        @Option(name: .shortAndLong, help: .catalog("cli.help.common.output_pdf")) var output: String

        func run() throws {
            let office = try global.currentOffice()
            let input = try office.reports.transcript(person: person)
            try OutputFile.write(try ReportPDF().render(ReportBuilder(localizer: global.localizer).transcript(input),
                                                        created: office.clock.today), to: output)
        }
    }

    struct SignIn: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "signin", abstract: helpText("cli.help.report.signin.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.session")) var session: NumberArgument
        @Option(name: .shortAndLong, help: .catalog("cli.help.common.output_pdf")) var output: String

        func run() throws {
            let office = try global.readingOffice()
            let input = try office.reports.signInSheet(session: SessionID(rawValue: try session.record("SESSION")))
            try OutputFile.write(try ReportPDF().render(ReportBuilder(localizer: global.localizer).signInSheet(input),
                                                        created: office.clock.today), to: output)
        }
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rebuild", abstract: helpText("cli.help.report.rebuild.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try global.office().reports.rebuildRollups(actor: global.resolvedActor)
            Console.line(global.localizer("report.rebuilt"))
        }
    }
}
