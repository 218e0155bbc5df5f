import Foundation
import SafeXML
import TrainingCore
internal import TrainingStore

/// Demonstration data, through the same use cases as a coordinator's work: the shipped curriculum, the sample people,
/// the 2022 diaspora program run for them (one cohort over, one to come), and one account per role. Seeding again
/// changes nothing. And District-scale generated data for benchmarks.
public struct DemoData: Sendable {
    let context: OfficeContext

    /// What seeding did, step by step, for the caller to tell.
    public enum Step: Sendable {
        case departments(count: Int)
        case curriculum(folder: URL, outcomes: [CurriculumLoadOutcome])
        case people(file: String, added: Int)
        case cohortExists(code: String)
        case cohort(code: String, people: Int)
        /// A demo account and its password (kept in the data directory, readable by its owner only).
        case login(role: Role, login: String, password: String)
    }

    public static let cohortCode = "DIJ-A"
    static let venues = [("Sala Vlade Brčko distrikta", 30), ("Kabinet EIMS", 12)]
    static let trainers = ["Amra Hadžić", "Dragan Marković"]

    /// Loads the curriculum and the demo data as of today, telling each step to `report` as it is done. A curriculum
    /// file with problems stops it (`XMLDiagnostics`).
    public func seed(actor: Actor, report: (Step) -> Void) throws {
        let office = TrainingOffice(context: context)
        report(.departments(count: try office.administration.departments().count))
        let folder = try context.home().curriculumFolder
        let reading = try office.curriculum.read([folder], language: .default)
        guard reading.problems.isEmpty else { throw XMLDiagnostics(reading.problems) }
        report(.curriculum(folder: folder, outcomes: try office.curriculum.load(reading.files, questionnaires: reading.questionnaires, actor: actor)))
        try seedCohorts(office, actor: actor, report: report)
        try seedAccounts(office, actor: actor, report: report)
    }

