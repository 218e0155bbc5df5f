import Foundation
import GRDB
import Mustache
import Reports
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// A small District: two departments, one cohort, four 2-hour sessions (two per module), all held.
struct ReportFixture {
    let database: AppDatabase
    let now = LocalDateTime(iso: "2026-04-30 12:00")!
    let actor = Actor("test:reports")!
    let scope: ReportScope

    init(database: AppDatabase? = nil) throws {
        self.database = try database ?? AppDatabase.inMemory()
        let database = self.database
        let program = Program(
            id: "p", version: 1, year: 2026, serialCode: "PP", validYears: nil, title: LocalizedText([.bosnian: "Probni"]),
            provider: DepartmentCode("EIMS"), goal: nil,
            completion: CompletionRule(attendancePercent: 80, excused: .absent, finalPass: 60),
            modules: ["M1", "M2"].enumerated().map { index, id in
                Module(id: id, order: index + 1, hours: 4, title: LocalizedText([.bosnian: "Modul \(index + 1)"]), assessments: [
                    AssessmentDefinition(id: "\(id)-T", moduleID: id, kind: .test, maxScore: 100, passScore: 60, weight: 0.5,
                                         attempts: 2, required: true),
                ])
            })
        _ = try office(database).curriculum.load([ProgramFile(program: program, source: "<p/>",
                                                   file: "p.xml")], actor: actor)
        let people: [(String, String, Sex?)] = [("1", "EIMS", .female), ("2", "EIMS", .male), ("3", "EIMS", nil),
                                                 ("4", "DF", .female), ("5", "DF", .male)]
        _ = try office(database).people.importDrafts(people.map { number, department, sex in
            PersonDraft(personalNumber: number, givenName: "Ime\(number)", familyName: "Prezime\(number)", sex: sex,
                        email: "\(number)@uprava.example", department: DepartmentCode(department), jobTitle: nil)
        }, file: "p.csv", sha256: String(repeating: "3", count: 64), actor: actor)
        _ = try office(database).cohorts.create(code: "A", name: "A", program: "p", starts: LocalDate(iso: "2026-03-01")!, ends: LocalDate(iso: "2026-03-31")!, capacity: 10, actor: actor)
        _ = try office(database).enrolment.enrol(cohort: "A", people: ["1", "2", "3", "4", "5"], actor: actor)
        // Person 3 moves to DF after enrolling: the training still counts for EIMS.
        _ = try office(database).people.transfer("3", to: DepartmentCode("DF"), actor: actor)
        var sessions: [SessionID] = []
        for (index, day) in ["2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"].enumerated() {
            sessions.append(try office(database).scheduling.schedule(cohort: "A", module: index < 2 ? "M1" : "M2", starts: LocalDateTime(iso: "\(day) 09:00")!, ends: LocalDateTime(iso: "\(day) 11:00")!, venue: nil, trainer: nil, force: false, actor: actor).session.id)
        }
        for (index, session) in sessions.enumerated() {
            try office(database, at: now).attendance.record(session: session, entries: [
                AttendanceEntry(personalNumber: "1", status: .present),
                AttendanceEntry(personalNumber: "2", status: index == 0 ? .late : .present, minutes: index == 0 ? 75 : nil),
                AttendanceEntry(personalNumber: "3", status: index == 2 ? .excused : .present),
                AttendanceEntry(personalNumber: "4", status: index == 3 ? .absent : .present),
                AttendanceEntry(personalNumber: "5", status: .present),
            ], actor: actor)
        }
        for (number, m1, m2) in [("1", 90.0, 80.0), ("2", 70, 65), ("3", 50, 90), ("4", 85, 75), ("5", 40, 30)] {
            try office(database, at: now).scores.record(cohort: "A", person: number, assessment: "M1-T", score: m1, actor: actor)
            try office(database, at: now).scores.record(cohort: "A", person: number, assessment: "M2-T", score: m2, actor: actor)
        }
        scope = ReportScope(department: DepartmentCode("EIMS"), from: LocalDate(iso: "2026-01-01")!, to: LocalDate(iso: "2026-12-31")!,
                            programID: nil)
    }

