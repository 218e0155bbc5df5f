import Foundation
import Testing

@Suite struct BulkCertificateTests {
    func seeded() throws -> CLIRunner { try CLIRunner.seededForCertificates(publicURL: nil) }

    @Test func bulkIssueIsIdempotentEvenWhenTwoRunAtOnce() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        // Two processes at once: SQLite serialises their transactions; the second finds nothing left to issue.
        let results = try [cli.path("one.zip"), cli.path("two.zip")].map { zip in
            let process = Process()
            process.executableURL = CLIRunner.executable
            process.arguments = ["certificate", "issue", "--cohort", "DIJ-A", "--zip", zip, "--lang", "en"]
            var environment = ProcessInfo.processInfo.environment
            environment["OBUKA_DATA"] = cli.dataDirectory.path
            environment["OBUKA_HOME"] = CLIRunner.repositoryRoot.path
            environment["OBUKA_NOW"] = "2026-11-25 12:00"
            process.environment = environment
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            return process
        }
        for process in results { process.waitUntilExit() }
        #expect(results.allSatisfy { $0.terminationStatus == 0 })
        let list = try cli.run("certificate", "list", "--cohort", "DIJ-A").stdout
        #expect(list.split(separator: "\n").count == 2 + 17, "17 trainees completed, each with exactly one certificate")
        let again = try cli.run("certificate", "issue", "--cohort", "DIJ-A", "--lang", "en")
        #expect(again.stdout.contains("No new certificates for cohort DIJ-A"))
        // The archive that did the work holds the PDFs and an index.
        let archives = [cli.path("one.zip"), cli.path("two.zip")].filter { FileManager.default.fileExists(atPath: $0) }
        let listing = try archives.map { zip -> String in
            let unzip = Process()
            unzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            unzip.arguments = ["python3", "-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", zip]
            let pipe = Pipe()
            unzip.standardOutput = pipe
            try unzip.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            unzip.waitUntilExit()
            return text
        }.joined(separator: "\n")
        #expect(listing.split(separator: "\n").filter { $0.hasSuffix(".pdf") }.count == 17)
        #expect(listing.contains("index.csv"))
    }

    @Test func aRevokedCertificateVerifiesAsRevokedAndCanBeReplaced() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "-o", cli.path("a.pdf"))
        let revoke = try cli.run("certificate", "revoke", "BD-DIJ-2026-000001", "--reason", "greška u imenu")
        #expect(revoke.status == 0)
        let verify = try cli.run("certificate", "verify", cli.path("a.pdf"), "--lang", "en")
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("REVOKED: certificate BD-DIJ-2026-000001, Goran Babić, revoked on 20"))
        #expect(verify.stdout.contains("greška u imenu"))
        let replacement = try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "-o", cli.path("b.pdf"))
        #expect(replacement.status == 0)
        #expect(replacement.stdout.contains("BD-DIJ-2026-000002"))
        #expect(try cli.run("certificate", "verify", "BD-DIJ-2026-000002").status == 0)
        #expect(try cli.run("audit", "show", "--entity", "BD-DIJ-2026-000001").stdout.contains("certificate.revoke"))
    }

    @Test func certificatesKeepVerifyingAcrossAKeyRotation() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "-o", cli.path("old.pdf"))
        let rotated = try cli.run("keys", "rotate", "--lang", "en")
        #expect(rotated.status == 0)
        try cli.run("certificate", "issue", "1038", "--cohort", "DIJ-A", "-o", cli.path("new.pdf"))
        #expect(try cli.run("certificate", "verify", cli.path("old.pdf")).status == 0)
        #expect(try cli.run("certificate", "verify", cli.path("new.pdf")).status == 0)
        let keys = try cli.run("keys", "list").stdout.split(separator: "\n").dropFirst(2)
        #expect(keys.count == 2)
        #expect(keys.filter { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").count == 4 }.count == 1,
                "exactly one key is retired")
    }

    @Test func expiringListsThoseWhoNeedRecertification() throws {
        var cli = try seeded()
        defer { cli.cleanUp() }
        try cli.run("certificate", "issue", "--cohort", "DIJ-A")
        // Issued 2026-11-25, valid five years: the last valid day is 2031-11-24.
        cli.environment["OBUKA_NOW"] = "2031-08-25 09:00"
        #expect(try cli.run("certificate", "expiring", "--within", "90d").stdout.split(separator: "\n").count == 2)
        cli.environment["OBUKA_NOW"] = "2031-08-26 09:00"
        #expect(try cli.run("certificate", "expiring", "--within", "90d").stdout.split(separator: "\n").count == 2 + 17)
        cli.environment["OBUKA_NOW"] = "2031-11-25 09:00"
        #expect(try cli.run("certificate", "expiring", "--within", "90d").stdout.split(separator: "\n").count == 2)
    }
}