    private func seedCohorts(_ office: TrainingOffice, actor: Actor, report: (Step) -> Void) throws {
        for name in ["participants-excel-utf8.csv", "participants-excel-cp1250.csv"] {
            guard let url = Bundle.module.url(forResource: "demo/\(name)", withExtension: nil) else { continue }
            let data = try InputFile.read(url.path)
            // A second seed changes nothing, not even the audit log.
            let preview = try office.people.importFile(data, file: name, dryRun: true, actor: actor).summary
            guard !preview.added.isEmpty || !preview.updated.isEmpty else { continue }
            report(.people(file: name, added: try office.people.importFile(data, file: name, actor: actor).summary.added.count))
        }
        let existingVenues = Set(try office.scheduling.venues().map(\.name))
        for (name, capacity) in Self.venues where !existingVenues.contains(name) {
            try office.scheduling.addVenue(name: name, capacity: capacity, actor: actor)
        }
        if (try? office.cohorts.cohort(Self.cohortCode)) != nil {
            report(.cohortExists(code: Self.cohortCode))
            return
        }
        let today = context.clock.today
        // Cohort A ran on the program's first version, cohort B will run on its newest (version 2, whose policy a
        // coordinator has yet to confirm before B can issue certificates): a cohort keeps the version it was made on.
        let versions = try office.curriculum.programs().filter { $0.program.id == "dijaspora-2022" }.map(\.program.version)
        // Cohort A ran over the last six weeks: every session is held, so the progress table shows who completed, who
        // is at risk (a failed test with an attempt left) and who cannot complete.
        let start = Self.workingDay(onOrAfter: today.adding(days: -45))
        _ = try office.cohorts.create(code: Self.cohortCode, name: "Dijaspora – grupa A", program: "dijaspora-2022",
                                      version: versions.min(), starts: start, ends: start.adding(days: 40), capacity: 20, actor: actor)
        // 22 people for 20 places: the last two wait.
        let people = try office.people.list().prefix(22).map(\.personalNumber)
        _ = try office.enrolment.enrol(cohort: Self.cohortCode, people: Array(people), actor: actor)
        let sessions = try scheduleWeekly(office, Self.cohortCode, modules: ["M1", "M1", "M2", "M2", "M3", "M3"], from: start, actor: actor)
        let participants = Array(people.prefix(20))
        // Recorded as of noon today, when every session of cohort A is over.
        let recording = Self.at(LocalDateTime(date: today, hour: 12, minute: 0)!, context)
        for (index, session) in sessions.enumerated() {
            let entries = participants.enumerated().map { position, number -> AttendanceEntry in
                switch (position, index) {
                case (3, 0): AttendanceEntry(personalNumber: number, status: .late, minutes: 180, note: "kašnjenje autobusa")
                case (7, 2): AttendanceEntry(personalNumber: number, status: .late, minutes: 200)
                case (5, 4): AttendanceEntry(personalNumber: number, status: .absent)
                default: AttendanceEntry(personalNumber: number, status: .present)
                }
            }
            try recording.attendance.record(session: session, entries: entries, source: "demo", actor: actor)
        }
        for (position, number) in participants.enumerated() {
            let base = Double(60 + (position * 7) % 35)
            let firstTest = position == 10 || position == 11 ? 45 : base
            try recording.scores.record(cohort: Self.cohortCode, person: number, assessment: "M1-T", score: firstTest, actor: actor)
            try recording.scores.record(cohort: Self.cohortCode, person: number, assessment: "M2-P", score: min(100, base + 5), actor: actor)
            try recording.scores.record(cohort: Self.cohortCode, person: number, assessment: "M3-T", score: min(100, base + 10), actor: actor)
        }
        // A fictional signatory, so certificates can be issued straight after `make run`.
        try office.certificates.setSettings(
            cohort: Self.cohortCode, CertificateSettings(signatoryName: "Amra Hadžić", signatoryTitle: "Šefica Odjeljenja", place: "Brčko"),
            actor: actor)
        report(.cohort(code: Self.cohortCode, people: people.count))

        // Cohort B starts in two weeks: sessions to come and requests waiting for a decision.
        let startB = Self.workingDay(onOrAfter: today.adding(days: 14))
        _ = try office.cohorts.create(code: "DIJ-B", name: "Dijaspora – grupa B", program: "dijaspora-2022",
                                      version: versions.max(), starts: startB, ends: startB.adding(days: 40), capacity: 15, actor: actor)
        _ = try scheduleWeekly(office, "DIJ-B", modules: ["M1", "M1", "M2", "M2", "M3", "M3"], from: startB, actor: actor)
        let others = try office.people.list().dropFirst(22).prefix(8).map(\.personalNumber)
        _ = try office.enrolment.enrol(cohort: "DIJ-B", people: Array(others.prefix(5)), actor: actor)
        for number in others.dropFirst(5) {
            _ = try office.enrolment.request(cohort: "DIJ-B", person: number, actor: actor)
        }
        // One of them works in the field without an official address: obuka lists them to coordinators instead of
        // writing to them.
        if others.count > 3, let person = try? office.people.person(others[3]) {
            _ = try office.people.correct(PersonDraft(personalNumber: person.personalNumber, givenName: person.givenName,
                                                      familyName: person.familyName, sex: person.sex, email: "",
                                                      department: person.department, jobTitle: person.jobTitle,
                                                      employedSince: person.employedSince), actor: actor)
        }
        report(.cohort(code: "DIJ-B", people: others.count))
        try seedEvaluations(office, actor: actor)
        try seedLearningAndFollowUps(office, actor: actor)
        try seedRequiredTraining(office, actor: actor)
    }

