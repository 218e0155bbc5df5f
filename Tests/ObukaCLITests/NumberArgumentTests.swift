import ArgumentParser
import CSVImport
import Foundation
import Localization
import MistypedNumbers
@testable import ObukaCLI
import Testing
import TrainingCore

/// Every numeric argument of every command, found by walking the command tree and reflecting each command's
/// definition (not listed by hand), gets each mistyped number through the `obuka` binary: a sample the one reader
/// refuses is refused with its message naming the argument; one it takes is taken (or refused by a rule, never a
/// crash); and no command declares a number that bypasses the reader.
@Suite struct NumberArgumentTests {
    /// A numeric argument: the command's words, the property, and how it is given (`--score=…`, or positional).
    struct NumericArgument: CustomStringConvertible {
        let command: [String]
        let property: String
        let positional: Bool
        /// How a refusal names it: `--score`, or `SESSION` for a positional argument.
        var name: String {
            positional ? property.uppercased()
                : "--" + property.reduce(into: "") { $0 += $1.isUppercase ? "-" + $1.lowercased() : String($1) }
        }
        var description: String { (command + [name]).joined(separator: " ") }
    }

    /// Walks the command tree from `obuka`, reflecting each command's stored arguments.
    static func numericArguments() -> (numbers: [NumericArgument], bypassing: [String]) {
        var numbers: [NumericArgument] = [], bypassing: [String] = []
        func walk(_ type: any ParsableCommand.Type, path: [String]) {
            let name = type.configuration.commandName ?? ""
            let words = type == Obuka.self ? [] : path + [name]
            for child in Mirror(reflecting: type.init()).children {
                guard let label = child.label, label.hasPrefix("_") else { continue }
                let wrapper = String(describing: Swift.type(of: child.value))
                let property = String(label.dropFirst())
                if wrapper.contains("NumberArgument") {
                    numbers.append(NumericArgument(command: words, property: property, positional: wrapper.hasPrefix("Argument<")))
                } else if ["Int", "Double", "Float", "Decimal"].contains(where: { wrapper.contains("<\($0)") || wrapper.contains("<Optional<\($0)") || wrapper.contains("<Array<\($0)") }) {
                    bypassing.append((words + [property]).joined(separator: " "))
                }
            }
            for subcommand in type.configuration.subcommands { walk(subcommand, path: words) }
        }
        walk(Obuka.self, path: [])
        return (numbers, bypassing)
    }

