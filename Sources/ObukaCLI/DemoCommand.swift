import ArgumentParser
import CSVImport
import Foundation
import Localization
import TrainingCore
import TrainingOffice
import TrainingStore
import TrainingWeb

/// `obuka demo seed`: demonstration data, idempotent.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Demonstration data.", subcommands: [Seed.self, Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate", abstract: "Generate District-scale data (≈ 5,000 staff, ≈ 500,000 attendance rows), the same for the same seed.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many civil servants.") var people = 5000
        @Option(help: "Seed of the generator.") var seed: UInt64 = 1

        func validate() throws { if people < 1 || people > 100_000 { throw ValidationError("--people is 1…100000") } }

        func run() throws {
            let counts = try global.openDatabase().generateDistrict(people: people, seed: seed, actor: global.resolvedActor,
                                                                   now: Clock.districtNow())
            Console.line(global.localizer("demo.generate.done", [
                "people": String(counts.people), "cohorts": String(counts.cohorts), "sessions": String(counts.sessions),
                "attendance": String(counts.attendance), "scores": String(counts.scores), "completed": String(counts.completed),
            ]))
        }
    }

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed", abstract: "Load the curriculum and demo data; running it again changes nothing.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let database = try global.openDatabase()
            let t = global.localizer
            Console.line(t("demo.seed.departments", ["count": String(try database.departments().count)]))
            let home = try HomeDirectory.resolve(environment: global.environment)
            let reader = try CurriculumReader(global: global, database: database)
            let (files, problems) = reader.read(try CurriculumReader.expand([home.curriculumFolder]))
            guard problems.isEmpty else {
                for problem in problems { Console.error(problem.description) }
                throw ExitCode(1)
            }
            Console.line(t("demo.seed.curriculum", ["path": home.curriculumFolder.path]))
            report(try database.loadPrograms(files, actor: global.resolvedActor), localizer: t)
            let demo = DemoData(database: database, actor: global.resolvedActor, localizer: t)
            try demo.seed(today: Clock.districtToday())
            try demo.seedAccounts(dataDirectory: global.dataDirectory.url)
        }
    }
}

/// The demo cohort: the 2022 diaspora program run for people from the sample CSVs, with sessions for
/// all three modules around today (some held, some to come).
struct DemoData {
    let database: AppDatabase
    let actor: Actor
    let localizer: Localizer

    static let cohortCode = "DIJ-A"
    static let venues = [("Sala Vlade Brčko distrikta", 30), ("Kabinet EIMS", 12)]
    static let trainers = ["Amra Hadžić", "Dragan Marković"]

    func seed(today: LocalDate) throws {
        let t = localizer
        let departments = Set(try database.departments().map(\.code))
        for name in ["participants-excel-utf8.csv", "participants-excel-cp1250.csv"] {
            guard let url = Bundle.module.url(forResource: "demo/\(name)", withExtension: nil),
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            let table = try CSVTable.decode(data, file: name)
            let drafts = try PeopleCSV.drafts(from: table, file: name, knownDepartments: departments).map(\.draft)
            // A second seed changes nothing, not even the audit log.
            let preview = try database.importPeople(drafts, file: name, sha256: sha256Hex(data), actor: actor, dryRun: true)
            guard !preview.added.isEmpty || !preview.updated.isEmpty else { continue }
            let summary = try database.importPeople(drafts, file: name, sha256: sha256Hex(data), actor: actor)
            Console.line(t("demo.seed.people", ["file": name, "added": String(summary.added.count)]))
        }
        let existingVenues = Set(try database.venues().map(\.name))
        for (name, capacity) in Self.venues where !existingVenues.contains(name) {
            try database.addVenue(name: name, capacity: capacity, actor: actor)
        }
        if (try? database.cohort(code: Self.cohortCode)) != nil {
            Console.line(t("demo.seed.cohort_exists", ["cohort": Self.cohortCode]))
            return
        }
        // Cohort A ran over the last six weeks: every session is held, so the progress table shows
        // who completed, who is at risk (a failed test with an attempt left) and who cannot complete.
        let start = Self.workingDay(onOrAfter: today.adding(days: -45))
        _ = try database.createCohort(
            code: Self.cohortCode, name: "Dijaspora – grupa A", programID: "dijaspora-2022", starts: start,
            ends: start.adding(days: 40), capacity: 20, actor: actor)
        // 22 people for 20 places: the last two wait.
        let people = try database.people().prefix(22).map(\.personalNumber)
        _ = try database.enrol(cohortCode: Self.cohortCode, personalNumbers: Array(people), actor: actor)
        let sessions = try scheduleWeekly(Self.cohortCode, modules: ["M1", "M1", "M2", "M2", "M3", "M3"], from: start)
        let participants = Array(people.prefix(20))
        let now = LocalDateTime(date: today, hour: 12, minute: 0)!
        for (index, session) in sessions.enumerated() {
            let entries = participants.enumerated().map { position, number -> AttendanceEntry in
                switch (position, index) {
                case (3, 0): AttendanceEntry(personalNumber: number, status: .late, minutes: 180, note: "kašnjenje autobusa")
                case (7, 2): AttendanceEntry(personalNumber: number, status: .late, minutes: 200)
                case (5, 4): AttendanceEntry(personalNumber: number, status: .absent)
                default: AttendanceEntry(personalNumber: number, status: .present)
                }
            }
            try database.recordAttendance(session: session, entries: entries, source: "demo", actor: actor, now: now)
        }
        for (position, number) in participants.enumerated() {
            let base = Double(60 + (position * 7) % 35)
            let firstTest = position == 10 || position == 11 ? 45 : base
            try database.recordScore(cohortCode: Self.cohortCode, personalNumber: number, assessmentID: "M1-T",
                                     score: firstTest, actor: actor, now: now)
            try database.recordScore(cohortCode: Self.cohortCode, personalNumber: number, assessmentID: "M2-P",
                                     score: min(100, base + 5), actor: actor, now: now)
            try database.recordScore(cohortCode: Self.cohortCode, personalNumber: number, assessmentID: "M3-T",
                                     score: min(100, base + 10), actor: actor, now: now)
        }
        // Fictional signatory, so certificates can be issued straight after `make run`.
        try database.setCertificateSettings(
            cohortCode: Self.cohortCode,
            CertificateSettings(signatoryName: "Amra Hadžić", signatoryTitle: "Šefica Odjeljenja", place: "Brčko"), actor: actor)
        Console.line(t("demo.seed.cohort", ["cohort": Self.cohortCode, "people": String(people.count)]))

        // Cohort B starts in two weeks: sessions to come and requests waiting for a decision.
        let startB = Self.workingDay(onOrAfter: today.adding(days: 14))
        _ = try database.createCohort(code: "DIJ-B", name: "Dijaspora – grupa B", programID: "dijaspora-2022",
                                      starts: startB, ends: startB.adding(days: 40), capacity: 15, actor: actor)
        _ = try scheduleWeekly("DIJ-B", modules: ["M1", "M1", "M2", "M2", "M3", "M3"], from: startB)
        let others = try database.people().dropFirst(22).prefix(8).map(\.personalNumber)
        _ = try database.enrol(cohortCode: "DIJ-B", personalNumbers: Array(others.prefix(5)), actor: actor)
        for number in others.dropFirst(5) {
            _ = try database.requestEnrolment(cohortCode: "DIJ-B", personalNumber: number, actor: actor)
        }
        Console.line(t("demo.seed.cohort", ["cohort": "DIJ-B", "people": String(others.count)]))
    }

