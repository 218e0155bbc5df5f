import Foundation
import Localization
import Reports
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// A cohort on version 2 of the diaspora program: its certificates state only what the sources give or the District
/// decided. Until a coordinator confirms the program's policy nothing is issued; then the certificate states the hours
/// the cohort held, not the program's planned ones. Version 1 cohorts are untouched.
@Suite struct CurriculumVersionTwoTests {
    let later = at("2026-04-30 18:00")
    let settings = CertificateSettings(signatoryName: "Ana Anić", signatoryTitle: "Šefica", place: "Brčko")

    /// Both versions of the diaspora program stored; cohort "V2" on version 2 with person 1 present at one two-hour
    /// session per module (six hours held of 24 planned) and every test passed, person 2 present only.
    func versionTwoCohort() throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        let curriculum = office(database).curriculum
        let reading = try curriculum.read([repositoryRoot.appendingPathComponent("Curriculum")], language: .english)
        #expect(reading.problems.isEmpty, "\(reading.problems)")
        #expect(Set(reading.files.map(\.program.version)) == [1, 2])
        _ = try curriculum.load(reading.files, actor: testActor)
        _ = try office(database).people.importDrafts([draft("1", "Ime1", "Prezime1"), draft("2", "Ime2", "Prezime2")],
                                                     file: "p.csv", sha256: String(repeating: "0", count: 64), actor: testActor)
        let cohorts = office(database).cohorts
        _ = try cohorts.create(code: "V2", name: "Grupa V2", program: "dijaspora-2022", version: 2, starts: LocalDate(iso: "2026-03-01")!,
                               ends: LocalDate(iso: "2026-06-30")!, capacity: 10, actor: testActor)
        _ = try office(database).enrolment.enrol(cohort: "V2", people: ["1", "2"], actor: testActor)
        for (index, module) in ["M1", "M2", "M3"].enumerated() {
            let day = "2026-03-1\(index + 1)"
            let (session, _) = try office(database).scheduling.schedule(
                cohort: "V2", module: module, starts: at("\(day) 09:00"), ends: at("\(day) 11:00"), venue: nil, trainer: nil,
                force: false, actor: testActor)
            try office(database, at: later).attendance.record(
                session: session.id, entries: ["1", "2"].map { AttendanceEntry(personalNumber: $0, status: .present) }, actor: testActor)
        }
        for assessment in ["M1-T", "M2-P", "M3-T"] {
            try office(database, at: later).scores.record(cohort: "V2", person: "1", assessment: assessment, score: 90, actor: testActor)
        }
        return database
    }

    /// Every text of a document, for looking for what it states.
    func text(_ document: ReportDocument) -> String {
        ([document.title] + document.subtitle + document.tables.flatMap { [$0.title] + $0.header + $0.rows.flatMap { $0 } })
            .joined(separator: "\n")
    }

    @Test func noCertificateIsIssuedUntilThePolicyIsConfirmedAndThenItStatesTheHeldHours() throws {
        let database = try versionTwoCohort()
        let keys = try TemporaryDirectory()
        let desk = office(database, at: later, keys: keys.url).certificates
        let unconfirmed = CertificateError.policyUnconfirmed(program: "dijaspora-2022", version: 2)
        #expect(throws: unconfirmed) {
            try desk.issue(person: "1", cohort: "V2", language: .bosnian, registryNumber: nil, settings: settings, actor: testActor)
        }
        try desk.setSettings(cohort: "V2", settings, actor: testActor)
        #expect(throws: unconfirmed) { try desk.issueAll(cohort: "V2", language: .bosnian, actor: testActor) { _, _ in } }
        #expect(try desk.list(cohort: "V2").isEmpty)

        // The transcript meanwhile marks the module titles the sources do not give, and states no policy as fact.
        let transcript = text(ReportBuilder(localizer: Localizer(.bosnian)).transcript(try office(database, at: later).reports.transcript(person: "1")))
        #expect(transcript.contains("1. Migracije i razvoj [rekonstruisano]"))
        #expect(transcript.contains("2. Međusektorska saradnja i mobilizacija dijaspore [rekonstruisano]"))
        #expect(transcript.contains("3. Usluge dijaspori") && !transcript.contains("3. Usluge dijaspori ["))
        for policy in ["80 %", "24 sata", "važi 5"] { #expect(!transcript.contains(policy), "the transcript states \(policy)") }

        // The coordinator confirms (audited, with what was confirmed); a second confirmation changes nothing.
        let curriculum = office(database).curriculum
        #expect(try curriculum.confirmPolicy("dijaspora-2022", version: 2, actor: testActor))
        #expect(try !curriculum.confirmPolicy("dijaspora-2022", version: 2, actor: testActor))
        let event = try #require(try office(database).administration.auditEvents(limit: 5).first { $0.action == "curriculum.confirm" })
        #expect(event.entityID == "dijaspora-2022@2")
        #expect(event.details?.contains("module:M1:reconstructed") == true && event.details?.contains("\"80\"") == true)
        #expect(try curriculum.standing("dijaspora-2022", version: 2).policyConfirmed)

        let (certificate, _) = try desk.issue(person: "1", cohort: "V2", language: .bosnian, registryNumber: nil, settings: nil,
                                              actor: testActor)
        // Six hours were held; the program's 24 planned hours are not what the certificate states.
        #expect(certificate.fields["hours"] == "6 sati")
        #expect(certificate.payload.hours == 6)
        #expect(certificate.expires == CertificateRules.expiry(issued: later.date, validYears: 5))
        #expect(certificate.fields["modules"]?.contains("3. Usluge dijaspori") == true)
        #expect(throws: CertificateError.notCompleted(personalNumber: "2", cohort: "V2")) {
            try desk.issue(person: "2", cohort: "V2", language: .bosnian, registryNumber: nil, settings: nil, actor: testActor)
        }
    }

    @Test func versionOneKeepsItsWordingAndConfirmationIsRefusedForIt() throws {
        let database = try versionTwoCohort()
        let curriculum = office(database).curriculum
        #expect(throws: ProgramPolicyError.nothingToConfirm(program: "dijaspora-2022", version: 1)) {
            try curriculum.confirmPolicy("dijaspora-2022", version: 1, actor: testActor)
        }
        #expect(try curriculum.standing("dijaspora-2022", version: 1).policyConfirmed)
        // A version 1 draft states the nominal hours, as every version 1 certificate did.
        let one = try curriculum.program("dijaspora-2022", version: 1).program
        let draft = CertificateDraft(serial: "S", checkCode: "C", person: Person(id: PersonID(rawValue: 1), personalNumber: "1",
            givenName: "A", familyName: "B", sex: nil, email: "a@b.example", department: DepartmentCode("EIMS"), jobTitle: nil),
            cohort: try office(database).cohorts.cohort("V2"), program: one, issued: LocalDate(iso: "2026-04-30")!,
            settings: settings, language: .bosnian, heldMinutes: 360)
        #expect(draft.statedHours == 24)
    }

    @Test func theCatalogueShowsOnlyWhatACoordinatorPublished() throws {
        let database = try versionTwoCohort()
        let curriculum = office(database).curriculum
        #expect(try curriculum.catalogue().isEmpty)
        #expect(try curriculum.setInCatalogue("dijaspora-2022", shown: true, actor: testActor))
        #expect(try !curriculum.setInCatalogue("dijaspora-2022", shown: true, actor: testActor))
        #expect(try curriculum.catalogue().map { "\($0.program.id)@\($0.program.version)" } == ["dijaspora-2022@2"])
        #expect(try curriculum.setInCatalogue("dijaspora-2022", shown: false, actor: testActor))
        #expect(try curriculum.catalogue().isEmpty)
        #expect(throws: CurriculumStoreError.unknownProgram(programID: "nema")) {
            try curriculum.setInCatalogue("nema", shown: true, actor: testActor)
        }
    }

    @Test func aPersonsPreferredLanguageIsKeptExportedAndErased() throws {
        let database = try versionTwoCohort()
        let people = office(database).people
        #expect(try people.setPreferredLanguage("1", .croatian, actor: testActor).preferredLanguage == .croatian)
        #expect(try people.person("1").preferredLanguage == .croatian)
        #expect(try office(database).privacy.export(person: "1", reader: testActor).person.preferredLanguage == "hr")
        #expect(throws: PeopleError.unknownPerson(personalNumber: "9")) { try people.setPreferredLanguage("9", .english, actor: testActor) }
        #expect(try people.setPreferredLanguage("1", nil, actor: testActor).preferredLanguage == nil)
    }
}