    func figures(_ department: String?) throws -> ReportFigures {
        var scope = self.scope
        scope.department = department.map(DepartmentCode.init)
        return ReportFigures.compute(try database.reportEntries(scope, now: now), headcount: try database.headcount(scope.department))
    }

    /// Figures straight from the ledger, written independently of the rollups.
    func ledger(_ sql: String, _ department: String) throws -> Double {
        try database.writer.read { db in try Double.fetchOne(db, sql: sql, arguments: [department]) ?? 0 }
    }
}

@Suite struct ReportFiguresTests {
    @Test func everyFigureMatchesAnIndependentQueryOverTheLedger() throws {
        let fixture = try ReportFixture()
        for department in ["EIMS", "DF"] {
            let figures = try fixture.figures(department)
            let present = try fixture.ledger("""
                SELECT SUM(a.minutes_present) FROM attendance a JOIN session s ON s.id = a.session_id
                JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id
                WHERE a.current AND s.status = 'scheduled' AND e.department_at_enrolment = ?
                """, department)
            let counted = try fixture.ledger("""
                SELECT SUM((strftime('%s', s.ends_at) - strftime('%s', s.starts_at)) / 60) FROM session s
                JOIN enrolment e ON e.cohort_id = s.cohort_id
                WHERE s.status = 'scheduled' AND e.status IN ('approved', 'completed') AND e.department_at_enrolment = ?
                """, department)
            let enrolled = try fixture.ledger("""
                SELECT COUNT(DISTINCT person_id) FROM enrolment WHERE status IN ('approved', 'completed') AND department_at_enrolment = ?
                """, department)
            let completed = try fixture.ledger(
                "SELECT COUNT(*) FROM enrolment WHERE status = 'completed' AND department_at_enrolment = ?", department)
            #expect(Double(figures.presentMinutes) == present, "\(department)")
            #expect(Double(figures.countedMinutes) == counted, "\(department)")
            #expect(Double(figures.enrolled) == enrolled)
            #expect(Double(figures.completed) == completed)
            #expect(abs(figures.hoursDelivered - present / 60) < 1e-9)
        }
        // The figures themselves: EIMS has 1 (all present), 2 (late: 75 of 120 min) and 3 (excused once, moved to DF).
        let eims = try fixture.figures("EIMS")
        #expect(eims.presentMinutes == 480 + 435 + 360)
        #expect(eims.countedMinutes == 3 * 480)
        #expect(eims.headcount == 2, "headcount is who is in the department now")
        #expect(eims.bySex[.female]?.enrolled == 1 && eims.bySex[nil]?.enrolled == 1)
    }

    @Test func completionUsesTheProgramRule() throws {
        let fixture = try ReportFixture()
        let entries = try fixture.database.reportEntries(fixture.scope, now: fixture.now)
        let forecasts = Dictionary(uniqueKeysWithValues: entries.map { ($0.person.personalNumber, $0.progress.forecast.code) })
        // 1 completes; 2 has 435/480 = 90.6 % but a late M1 (195/240 = 81.25 %) and passes; 3 misses M2 by the excused session.
        #expect(forecasts == ["1": "completed", "2": "completed", "3": "cannot_complete"])
        let module = try fixture.figures("EIMS").modules.first { $0.moduleID == "M2" }
        #expect(module?.attendancePercent == Double(480 + 480 + 240) * 100 / 1440)
        #expect(module?.passRate == 100)
    }

    @Test func theRebuiltRollupsEqualTheIncrementalOnes() throws {
        let fixture = try ReportFixture()
        let incremental = try fixture.database.rollupSnapshot()
        // person × module, person × assessment, department × month and the District's month, cohort × department ×
        // sex × module, the District's cohort × module, cohort × module for the schedule, the five places, the
        // headcounts of the two departments with people, and the District's dated sums (the day the cohort starts and
        // the day it ends × module).
        #expect(incremental.count == 5 * 2 + 5 * 2 + (2 + 1) + 5 * 2 + 2 + 2 + 5 + 2 + 2 * 2)
        try office(fixture.database).reports.rebuildRollups(actor: fixture.actor)
        #expect(try fixture.database.rollupSnapshot() == incremental)
    }

