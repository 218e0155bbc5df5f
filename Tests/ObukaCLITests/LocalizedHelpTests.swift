import ArgumentParser
import Foundation
import Localization
import Testing
import TrainingCore
@testable import ObukaCLI

/// The command line's help is in the chosen language: every command's abstract and every option's, argument's and
/// subcommand's text comes from the message catalogs (`cli.help.…`), Bosnian by default. Only the parser's own words
/// (`USAGE:`, `OPTIONS:`, `(default: …)`, `-h, --help`) stay English.
/// Serialized: each case starts four processes; run side by side with the live-server suites on two cores they starved
/// those servers past the test client's 20-second read timeout.
@Suite(.serialized) struct LocalizedHelpTests {
    /// Every command by its path, the root (`[]`) and the groups included, walked from the root the parser uses.
    static func allCommands(_ command: any ParsableCommand.Type = Obuka.self, prefix: [String] = []) -> [[String]] {
        let path = command == Obuka.self ? [] : prefix + [command.configuration.commandName ?? ""]
        return [path] + command.configuration.subcommands.flatMap { allCommands($0, prefix: path) }
    }

    @Test func theWalkFindsEveryCommand() {
        let commands = Self.allCommands()
        #expect(commands.count > 80, "the walk found \(commands.count) commands")
        #expect(commands.contains(["schedule", "add"]) && commands.contains(["certificate"]) && commands.contains([]))
    }

    @Test(arguments: allCommands())
    func helpIsInTheChosenLanguage(_ path: [String]) throws {
        try Self.checkHelp(path)
    }

    /// The help of `path` in English, Bosnian (the default, with no `--lang`) and Serbian Cyrillic.
    static func checkHelp(_ path: [String]) throws {
        let name = path.isEmpty ? "obuka" : path.joined(separator: " ")
        let english = try help(path, language: "en")
        let bosnian = try help(path, language: nil)
        #expect(bosnian == (try help(path, language: "bs")), "\(name): no --lang is not Bosnian")
        let key = "cli.help.\(path.isEmpty ? "obuka" : path.joined(separator: ".")).abstract"

        // Every command has its options, arguments or subcommands besides the parser's `--help`.
        #expect(english.entries.count > 1 && english.entries[helpLabel] != nil, "\(name): \(english.entries)")

        // The abstracts are the catalogs' and differ.
        #expect(english.overview == catalog(.english)[key], "\(name): English abstract \(english.overview)")
        #expect(bosnian.overview == catalog(.bosnian)[key], "\(name): Bosnian abstract \(bosnian.overview)")
        #expect(bosnian.overview != english.overview, "\(name): \(bosnian.overview)")

        // The same options, arguments and subcommands, each described, in Bosnian unlike English.
        let sameEntries = Set(bosnian.entries.keys) == Set(english.entries.keys)
        #expect(sameEntries, "\(name): \(bosnian.entries.keys.sorted()) \(english.entries.keys.sorted())")
        let englishTexts = Set(catalog(.english).filter { $0.key.hasPrefix("cli.help.") }.values)
        for (label, text) in english.entries where label != helpLabel {
            let bosnianText = bosnian.entries[label] ?? ""
            let fromCatalog = englishTexts.contains(withoutParserNote(text))
            #expect(fromCatalog, "\(name) \(label): “\(text)” is not from the catalog")
            #expect(!withoutParserNote(bosnianText).isEmpty, "\(name) \(label): no help text")
            #expect(withoutParserNote(bosnianText) != withoutParserNote(text), "\(name) \(label): not translated: \(text)")
        }
        // No English help text of this command is left anywhere in the Bosnian help.
        for text in englishTexts where english.all.contains(text) {
            #expect(!bosnian.all.contains(text), "\(name): the Bosnian help says “\(text)”")
        }

        // In Serbian the texts are Cyrillic (a group's help lists its subcommands' abstracts too).
        let serbian = try help(path, language: "sr-Cyrl")
        #expect(serbian.overview == catalog(.serbianCyrillic)[key])
        var texts = [(label: "OVERVIEW", serbian: serbian.overview, english: english.overview)]
        for (label, text) in serbian.entries where label != helpLabel {
            texts.append((label, text, english.entries[label] ?? ""))
        }
        for (label, text, source) in texts {
            #expect(text.contains(/[\u{0400}-\u{04FF}]/), "\(name) \(label): not Cyrillic: \(text)")
            // Latin script is left only for what is Latin in English too: PDF, --force, bs, $OBUKA_DATA.
            let latinWords = Set(text.matches(of: /[A-Za-z0-9]+/).map { String($0.output) }).filter { $0.contains(/[A-Za-z]/) }
            for word in latinWords {
                #expect(wholeWord(word, in: source), "\(name) \(label): “\(word)” left in Latin: \(text)")
            }
        }
    }

