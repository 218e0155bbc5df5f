import ArgumentParser
import CSVImport
import Foundation
import Localization
import TrainingCore
import TrainingStore

/// `obuka demo seed`: demonstration data, idempotent.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Demonstration data.", subcommands: [Seed.self])

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the curriculum and demo data; running it again changes nothing.")

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
            try DemoData(database: database, actor: global.resolvedActor, localizer: t).seed(today: Clock.districtToday())
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
            let preview = try database.importPeople(drafts, file: name, sha256: table.sha256, actor: actor, dryRun: true)
            guard !preview.added.isEmpty || !preview.updated.isEmpty else { continue }
            let summary = try database.importPeople(drafts, file: name, sha256: table.sha256, actor: actor)
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
        let start = Self.workingDay(onOrAfter: today.adding(days: -28))
        _ = try database.createCohort(
            code: Self.cohortCode, name: "Dijaspora – grupa A", programID: "dijaspora-2022", starts: start,
            ends: start.adding(days: 49), capacity: 20, actor: actor)
        // 22 people for 20 places: the last two wait.
        let people = try database.people().prefix(22).map(\.personalNumber)
        _ = try database.enrol(cohortCode: Self.cohortCode, personalNumbers: Array(people), actor: actor)
        // Two four-hour sessions per module, a week apart, alternating trainers; the last ones lie ahead.
        var day = start
        for (index, module) in ["M1", "M1", "M2", "M2", "M3", "M3"].enumerated() {
            day = Self.workingDay(onOrAfter: day)
            _ = try database.scheduleSession(
                cohortCode: Self.cohortCode, moduleID: module, starts: LocalDateTime(date: day, hour: 9, minute: 0)!,
                ends: LocalDateTime(date: day, hour: 13, minute: 0)!, venue: Self.venues[0].0,
                trainer: Self.trainers[index % 2], force: false, actor: actor)
            day = day.adding(days: 7)
        }
        Console.line(t("demo.seed.cohort", ["cohort": Self.cohortCode, "people": String(people.count)]))
    }

    /// The first day on or after `date` that is neither a weekend nor a District holiday.
    static func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        while day.isWeekend || DistrictHolidays.holiday(on: day) != nil { day = day.adding(days: 1) }
        return day
    }
}

/// Today's date and time in the District (Europe/Sarajevo), or `OBUKA_NOW` (`YYYY-MM-DD HH:MM`) when set,
/// so tests and demos can fix the clock.
enum Clock {
    static func districtNow(environment: [String: String] = ProcessInfo.processInfo.environment) -> LocalDateTime {
        if let fixed = environment["OBUKA_NOW"].flatMap(LocalDateTime.init(iso:)) { return fixed }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: ICalendar.timeZoneID) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date())
        return LocalDateTime(date: LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!,
                             hour: parts.hour!, minute: parts.minute!)!
    }

    static func districtToday() -> LocalDate { districtNow().date }
}