    /// The cohort rollup's rows carry their module's scheduled minutes (v15), kept when sessions are added, moved and
    /// cancelled after the attendance and results that wrote the rows.
    @Test func theRollupsScheduledMinutesFollowTheSchedule() throws {
        let fixture = try ReportFixture()
        let database = fixture.database
        func scheduled(_ module: String) throws -> Set<Int> {
            try database.writer.read { db in
                Set(try Int.fetchAll(db, sql: "SELECT scheduled_minutes FROM cohort_rollup WHERE module_id = ?", arguments: [module]))
            }
        }
        #expect(try scheduled("M1") == [240] && scheduled("M2") == [240])
        let added = try office(database).scheduling.schedule(cohort: "A", module: "M2", starts: LocalDateTime(iso: "2026-03-20 09:00")!, ends: LocalDateTime(iso: "2026-03-20 10:30")!, venue: nil, trainer: nil, force: false, actor: fixture.actor).session.id
        #expect(try scheduled("M2") == [330])
        _ = try office(database).scheduling.move(session: added, starts: LocalDateTime(iso: "2026-03-20 09:00")!, ends: LocalDateTime(iso: "2026-03-20 12:00")!, venue: nil, trainer: nil, force: false, actor: fixture.actor)
        #expect(try scheduled("M2") == [420])
        let incremental = try database.rollupSnapshot()
        try office(database).reports.rebuildRollups(actor: fixture.actor)
        #expect(try database.rollupSnapshot() == incremental)
        _ = try office(database).scheduling.cancel(session: added, reason: nil, actor: fixture.actor)
        #expect(try scheduled("M2") == [240] && scheduled("M1") == [240])
    }

