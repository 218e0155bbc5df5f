import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// The reports sum rollups in SQL for speed; TrainingCore decides progress and completion. Over random programs,
/// cohorts, enrolment decisions, sessions (some still to come, some cancelled), marks, corrections, scores, transfers,
/// corrected sexes and erasures, made through the use cases on an in-memory database, the SQL figures must equal
/// `ProgramProgress.evaluate` over the ledgers summed by `ReportFigures.compute`, for the District and every department;
/// every enrolment's progress read from the rollups must equal its progress from the ledgers; and once the clock
/// tick has run, no approved enrolment meets the completion rule.
@Suite struct RuleAgreementTests {
    static let cases = 200
    static let now = LocalDateTime(iso: "2026-06-15 12:00")!
    static let departments = ["EIMS", "DF", "KG"]

    @Test(arguments: 0..<cases)
    func sqlFiguresEqualTheRuleSummed(_ seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 7_919 &+ 17)
        let database = try AppDatabase.inMemory()
        let world = try RandomTraining.make(database, random: &random, now: Self.now)
        let office = office(database, at: Self.now)
        try office.clockTick.run()

        let scope = ReportScope(department: nil, from: LocalDate(iso: "2026-01-01")!, to: LocalDate(iso: "2026-12-31")!, programID: nil)
        let ledger = try ledgerEntries(database, office)
        // The District's figures over the year and over parts of it: cohorts ending before a part or starting after
        // it are left out (the District's dated sums are taken away as well as added).
        let parts = [("2026-03-01", "2026-05-31"), ("2026-01-01", "2026-02-28"), ("2026-08-01", "2026-12-31")].map { from, to in
            ReportScope(department: nil, from: LocalDate(iso: from)!, to: LocalDate(iso: to)!, programID: nil)
        }
        for (department, period) in ([nil] + Self.departments.map(DepartmentCode.init) as [DepartmentCode?]).map({ ($0, scope) })
            + parts.map({ (nil, $0) }) {
            var each = period
            each.department = department
            let summed = try database.reportFigures(each, now: Self.now)
            let inPeriod = try ledgerEntries(database, office, period: period)
            let evaluated = ReportFigures.compute(inPeriod.filter { department == nil || $0.department == department },
                                                  headcount: try office.people.list(department: department).count)
            let context = "case \(seed), \(department?.rawValue ?? "District") \(period.from.iso)–\(period.to.iso), \(world)"
            #expect(summed.headcount == evaluated.headcount, "\(context)")
            #expect(summed.enrolled == evaluated.enrolled, "\(context)")
            #expect(summed.completed == evaluated.completed, "\(context)")
            #expect(summed.presentMinutes == evaluated.presentMinutes, "\(context)")
            #expect(summed.countedMinutes == evaluated.countedMinutes, "\(context)")
            #expect(summed.bySex == evaluated.bySex, "\(context)")
            #expect(summed.modules.map(\.moduleID) == evaluated.modules.map(\.moduleID), "\(context)")
            for (sql, rule) in zip(summed.modules, evaluated.modules) {
                #expect(sql.presentMinutes == rule.presentMinutes && sql.countedMinutes == rule.countedMinutes, "\(context) \(sql.moduleID)")
                #expect(sql.attempted == rule.attempted && sql.passed == rule.passed && sql.scored == rule.scored,
                        "\(context) \(sql.moduleID)")
                #expect(abs(sql.scoreSum - rule.scoreSum) < 1e-9, "\(context) \(sql.moduleID)")
            }
        }

        // Every enrolment's progress from the rollups is its progress from the ledgers.
        let fromRollups = try database.reportEntries(scope, now: Self.now).filter(\.status.occupiesPlace)
        let byEnrolment = Dictionary(uniqueKeysWithValues: ledger.map { ("\($0.cohortCode)/\($0.person.personalNumber)", $0.progress) })
        #expect(fromRollups.count == ledger.count, "case \(seed)")
        for entry in fromRollups {
            let rule = try #require(byEnrolment["\(entry.cohortCode)/\(entry.person.personalNumber)"])
            #expect(entry.progress.modules == rule.modules, "case \(seed) \(entry.cohortCode)/\(entry.person.personalNumber)")
            #expect(entry.progress.finalScore == rule.finalScore && entry.progress.isComplete == rule.isComplete
                    && entry.progress.forecast.code == rule.forecast.code, "case \(seed)")
            #expect(entry.progress.assessments.map(\.passed) == rule.assessments.map(\.passed), "case \(seed)")
            #expect(entry.progress.assessments.map(\.attemptsLeft) == rule.assessments.map(\.attemptsLeft), "case \(seed)")
        }

        // Completion follows the rule: after the tick, nobody approved meets it.
        for entry in ledger where entry.status == .approved {
            #expect(!entry.progress.isComplete, "case \(seed): \(entry.cohortCode)/\(entry.person.personalNumber) is due")
        }
        // The rollups kept on every write are what a rebuild from the ledgers gives.
        let incremental = try database.rollupSnapshot()
        try office.reports.rebuildRollups(actor: testActor)
        #expect(try database.rollupSnapshot() == incremental, "case \(seed)")
    }

    /// Every place holder's progress, decided by `ProgramProgress.evaluate` over the ledgers (sessions, current marks,
    /// current scores), with the status and department the enrolment has.
    /// Every enrolment's progress from the ledgers, of the cohorts in `period` (starting by its last day and ending on
    /// or after its first) or of all.
    private func ledgerEntries(_ database: AppDatabase, _ office: TrainingOffice, period: ReportScope? = nil) throws -> [ReportEntry] {
        try office.cohorts.list().filter { cohort in
            period.map { cohort.starts <= $0.to && cohort.ends >= $0.from } ?? true
        }.flatMap { cohort in
            let program = try office.cohorts.program(of: cohort)
            let enrolments = Dictionary(uniqueKeysWithValues: try office.enrolment.enrolments(cohort: cohort.code).map { ($0.person.id, $0) })
            return try database.read { tx in try tx.progressFacts(cohort, people: nil, now: Self.now) }.map { facts in
                ReportEntry(person: facts.person, department: enrolments[facts.person.id]!.departmentAtEnrolment, cohortCode: cohort.code,
                            program: program, status: facts.status, progress: facts.progress(in: program))
            }
        }
    }
}