    /// Required training as a coordinator would declare it: the diaspora program for EIMS within a year of starting
    /// (most of EIMS started long ago: overdue unless they completed), and for heads of units by the end of next year;
    /// two people who started recently (one with a place in cohort B).
    private func seedRequiredTraining(_ office: TrainingOffice, actor: Actor) throws {
        let today = context.clock.today
        for (number, days) in [("1038", -20), ("1001", -200)] {
            guard var person = try? office.people.person(number) else { continue }
            person.employedSince = today.adding(days: days)
            _ = try office.people.correct(PersonDraft(personalNumber: person.personalNumber, givenName: person.givenName,
                                                      familyName: person.familyName, sex: person.sex, email: person.email,
                                                      department: person.department, jobTitle: person.jobTitle,
                                                      employedSince: person.employedSince), actor: actor)
        }
        let desk = office.requiredTraining
        defer {
            try? seedNeeds(office, actor: actor)
            try? seedPlan(office, actor: actor)
        }
        _ = try desk.define(.init(code: "DIJ-EIMS", programID: "dijaspora-2022", scope: .department(DepartmentCode("EIMS")),
                                  due: .afterStart(days: 365), effectiveFrom: today.adding(days: -30)), actor: actor)
        _ = try desk.define(.init(code: "DIJ-SEF", programID: "dijaspora-2022", scope: .jobTitle("šef"),
                                  due: .by(LocalDate(year: today.year + 1, month: 12, day: 31)!), effectiveFrom: today.adding(days: -30)),
                            actor: actor)
    }

    /// This year's plan: adopted at the start of the year, amended once (more places for EIMS, a donor-funded line
    /// added), the demo's cohorts linked to its lines.
    private func seedPlan(_ office: TrainingOffice, actor: Actor) throws {
        let year = context.clock.today.year
        let plan = office.plan
        let cohortA = try office.cohorts.cohort(Self.cohortCode), cohortB = try office.cohorts.cohort("DIJ-B")
        func quarter(_ day: LocalDate) -> Int { (day.month - 1) / 3 + 1 }
        func item(_ cohort: Cohort, places: [String: Int], cost: Double, funding: Funding = .budget) -> PlanDesk.ItemDraft {
            .init(programID: cohort.programID, quarter: quarter(cohort.starts), cohorts: 1,
                  places: Dictionary(uniqueKeysWithValues: places.map { (DepartmentCode($0.key), $0.value) }),
                  participantHours: Double(places.values.reduce(0, +)) * 24, costKM: cost, funding: funding)
        }
        // Two lines when the cohorts fall in different quarters, one otherwise (a program appears once per quarter).
        _ = try plan.addItem(year: year, item(cohortA, places: ["EIMS": 6, "ZOU": 6, "KUJI": 4, "DF": 4], cost: 3_600), actor: actor)
        if quarter(cohortB.starts) != quarter(cohortA.starts) {
            _ = try plan.addItem(year: year, item(cohortB, places: ["EIMS": 4, "JP": 4, "KP": 4], cost: 2_400), actor: actor)
        }
        _ = try plan.approve(year: year, decisionNumber: "01-02-18/\(year % 100)", decisionDate: LocalDate(year: year, month: 1, day: 28)!, actor: actor)
        let amendment = try plan.draft(year: year, actor: actor)
        if let first = amendment.items.first(where: { $0.quarter == quarter(cohortA.starts) }) {
            try plan.removeItem(first.id, actor: actor)
            _ = try plan.addItem(year: year, item(cohortA, places: ["EIMS": 8, "ZOU": 6, "KUJI": 4, "DF": 4], cost: 3_900,
                                                  funding: .donor("Projekat „Dijaspora za razvoj“")), actor: actor)
        }
        let amended = try plan.approve(year: year, decisionNumber: "01-02-77/\(year % 100)",
                                       decisionDate: LocalDate(year: year, month: 6, day: 15)!, actor: actor)
        for cohort in [cohortA, cohortB] {
            if let line = amended.items.first(where: { $0.programID == cohort.programID && $0.quarter == quarter(cohort.starts) }) {
                try plan.link(cohort: cohort.code, item: line.id, actor: actor)
            }
        }
        // Cohort A has run: its bill is in.
        try plan.setActualCost(cohort: cohortA.code, km: 3_650, actor: actor)
    }