    @Test func theCSVHasABOMSemicolonsAndNeutralisedFormulas() throws {
        #expect(ReportCSV.neutralise("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(ReportCSV.neutralise("@SUM(A1)") == "'@SUM(A1)")
        #expect(ReportCSV.neutralise("-2+3") == "'-2+3")
        #expect(ReportCSV.neutralise("\tx") == "'\tx")
        #expect(ReportCSV.neutralise("Đukić") == "Đukić")
        let document = ReportDocument(title: "T", subtitle: [], tables: [
            .init(title: "t", header: ["a", "b"], rows: [["=1+1", "Đ;ž"]], numericColumns: []),
        ], charts: [], language: .bosnian)
        let data = try ReportCSV.render(document)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.contains("\"'=1+1\";\"Đ;ž\""))
        #expect(text.hasSuffix("\"Đ;ž\"\r\n"), "every line, the last too, ends with CRLF")
        #expect(!text.hasSuffix("\r\n\r\n"))
    }

    @Test func theHTMLEscapesWhatItShowsAndDrawsCharts() throws {
        let fixture = try ReportFixture()
        _ = try office(fixture.database).people.importDrafts([PersonDraft(
            personalNumber: "9", givenName: "<script>alert(1)</script>", familyName: "O'Brien & Co", sex: nil,
            email: "9@uprava.example", department: DepartmentCode("EIMS"), jobTitle: nil)], file: "x", sha256: String(repeating: "4", count: 64), actor: fixture.actor)
        _ = try office(fixture.database).enrolment.enrol(cohort: "A", people: ["9"], actor: fixture.actor)
        let input = ReportInput(
            department: try office(fixture.database).administration.department(DepartmentCode("EIMS")), from: fixture.scope.from, to: fixture.scope.to,
            program: nil, contents: ReportContents(
                entries: try fixture.database.reportEntries(fixture.scope, now: fixture.now),
                figures: try fixture.database.reportFigures(fixture.scope, now: fixture.now),
                districtFigures: try fixture.figures(nil), hoursPerMonth: try fixture.database.hoursPerMonth(fixture.scope, now: fixture.now),
                districtHoursPerMonth: []),
            today: fixture.now.date, departments: try office(fixture.database).administration.departments())
        let document = ReportBuilder(localizer: .init(.bosnian)).department(input)
        let html = ReportHTML.render(document)
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<svg"))
        #expect(html.contains("<polyline"))
        #expect(html.contains("2026-03"))
        // Numbers are right-aligned by column: a style rule for each numeric column of each table, plain cells.
        #expect(document.tables.count > 2)
        for (index, table) in document.tables.enumerated() {
            #expect(html.contains("<table id=\"t\(index + 1)\">"))
            for column in table.numericColumns {
                #expect(html.contains("#t\(index + 1) td:nth-child(\(column + 1)), "))
            }
            #expect(html.contains("<tr><td>" + table.rows[0][0]
                .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") + "</td>"))
        }
        #expect(!html.contains("<td class"))
    }

    /// Values are escaped byte by byte: the five characters HTML gives meaning to wherever they stand, a quote
    /// before a combining mark too (one Swift Character, which Mustache's own escaping left as it was), and nothing
    /// else changed.
    @Test func valuesAreEscapedByteByByte() throws {
        #expect(HTMLEscaping.escape(#"<a href="x">Tom & 'Jerry'</a>"#)
            == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        let acute = "\u{301}", diaeresis = "\u{308}"
        let marked = "\"\(acute)x'\(diaeresis)", markedEscaped = "&quot;\(acute)x&#39;\(diaeresis)"
        #expect(HTMLEscaping.escape(marked) == markedEscaped)
        for text in ["", "Usluge dijaspori", "Одјељење за европске интеграције", "Čačak-Đurđevac 🇧🇦 ½", "a\u{0}b"] {
            #expect(HTMLEscaping.escape(text) == text)
        }
        // Every value of a report template goes through it.
        _ = HTMLEscaping.registered
        let template = try MustacheTemplate(string: "{{% CONTENT_TYPE: HTML_BYTES}}\n<td title=\"{{.}}\">{{.}}</td>")
        let cell = template.render(TemplateText(marked)), plain = template.render(marked)
        #expect(cell == "<td title=\"\(markedEscaped)\">\(markedEscaped)</td>")
        #expect(plain == cell)
    }

    /// Figures are formatted as printf's %.Nf rounds them, trailing zeros dropped, with a decimal comma in Bosnian
    /// and Serbian.
    @Test func numbersAreRoundedAsPrintfDoes() {
        let bosnian = NumberFormat(language: .bosnian), english = NumberFormat(language: .english)
        let values: [Double] = [0, -0.0001, 0.05, 0.25, 0.35, 2.5, 3.5, 66.666_666, 99.95, 99.949_999, 100, 1234.5678,
                                -12.25, 1e15, 123_456_789.987, .pi]
        for value in values {
            for decimals in 0...2 {
                var expected = String(format: "%.\(decimals)f", value)
                if decimals > 0 {
                    while expected.hasSuffix("0") { expected.removeLast() }
                    if expected.hasSuffix(".") { expected.removeLast() }
                }
                #expect(english.number(value, decimals: decimals) == expected, "\(value) \(decimals)")
                #expect(bosnian.number(value, decimals: decimals) == expected.replacingOccurrences(of: ".", with: ","))
            }
        }
        #expect(bosnian.number(1e300, decimals: 1).count > 300)
        #expect(bosnian.percent(87.25) == "87,2 %" && english.percent(nil) == "–")
    }
}

