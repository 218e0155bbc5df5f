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

        // Version 1 prints as it always did; version 2 (the newest) marks its planned hours and what it reconstructs.
        let one = try cli.run("curriculum", "show", "dijaspora-2022", "--version", "1", "--lang", "sr-Cyrl")
        #expect(one.status == 0)
        #expect(one.stdout.contains("Модул 3 (M3): Услуге дијаспори, 8 h"))
        #expect(one.stdout.contains("Очување националног идентитета, језика, културе и обичаја"))
        #expect(one.stdout.contains("10.171") && !one.stdout.contains("реконструисано"))
        let show = try cli.run("curriculum", "show", "dijaspora-2022", "--lang", "sr-Cyrl")
        #expect(show.status == 0)
        #expect(show.stdout.contains("Модул 3 (M3): Услуге дијаспори, планирано 8 h"))
        #expect(show.stdout.contains("Модул 1 (M1): Миграције и развој [реконструисано], планирано 8 h"))
        #expect(show.stdout.contains("Реализација мјера у домену очувања националног идентитета, језика, културе и обичаја"))
        #expect(show.stdout.contains("10.171 ") && show.stdout.contains("9.680 "))
        let list = try cli.run("curriculum", "list")
        // Both versions of the program, and the illustrative programs beside it, one row each.
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(2).joined(separator: " ") }
        #expect(rows.contains("dijaspora-2022 1") && rows.contains("dijaspora-2022 2") && rows.contains("javne-nabavke-2026 1"))
        let audit = try cli.run("audit", "show", "--entity-type", "program")
        #expect(audit.stdout.contains("curriculum.load"))
        #expect(audit.stdout.contains("cli:"))
    }

    @Test func croatianAndSerbianLatinAreServedFromTheCurriculumAndProvenanceIsNamed() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        #expect(try cli.run("demo", "seed").status == 0)
        let croatian = try cli.run("curriculum", "show", "dijaspora-2022", "--lang", "hr")
        #expect(croatian.status == 0)
        #expect(croatian.stdout.hasPrefix("Program izobrazbe rukovoditelja/službenika Brčko distrikta BiH za suradnju s dijasporom"))
        #expect(croatian.stdout.contains("Provedba mjera u području očuvanja nacionalnog identiteta, jezika, kulture i običaja"))
        // Interface words in Croatian come from the Bosnian catalog.
        #expect(croatian.stdout.contains("Modul 3 (M3): Usluge dijaspori, planirano 8 h"))
        let latin = try cli.run("curriculum", "show", "dijaspora-2022", "--lang", "sr-Latn")
        #expect(latin.stdout.contains("Realizacija mjera u domenu očuvanja nacionalnog identiteta, jezika, kulture i običaja"))
        #expect(!latin.stdout.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "Cyrillic in sr-Latn")

        let provenance = try cli.run("curriculum", "show", "dijaspora-2022", "--provenance")
        #expect(provenance.stdout.contains("Usluge dijaspori [izvor: „Treći modul programa obuke"))
        #expect(provenance.stdout.contains("Migracije i razvoj [rekonstruisano: nije u izvorima, izvedeno iz njih]"))
        #expect(provenance.stdout.contains("[ilustrativno: određeno za obuku, nije u izvorima]"))
        #expect(provenance.stdout.contains("[izvor: „#DijasporazaRazvoj"))
        #expect(provenance.stdout.contains("10.171 član dijaspore sluša radio emisije namijenjene dijaspori; U prethodnih 12 mjeseci (2019.); procjena"))
        #expect(provenance.stdout.contains("nisu potvrđena"))

        // Confirming is of one version, once, and only of one that marks its provenance.
        let confirm = try cli.run("curriculum", "confirm", "dijaspora-2022", "--version", "2")
        #expect(confirm.status == 0 && confirm.stdout.contains("Potvrđena su pravila programa dijaspora-2022, verzija 2"))
        #expect(try cli.run("curriculum", "confirm", "dijaspora-2022", "--version", "2").stdout.contains("već su potvrđena"))
        let one = try cli.run("curriculum", "confirm", "dijaspora-2022", "--version", "1")
        #expect(one.status == 1 && one.stderr.contains("nema se šta potvrditi"))
        #expect(try cli.run("curriculum", "show", "dijaspora-2022").stdout.contains("potvrđena su"))
        #expect(try cli.run("audit", "show", "--entity-type", "program").stdout.contains("curriculum.confirm"))
        #expect(try cli.run("curriculum", "publish", "dijaspora-2022").stdout.contains("u javnom katalogu"))
        #expect(try cli.run("curriculum", "unpublish", "dijaspora-2022").stdout.contains("uklonjen"))

        // A person's language: one of the five, named in their own language.
        #expect(try cli.run("people", "language", "1025", "hr").stdout.contains("Hrvatski"))
        let wrong = try cli.run("people", "language", "1025", "klingon")
        #expect(wrong.status != 0 && wrong.stderr.contains("„klingon“ nije jezik"))
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
