import Foundation
import GRDB
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// A temporary folder removed when the value is deallocated.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

let testActor = Actor("test:runner")!

/// The repository, the home of `Curriculum/` and `Certificates/`.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The District time tests run at unless they say otherwise.
let defaultNow = LocalDateTime(iso: "2026-11-25 12:00")!

/// The office over `database` (an in-memory `DatabaseQueue` in most tests) with its District clock stopped at `now`.
/// Its data directory (for keys) is `keys`, or a temporary folder shared by tests that never sign.
func office(_ database: AppDatabase, at now: LocalDateTime = defaultNow, keys: URL? = nil) -> TrainingOffice {
    let folder = keys ?? FileManager.default.temporaryDirectory.appendingPathComponent("obuka-office-test-keys")
    return TrainingOffice(database: database, dataDirectory: DataDirectory(path: folder.path),
                          settings: OfficeSettings(clock: OfficeClock(now: { now }), home: .success(HomeDirectory(url: repositoryRoot)),
                                                   publicURL: "https://obuka.example"))
}

/// A two-module program stored in the database.
func storeSampleProgram(_ database: AppDatabase) throws {
    let title = LocalizedText([.bosnian: "Probni program"])
    let program = Program(
        id: "probni", version: 1, year: 2026, serialCode: "PRB", validYears: 5, title: title,
        provider: DepartmentCode("EIMS"), goal: nil,
        completion: CompletionRule(attendancePercent: 80, excused: .absent, finalPass: 60),
        modules: [
            Module(id: "M1", order: 1, hours: 4, title: LocalizedText([.bosnian: "Prvi"]), assessments: [
                AssessmentDefinition(id: "M1-T", moduleID: "M1", kind: .test, maxScore: 100, passScore: 60, weight: 0.5,
                                     attempts: 2, required: true),
            ]),
            Module(id: "M2", order: 2, hours: 4, title: LocalizedText([.bosnian: "Drugi"]), assessments: [
                AssessmentDefinition(id: "M2-T", moduleID: "M2", kind: .test, maxScore: 100, passScore: 60, weight: 0.5,
                                     attempts: 1, required: true),
            ]),
        ])
    _ = try office(database).curriculum.load([ProgramFile(program: program, source: "<program/>", file: "probni.xml")], actor: testActor)
}

func draft(_ number: String, _ given: String, _ family: String, department: String = "EIMS", sex: Sex? = nil) -> PersonDraft {
    PersonDraft(personalNumber: number, givenName: given, familyName: family, sex: sex,
                email: "\(number)@uprava.example", department: DepartmentCode(department), jobTitle: nil)
}

/// People 1…n in EIMS, a program, and a cohort "A" of the given capacity, in an in-memory database.
func makeCohortFixture(people: Int, capacity: Int) throws -> AppDatabase {
    let database = try AppDatabase.inMemory()
    try storeSampleProgram(database)
    _ = try office(database).people.importDrafts((1...people).map { draft(String($0), "Ime\($0)", "Prezime\($0)") },
                                                 file: "p.csv", sha256: String(repeating: "0", count: 64), actor: testActor)
    _ = try office(database).cohorts.create(code: "A", name: "Grupa A", program: "probni", starts: LocalDate(iso: "2026-03-01")!,
                                            ends: LocalDate(iso: "2026-06-30")!, capacity: capacity, actor: testActor)
    return database
}

func at(_ iso: String) -> LocalDateTime { LocalDateTime(iso: iso)! }

/// Appends `count` audit events, one transaction each.
func appendEvents(_ database: AppDatabase, count: Int) throws {
    for index in 1...count {
        try database.writer.write { db in
            try AuditLog.append(AuditEntry(actor: testActor, action: "test.event", entityType: "thing", entityID: "\(index)"), in: db)
        }
    }
}

/// Cohort A of `people` people, each present at one four-hour session per module (held by 30 April), and those in
/// `passing` with both tests passed: they have completed.
func makeCompletedCohort(people: Int, passing: [String]) throws -> AppDatabase {
    let database = try makeCohortFixture(people: people, capacity: people)
    let numbers = (1...people).map(String.init)
    let later = at("2026-04-30 18:00")
    _ = try office(database).enrolment.enrol(cohort: "A", people: numbers, actor: testActor)
    for (index, day) in ["2026-03-10", "2026-03-11"].enumerated() {
        let (session, _) = try office(database).scheduling.schedule(
            cohort: "A", module: index == 0 ? "M1" : "M2", starts: at("\(day) 09:00"), ends: at("\(day) 13:00"),
            venue: nil, trainer: nil, force: false, actor: testActor)
        try office(database, at: later).attendance.record(
            session: session.id, entries: numbers.map { AttendanceEntry(personalNumber: $0, status: .present) }, actor: testActor)
    }
    for person in passing {
        try office(database, at: later).scores.record(cohort: "A", person: person, assessment: "M1-T", score: 80, actor: testActor)
        try office(database, at: later).scores.record(cohort: "A", person: person, assessment: "M2-T", score: 70, actor: testActor)
    }
    return database
}

/// A PDF's text as `pdftotext` reads it (pages separated by form feeds).
func pdfText(_ pdf: Data) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-pdf-\(UUID().uuidString).pdf")
    defer { try? FileManager.default.removeItem(at: url) }
    try pdf.write(to: url)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
    process.arguments = [url.path, "-"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text
}