    /// One demo account per role. Passwords are generated at the first seed and kept in the data directory
    /// (`demo-logins.txt`, readable only by its owner), never in the repository.
    func seedAccounts(dataDirectory: URL) throws {
        let file = dataDirectory.appendingPathComponent("demo-logins.txt")
        var saved: [String: String] = [:]
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count >= 2 { saved[String(parts[0])] = String(parts[1]) }
            }
        }
        let trainee = try database.enrolments(cohortCode: Self.cohortCode).first { $0.status.occupiesPlace }?.person
        let demoAccounts: [(login: String, name: String, role: Role)] = [
            ("admin", "Administrator", .admin),
            ("koordinator", "Amra Hadžić", .coordinator),
            ("rukovodilac", "Rukovodilac odjeljenja", .departmentHead),
            ("polaznik", trainee?.fullName ?? "Polaznik", .trainee),
        ]
        var lines: [String] = []
        for account in demoAccounts {
            let password = saved[account.login] ?? AccountPasswords.generate()
            if try database.account(login: account.login) == nil {
                try database.createAccount(AccountDraft(
                    login: account.login, displayName: account.name, passwordHash: Passwords.hash(password), roles: [account.role],
                    department: account.role == .departmentHead ? trainee?.department : nil,
                    personalNumber: account.role == .trainee ? trainee?.personalNumber : nil), actor: actor)
            } else if saved[account.login] == nil {
                continue  // made elsewhere; its password is not ours to print
            }
            lines.append("\(account.login) \(password) \(account.role.rawValue)")
            Console.line(localizer("demo.seed.login", ["role": localizer("role.\(account.role.rawValue)"),
                                                       "login": account.login, "password": password]))
        }
        // In the data directory (0700); readable by its owner only. A failure to write it is reported, not ignored.
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    /// Four-hour morning sessions a week apart on working days, alternating trainers.
    private func scheduleWeekly(_ cohort: String, modules: [String], from start: LocalDate) throws -> [SessionID] {
        var day = start
        var ids: [SessionID] = []
        for (index, module) in modules.enumerated() {
            day = Self.workingDay(onOrAfter: day)
            let (session, _) = try database.scheduleSession(
                cohortCode: cohort, moduleID: module, starts: LocalDateTime(date: day, hour: 9, minute: 0)!,
                ends: LocalDateTime(date: day, hour: 13, minute: 0)!, venue: Self.venues[0].0,
                trainer: Self.trainers[index % 2], force: false, actor: actor)
            ids.append(session.id)
            day = day.adding(days: 7)
        }
        return ids
    }

    /// The first day on or after `date` that is neither a weekend nor a District holiday.
    static func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        while day.isWeekend || DistrictHolidays.holiday(on: day) != nil { day = day.adding(days: 1) }
        return day
    }
}

