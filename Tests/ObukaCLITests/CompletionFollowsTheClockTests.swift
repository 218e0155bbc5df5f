import Foundation
import Testing

/// Completion is decided when the last required session ends, not only when a mark is written: attendance taken while the
/// last session runs is enough, and the next command that shows completion after its end finds the trainee completed.
@Suite struct CompletionFollowsTheClockTests {
    /// The session numbers of a cohort, in the order `schedule list` prints them.
    func sessions(_ cli: CLIRunner, cohort: String) throws -> [String] {
        try cli.run("schedule", "list", cohort).stdout.split(separator: "\n")
            .compactMap { line in line.split(separator: " ").first.flatMap { Int($0) }.map(String.init) }
    }

    func auditCount(_ cli: CLIRunner) throws -> Int {
        // `audit show` numbers events; the newest comes first.
        let first = try cli.run("audit", "show", "--limit", "1").stdout.split(separator: "\n").dropFirst(2).first
        return first.flatMap { $0.split(separator: " ").first }.flatMap { Int($0) } ?? 0
    }

    @Test func attendanceMarkedDuringTheLastSessionCompletesTheTraineeOnceItEnds() throws {
        var cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        // Cohort B meets weekly from 9 December; its last session is on 13 January, 09:00–13:00.
        let sessions = try sessions(cli, cohort: "DIJ-B")
        #expect(sessions.count == 6)
        cli.environment["OBUKA_NOW"] = "2027-01-06 14:00"
        for session in sessions.dropLast() { #expect(try cli.run("attendance", "bulk", session).status == 0) }
        for assessment in ["M1-T", "M2-P", "M3-T"] {
            #expect(try cli.run("assessment", "record", "DIJ-B", "1026", assessment, "--score", "90").status == 0)
        }

        // The coordinator marks everyone present at the start of the last session.
        cli.environment["OBUKA_NOW"] = "2027-01-13 09:15"
        #expect(try cli.run("attendance", "bulk", sessions.last!).status == 0)
        cli.environment["OBUKA_NOW"] = "2027-01-13 12:30"
        let during = try cli.run("progress", "1026", "--lang", "en")
        #expect(during.status == 0 && during.stdout.contains("Status: holds a place"), "\(during.stdout)")
        let reportDuring = try cli.run("report", "department", "DF", "--format", "csv", "--lang", "en").stdout
        #expect(reportDuring.contains("\"Completed\";\"0\";\"0\""), "\(reportDuring)")
        let eventsDuring = try auditCount(cli)

        // After its end, with no write in between, the next command finds the decision due and makes it once.
        cli.environment["OBUKA_NOW"] = "2027-01-13 13:01"
        let after = try cli.run("progress", "1026", "--lang", "en")
        #expect(after.status == 0 && after.stdout.contains("Status: program completed"), "\(after.stdout)")
        #expect(try auditCount(cli) == eventsDuring + 1)
        let audit = try cli.run("audit", "show", "--limit", "1").stdout
        #expect(audit.contains("system:clock") && audit.contains("enrolment.complete") && audit.contains("DIJ-B/1026"), "\(audit)")
        let report = try cli.run("report", "department", "DF", "--format", "csv", "--lang", "en").stdout
        #expect(report.contains("\"Completed\";\"1\";\"1\""), "\(report)")
        #expect(report.contains("\"1026\";\"Omerović Marko\";\"DIJ-B\";\"program completed\""), "\(report)")
        // Nothing more is due: showing it again writes nothing.
        _ = try cli.run("progress", "1026")
        #expect(try auditCount(cli) == eventsDuring + 1)
    }
}
