import ArgumentParser
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// The `obuka` command: training-program management for the civil service of Brčko District BiH.
public struct Obuka: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "obuka",
        abstract: helpText("cli.help.obuka.abstract"),
        subcommands: [
            InitCommand.self, StatusCommand.self, DemoCommand.self, DepartmentsCommand.self,
            CurriculumCommand.self, PeopleCommand.self, CohortCommand.self, EnrolCommand.self,
            VenueCommand.self, HolidayCommand.self, RequirementCommand.self, NeedsCommand.self, EvaluationCommand.self, PlanCommand.self, ScheduleCommand.self, AttendanceCommand.self,
            AssessmentCommand.self, ProgressCommand.self, CertificateCommand.self, KeysCommand.self, ReportCommand.self,
            AuditCommand.self, AccountCommand.self, TokenCommand.self, ServeCommand.self, BackupCommand.self, RestoreCommand.self, PrivacyCommand.self,
            MailCommand.self,
        ]
    )

    public init() {}

    /// Parses the arguments, runs the command, and prints a user-facing error in the chosen language
    /// (never a stack trace or a raw SQLite message) with a non-zero exit.
    public static func runMain(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // The parser's own message, then a suggestion for a mistyped command or option, in the chosen language.
            let text = fullMessage(for: error)
            if !text.isEmpty { exitCode(for: error) == .success ? Console.line(text) : Console.error(text) }
            if let hint = CommandSuggestion.hint(for: arguments) {
                Console.error(Localizer(GlobalOptions.languageHint(arguments: arguments))("cli.suggestion", ["suggestion": hint]))
            }
            Foundation.exit(exitCode(for: error).rawValue)
        }
        do {
            try command.run()
            Foundation.exit(0)
        } catch let error as any UserFacingError {
            let localizer = Localizer(GlobalOptions.languageHint(arguments: arguments))
            Console.error(localizer("cli.error_prefix", ["message": localizer.message(for: error)]))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command shares, and the composition root of the command line: the one place that opens an office.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: .catalog("cli.help.global.data")) var data: String?

    @Option(name: .long, help: .catalog("cli.help.global.actor")) var actor: String?

    @Option(name: .long, help: .catalog("cli.help.global.lang")) var lang: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var dataDirectory: URL { TrainingOffice.dataDirectory(option: data, environment: environment) }

    var language: Language {
        Language(tag: lang ?? environment["OBUKA_LANG"] ?? "") ?? .default
    }

    var localizer: Localizer { Localizer(language) }

    var resolvedActor: Actor {
        Actor.resolve(option: actor, environment: environment["OBUKA_ACTOR"], osUser: ProcessInfo.processInfo.userName)
    }

    /// The clocks, the home folder and the public address, from the environment.
    var settings: OfficeSettings { .environment(environment) }

    mutating func validate() throws {
        if let lang, Language(tag: lang) == nil {
            throw ValidationError(Localizer.commandLine("cli.error.unknown_language", ["value": lang]))
        }
    }

    /// The office over the existing database, for a command that changes things (never creates one).
    func office() throws -> TrainingOffice { try TrainingOffice.open(dataDirectory: dataDirectory, settings: settings) }

    /// The office over the existing database opened for reading only: the file is left exactly as it was.
    func readingOffice() throws -> TrainingOffice {
        try TrainingOffice.open(dataDirectory: dataDirectory, readOnly: true, settings: settings)
    }

    /// The office for a command that shows completion: the decisions that have come due with time are made first
    /// (the file is written only when one is due).
    func currentOffice() throws -> TrainingOffice {
        let office = try readingOffice()
        do {
            try office.clockTick.run()
        } catch let error as any UserFacingError where office.administration.damage != nil {
            // A damaged file is still read (to see what it holds and back it up); the decisions wait for a restore.
            Console.error(localizer("cli.error_prefix", ["message": localizer.message(for: error)]))
        }
        return office
    }

    /// The language asked for, read before parsing so parse-time errors are localised too.
    static func languageHint(arguments: [String]) -> Language {
        if let index = arguments.firstIndex(of: "--lang"), index + 1 < arguments.count,
           let language = Language(tag: arguments[index + 1]) {
            return language
        }
        if let inline = arguments.first(where: { $0.hasPrefix("--lang=") }),
           let language = Language(tag: String(inline.dropFirst("--lang=".count))) {
            return language
        }
        return Language(tag: ProcessInfo.processInfo.environment["OBUKA_LANG"] ?? "") ?? .default
    }
}

extension Localizer {
    /// Messages in the language the command line asks for, where no parsed `GlobalOptions` is at hand (an option group's
    /// validation).
    static var commandLine: Localizer { Localizer(GlobalOptions.languageHint(arguments: CommandLine.arguments)) }
}

/// A help text of the command line (a command's abstract, an option's or argument's help) from the message catalogs, in
/// the language `--lang`, `--lang=` or `$OBUKA_LANG` asks for (else Bosnian). The language is read from the arguments before
/// parsing, and the parser builds its help from `configuration` and the property wrappers only after `main` starts, so
/// `obuka … --help --lang en` is in English and the plain `--help` in Bosnian. Keys: `cli.help.<command path>.abstract`,
/// `cli.help.<command path>.<option>`, and `cli.help.common.<name>` for a text many commands share.
func helpText(_ key: String) -> String { Localizer.commandLine(key) }