@Suite struct ReportReadingTests {
    /// One snapshot gives what the separate reads give: the scope's and the District's figures and hours per month,
    /// the per-person table and, for the program report, each department's figures.
    @Test func oneReadingEqualsTheSeparateReads() throws {
        let fixture = try ReportFixture()
        let reading = try fixture.database.reportReading(fixture.scope, perDepartment: true, now: fixture.now)
        var district = fixture.scope
        district.department = nil
        #expect(reading.figures == (try fixture.database.reportFigures(fixture.scope, now: fixture.now)))
        #expect(reading.districtFigures == (try fixture.database.reportFigures(district, now: fixture.now)))
        let entries = try fixture.database.reportEntries(fixture.scope, now: fixture.now)
        #expect(reading.entries.map(\.person.personalNumber) == entries.map(\.person.personalNumber))
        #expect(reading.entries.map(\.progress) == entries.map(\.progress))
        #expect(reading.departmentFigures[DepartmentCode("DF")] == (try fixture.database.reportFigures(
            ReportScope(department: DepartmentCode("DF"), from: fixture.scope.from, to: fixture.scope.to, programID: nil), now: fixture.now)))
        #expect(reading.departmentFigures.count == (try office(fixture.database).administration.departments().count))
        #expect(reading.hoursPerMonth.map(\.hours) == [Double(480 + 435 + 360) / 60])
        // The District's months come from their own rows and equal the departments' sum over the ledger.
        let ledger = try fixture.ledger("SELECT SUM(minutes_present) / 60.0 FROM attendance WHERE current AND ? IS NOT NULL", "-")
        #expect(reading.districtHoursPerMonth.map(\.month) == ["2026-03"])
        #expect(reading.districtHoursPerMonth.map(\.hours) == [ledger])
        let perPerson = try fixture.database.reportReading(fixture.scope, perPerson: false, now: fixture.now)
        #expect(perPerson.entries.isEmpty && perPerson.figures == reading.figures)
    }

    /// A District side kept from another department's report is taken while it holds for the data read, and read
    /// anew once anything was written or a session ended.
    @Test func aKnownDistrictSideIsTakenOnlyWhileItHolds() throws {
        let fixture = try ReportFixture()
        let first = try fixture.database.reportReading(fixture.scope, now: fixture.now)
        var marked = first.district
        marked.figures.headcount = -1  // not a figure the store could read: shows whether it was taken
        var other = fixture.scope
        other.department = DepartmentCode("DF")
        let taken = try fixture.database.reportReading(other, now: fixture.now, known: marked)
        #expect(taken.districtFigures.headcount == -1)
        #expect(taken.figures.headcount == (try fixture.database.headcount(DepartmentCode("DF"))))
        // Before the time it was read for, it does not hold.
        let earlier = try fixture.database.reportReading(other, now: LocalDateTime(iso: "2026-04-30 11:59")!, known: marked)
        #expect(earlier.districtFigures.headcount == first.districtFigures.headcount)
        // After a write of data, it does not hold either.
        _ = try office(fixture.database).people.transfer("5", to: DepartmentCode("EIMS"), actor: fixture.actor)
        let afterWrite = try fixture.database.reportReading(other, now: fixture.now, known: marked)
        #expect(afterWrite.districtFigures.headcount == first.districtFigures.headcount)
        #expect(afterWrite.validity.dataGeneration != first.validity.dataGeneration)
    }

    /// On a pool, a department's report read side by side (the District's side and the department's, each in a
    /// transaction of its own at the same time) equals the one-transaction reading, and holds until the first
    /// session to come of either side ends.
    @Test func aReadingSideBySideEqualsOneTransaction() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-reading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabasePool(path: directory.appendingPathComponent("obuka.sqlite").path,
                                    configuration: AppDatabase.makeConfiguration())
        let fixture = try ReportFixture(database: try AppDatabase(pool))
        // A cohort only DF takes part in, with a session still to come: it bounds the District's side alone.
        _ = try office(fixture.database).cohorts.create(code: "B", name: "B", program: "p", starts: LocalDate(iso: "2026-04-01")!, ends: LocalDate(iso: "2026-05-31")!, capacity: 10, actor: fixture.actor)
        _ = try office(fixture.database).enrolment.enrol(cohort: "B", people: ["4", "5"], actor: fixture.actor)
        _ = try office(fixture.database).scheduling.schedule(cohort: "B", module: "M1", starts: LocalDateTime(iso: "2026-05-04 09:00")!, ends: LocalDateTime(iso: "2026-05-04 10:30")!, venue: nil, trainer: nil, force: false, actor: fixture.actor)
        let one = try fixture.database.reportReading(fixture.scope, now: fixture.now)
        // The web app's (async, on the pool), and the CLI's: on a thread of its own, through the pool's other
        // connection or a read-only side connection to the file.
        let readOnly = try DataDirectory(path: directory.path).openReadOnly()
        func onAThread(_ database: AppDatabase) throws -> ReportReading {
            try database.reportReadingSideBySide(fixture.scope, now: fixture.now)
        }
        for sideBySide in [try await fixture.database.reportReadingSideBySide(fixture.scope, now: fixture.now),
                           try onAThread(fixture.database), try onAThread(readOnly)] {
            #expect(sideBySide.figures == one.figures)
            #expect(sideBySide.districtFigures == one.districtFigures)
            #expect(sideBySide.districtFigures.enrolled == 5 && sideBySide.figures.enrolled == 3)
            #expect(sideBySide.entries.map(\.person.personalNumber) == one.entries.map(\.person.personalNumber))
            #expect(sideBySide.entries.map(\.progress) == one.entries.map(\.progress))
            #expect(sideBySide.hoursPerMonth.map(\.hours) == one.hoursPerMonth.map(\.hours))
            #expect(sideBySide.districtHoursPerMonth.map(\.hours) == one.districtHoursPerMonth.map(\.hours))
            #expect(sideBySide.validity == one.validity)
            #expect(sideBySide.validity.nextSessionEnd == LocalDateTime(iso: "2026-05-04 10:30"))
        }
        // The department's own cohorts have nothing to come: beside a known District side, the reading still
        // ends with the District's session.
        let beside = try fixture.database.reportReading(fixture.scope, now: fixture.now, known: one.district)
        #expect(beside.validity == one.validity)
        #expect(beside.figures == one.figures)
    }

    /// A person's corrected sex moves their places and minutes to the other sex in the department's and the
    /// District's figures, as the per-person table has it; an erased person counts on without a sex.
    @Test func aCorrectedSexMovesThePersonsFigures() throws {
        let fixture = try ReportFixture()
        let before = try fixture.database.reportReading(fixture.scope, now: fixture.now)
        let person = try office(fixture.database).people.person("1")
        _ = try office(fixture.database).people.correct(PersonDraft(personalNumber: "1", givenName: person.givenName,
                                                           familyName: person.familyName, sex: .male, email: person.email,
                                                           department: person.department, jobTitle: nil), actor: fixture.actor)
        let after = try fixture.database.reportReading(fixture.scope, now: fixture.now)
        #expect(after.figures == (try fixture.figures("EIMS")))
        #expect(after.districtFigures == (try fixture.figures(nil)))
        #expect(after.figures.bySex[.male]?.enrolled == (before.figures.bySex[.male]?.enrolled ?? 0) + 1)
        #expect(after.figures.bySex[.female] == nil)
        #expect(after.districtFigures.bySex[.male]?.presentMinutes
                == (before.districtFigures.bySex[.male]?.presentMinutes ?? 0) + (before.figures.bySex[.female]?.presentMinutes ?? 0))
        _ = try office(fixture.database).privacy.erase(person: "2", actor: fixture.actor)
        let erased = try fixture.database.reportReading(fixture.scope, now: fixture.now)
        #expect(erased.figures.bySex[nil]?.enrolled == 2)
        #expect(erased.figures.enrolled == before.figures.enrolled)
        #expect(erased.districtFigures.bySex == (try fixture.figures(nil)).bySex)
    }

    /// The per-person table decides each enrolment as the trainee's own progress page does, sessions to come included.
    @Test func eachEntryIsTheTraineesOwnProgress() throws {
        let fixture = try ReportFixture()
        for (day, module) in [("2026-05-04", "M2"), ("2026-05-05", "M2"), ("2026-05-06", "M1")] {
            _ = try office(fixture.database).scheduling.schedule(cohort: "A", module: module, starts: LocalDateTime(iso: "\(day) 09:00")!, ends: LocalDateTime(iso: "\(day) 10:30")!, venue: nil, trainer: nil, force: false, actor: fixture.actor)
        }
        for department in ["EIMS", "DF"] {
            var scope = fixture.scope
            scope.department = DepartmentCode(department)
            let entries = try fixture.database.reportEntries(scope, now: fixture.now)
            #expect(!entries.isEmpty)
            for entry in entries {
                let own = try office(fixture.database, at: fixture.now).progress.person(entry.person.personalNumber)
                #expect(own.map(\.progress) == [entry.progress], "\(entry.person.personalNumber)")
                // Two M2 sessions and one M1 session are still to come (1.5 hours each).
                #expect(entry.progress.modules.map(\.remainingSessions) == [1, 2])
                #expect(entry.progress.modules.map(\.remainingMinutes) == [90, 180])
            }
        }
    }
}

