import Foundation
import Testing

@Suite struct CurriculumCommandTests {
    static let fixtures = CLIRunner.repositoryRoot.appendingPathComponent("Tests/CurriculumXMLTests/Fixtures")

    @Test func validateExitsOneWithEveryDiagnostic() throws {
        let cli = CLIRunner()
        let bad = Self.fixtures.appendingPathComponent("hostile/several-errors.xml").path
        let good = CLIRunner.repositoryRoot.appendingPathComponent("Curriculum/dijaspora-2022.xml").path
        let result = try cli.run("curriculum", "validate", good, bad, "--lang", "en")
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 3)
        #expect(result.stderr.contains("several-errors.xml:8: assessment M1-T: pass mark 120 is greater than the maximum 100"))
        #expect(result.stdout.contains("dijaspora-2022.xml: valid (program dijaspora-2022, version 1)"))
    }

    @Test func demoSeedLoadsTheCurriculumOnceAndShowPrintsCyrillic() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        #expect(try cli.run("demo", "seed").status == 0)
        let second = try cli.run("demo", "seed", "--lang", "en")
        #expect(second.status == 0)
        #expect(second.stdout.contains("Program dijaspora-2022, version 1 is already loaded (unchanged)"))

        let show = try cli.run("curriculum", "show", "dijaspora-2022", "--lang", "sr-Cyrl")
        #expect(show.status == 0)
        #expect(show.stdout.contains("Модул 3 (M3): Услуге дијаспори, 8 h"))
        #expect(show.stdout.contains("Очување националног идентитета, језика, културе и обичаја"))
        #expect(show.stdout.contains("10.171"))
        let list = try cli.run("curriculum", "list")
        #expect(list.stdout.contains("dijaspora-2022  1"))
        let audit = try cli.run("audit", "show", "--entity-type", "program")
        #expect(audit.stdout.contains("curriculum.load"))
        #expect(audit.stdout.contains("cli:"))
    }

    @Test func aFailedLoadStoresNothing() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        let good = Self.fixtures.appendingPathComponent("good/minimal.xml").path
        let bad = Self.fixtures.appendingPathComponent("hostile/weights-not-one.xml").path
        let result = try cli.run("curriculum", "load", good, bad, "--actor", "amra")
        #expect(result.status == 1)
        #expect(try cli.run("curriculum", "list").stdout.contains("minimal") == false)
        let loaded = try cli.run("curriculum", "load", good, "--actor", "amra")
        #expect(loaded.status == 0)
        #expect(try cli.run("audit", "show").stdout.contains("amra"))
        let missing = try cli.run("curriculum", "show", "nope", "--lang", "en")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("No program “nope” is loaded"))
    }
}