/// A random training year, made through the use cases as its users would make it.
enum RandomTraining {
    /// Makes it; returns a one-line description for failure messages.
    static func make(_ database: AppDatabase, random: inout SeededGenerator, now: LocalDateTime) throws -> String {
        let office = office(database, at: now)
        let program = randomProgram(&random)
        _ = try office.curriculum.load([ProgramFile(program: program, source: "<random \(random.next())/>", file: "r.xml")], actor: testActor)

        let sexes: [Sex?] = [.female, .male, nil]
        let count = Int.random(in: 4...9, using: &random)
        let people = (1...count).map { number in
            draft("R\(number)", "Ime\(number)", "Prezime\(number)", department: RuleAgreementTests.departments.randomElement(using: &random)!,
                  sex: sexes.randomElement(using: &random)!)
        }
        _ = try office.people.importDrafts(people, file: "r.csv", sha256: String(repeating: "r", count: 64), actor: testActor)
        let numbers = people.map(\.personalNumber)

        var cohorts: [String] = []
        for index in 1...Int.random(in: 1...2, using: &random) {
            let code = "R\(index)"
            _ = try office.cohorts.create(code: code, name: code, program: program.id, starts: LocalDate(iso: "2026-03-01")!,
                                          ends: LocalDate(iso: "2026-07-31")!, capacity: Int.random(in: 2...8, using: &random),
                                          actor: testActor)
            cohorts.append(code)
            // Some enrolled directly (a place or the waitlist), some asking, decisions both ways, a withdrawal.
            var shuffled = numbers
            shuffled.shuffle(using: &random)
            let direct = Array(shuffled.prefix(Int.random(in: 1...shuffled.count, using: &random)))
            _ = try office.enrolment.enrol(cohort: code, people: direct, actor: testActor)
            for number in shuffled.dropFirst(direct.count) where Bool.random(using: &random) {
                _ = try office.enrolment.request(cohort: code, person: number, actor: testActor)
                if Bool.random(using: &random) {
                    _ = try office.enrolment.approve(cohort: code, person: number, actor: testActor)
                } else if Bool.random(using: &random) {
                    _ = try office.enrolment.decline(cohort: code, person: number, reason: "ne", actor: testActor)
                }
            }
            if Int.random(in: 0..<4, using: &random) == 0, let leaving = direct.randomElement(using: &random) {
                _ = try office.enrolment.withdraw(cohort: code, person: leaving, reason: nil, actor: testActor)
            }
            try schedule(office, cohort: code, program: program, now: now, random: &random)
        }

        // Marks for every session that has started, then corrections; scores with corrections.
        for code in cohorts {
            let holders = try office.enrolment.enrolments(cohort: code).filter(\.status.occupiesPlace).map(\.person.personalNumber)
            for session in try office.scheduling.sessions(cohort: code) where !session.cancelled && session.starts <= now {
                for number in holders where Int.random(in: 0..<5, using: &random) > 0 {
                    try office.attendance.record(session: session.id, entries: [randomMark(number, session, &random)], actor: testActor)
                }
                for number in holders where Int.random(in: 0..<6, using: &random) == 0 {
                    try office.attendance.record(session: session.id, entries: [randomMark(number, session, &random)], actor: testActor)
                }
            }
            for assessment in program.assessments {
                for number in holders {
                    for _ in 0..<Int.random(in: 0...assessment.attempts, using: &random) {
                        try office.scores.record(cohort: code, person: number, assessment: assessment.id,
                                                 score: randomScore(assessment, &random), actor: testActor)
                    }
                    if Int.random(in: 0..<5, using: &random) == 0 {
                        _ = try? office.scores.record(cohort: code, person: number, assessment: assessment.id,
                                                      score: randomScore(assessment, &random), attempt: 1, actor: testActor)
                    }
                }
            }
        }

        // People change: a transfer (training counts where it was enrolled), a corrected sex, an erasure.
        if let moving = numbers.randomElement(using: &random), Bool.random(using: &random) {
            let target = RuleAgreementTests.departments.randomElement(using: &random)!
            _ = try? office.people.transfer(moving, to: DepartmentCode(target), actor: testActor)
        }
        if let correcting = numbers.randomElement(using: &random), Bool.random(using: &random) {
            var corrected = try #require(people.first { $0.personalNumber == correcting })
            corrected.sex = sexes.randomElement(using: &random)!
            _ = try office.people.correct(corrected, actor: testActor)
        }
        if let erased = numbers.randomElement(using: &random), Int.random(in: 0..<4, using: &random) == 0 {
            try office.privacy.erase(person: erased, actor: testActor)
        }
        // A cohort moved to end later: its District rows leave one day's dated sums and join another's.
        var moved = ""
        if cohorts.count > 1, Bool.random(using: &random) {
            _ = try office.cohorts.edit(code: cohorts[1], name: cohorts[1], starts: LocalDate(iso: "2026-03-02")!,
                                          ends: LocalDate(iso: "2026-08-15")!, capacity: 8, actor: testActor)
            moved = ", \(cohorts[1]) moved"
        }
        return "\(program.modules.count) modules, \(program.assessments.count) assessments, \(count) people, \(cohorts.count) cohorts\(moved)"
    }

