import ArgumentParser
import Foundation
import Testing
@testable import ObukaCLI

/// Every command of the command line is also a page and an API route, or the operator's alone for a reason the list
/// allows: a coordinator who never opens a terminal can do everything the year needs.
@Suite struct OperationParityTests {
    /// Every leaf command by its path (`schedule move`), walked from the root the parser uses.
    static func commandPaths(_ command: any ParsableCommand.Type = Obuka.self, prefix: [String] = []) -> [String] {
        let configuration = command.configuration
        let name = configuration.commandName ?? ""
        let path = command == Obuka.self ? [] : prefix + [name]
        guard !configuration.subcommands.isEmpty else { return [path.joined(separator: " ")] }
        return configuration.subcommands.flatMap { commandPaths($0, prefix: path) }
    }

    /// The route table as the server prints it: `GET /cohorts/{code} manageCohorts`.
    static func routes() throws -> Set<String> {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run("init").status == 0)
        let listed = try cli.run("serve", "--list-routes")
        #expect(listed.status == 0, "\(listed.stderr)")
        return Set(listed.stdout.split(separator: "\n").map { line in line.split(separator: " ").prefix(2).joined(separator: " ") })
    }

    @Test func everyCommandHasAPageAndAnAPIRouteOrIsTheOperatorsAlone() throws {
        let commands = Self.commandPaths()
        #expect(commands.count > 60, "the walk found \(commands.count) commands")
        let routes = try Self.routes()
        var missing: [String] = []
        for command in commands {
            switch CommandSurfaces.all[command] {
            case nil:
                missing.append("\(command): neither a page and an API route nor on the operator-only list")
            case .web(let page, let api):
                if !routes.contains(page) { missing.append("\(command): no page \(page)") }
                if page.contains("/api/") { missing.append("\(command): \(page) is an API route, not a page") }
                if !routes.contains(api) { missing.append("\(command): no API route \(api)") }
                if !api.contains(" /api/v1/") { missing.append("\(command): \(api) is not under /api/v1") }
            case .operatorOnly:
                break
            }
        }
        #expect(missing.isEmpty, "\(missing.joined(separator: "\n"))")
        // The table names no command that does not exist (a renamed command would leave a stale entry).
        #expect(Set(CommandSurfaces.all.keys).subtracting(commands).isEmpty)
    }

    /// Only the operator's own work stays in the terminal: the list the issue allows, nothing more.
    @Test func theOperatorOnlyListIsTheAllowedOne() {
        let operatorOnly = Set(CommandSurfaces.all.compactMap { command, surface in
            if case .operatorOnly = surface { return command } else { return nil }
        })
        #expect(operatorOnly == ["init", "status", "backup", "restore", "serve", "demo seed", "demo generate", "report rebuild", "mail send",
                               "mail password"])
    }
}

/// A mistyped command or option gets the parser's message and the name it most likely meant, in the chosen language.
@Suite struct CommandSuggestionTests {
    @Test func aMistypedCommandOrOptionIsAnsweredWithTheNearestName() throws {
        var cli = CLIRunner()
        defer { cli.cleanUp() }
        let command = try cli.run("cohrot", "list")
        #expect(command.status != 0)
        #expect(command.stderr.contains("Jeste li mislili: cohort"), "\(command.stderr)")
        cli.environment["OBUKA_LANG"] = "en"
        let subcommand = try cli.run("cohort", "lsit")
        #expect(subcommand.stderr.contains("Did you mean: list"), "\(subcommand.stderr)")
        cli.environment["OBUKA_LANG"] = nil
        let option = try cli.run("cohort", "create", "--cod", "X")
        #expect(option.stderr.contains("Jeste li mislili: --code"), "\(option.stderr)")
        // Nothing near: no guess.
        #expect(!(try cli.run("xyzzyplugh")).stderr.contains("mislili"))
        #expect(CommandSuggestion.distance("kitten", "sitting") == 3 && CommandSuggestion.distance("", "ab") == 2)
        #expect(CommandSuggestion.distance("lsit", "list") == 1)
    }
}
