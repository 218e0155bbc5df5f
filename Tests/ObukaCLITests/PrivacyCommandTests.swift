import Foundation
import Testing

/// Personal-data export and erasure through the built binary (issue "Hostile input, fuzzing and personal-data rights").
@Suite struct PrivacyCommandTests {
    @Test func exportHoldsEverythingAndErasureKeepsCertificatesCheckableAndTheChainValid() throws {
        let cli = try CLIRunner.seededForCertificates()
        defer { cli.cleanUp() }
        let person = try #require(try cli.run("progress", "--cohort", "DIJ-A", "--lang", "en").stdout.split(separator: "\n")
            .first { $0.hasSuffix("completed") }.map { String($0.split(separator: " ").first!) })
        let issued = try cli.run("certificate", "issue", person, "--cohort", "DIJ-A", "-o", cli.path("c.pdf"), "--lang", "en")
        #expect(issued.status == 0, "\(issued.stderr)")
        let serial = try #require(issued.stdout.split(separator: " ").first { $0.hasPrefix("BD-") }).trimmingCharacters(in: .punctuationCharacters)

        // Export: JSON with the person, attendance, scores, certificates; PDF readable.
        let json = try cli.run("privacy", "export", person)
        #expect(json.status == 0)
        let export = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let personData = export["person"] as! [String: Any]
        let name = "\(personData["given_name"]!) \(personData["family_name"]!)"
        #expect((export["attendance"] as! [Any]).count >= 6)
        #expect((export["scores"] as! [Any]).count >= 3)
        #expect((export["certificates"] as! [[String: Any]]).contains { $0["serial"] as? String == serial })
        #expect(try cli.run("privacy", "export", person, "--format", "pdf", "-o", cli.path("export.pdf")).status == 0)
        #expect(try Self.pdfText(cli.path("export.pdf")).contains(person))
        let reportBefore = try cli.run("report", "department", personData["department"] as! String, "--format", "csv").stdout

        // Erasure: without --confirm nothing happens; with it the person is gone, the rest stays.
        #expect(try cli.run("privacy", "erase", person).status != 0)
        let erased = try cli.run("privacy", "erase", person, "--confirm", "--lang", "en")
        #expect(erased.status == 0 && erased.stdout.contains("ERASED-"))
        #expect(try cli.run("people", "show", person).status != 0)
        #expect(try cli.run("privacy", "export", person).status != 0)
        #expect(try cli.run("audit", "verify").status == 0)
        let audit = try cli.run("audit", "show", "--limit", "500").stdout
        #expect(!audit.contains(name))
        let verify = try cli.run("certificate", "verify", serial, "--lang", "en")
        #expect(verify.status == 0 && verify.stdout.contains("erased") && !verify.stdout.contains(name))
        // The printed PDF still carries its own signature and verifies offline.
        #expect(try cli.run("certificate", "verify", cli.path("c.pdf")).status == 0)
        // Training figures are unchanged: the records stay, pseudonymised.
        let reportAfter = try cli.run("report", "department", personData["department"] as! String, "--format", "csv").stdout
        // (The headcount counts current staff, so it drops by one; enrolments, completions and hours do not.)
        func figures(_ csv: String) -> [String] {
            csv.components(separatedBy: "\r\n").filter { $0.hasPrefix("\"Upisano\"") || $0.hasPrefix("\"Završilo\"") || $0.hasPrefix("\"Održano sati") }
        }
        #expect(figures(reportBefore).count == 3 && figures(reportBefore) == figures(reportAfter))
        #expect(!reportAfter.contains(name))
    }

    static func pdfText(_ path: String) throws -> String { try CLIRunner.tool("/usr/bin/pdftotext", [path, "-"]) }

    @Test func retentionAndPurge() throws {
        let cli = try CLIRunner.seededForCertificates()
        defer { cli.cleanUp() }
        #expect(try cli.run("privacy", "retention", "--lang", "en").stdout.contains("730 days"))
        #expect(try cli.run("privacy", "retention", "--days", "10").status != 0)
        #expect(try cli.run("privacy", "retention", "--days", "90", "--lang", "en").stdout.contains("90 days"))
        let purge = try cli.run("privacy", "purge", "--lang", "en")
        #expect(purge.status == 0 && purge.stdout.hasPrefix("Deleted:") && purge.stdout.contains("sent messages"))
    }
}