    private static func randomProgram(_ random: inout SeededGenerator) -> Program {
        let moduleCount = Int.random(in: 1...3, using: &random)
        var assessments: [[AssessmentDefinition]] = []
        for index in 1...moduleCount {
            assessments.append((0..<Int.random(in: 0...2, using: &random)).map { number in
                let max = [10.0, 20, 50, 100].randomElement(using: &random)!
                return AssessmentDefinition(id: "M\(index)-\(number)", moduleID: "M\(index)", kind: .test, maxScore: max,
                                            passScore: (max * Double.random(in: 0.3...0.8, using: &random)).rounded(),
                                            weight: 0, attempts: Int.random(in: 1...3, using: &random),
                                            required: Bool.random(using: &random))
            })
        }
        let total = assessments.joined().count
        let modules = (1...moduleCount).map { index in
            Module(id: "M\(index)", order: index, hours: 4, title: LocalizedText([.bosnian: "Modul \(index)"]),
                   assessments: assessments[index - 1].map { definition in
                       var weighted = definition
                       weighted.weight = 1 / Double(total)
                       return weighted
                   })
        }
        return Program(
            id: "nasumicni", version: 1, year: 2026, serialCode: "NAS", validYears: nil,
            title: LocalizedText([.bosnian: "Nasumični program"]), provider: DepartmentCode("EIMS"), goal: nil,
            completion: CompletionRule(attendancePercent: [50, 75, 80, 100].randomElement(using: &random)!,
                                       excused: Bool.random(using: &random) ? .absent : .exempt,
                                       finalPass: total == 0 ? 0 : [0, 40, 60, 80].randomElement(using: &random)!),
            modules: modules)
    }

    /// Up to three sessions a module between March and July (some after `now`, still to come), one in ten cancelled.
    private static func schedule(_ office: TrainingOffice, cohort: String, program: Program, now: LocalDateTime,
                                 random: inout SeededGenerator) throws {
        for module in program.modules {
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let day = LocalDate(iso: "2026-03-02")!.adding(days: Int.random(in: 0...140, using: &random))
                let starts = LocalDateTime(date: day, hour: Int.random(in: 8...14, using: &random), minute: 0)!
                let ends = starts.adding(minutes: [60, 90, 120, 240].randomElement(using: &random)!)
                let (session, _) = try office.scheduling.schedule(cohort: cohort, module: module.id, starts: starts, ends: ends,
                                                                  venue: nil, trainer: nil, force: true, actor: testActor)
                if Int.random(in: 0..<10, using: &random) == 0 {
                    _ = try office.scheduling.cancel(session: session.id, reason: nil, actor: testActor)
                }
            }
        }
    }

    private static func randomMark(_ number: String, _ session: ScheduledSession, _ random: inout SeededGenerator) -> AttendanceEntry {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: AttendanceEntry(personalNumber: number, status: .present)
        case 1: AttendanceEntry(personalNumber: number, status: .late, minutes: Int.random(in: 0..<session.minutes, using: &random))
        case 2: AttendanceEntry(personalNumber: number, status: .excused)
        default: AttendanceEntry(personalNumber: number, status: .absent)
        }
    }

    private static func randomScore(_ assessment: AssessmentDefinition, _ random: inout SeededGenerator) -> Double {
        (Double.random(in: 0...assessment.maxScore, using: &random) * 2).rounded() / 2
    }
}