    /// How to run each command with everything else valid; `{}` is where the number goes. Options are written
    /// `--name={}` and positional arguments follow `--`, so a sample beginning with a minus is a value, not an option.
    static let invocations: [String: [String]] = [
        "attendance record SESSION": ["attendance", "record", "--status", "present", "--", "{}", "1025"],
        "attendance record --minutes": ["attendance", "record", "1", "1025", "--status", "late", "--minutes={}"],
        "attendance bulk SESSION": ["attendance", "bulk", "--", "{}"],
        "attendance import SESSION": ["attendance", "import", "--", "{}", "{file}"],
        "attendance show SESSION": ["attendance", "show", "--", "{}"],
        "assessment record --score": ["assessment", "record", "DIJ-A", "1025", "M1-T", "--score={}", "--attempt=1"],
        "assessment record --attempt": ["assessment", "record", "DIJ-A", "1025", "M1-T", "--score=70", "--attempt={}"],
        "audit show --limit": ["audit", "show", "--limit={}"],
        "certificate expiring --within": ["certificate", "expiring", "--within={}"],
        "cohort create --version": ["cohort", "create", "--code", "N-V", "--name", "N", "--program", "dijaspora-2022",
                                    "--starts", "2027-03-01", "--ends", "2027-04-30", "--capacity=5", "--version={}"],
        "cohort create --capacity": ["cohort", "create", "--code", "N-C", "--name", "N", "--program", "dijaspora-2022",
                                     "--starts", "2027-03-01", "--ends", "2027-04-30", "--capacity={}"],
        "curriculum show --version": ["curriculum", "show", "dijaspora-2022", "--version={}"],
        "curriculum confirm --version": ["curriculum", "confirm", "dijaspora-2022", "--version={}"],
        "demo generate --people": ["demo", "generate", "--people={}", "--seed=2"],
        "demo generate --seed": ["demo", "generate", "--people=3", "--seed={}"],
        "demo generate --scale": ["demo", "generate", "--people=3", "--scale={}"],
        "holiday list --year": ["holiday", "list", "--year={}"],
        "privacy retention --days": ["privacy", "retention", "--days={}"],
        "report signin SESSION": ["report", "signin", "-o", "{out}", "--", "{}"],
        "schedule move SESSION": ["schedule", "move", "--date", "2027-02-03", "--from", "09:00", "--to", "13:00", "--", "{}"],
        "schedule cancel SESSION": ["schedule", "cancel", "--", "{}"],
        "schedule history SESSION": ["schedule", "history", "--", "{}"],
        // An address no machine has: a port the reader takes fails at binding instead of serving forever.
        "serve --port": ["serve", "--host", "256.0.0.1", "--port={}"],
        "token revoke ID": ["token", "revoke", "--", "koordinator", "{}"],
        "token create --days": ["token", "create", "koordinator", "--days={}"],
        "venue add --capacity": ["venue", "add", "Sala {n}", "--capacity={}"],
        "cohort edit --capacity": ["cohort", "edit", "DIJ-A", "--capacity={}"],
        "plan cost --km": ["plan", "cost", "DIJ-A", "--km={}"],
        "plan item add --quarter": ["plan", "item", "add", "--year", "2027", "--program", "dijaspora-2022", "--quarter={}", "--places", "EIMS=1",
                                    "--hours", "1", "--cost", "1"],
        "plan item add --cohorts": ["plan", "item", "add", "--year", "2027", "--program", "dijaspora-2022", "--quarter", "1", "--cohorts={}",
                                    "--places", "EIMS=1", "--hours", "1", "--cost", "1"],
        "plan item add --hours": ["plan", "item", "add", "--year", "2027", "--program", "dijaspora-2022", "--quarter", "2", "--places", "EIMS=1",
                                  "--hours={}", "--cost", "1"],
        "plan item add --cost": ["plan", "item", "add", "--year", "2027", "--program", "dijaspora-2022", "--quarter", "3", "--places", "EIMS=1",
                                 "--hours", "1", "--cost={}"],
        "plan item add --year": ["plan", "item", "add", "--year={}", "--program", "dijaspora-2022", "--quarter", "4", "--places", "EIMS=1",
                                 "--hours", "1", "--cost", "1"],
        "plan item remove ID": ["plan", "item", "remove", "--", "{}"],
        "plan show --year": ["plan", "show", "--year={}"],
        "plan show --version": ["plan", "show", "--year", "2026", "--version={}"],
        "plan approve --year": ["plan", "approve", "--year={}", "--decision-number", "1", "--decision-date", "1. 1. 2027."],
        "plan amend --year": ["plan", "amend", "--year={}"],
        "plan diff --year": ["plan", "diff", "--year={}", "--version", "1"],
        "plan diff --version": ["plan", "diff", "--year", "2026", "--version={}"],
        "plan link --item": ["plan", "link", "DIJ-A", "--item={}"],
        "report plan --year": ["report", "plan", "--year={}", "-o", "{out}"],
        "needs open --year": ["needs", "open", "--year={}", "--deadline", "31. 12. 2027."],
        "needs propose --year": ["needs", "propose", "--year={}", "--department", "EIMS", "--program", "dijaspora-2022", "--count", "2", "--reason", "r"],
        "needs propose --count": ["needs", "propose", "--year", "2027", "--department", "EIMS", "--program", "dijaspora-2022", "--count={}", "--reason", "r"],
        "needs list --year": ["needs", "list", "--year={}"],
        "needs withdraw ID": ["needs", "withdraw", "--department", "EIMS", "--", "{}"],
        "mail list --limit": ["mail", "list", "--limit={}"],
        "mail retry ID": ["mail", "retry", "--", "{}"],
        "requirement define --days": ["requirement", "define", "N{n}", "--program", "dijaspora-2022", "--everyone", "--days={}"],
        "requirement define --renew-years": ["requirement", "define", "N{n}", "--program", "dijaspora-2022", "--everyone", "--days", "30",
                                             "--renew-years={}"],
    ]

