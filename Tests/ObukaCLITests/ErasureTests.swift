import Foundation
import Testing

/// An erasure leaves no erased value anywhere in the database's files, with the server running: the walk found the
/// login in audit rows, the erased values in the WAL and in free pages, and an unrelated audit detail wiped because its
/// text happened to contain the personal number's digits.
@Suite struct ErasureTests {
    static let values = ["QZ7731", "Zlatoslava", "Qwertićka", "zlatoslava.q@uprava.example", "zlatoslavaq"]

    static func occurrences(in files: [String]) -> [String] {
        var found: [String] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for value in values where data.range(of: Data(value.utf8)) != nil { found.append("\(value) in \((file as NSString).lastPathComponent)") }
        }
        return found
    }

    @Test func nothingErasedRemainsInTheFileOrTheWALWhileTheServerRuns() throws {
        var cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        cli.timeout = 60
        let csv = cli.path("novi.csv")
        try Data("""
            personal_number;given_name;family_name;sex;email;department;job_title\r
            QZ7731;Zlatoslava;Qwertićka;ž;zlatoslava.q@uprava.example;EIMS;referentica\r
            """.utf8).write(to: URL(fileURLWithPath: csv))
        #expect(try cli.run("people", "import", csv).status == 0)
        #expect(try cli.run("account", "add", "zlatoslavaq", "--name", "Zlatoslava Qwertićka", "--role", "trainee", "--person", "QZ7731").status == 0)
        #expect(try cli.run("token", "create", "zlatoslavaq").status == 0)
        #expect(try cli.run("enrol", "request", "DIJ-B", "QZ7731").status == 0)
        // The export lists every event about them and their account (the walk's export listed 0 of 7).
        let export = try cli.run("privacy", "export", "QZ7731", "--format", "json").stdout
        let document = try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any]
        let actions = Set(((document?["audit_events"] ?? document?["auditEvents"]) as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
        #expect(actions.isSuperset(of: ["account.create", "token.create", "enrolment.request"]), "\(actions) in \(export.prefix(300))")
        let database = cli.dataDirectory.appendingPathComponent("obuka.sqlite").path
        #expect(!Self.occurrences(in: [database, database + "-wal"]).isEmpty, "the values were never stored")

        let port = Int.random(in: 20_000..<60_000)
        var serving = cli
        serving.timeout = nil
        let server = try serving.start(["serve", "--port", String(port)])
        defer { server.terminate(); server.waitUntilExit() }
        Thread.sleep(forTimeInterval: 1)  // let it open its connections; nothing is timed

        let erased = try cli.run("privacy", "erase", "QZ7731", "--confirm", "--lang", "en")
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(server.isRunning)
        #expect(Self.occurrences(in: [database, database + "-wal"]).isEmpty, "\(Self.occurrences(in: [database, database + "-wal"]))")
        #expect(try cli.run("audit", "verify").status == 0)
        // The import's own detail (a file digest, counts) concerns no one and stays.
        let audit = try cli.run("audit", "show", "--limit", "100").stdout
        #expect(audit.contains("people.import") && audit.contains("sha256"), "\(audit)")
    }
}
