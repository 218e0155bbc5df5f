import Foundation
import Synchronization
import Testing
import TrainingCore
import TrainingStore
@testable import TrainingWeb

@Suite struct ReportCacheTests {
    /// A reading is kept until training data changes or a session of its cohorts ends; the read-access log,
    /// which every report view writes, keeps it; `fresh` reads anew.
    @Test func aReadingIsKeptWhileItHolds() async throws {
        let fixture = try WebFixture()
        let cache = ReportCache(changes: try fixture.office().changes())
        let database = fixture.database
        let actor = Actor("test:cache")!
        let scope = ReportScope(department: DepartmentCode("EIMS"), from: LocalDate(iso: "2026-01-01")!, to: fixture.now.date,
                                programID: nil)
        let key = ReportCache.Key(department: scope.department, from: scope.from, to: scope.to, programID: nil)
        let reads = Mutex(0)
        func reading(at now: LocalDateTime, fresh: Bool = false) async throws -> ReportReading {
            try await cache.reading(key, now: now, fresh: fresh) { district in
                reads.withLock { $0 += 1 }
                return try database.reportReading(scope, now: now, known: district)
            }
        }
        let first = try await reading(at: fixture.now)
        #expect(first.figures.presentMinutes == 0)
        _ = try await reading(at: fixture.now)
        #expect(reads.withLock { $0 } == 1)
        try await database.recordReadAccesses([ReadAccess(at: "2026-11-25T11:00:00Z", actor: "web:sef", what: "report.department",
                                                    subject: "1001")])
        _ = try await reading(at: fixture.now)
        #expect(reads.withLock { $0 } == 1, "the read-access log is not a change of data")
        _ = try await reading(at: fixture.now, fresh: true)
        #expect(reads.withLock { $0 } == 2)
        // Attendance recorded (as the CLI would): the next view reads it.
        try fixture.office(at: fixture.now).attendance.record(session: SessionID(rawValue: fixture.sessionID), entries: [AttendanceEntry(personalNumber: "1001", status: .present)], actor: actor)
        let afterAttendance = try await reading(at: fixture.now)
        #expect(reads.withLock { $0 } == 3)
        #expect(afterAttendance.figures.presentMinutes == 180)
        // A session still to come: the reading holds until it ends, then the held minutes change.
        _ = try fixture.office().scheduling.schedule(cohort: "W1", module: "M1", starts: LocalDateTime(iso: "2026-11-26 09:00")!, ends: LocalDateTime(iso: "2026-11-26 10:00")!, venue: nil, trainer: nil, force: false, actor: actor)
        let scheduled = try await reading(at: fixture.now)
        #expect(scheduled.validity.nextSessionEnd == LocalDateTime(iso: "2026-11-26 10:00"))
        _ = try await reading(at: LocalDateTime(iso: "2026-11-26 09:59")!)
        #expect(reads.withLock { $0 } == 4)
        let ended = try await reading(at: LocalDateTime(iso: "2026-11-26 10:00")!)
        #expect(reads.withLock { $0 } == 5)
        #expect(ended.districtFigures.countedMinutes == scheduled.districtFigures.countedMinutes + 2 * 60)
        // A time before the reading's own is not taken from it either.
        _ = try await reading(at: fixture.now)
        #expect(reads.withLock { $0 } == 6)
    }

    /// The District's side read for one department is offered to the next department's reading (not to a fresh one).
    @Test func theDistrictSideIsSharedAcrossDepartments() async throws {
        let fixture = try WebFixture()
        let cache = ReportCache(changes: try fixture.office().changes())
        let from = LocalDate(iso: "2026-01-01")!, to = fixture.now.date
        func reading(_ department: DepartmentCode, fresh: Bool = false) async throws -> (ReportReading, DistrictReading?) {
            var offered: DistrictReading?
            let reading = try await cache.reading(.init(department: department, from: from, to: to, programID: nil), now: fixture.now,
                                            fresh: fresh) { district in
                offered = district
                return try fixture.database.reportReading(ReportScope(department: department, from: from, to: to, programID: nil),
                                                          now: fixture.now, known: district)
            }
            return (reading, offered)
        }
        let (eims, none) = try await reading(DepartmentCode("EIMS"))
        #expect(none == nil)
        let (other, offered) = try await reading(fixture.otherDepartment)
        #expect(offered?.validity == eims.validity)
        #expect(other.districtFigures == eims.districtFigures)
        let (_, notOffered) = try await reading(DepartmentCode("DF"), fresh: true)
        #expect(notOffered == nil)
    }

    /// Served reports follow the data: the second view of an unchanged report is the first, and attendance
    /// recorded in between shows at once.
    @Test func aServedReportShowsNewAttendance() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            _ = try await web.signIn("sef")
            let path = "/reports/department/EIMS?from=2026-01-01&to=2026-11-25&format=csv"
            let first = try await web.get(path), again = try await web.get(path)
            #expect(first.status == .ok && first.body == again.body)
            try fixture.office(at: fixture.now).attendance.record(session: SessionID(rawValue: fixture.sessionID), entries: [AttendanceEntry(personalNumber: "1001", status: .present)], actor: Actor("test:cache")!)
            let after = try await web.get(path)
            #expect(after.status == .ok && after.body != first.body)
            #expect(String(buffer: after.body).contains("Hodžić"))
            // Each format and language is rendered from the kept reading, never served for another.
            let html = "/reports/department/EIMS?from=2026-01-01&to=2026-11-25"
            let bosnian = try await web.get(html), english = try await web.get(html + "&lang=en")
            let cyrillic = try await web.get(html + "&lang=sr-Cyrl"), pdf = try await web.get(html + "&format=pdf")
            #expect(String(buffer: bosnian.body).contains("<html lang=\"bs\""))
            #expect(String(buffer: english.body).contains("<html lang=\"en\""))
            #expect(String(buffer: cyrillic.body).contains("<html lang=\"sr-Cyrl\""))
            #expect(english.headers[.contentSecurityPolicy]?.contains("'sha256-") == true)
            #expect(pdf.headers[.contentType] == "application/pdf" && String(buffer: pdf.body).hasPrefix("%PDF"))
            let csvAgain = try await web.get(path + "&lang=bs")  // the last choice of language is kept in a cookie
            #expect(csvAgain.body == after.body && csvAgain.headers[.contentType] == "text/csv; charset=utf-8")
        }
    }

    /// A served report's content security policy allows exactly its style blocks, by their SHA-256 (digests from
    /// Python's hashlib), and nothing from a block that is never closed.
    @Test func thePolicyAllowsExactlyThePagesStyleBlocks() {
        let page = "<html><head><style>p{color:#123}</style></head><body>Đ<style>\nh1 { margin: 0 }\n</style><style>p{"
        let policy = ReportController.policy(for: page)
        #expect(policy.contains("style-src 'self' 'sha256-iK8BKMF0MYdWL7Y1GPs31riIM9k3lWeqs6XrojewshA=' "
                                + "'sha256-kUaMa+7eIsNCHtb+XobYId+JgYUQILv+lTvcEvOB6FA=';"))
        #expect(ReportController.policy(for: "<p>no style</p>").contains("style-src 'self' ;"))
    }
}