    /// Whether `text` is one of the catalog's number refusals (in English) for the argument `name`.
    static func isNumberRefusal(_ text: String, naming name: String) -> Bool {
        let templates = MessageCatalog.shared.messages(for: .english).filter { $0.key.hasPrefix("number.error.") }.map(\.value)
        return templates.contains { template in
            // The template with {field} as the name and every other placeholder as "anything".
            var pattern = NSRegularExpression.escapedPattern(for: template)
            pattern = pattern.replacingOccurrences(of: "\\{field\\}", with: NSRegularExpression.escapedPattern(for: name))
            pattern = pattern.replacingOccurrences(of: #"\\\{[a-z_]+\\\}"#, with: ".*", options: .regularExpression)
            return text.range(of: pattern, options: .regularExpression) != nil
        }
    }

    @Test func everyNumericArgumentIsReadByTheOneReader() throws {
        let (arguments, bypassing) = Self.numericArguments()
        #expect(bypassing.isEmpty, "numbers read without NumberArgument: \(bypassing)")
        #expect(arguments.count >= 20, "the walk found \(arguments.count) numeric arguments")
        #expect(Set(arguments.map(\.description)) == Set(Self.invocations.keys),
                "found \(Set(arguments.map(\.description)).symmetricDifference(Self.invocations.keys).sorted()) on one side only")

        var cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        cli.timeout = 60
        let file = cli.path("list.csv")
        try Data("personal_number;status\r\n1025;present\r\n".utf8).write(to: URL(fileURLWithPath: file))
        var runs = 0
        for argument in arguments {
            let template = try #require(Self.invocations[argument.description])
            for sample in MistypedNumbers.samples {
                runs += 1
                let words = template.map {
                    $0.replacingOccurrences(of: "{}", with: sample).replacingOccurrences(of: "{file}", with: file)
                        .replacingOccurrences(of: "{out}", with: cli.path("out-\(runs).pdf")).replacingOccurrences(of: "{n}", with: String(runs))
                }
                let english = words.firstIndex(of: "--").map { Array(words[..<$0]) + ["--lang=en"] + words[$0...] } ?? words + ["--lang=en"]
                let result = try cli.run(english)
                let context = "\(argument) ← “\(sample)”: exit \(result.status), \(result.stderr)"
                if sample.isEmpty, !argument.positional {
                    // `--score=` is refused by the argument parser itself, naming the option (a usage error).
                    #expect(result.status == 64 && result.stderr.contains("Missing value for '\(argument.name) "), "\(context)")
                    continue
                }
                #expect(result.status == 0 || result.status == 1, "\(context)")  // never a crash, a signal or a hang
                #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(context)")
                // Whether some field would take it: a plain decimal number, nothing else.
                let plain = MistypedNumbers.expected(sample, NumberField(-1e15...1e15, whole: false), name: "x")
                switch plain {
                case .failure:
                    #expect(result.status == 1 && Self.isNumberRefusal(result.stderr, naming: argument.name), "\(context)")
                case .success:
                    // In this field's range it is taken; outside it the refusal names the field. A rule may still refuse.
                    if result.status == 1, result.stderr.contains("\(argument.name):") {
                        #expect(Self.isNumberRefusal(result.stderr, naming: argument.name), "\(context)")
                    }
                }
            }
        }
    }

    @Test func takenNumbersAreStoredAsTyped() throws {
        let cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        // A decimal comma is a score of 80.5, shown back the District's way.
        #expect(try cli.run("assessment", "record", "DIJ-A", "1025", "M1-T", "--score=80,5", "--attempt=1").status == 0)
        #expect(try cli.run("progress", "1025").stdout.contains("80,5/100"))
        // Negative zero is zero.
        let late = try cli.run("attendance", "record", "1", "1025", "--status", "absent", "--minutes=-0")
        #expect(late.status == 0, "\(late.stderr)")
        let sheet = try cli.run("attendance", "show", "1", "--lang", "en").stdout
        let row = try #require(sheet.split(separator: "\n").first { $0.contains("1025") }).split(separator: " ", omittingEmptySubsequences: true)
        #expect(row.contains("absent") && row[row.firstIndex(of: "absent")! + 1] == "0", "\(row)")
        // An attempt beyond the assessment's is refused by its rule, after the reader took it.
        let attempt = try cli.run("assessment", "record", "DIJ-A", "1025", "M1-T", "--score=70", "--attempt=99", "--lang", "en")
        #expect(attempt.status == 1 && !attempt.stderr.contains("--attempt:"), "\(attempt.stderr)")
    }
}

/// One mistyped number per numeric column of every sheet (the columns come from the sheets' definitions) through the
/// command that imports the sheet: refused with its row and column named, nothing recorded.
@Suite struct NumericColumnImportTests {
    /// The command importing each sheet with numbers, and a valid cell for each of its columns.
    static let importers: [String: [String]] = [
        "attendance": ["attendance", "import", "1", "{file}"],
        "scores": ["assessment", "import", "DIJ-A", "M1-T", "{file}"],
    ]
    static let validCells = ["personal_number": "1025", "status": "late", "minutes_present": "30", "note": "", "score": "50",
                             "attempt": "1"]

    @Test func aMistypedNumberInAnyColumnIsRefusedWithItsRowAndColumn() throws {
        let cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        #expect(Set(Sheets.numericColumns.map(\.sheet)).isSubset(of: Set(Self.importers.keys)))
        let before = try cli.run("audit", "show", "--limit", "1").stdout
        for (sheet, column) in Sheets.numericColumns {
            let names = try #require(Sheets.all.first { $0.sheet == sheet }).columns.map(\.name)
            let file = cli.path("\(sheet)-\(column.name).csv")
            let cells = names.map { $0 == column.name ? "1e20" : Self.validCells[$0] ?? "" }
            try Data((names.joined(separator: ";") + "\r\n" + cells.joined(separator: ";") + "\r\n").utf8).write(to: URL(fileURLWithPath: file))
            let result = try cli.run(try #require(Self.importers[sheet]).map { $0 == "{file}" ? file : $0 } + ["--lang", "en"])
            #expect(result.status == 1, "\(sheet).\(column.name): \(result.stderr)")
            #expect(result.stderr.contains("row 2: \(column.name): “1e20” is not a number"), "\(sheet).\(column.name): \(result.stderr)")
        }
        #expect(try cli.run("audit", "show", "--limit", "1").stdout == before, "something was recorded")
    }
}
