import Foundation
import Testing

@Suite struct PeopleAndScheduleCommandTests {
    static let demoCSV = CLIRunner.repositoryRoot.appendingPathComponent("Sources/TrainingOffice/Resources/demo/participants-excel-cp1250.csv")

    func write(_ text: String, encoding: String.Encoding = .utf8, in cli: CLIRunner, name: String) throws -> String {
        let url = cli.dataDirectory.deletingLastPathComponent().appendingPathComponent(name)
        try text.data(using: encoding)!.write(to: url)
        return url.path
    }

    @Test func aBadCSVLeavesTheDatabaseByteForByteUnchanged() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        #expect(try cli.run("people", "import", Self.demoCSV.path).status == 0)
        let database = cli.dataDirectory.appendingPathComponent("obuka.sqlite")
        let walURL = URL(fileURLWithPath: database.path + "-wal")
        let before = try Data(contentsOf: database)
        let walBefore = (try? Data(contentsOf: walURL)) ?? Data()
        let bad = try write("""
            personal_number;given_name;family_name;email;department;job_title\r
            2001;Lejla;Kadić;lejla@uprava.example;OBR;referent\r
            2002;Mirsad;Hodžić;mirsad@;EIMS;referent\r
            2003;Vedran;Kovač;vedran@uprava.example;NEMA;referent\r
            2001;Lejla;Kadić;lejla@uprava.example;OBR;referent\r
            """, in: cli, name: "bad.csv")
        let result = try cli.run("people", "import", bad, "--lang", "en")
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.csv: row 3, column “E-mail” (email): “mirsad@” is not a valid e-mail address"))
        #expect(result.stderr.contains("bad.csv: row 4, column “Department” (department): unknown department “NEMA”"))
        #expect(result.stderr.contains("bad.csv: row 5, column “Personal number” (personal_number): personal number 2001 appears twice (first in row 2)"))
        #expect(result.stderr.contains("Nothing was imported"))
        // In Bosnian the column is named in words, then as the file's header has it.
        #expect(try cli.run("people", "import", bad).stderr.contains("bad.csv: red 4, kolona „Odjeljenje“ (department): "))
        #expect(try Data(contentsOf: database) == before)
        #expect(((try? Data(contentsOf: walURL)) ?? Data()) == walBefore)
    }

    @Test func cp1250ImportKeepsNamesAndDryRunWritesNothing() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run("init")
        let dry = try cli.run("people", "import", Self.demoCSV.path, "--dry-run", "--lang", "en")
        #expect(dry.stdout.contains("Dry run (nothing written): would add 20"))
        #expect(try cli.run("people", "list").stdout.contains("1040") == false)
        let real = try cli.run("people", "import", Self.demoCSV.path, "--lang", "en")
        #expect(real.stdout.contains("encoding Windows-1250"))
        let list = try cli.run("people", "list", "--department", "EIMS").stdout
        #expect(list.contains("Đukić Ljiljana"))
        #expect(try cli.run("people", "show", "1033").stdout.contains("Džana Lukić"))
        let audit = try cli.run("audit", "show", "--entity-type", "import").stdout
        #expect(audit.split(separator: "\n").count == 3, "one event per import: \(audit)")
    }

    @Test func calendarFilesParseWithPythonsIcalendarAndCarrySequences() throws {
        var cli = CLIRunner()
        cli.environment["OBUKA_NOW"] = "2026-11-25 12:00"
        defer { cli.cleanUp() }
        try cli.run("init")
        #expect(try cli.run("demo", "seed").status == 0)
        // Cohort B's sessions are 7…12, weekly from 2026-12-09.
        #expect(try cli.run("schedule", "move", "12", "--date", "2027-01-20", "--from", "10:00", "--to", "14:00").status == 0)
        #expect(try cli.run("schedule", "cancel", "11", "--reason", "bolest").status == 0)
        let ics = cli.dataDirectory.deletingLastPathComponent().appendingPathComponent("a.ics").path
        #expect(try cli.run("schedule", "ics", "DIJ-B", "-o", ics).status == 0)
        let script = """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for e in cal.walk('VEVENT'):
                print(e['UID'], int(e['SEQUENCE']), e['STATUS'], e['DTSTART'].dt.isoformat(), e['DTSTART'].dt.tzinfo is not None,
                      e['DTSTAMP'].dt.utcoffset() is not None and e['DTSTAMP'].dt.utcoffset().total_seconds() == 0)
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, ics]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let lines = output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 6)
        #expect(Set(lines.map { $0[0] }).count == 6, "UIDs are unique")
        #expect(lines[4][1] == "1" && lines[4][2] == "CANCELLED")
        #expect(lines[5][1] == "1" && lines[5][3].hasPrefix("2027-01-20T10:00:00"))
        #expect(lines.allSatisfy { $0[4] == "True" })
        // DTSTAMP is UTC, as RFC 5545 requires: it ends in Z.
        #expect(lines.allSatisfy { $0[5] == "True" }, "\(output)")
        // The moved session keeps its UID.
        let member = try cli.run("enrol", "add", "DIJ-B", "1025")
        #expect(member.status == 0)
        let person = try cli.run("schedule", "ics", "--person", "1025").stdout
        #expect(person.contains(lines[5][0]))
    }

    @Test func aClashIsRefusedWithItsReasonUnlessForced() throws {
        var cli = CLIRunner()
        cli.environment["OBUKA_NOW"] = "2026-11-25 12:00"
        defer { cli.cleanUp() }
        try cli.run("init")
        try cli.run("demo", "seed")
        try cli.run("cohort", "create", "--code", "DIJ-C", "--name", "Grupa C", "--program", "dijaspora-2022",
                    "--starts", "2026-12-01", "--ends", "2026-12-31", "--capacity", "10")
        let refused = try cli.run("schedule", "add", "DIJ-C", "--module", "M1", "--date", "2026-12-09", "--from", "10:00",
                                  "--to", "12:00", "--venue", "Sala Vlade Brčko distrikta", "--lang", "en")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("venue Sala Vlade Brčko distrikta is taken: session 7 of DIJ-B"))
        #expect(refused.stderr.contains("--force"))
        let holiday = try cli.run("schedule", "add", "DIJ-C", "--module", "M1", "--date", "2027-01-01", "--from", "10:00",
                                  "--to", "12:00", "--lang", "en")
        #expect(holiday.stderr.contains("2027-01-01 is a Brčko District holiday (New Year)"))
        let forced = try cli.run("schedule", "add", "DIJ-C", "--module", "M1", "--date", "2026-12-09", "--from", "10:00",
                                 "--to", "12:00", "--venue", "Sala Vlade Brčko distrikta", "--force", "--actor", "koordinator")
        #expect(forced.status == 0)
        #expect(try cli.run("audit", "show", "--limit", "1").stdout.contains("session.create.forced"))
    }
}

@Suite struct ProgressCommandTests {
    @Test func theDemoCohortShowsCompletedAtRiskAndOneWhoCannotComplete() throws {
        var cli = CLIRunner()
        cli.environment["OBUKA_NOW"] = "2026-11-25 12:00"
        defer { cli.cleanUp() }
        try cli.run("init")
        #expect(try cli.run("demo", "seed").status == 0)
        let table = try cli.run("progress", "--cohort", "DIJ-A", "--lang", "en").stdout
        let rows = table.split(separator: "\n").dropFirst(2)
        #expect(rows.count == 20)
        #expect(rows.filter { $0.hasSuffix("completed") }.count == 17)
        #expect(rows.filter { $0.hasSuffix("at risk") }.count == 2)
        #expect(rows.filter { $0.hasSuffix("cannot complete") }.count == 1)
        let person = try cli.run("progress", "1015", "--lang", "en").stdout
        #expect(person.contains("one attempt left at M1-T (module M1)"))
        // The demo sets a signatory, so a certificate can be issued right away.
        let issued = try cli.run("certificate", "issue", "1025", "--cohort", "DIJ-A", "-o", cli.path("demo.pdf"))
        #expect(issued.status == 0)
    }

    @Test func aSignInCSVWithABadRowImportsNothing() throws {
        var cli = CLIRunner()
        cli.environment["OBUKA_NOW"] = "2026-11-25 12:00"
        defer { cli.cleanUp() }
        try cli.run("init")
        try cli.run("demo", "seed")
        let file = cli.dataDirectory.deletingLastPathComponent().appendingPathComponent("sign-in.csv")
        try "personal_number;status;minutes_present;note\r\n1025;prisutan;;\r\n1038;zakasnio;;bus\r\n9999;odsutan;;\r\n".write(to: file, atomically: true, encoding: .utf8)
        let before = try cli.run("attendance", "show", "1", "--history").stdout
        let result = try cli.run("attendance", "import", "1", file.path, "--lang", "en")
        #expect(result.status == 1)
        #expect(result.stderr.contains("row 3: 1038: “late” needs the minutes present, fewer than the session's 240"))
        #expect(result.stderr.contains("row 4: 9999 holds no place in DIJ-A"))
        #expect(try cli.run("attendance", "show", "1", "--history").stdout == before)
    }
}