    /// Next year's nomination window, open until the end of next month, with proposals from three departments: named
    /// people (those lacking required training first), a head count, and both.
    private func seedNeeds(_ office: TrainingOffice, actor: Actor) throws {
        let today = context.clock.today
        let year = today.year + 1
        let deadline = LocalDate(year: today.month == 12 ? today.year + 1 : today.year, month: today.month % 12 + 1, day: 28)!
        _ = try office.needs.openWindow(year: year, deadline: deadline, actor: actor)
        for (department, count, priority, reason) in [
            ("EIMS", nil as Int?, NeedPriority.high, "Obavezna obuka za sve koji rade s dijasporom; dvoje je još nema."),
            ("ZOU", 4, .medium, "Novi službenici na šalteru za dijasporu."),
            ("KUJI", 2, .low, "Saradnja s udruženjima dijaspore."),
        ] {
            let staff = try office.people.list(department: DepartmentCode(department)).prefix(department == "ZOU" ? 0 : 2).map(\.personalNumber)
            _ = try office.needs.propose(.init(year: year, department: DepartmentCode(department), programID: "dijaspora-2022",
                                               people: Array(staff), headCount: count, priority: priority, reason: reason), actor: actor)
        }
    }

    /// One demo account per role. Passwords are generated at the first seed and kept in the data directory
    /// (`demo-logins.txt`, readable only by its owner), never in the repository.
    private func seedAccounts(_ office: TrainingOffice, actor: Actor, report: (Step) -> Void) throws {
        let file = context.dataDirectory.url.appendingPathComponent("demo-logins.txt")
        var saved: [String: String] = [:]
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count >= 2 { saved[String(parts[0])] = String(parts[1]) }
            }
        }
        let trainee = try office.enrolment.enrolments(cohort: Self.cohortCode).first { $0.status.occupiesPlace }?.person
        // A second trainee, of cohort B: their program is version 2, with its sources and case study.
        let traineeB = try office.enrolment.enrolments(cohort: "DIJ-B").first { $0.status.occupiesPlace }?.person
        // The head is a person of the demo trainee's department (not a trainee of the demo cohorts), so the messages
        // to heads (digests, warnings, follow-ups) have someone to go to.
        let demoTrainees = Set([trainee?.id, traineeB?.id].compactMap { $0 })
        let head = try trainee.flatMap { trainee in
            try office.people.list(department: trainee.department).last { !demoTrainees.contains($0.id) }
        }
        let demoAccounts: [(login: String, name: String, role: Role, person: Person?)] = [
            ("admin", "Administrator", .admin, nil),
            ("koordinator", "Amra Hadžić", .coordinator, nil),
            ("rukovodilac", head?.fullName ?? "Rukovodilac odjeljenja", .departmentHead, head),
            ("polaznik", trainee?.fullName ?? "Polaznik", .trainee, trainee),
            ("polaznica", traineeB?.fullName ?? "Polaznica", .trainee, traineeB),
        ]
        var lines: [String] = []
        for account in demoAccounts {
            let password = saved[account.login] ?? Passwords.generate()
            if try office.accounts.account(login: account.login) == nil {
                _ = try office.accounts.create(
                    login: account.login, displayName: account.name, password: password, roles: [account.role],
                    department: account.role == .departmentHead ? trainee?.department : nil,
                    person: account.person?.personalNumber, actor: actor)
            } else if saved[account.login] == nil {
                continue  // made elsewhere; its password is not ours to print
            }
            lines.append("\(account.login) \(password) \(account.role.rawValue)")
            report(.login(role: account.role, login: account.login, password: password))
        }
        // In the data directory (0700); readable by its owner only. A failure to write it is reported, not ignored.
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    /// Four-hour morning sessions a week apart on working days, alternating trainers.
    func scheduleWeekly(_ office: TrainingOffice, _ cohort: String, modules: [String], from start: LocalDate,
                                actor: Actor) throws -> [SessionID] {
        var day = start
        var ids: [SessionID] = []
        for (index, module) in modules.enumerated() {
            day = Self.workingDay(onOrAfter: day)
            let (session, _) = try office.scheduling.schedule(
                cohort: cohort, module: module, starts: LocalDateTime(date: day, hour: 9, minute: 0)!,
                ends: LocalDateTime(date: day, hour: 13, minute: 0)!, venue: Self.venues[0].0,
                trainer: Self.trainers[index % 2], force: false, actor: actor)
            ids.append(session.id)
            day = day.adding(days: 7)
        }
        return ids
    }

    /// The office with its District clock stopped at `now`.
    static func at(_ now: LocalDateTime, _ context: OfficeContext) -> TrainingOffice {
        var settings = context.settings
        settings.clock = OfficeClock(now: { now }, date: context.clock.date)
        return TrainingOffice(database: context.database, dataDirectory: context.dataDirectory, settings: settings)
    }

    /// The first day on or after `date` that is neither a weekend nor a District holiday.
    static func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        while day.isWeekend || DistrictHolidays.holiday(on: day) != nil { day = day.adding(days: 1) }
        return day
    }

    // MARK: Generated data

    /// Generates District-scale data (≈ 5,000 people, ≈ 500,000 attendance rows for the default size), the same for the
    /// same seed; completion is decided as for any cohort, by the decisions that have come due; then the certificates,
    /// required training, plans and needs of those years (`generateTrainingYear`).
    /// Where a long generation is (for a progress bar).
    public enum GenerationStep: Sendable, Equatable {
        /// The `district`-th of `of` Districts' people, cohorts, sessions, attendance and scores are written.
        case district(Int, of: Int)
        /// Completion decided over every generated cohort.
        case completion
        /// Certificates signed for the completions.
        case certificates
        /// Rules, plans and needs of the generated years.
        case trainingYear
    }

    /// Generates `scale` Districts' worth (each `count` people in its own copy of the departments; the first is the
    /// District a scale of one makes, so figures stay comparable), one transaction per District, then the decisions,
    /// certificates and training years over all of them. `progress` hears each step as it starts.
    public func generate(people count: Int, seed: UInt64, scale: Int = 1, actor: Actor,
                         progress: (GenerationStep) -> Void = { _ in }) throws -> GeneratedCounts {
        let program = AppDatabase.generatedProgram
        let definition = String(decoding: try JSONEncoder.sortedKeys.encode(program), as: UTF8.self)
        // No XML behind a generated program: its definition stands as the source, so a changed generator is a changed file.
        let office = TrainingOffice(context: context)
        if try context.read({ tx in try tx.hasGeneratedData() }) { throw GeneratorError.alreadyGenerated }
        _ = try office.curriculum.load([ProgramFile(program: program, source: definition, file: "generated")], actor: actor)
        let now = context.clock.now()
        var counts = GeneratedCounts()
        for district in 1...max(1, scale) {
            progress(.district(district, of: max(1, scale)))
            let made = try context.write { tx in
                let made = try tx.generateDistrict(people: count, seed: seed, program: program, actor: actor, now: now, district: district)
                try tx.appendAudit(AuditEntry(actor: actor, action: "demo.generate", entityType: "demo",
                                              entityID: district == 1 ? "seed-\(seed)" : "seed-\(seed)-district-\(district)",
                                              details: AuditDetails([("people", .int(made.people)), ("cohorts", .int(made.cohorts)),
                                                                     ("attendance", .int(made.attendance))]).json))
                return made
            }
            counts.people += made.people
            counts.cohorts += made.cohorts
            counts.sessions += made.sessions
            counts.attendance += made.attendance
            counts.scores += made.scores
        }
        progress(.completion)
        counts.completed = try office.clockTick.run().completed.count
        progress(.certificates)
        counts.certificates = try issueGeneratedCertificates(office, actor: actor)
        progress(.trainingYear)
        try generateTrainingYear(office, program: program, seed: seed, actor: actor, counts: &counts)
        return counts
    }
}

extension TrainingOffice {
    init(context: OfficeContext) { self.context = context }
}

extension JSONEncoder {
    /// Deterministic JSON (sorted keys), so a definition compares byte for byte.
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