    /// A bad `--lang` is refused in Bosnian (the default), or in the language `$OBUKA_LANG` names.
    @Test func anUnknownLanguageIsRefusedInTheDefaultLanguage() throws {
        var cli = CLIRunner()
        defer { cli.cleanUp() }
        let bosnian = try cli.run("status", "--lang", "xx")
        #expect(bosnian.status != 0)
        #expect(bosnian.stderr.contains(Localizer(.bosnian)("cli.error.unknown_language", ["value": "xx"])), "\(bosnian.stderr)")
        #expect(bosnian.stderr.contains("Nepoznat jezik „xx“"), "\(bosnian.stderr)")
        cli.environment["OBUKA_LANG"] = "en"
        let english = try cli.run("status", "--lang=xx")
        #expect(english.status != 0)
        #expect(english.stderr.contains("Unknown language “xx”: use bs, hr, sr-Latn, sr-Cyrl or en."), "\(english.stderr)")
    }

    /// A refusal of the command line itself (a `ValidationError`) is in the chosen language.
    @Test func aCommandLineRefusalIsLocalised() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let bosnian = try cli.run("progress", "1015", "--cohort", "DIJ-A")
        #expect(bosnian.status != 0)
        #expect(bosnian.stderr.contains("Navedite matični broj ili --cohort, ne oboje."), "\(bosnian.stderr)")
        let english = try cli.run("privacy", "export", "1015", "--format", "xml", "--lang", "en")
        #expect(english.stderr.contains("--format is json or pdf."), "\(english.stderr)")
        let serbian = try cli.run("holiday", "add", "2027-03-15", "X", "--kind", "civil", "--lang", "sr-Cyrl")
        #expect(serbian.stderr.contains("--kind може бити religious или one-off."), "\(serbian.stderr)")
    }

    // MARK: - Reading a help text

    /// Where the parser starts an entry's text (`HelpGenerator.labelColumnWidth` plus the indentation).
    static let textColumn = 26

    /// The parser's own line for its help flag.
    static let helpLabel = "-h, --help"

    struct Help: Equatable {
        /// The abstract (`OVERVIEW:`), its lines joined.
        var overview = ""
        /// Each option, argument and subcommand by its label (`--data <data>`, `<session>`, `add`), with its text.
        var entries: [String: String] = [:]
        /// The whole help, its lines joined: what a wrapped text is searched in.
        var all = ""
    }

    /// `obuka PATH --help` in a language (`nil`: none asked for), read into its parts.
    static func help(_ path: [String], language: String?) throws -> Help {
        let cli = CLIRunner()
        let result = try cli.run(path + ["--help"] + (language.map { ["--lang", $0] } ?? []))
        #expect(result.status == 0, "\(path) \(language ?? "-"): \(result.stderr)")
        return parse(result.stdout)
    }

    static func parse(_ text: String) -> Help {
        var help = Help(all: joined(text))
        var section = "", label: String?, parts: [String] = [], overview: [String] = []
        func flush() {
            if let label { help.entries[label] = joined(parts.joined(separator: " ")) }
            label = nil
            parts = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("OVERVIEW: ") {
                section = "OVERVIEW"
                overview = [String(line.dropFirst("OVERVIEW: ".count))]
            } else if let heading = ["USAGE:", "ARGUMENTS:", "OPTIONS:", "SUBCOMMANDS:"].first(where: { line.hasPrefix($0) }) {
                flush()
                section = String(heading.dropLast())
            } else if line.isEmpty || line.hasPrefix("  See '") {
                flush()
                if section == "OVERVIEW" { section = "" }
            } else if section == "OVERVIEW" {
                overview.append(line)
            } else if ["ARGUMENTS", "OPTIONS", "SUBCOMMANDS"].contains(section) {
                if line.hasPrefix("   ") {
                    parts.append(line)
                } else {
                    flush()
                    // The label from the third column, the text from the 27th (or the next line, after a long label).
                    let characters = Array(line)
                    let split = characters.count > textColumn && characters[textColumn - 1] == " "
                    label = joined(String(characters.prefix(split ? textColumn : characters.count)))
                    parts = split ? [String(characters[textColumn...])] : []
                }
            }
        }
        flush()
        help.overview = joined(overview.joined(separator: " "))
        return help
    }

    /// A text with its line breaks and indentation collapsed to single spaces.
    static func joined(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A text without the note the parser adds to it: `(default: 50)`, `(values: html, csv, pdf; default: html)`.
    static func withoutParserNote(_ text: String) -> String {
        text.replacing(/\ ?\((?:default|values)[^()]*\)$/, with: "")
    }

    static func wholeWord(_ word: String, in text: String) -> Bool {
        text.ranges(of: word).contains { range in
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            return ![before, after].contains { $0.map { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? false }
        }
    }

    static func catalog(_ language: Language) -> [String: String] { MessageCatalog.shared.messages(for: language) }
}