@Suite struct GeneratorTests {
    @Test func theSameSeedGivesTheSameDistrict() throws {
        let now = LocalDateTime(iso: "2026-11-25 12:00")!
        let actor = Actor("test:generator")!
        let first = try AppDatabase.inMemory(), second = try AppDatabase.inMemory(), other = try AppDatabase.inMemory()
        let counts = try office(first, at: now).demo.generate(people: 60, seed: 42, actor: actor)
        _ = try office(second, at: now).demo.generate(people: 60, seed: 42, actor: actor)
        _ = try office(other, at: now).demo.generate(people: 60, seed: 43, actor: actor)
        #expect(counts.people == 60 && counts.cohorts == 5 * 3)
        #expect(counts.attendance == 60 * 5 * 20)
        #expect(try first.rollupSnapshot() == second.rollupSnapshot())
        #expect(try first.rollupSnapshot() != other.rollupSnapshot())
        #expect(throws: GeneratorError.alreadyGenerated) { try office(first, at: now).demo.generate(people: 10, seed: 1, actor: actor) }
        // Every report figure of the generated data still matches the ledger.
        let scope = ReportScope(department: nil, from: LocalDate(iso: "2022-01-01")!, to: now.date, programID: nil)
        let figures = ReportFigures.compute(try first.reportEntries(scope, now: now), headcount: 60)
        let present = try first.writer.read { db in try Int.fetchOne(db, sql: "SELECT SUM(minutes_present) FROM attendance") }
        #expect(figures.presentMinutes == present)
        // The generated certificates are history: signed and stored, and nobody told of them now.
        let (certificates, told) = try first.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM certificate") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE kind = 'certificate.issued'") ?? 0)
        }
        #expect(certificates > 0 && told == 0)
    }
}

