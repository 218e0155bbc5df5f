import Foundation
import HummingbirdTesting
import Synchronization
import Testing
import TrainingCore
@testable import TrainingWeb

/// The running server makes the decisions time brings: its clock tick completes a trainee when the last session ends,
/// without a restart and without any other write, and the pages show it.
@Suite struct LiveClockTests {
    /// A District clock the test moves.
    final class MovableClock: Sendable {
        private let time: Mutex<LocalDateTime>
        init(_ start: LocalDateTime) { time = Mutex(start) }
        var now: LocalDateTime { time.withLock { $0 } }
        func move(to iso: String) { time.withLock { $0 = LocalDateTime(iso: iso)! } }
    }

    /// The `<tr>` of the report table whose first cell is `first`.
    static func row(_ html: String, first: String) -> String? {
        guard let start = html.range(of: "<tr><td>\(first)</td>") else { return nil }
        return String(html[start.lowerBound...].prefix { $0 != "\n" })
    }

    @Test func theRunningServerCompletesTheTraineeWhenTheLastSessionEnds() async throws {
        let fixture = try WebFixture()
        let actor = Actor("test:web")!
        // The fixture's one session runs on 10 November, 09:00–12:00; the coordinator marks and scores during it.
        let during = fixture.office(at: LocalDateTime(iso: "2026-11-10 10:00")!)
        try during.attendance.record(session: SessionID(rawValue: fixture.sessionID),
                                     entries: [AttendanceEntry(personalNumber: "1001", status: .present)], actor: actor)
        try during.scores.record(cohort: "W1", person: "1001", assessment: "M1-T", score: 80, actor: actor)

        let clock = MovableClock(LocalDateTime(iso: "2026-11-10 11:30")!)
        var configuration = WebConfiguration(host: "127.0.0.1", port: 0, office: fixture.office(now: { clock.now }))
        configuration.tickInterval = .milliseconds(50)
        let app = try await buildApplication(configuration)
        try await withLiveServer(app) { client in
            var trainee = WebClient(client), head = WebClient(client)
            try await trainee.signIn("polaznik")
            try await head.signIn("sef")
            let report = "/reports/department/EIMS?from=2026-11-01&to=2026-11-30&lang=en"

            let myBefore = String(buffer: try await trainee.get("/my?lang=en").body)
            #expect(myBefore.contains("· holds a place"), "\(myBefore)")
            let reportBefore = String(buffer: try await head.get(report).body)
            #expect(Self.row(reportBefore, first: "Completed")?.hasPrefix("<tr><td>Completed</td><td>0</td>") == true)
            #expect(Self.row(reportBefore, first: "1001")?.contains("<td>W1</td><td>holds a place</td>") == true)

            // The session ends; nothing is written by anyone. The tick, not a request, makes the decision.
            clock.move(to: "2026-11-10 12:01")
            var completed = false
            let deadline = ContinuousClock.now + .seconds(30)  // generous: CI runs many suites at once
            while !completed, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                completed = try fixture.office().enrolment.enrolments(cohort: "W1")
                    .first { $0.person.personalNumber == "1001" }?.status == .completed
            }
            #expect(completed, "the tick did not complete the enrolment within 30 seconds")

            let myAfter = String(buffer: try await trainee.get("/my?lang=en").body)
            #expect(myAfter.contains("· program completed"), "\(myAfter)")
            let reportAfter = String(buffer: try await head.get(report).body)
            #expect(Self.row(reportAfter, first: "Completed")?.hasPrefix("<tr><td>Completed</td><td>1</td>") == true,
                    "\(Self.row(reportAfter, first: "Completed") ?? reportAfter)")
            #expect(Self.row(reportAfter, first: "1001")?.contains("<td>W1</td><td>program completed</td>") == true)
            let audit = try fixture.office().administration.auditEvents(limit: 1).first
            #expect(audit?.actor == "system:clock" && audit?.action == "enrolment.complete")
        }
    }
}