/// A day typed for an option (`15. 3. 2027.`, `15.03.2027`, ISO), nil when left out, or a refusal naming the option.
func dayArgument(_ text: String?, _ option: String) throws -> LocalDate? {
    guard let text else { return nil }
    guard let day = LocalDate(typed: text) else {
        throw ValidationError("\(option): " + Localizer.commandLine("cli.error.date", ["value": text]))
    }
    return day
}

extension ArgumentHelp {
    /// The help of an option, argument or flag from the message catalogs (see `helpText`):
    /// `@Option(help: .catalog("cli.help.venue.add.capacity"))`.
    static func catalog(_ key: String) -> ArgumentHelp { ArgumentHelp(helpText(key)) }
}

/// A number typed on the command line, kept as typed until the command reads it through its `NumberField`: every number
/// has one reader, and a refusal names the option and the range in the user's language.
struct NumberArgument: ExpressibleByArgument, ExpressibleByStringLiteral, Sendable {
    let text: String

    init(argument: String) { text = argument }
    init(stringLiteral value: String) { text = value }

    var defaultValueDescription: String { text }

    /// The value, read for the option `name` (e.g. `--score`).
    func value(_ field: NumberField, _ name: String) throws -> Double { try field.read(text, field: name) }

    /// The whole-number value, read for the option `name`.
    func whole(_ field: NumberField, _ name: String) throws -> Int { try field.readWhole(text, field: name) }

    /// A record's number (a session, a token).
    func record(_ name: String) throws -> Int64 { Int64(try whole(.recordNumber, name)) }
}

extension NumberField {
    /// How many people to generate.
    static let generatedPeople = NumberField(1...100_000, whole: true)
    static let generatedScale = NumberField(1...50, whole: true)
    /// A generator's seed.
    static let seed = NumberField(0...9_007_199_254_740_991, whole: true)
    /// How many audit events to show.
    static let eventLimit = NumberField(1...100_000, whole: true)
    /// A TCP port (0: any free one).
    static let port = NumberField(0...65_535, whole: true)
    /// How many days an API token works.
    static let tokenDays = NumberField(1...3_650, whole: true)
    /// Days ahead, for the recertification list.
    static let daysAhead = NumberField(0...36_500, whole: true)
}

/// Output helpers: results to standard output, diagnostics to standard error.
enum Console {
    /// A line on standard output, flushed at once: a server's lines reach its log as they happen.
    static func line(_ text: String = "") {
        print(text)
        fflush(nil)
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A progress bar on standard error, redrawn in place on a terminal (`[████░░░░] 3/20 · what · 42 s`); elsewhere
    /// (a log, a pipe) one line per step.
    static func progress(done: Int, of total: Int, _ what: String, seconds: Int) {
        let width = 24, filled = total > 0 ? min(width, done * width / total) : width
        let bar = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
        let line = "\(bar) \(done)/\(total) · \(what) · \(seconds) s"
        if isatty(STDERR_FILENO) == 1 {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        } else {
            error(line)
        }
    }

    /// Ends a progress bar drawn in place (a new line after it).
    static func progressEnd() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Left-aligned columns, sized to the widest cell (counted in characters, so č and Cyrillic align).
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        for (index, row) in all.enumerated() {
            line(row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
            if index == 0 { line(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }
}

/// The command or option a mistyped one most likely meant: the closest known name within two edits.
enum CommandSuggestion {
    static func hint(for arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Obuka.self
        var skipValue = false
        for argument in arguments {
            if skipValue { skipValue = false; continue }
            if argument.hasPrefix("--") {
                let name = String(argument.split(separator: "=", maxSplits: 1)[0])
                let known = optionNames(of: command)
                if !known.contains(name) { return closest(name, in: known) }
                // A value follows an option unless it is a flag; the global options all take one.
                skipValue = !argument.contains("=") && ["--data", "--actor", "--lang"].contains(name)
                continue
            }
            if argument.hasPrefix("-") { continue }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { continue }
            if let next = subcommands.first(where: { $0.configuration.commandName == argument }) {
                command = next
                continue
            }
            return closest(argument, in: subcommands.compactMap { $0.configuration.commandName })
        }
        return nil
    }

    /// The `--names` a command's help lists.
    static func optionNames(of command: any ParsableCommand.Type) -> Set<String> {
        Set(command.helpMessage(columns: 400).matches(of: /--[a-z][a-z-]*/).map { String($0.output) })
    }

    /// The nearest name within two edits (Levenshtein), if one is that near.
    static func closest(_ typed: String, in names: some Collection<String>) -> String? {
        var best: (name: String, distance: Int)?
        for name in names.sorted() {
            let edits = distance(typed, name)
            if edits < (best?.distance ?? Int.max) { best = (name, edits) }
        }
        guard let best, best.distance > 0, best.distance <= 2 else { return nil }
        return best.name
    }

    /// Edits between two names, a swap of neighbours counting as one (`lsit` is one edit from `list`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost: Int = a[i - 1] == b[j - 1] ? 0 : 1
                var best: Int = Swift.min(table[i - 1][j] + 1, table[i][j - 1] + 1)
                best = Swift.min(best, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { best = Swift.min(best, table[i - 2][j - 2] + 1) }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}