extension GeneratorTests {
    /// A scaled run: each District in its own copy of the departments; the first is the District a run of one makes,
    /// and a department's figures are its own District's, the same at every scale.
    @Test func aScaledRunIsDistrictsSideBySideAndItsFirstIsTheDistrictAlone() throws {
        let now = LocalDateTime(iso: "2026-11-25 12:00")!
        let actor = Actor("test:generator")!
        let single = try AppDatabase.inMemory(), scaled = try AppDatabase.inMemory()
        var steps: [DemoData.GenerationStep] = []
        _ = try office(single, at: now).demo.generate(people: 40, seed: 7, actor: actor)
        let counts = try office(scaled, at: now).demo.generate(people: 40, seed: 7, scale: 3, actor: actor) { steps.append($0) }
        #expect(counts.people == 120 && counts.cohorts == 3 * 5 * 2)
        #expect(steps == [.district(1, of: 3), .district(2, of: 3), .district(3, of: 3), .completion, .certificates, .trainingYear])
        let departments = try scaled.writer.read { db in try String.fetchAll(db, sql: "SELECT code FROM department ORDER BY code") }
        #expect(departments.count == 17 * 3 && departments.contains("SAP-2") && departments.contains("SAP-3"))
        // Nobody of District 2 is in a department of District 1, and its cohorts are its own.
        let crossing = try scaled.writer.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
                WHERE (c.code LIKE 'GEN-D2-%') != (e.department_at_enrolment LIKE '%-2')
                """)
        }
        #expect(crossing == 0)
        let scope = ReportScope(department: DepartmentCode("SAP"), from: LocalDate(iso: "2022-01-01")!, to: now.date, programID: nil)
        #expect(try single.reportFigures(scope, now: now) == scaled.reportFigures(scope, now: now))
        let copy = ReportScope(department: DepartmentCode("SAP-2"), from: LocalDate(iso: "2022-01-01")!, to: now.date, programID: nil)
        #expect(try scaled.reportFigures(copy, now: now).enrolled > 0)
    }
}

@Suite struct AggregateFiguresTests {
    /// The SQL sums over the rollups give the same figures as evaluating every enrolment.
    @Test func sqlAggregatesEqualTheEvaluatedFigures() throws {
        let now = LocalDateTime(iso: "2026-11-25 12:00")!
        let database = try AppDatabase.inMemory()
        _ = try office(database, at: now).demo.generate(people: 120, seed: 5, actor: Actor("test:agg")!)
        for department in [nil, "SAP", "ZOU"] as [String?] {
            let scope = ReportScope(department: department.map(DepartmentCode.init), from: LocalDate(iso: "2024-01-01")!,
                                    to: now.date, programID: nil)
            let evaluated = ReportFigures.compute(try database.reportEntries(scope, now: now),
                                                  headcount: try database.headcount(scope.department))
            let summed = try database.reportFigures(scope, now: now)
            #expect(summed.headcount == evaluated.headcount)
            #expect(summed.enrolled == evaluated.enrolled, "\(String(describing: department))")
            #expect(summed.completed == evaluated.completed)
            #expect(summed.presentMinutes == evaluated.presentMinutes)
            #expect(summed.countedMinutes == evaluated.countedMinutes)
            #expect(summed.bySex == evaluated.bySex)
            #expect(summed.modules.map(\.countedMinutes) == evaluated.modules.map(\.countedMinutes))
            #expect(summed.modules.map(\.passed) == evaluated.modules.map(\.passed))
            #expect(summed.modules.map(\.attempted) == evaluated.modules.map(\.attempted))
        }
    }
}

extension AggregateFiguresTests {
    /// The program report's one pass over every department gives each department the figures its own report
    /// reads, and the figures evaluated person by person, with and without a program, at a moment when sessions
    /// are under way (their marks are taken back out per department).
    @Test func everyDepartmentInOnePassEqualsEachDepartmentAlone() throws {
        let database = try AppDatabase.inMemory()
        let generatedAt = LocalDateTime(iso: "2026-11-25 12:00")!
        _ = try office(database, at: generatedAt).demo.generate(people: 150, seed: 11, actor: Actor("test:agg")!)
        let underWay = try database.writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT s.starts_at FROM session s JOIN attendance a ON a.session_id = s.id
                WHERE s.status = 'scheduled' ORDER BY s.starts_at DESC LIMIT 1
                """)
        }
        let moments = [generatedAt, try #require(underWay.flatMap(LocalDateTime.init(iso:)))]
        let programs = try database.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT program_id FROM cohort") }
        for now in moments {
            for program in [nil] + programs.prefix(2).map(Optional.some) {
                let period = ReportScope(department: nil, from: LocalDate(iso: "2022-01-01")!, to: now.date, programID: program)
                let reading = try database.reportReading(period, perDepartment: true, perPerson: false, now: now)
                #expect(reading.departmentFigures.count == (try office(database).administration.departments().count))
                var placed = 0
                for (code, figures) in reading.departmentFigures {
                    var alone = period
                    alone.department = code
                    #expect(figures == (try database.reportFigures(alone, now: now)), "\(code.rawValue) \(program ?? "-") \(now.iso)")
                    let evaluated = ReportFigures.compute(try database.reportEntries(alone, now: now),
                                                          headcount: try database.headcount(code))
                    #expect(figures.enrolled == evaluated.enrolled && figures.completed == evaluated.completed)
                    #expect(figures.countedMinutes == evaluated.countedMinutes && figures.bySex == evaluated.bySex)
                    placed += figures.enrolled
                }
                #expect(placed > 0)
                if now != generatedAt {
                    #expect(try database.writer.read { db in try !ScopeSessions(period, now: now, db).pending.isEmpty })
                }
            }
        }
    }
}

@Suite struct ReportPDFTests {
    @Test func aLongTableContinuesOnTheNextPageWithItsHeaderRepeated() throws {
        let rows = (1...120).map { ["\($0)", "Đukić Ljiljana \($0)", "EIMS", "", ""] }
        let document = ReportDocument(title: "Lista prisustva", subtitle: ["Modul 3: Usluge dijaspori"], tables: [
            .init(title: "Polaznici", header: ["#", "Prezime i ime", "Odjeljenje", "Dolazak", "Potpis"], rows: rows,
                  numericColumns: [0], minimumRowHeight: 26, columnWeights: [1, 9, 4, 4, 10]),
        ], charts: [], language: .bosnian)
        let pdf = try ReportPDF().render(document, created: LocalDate(iso: "2026-11-25")!)
        let text = try pdfText(pdf)
        let pages = text.components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pages.count >= 4)
        #expect(pages.allSatisfy { $0.contains("Prezime i ime") }, "every page repeats the header")
        #expect(text.contains("Đukić Ljiljana 120"))
    }
}
