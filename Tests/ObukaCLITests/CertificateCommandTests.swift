import Foundation
import Testing

@Suite struct CertificateCommandTests {
    func seeded() throws -> CLIRunner { try CLIRunner.seededForCertificates(publicURL: "https://obuka.example/") }

    @Test func onlyThoseWhoCompletedGetACertificateAndReprintsAreIdentical() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        // 1013 cannot complete (module 3 attendance); 1015 is at risk.
        for person in ["1013", "1015"] {
            let refused = try cli.run("certificate", "issue", person, "--cohort", "DIJ-A", "-o", cli.path("x.pdf"), "--lang", "en")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("has not completed the program in DIJ-A"))
        }
        let first = try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "--registry-number", "01-11-7/26",
                                "-o", cli.path("a.pdf"))
        #expect(first.status == 0)
        #expect(first.stdout.contains("BD-DIJ-2026-000001"))
        let again = try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "-o", cli.path("b.pdf"), "--lang", "en")
        #expect(again.stderr.contains("already holds valid certificate BD-DIJ-2026-000001"))
        #expect(try cli.run("certificate", "print", "BD-DIJ-2026-000001", "-o", cli.path("reprint.pdf")).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("a.pdf"))) == Data(contentsOf: URL(fileURLWithPath: cli.path("reprint.pdf"))))
        let second = try cli.run("certificate", "issue", "1033", "--cohort", "DIJ-A", "--certificate-lang", "sr-Cyrl", "-o", cli.path("c.pdf"))
        #expect(second.stdout.contains("BD-DIJ-2026-000002"))
        let keyFiles = try FileManager.default.contentsOfDirectory(atPath: cli.dataDirectory.appendingPathComponent("keys").path)
        #expect(keyFiles.count == 1)
        let mode = try FileManager.default.attributesOfItem(
            atPath: cli.dataDirectory.appendingPathComponent("keys/\(keyFiles[0])").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func verifyChecksSerialsAndFilesWithExitCodes() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "-o", cli.path("a.pdf"))
        let bySerial = try cli.run("certificate", "verify", "BD-DIJ-2026-000001", "--lang", "en")
        #expect(bySerial.status == 0)
        #expect(bySerial.stdout.hasPrefix("VALID: certificate BD-DIJ-2026-000001, Goran Babić"))
        let byFile = try cli.run("certificate", "verify", cli.path("a.pdf"), "--lang", "en")
        #expect(byFile.status == 0)
        let unknown = try cli.run("certificate", "verify", "BD-DIJ-2026-000099", "--lang", "en")
        #expect(unknown.status == 2)
        #expect(unknown.stdout.contains("FORGED"))
        let page = try String(decoding: Data(contentsOf: URL(fileURLWithPath: cli.path("a.pdf"))), as: UTF8.self)
        #expect(page.contains("obuka-certificate:"))
        let later = try cli.run("certificate", "verify", "BD-DIJ-2026-000001", "--lang", "en")
        #expect(later.status == 0)
        var future = cli
        future.environment["OBUKA_NOW"] = "2031-11-25 09:00"
        let expired = try future.run("certificate", "verify", "BD-DIJ-2026-000001", "--lang", "en")
        #expect(expired.status == 1)
        #expect(expired.stdout.hasPrefix("EXPIRED"))
    }

    @Test func croatianAndSerbianLatinCertificatesAndThePreferredLanguage() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        // Croatian: its own template's words and the curriculum's Croatian title.
        let croatian = try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "--certificate-lang", "hr", "-o", cli.path("hr.pdf"))
        #expect(croatian.status == 0, "\(croatian.stderr)")
        let hr = try CLIRunner.tool("/usr/bin/pdftotext", [cli.path("hr.pdf"), "-"])
        #expect(hr.contains("o završenom programu izobrazbe"))
        #expect(hr.contains("izobrazbe rukovoditelja/službenika"))
        #expect(try cli.run("certificate", "verify", cli.path("hr.pdf")).status == 0)
        // A person who prefers Serbian Latin gets it without asking: Latin letters, Serbian words.
        #expect(try cli.run("people", "language", "1033", "sr-Latn").status == 0)
        #expect(try cli.run("certificate", "issue", "1033", "--cohort", "DIJ-A", "-o", cli.path("latn.pdf")).status == 0)
        // The page's words as one line (the module list wraps where the layout breaks it).
        let latin = try CLIRunner.tool("/usr/bin/pdftotext", [cli.path("latn.pdf"), "-"])
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(latin.contains("o završenom programu obuke") && latin.contains("Usluge dijaspori"))
        #expect(!latin.contains("Услуге"), "a Serbian Latin certificate in Cyrillic")
    }
}
