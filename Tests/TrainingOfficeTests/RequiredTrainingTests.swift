import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// Required training on a real database: every gap state, a certificate that expires before the due day, a revoked one,
/// a transfer, versions that take effect later, retiring, and the triggers that keep stored versions as they were.
@Suite struct RequiredTrainingTests {
    let later = at("2026-04-30 18:00")

    /// Cohort A (ended 30. 6. 2026.): 1 and 3 completed and got certificates (3's since revoked), 2 and 4 did not
    /// complete. 5 holds a place in cohort B, ending 28. 2. 2027.; 6 has no start day. Everyone in EIMS.
    func fixture() throws -> (AppDatabase, TemporaryDirectory) {
        let database = try makeCompletedCohort(people: 4, passing: ["1", "3"])
        let keys = try TemporaryDirectory()
        let desk = office(database, at: later, keys: keys.url).certificates
        let settings = CertificateSettings(signatoryName: "Ana Anić", signatoryTitle: "Šefica", place: "Brčko")
        for person in ["1", "3"] {
            _ = try desk.issue(person: person, cohort: "A", language: .bosnian, registryNumber: nil, settings: settings, actor: testActor)
        }
        let revoked = try desk.list(person: "3").first!.serial
        _ = try office(database).certificates.revoke(serial: revoked, reason: "greška", actor: testActor)
        var drafts = (1...4).map { draft(String($0), "Ime\($0)", "Prezime\($0)") }
        for index in drafts.indices { drafts[index].employedSince = LocalDate(iso: "2020-01-01") }
        drafts += [draft("5", "Ime5", "Prezime5"), draft("6", "Ime6", "Prezime6")]
        drafts[4].employedSince = LocalDate(iso: "2026-11-01")
        _ = try office(database).people.importDrafts(drafts, file: "p.csv", sha256: String(repeating: "1", count: 64), actor: testActor)
        _ = try office(database).cohorts.create(code: "B", name: "Grupa B", program: "probni", starts: LocalDate(iso: "2027-01-10")!,
                                                ends: LocalDate(iso: "2027-02-28")!, capacity: 5, actor: testActor)
        _ = try office(database).enrolment.enrol(cohort: "B", people: ["5"], actor: testActor)
        return (database, keys)
    }

    func states(_ gaps: [TrainingGap], rule: String) -> [String: GapState] {
        Dictionary(uniqueKeysWithValues: gaps.filter { $0.requirement.code == rule }.map { ($0.person.personalNumber, $0.state) })
    }

    @Test func everyStateOfTheGapListOnARealDatabase() throws {
        let (database, _) = try fixture()
        let desk = office(database).requiredTraining
        // Everyone, by 30. 6. 2027.: the program's five years of validity by default.
        let byDate = try desk.define(.init(code: "znr", programID: "probni", scope: .everyone, due: .by(LocalDate(iso: "2027-06-30")!)),
                                     actor: testActor)
        #expect(byDate.code == "ZNR" && byDate.version == 1 && byDate.renewYears == 5 && byDate.effectiveFrom == defaultNow.date)
        // Everyone, 30 days after starting.
        _ = try desk.define(.init(code: "UVOD", programID: "probni", scope: .everyone, due: .afterStart(days: 30)), actor: testActor)
        // EIMS, by a day after person 1's certificate expires (29. 4. 2031.).
        _ = try desk.define(.init(code: "DUGO", programID: "probni", scope: .department(DepartmentCode("EIMS")),
                                  due: .by(LocalDate(iso: "2032-01-01")!)), actor: testActor)

        let gaps = try desk.gaps(department: DepartmentCode("EIMS"))
        #expect(states(gaps, rule: "ZNR") == ["1": .met, "2": .missing, "3": .missing, "4": .missing, "5": .inProgress, "6": .missing])
        let met = try #require(gaps.first { $0.requirement.code == "ZNR" && $0.person.personalNumber == "1" })
        #expect(met.validUntil == LocalDate(iso: "2031-04-29") && met.certificate?.hasPrefix("BD-PRB-") == true)
        #expect(gaps.first { $0.requirement.code == "ZNR" && $0.person.personalNumber == "5" }?.cohort == "B")
        // 30 days after 1. 1. 2020. has long passed: met by a valid certificate today, else overdue; 5 started on
        // 1. 11. 2026. (due 1. 12.), 6 has no start day.
        #expect(states(gaps, rule: "UVOD") == ["1": .met, "2": .overdue, "3": .overdue, "4": .overdue, "5": .missing, "6": .startDateUnknown])
        // A certificate that expires before the due day does not meet it.
        #expect(states(gaps, rule: "DUGO")["1"] == .missing)
        #expect(try desk.gaps(person: "1").map(\.requirement.code).sorted() == ["DUGO", "UVOD", "ZNR"])
        #expect(throws: PeopleError.unknownPerson(personalNumber: "99")) { try desk.gaps(person: "99") }
    }

    @Test func aTransferMovesAPersonToTheNewDepartmentsRules() throws {
        let (database, _) = try fixture()
        let desk = office(database).requiredTraining
        let other = try office(database).people.departments().first { $0.code.rawValue != "EIMS" }!.code
        _ = try desk.define(.init(code: "ODJ", programID: "probni", scope: .department(other), due: .by(LocalDate(iso: "2027-06-30")!)),
                            actor: testActor)
        #expect(try desk.gaps(person: "1").isEmpty)
        #expect(try desk.gaps(department: other).isEmpty)
        _ = try office(database).people.transfer("1", to: other, actor: testActor)
        #expect(try desk.gaps(person: "1").map(\.state) == [.met])
        #expect(try desk.gaps(department: other).map(\.person.personalNumber) == ["1"])
        #expect(try desk.gaps(department: DepartmentCode("EIMS")).allSatisfy { $0.person.personalNumber != "1" })
    }

    @Test func aJobTitleRuleMatchesWhateverTheCaseDiacriticsOrScript() throws {
        let database = try makeCohortFixture(people: 2, capacity: 2)
        var first = draft("1", "Ime1", "Prezime1"), second = draft("2", "Ime2", "Prezime2")
        first.jobTitle = "Viši stručni saradnik za ljudske resurse"
        second.jobTitle = "Referent"
        _ = try office(database).people.importDrafts([first, second], file: "p.csv", sha256: String(repeating: "2", count: 64), actor: testActor)
        let desk = office(database).requiredTraining
        _ = try desk.define(.init(code: "HR", programID: "probni", scope: .jobTitle("LJUDSKE resurse"), due: .by(LocalDate(iso: "2027-01-01")!)),
                            actor: testActor)
        #expect(try desk.gaps(department: DepartmentCode("EIMS")).map(\.person.personalNumber) == ["1"])
        #expect(throws: RequirementError.emptyJobTitle) {
            try desk.define(.init(code: "X", programID: "probni", scope: .jobTitle(" – "), due: .afterStart(days: 1)), actor: testActor)
        }
    }

    @Test func versionsTakeEffectOnTheirDayAndStoredVersionsNeverChange() throws {
        let (database, _) = try fixture()
        let desk = office(database).requiredTraining
        _ = try desk.define(.init(code: "ZNR", programID: "probni", scope: .everyone, due: .by(LocalDate(iso: "2027-06-30")!)), actor: testActor)
        // Version 2 from 1. 1. 2027.: a later deadline and only EIMS. Before that day version 1 applies.
        let second = try desk.define(.init(code: "ZNR", programID: "probni", scope: .department(DepartmentCode("EIMS")),
                                           due: .by(LocalDate(iso: "2027-12-31")!), renewYears: 2, effectiveFrom: LocalDate(iso: "2027-01-01")),
                                     actor: testActor)
        #expect(second.version == 2 && second.renewYears == 2)
        #expect(try desk.rules().first?.versions.map(\.standing) == [.inEffect, .pending])
        #expect(try desk.gaps(person: "2").first?.due == LocalDate(iso: "2027-06-30"))
        let january = office(database, at: at("2027-01-05 09:00")).requiredTraining
        #expect(try january.rules().first?.versions.map(\.standing) == [.superseded, .inEffect])
        #expect(try january.gaps(person: "2").first?.due == LocalDate(iso: "2027-12-31"))
        // A new version may not take effect before the newest one.
        #expect(throws: RequirementError.effectiveBeforeNewest(code: "ZNR", newest: LocalDate(iso: "2027-01-01")!)) {
            try desk.define(.init(code: "ZNR", programID: "probni", scope: .everyone, due: .afterStart(days: 10),
                                  effectiveFrom: LocalDate(iso: "2026-12-01")), actor: testActor)
        }
        // Retired from 1. 2. 2027.: no gaps after that day, and a second retirement is refused.
        _ = try office(database, at: at("2027-02-01 08:00")).requiredTraining.retire(code: "znr", actor: testActor)
        #expect(try office(database, at: at("2027-02-02 08:00")).requiredTraining.gaps(person: "2").isEmpty)
        #expect(try office(database, at: at("2027-02-02 08:00")).requiredTraining.rules().first?.versions.map(\.standing)
                == [.superseded, .superseded, .retired])
        #expect(throws: RequirementError.alreadyRetired(code: "ZNR")) { try desk.retire(code: "ZNR", actor: testActor) }
        #expect(throws: RequirementError.unknownRequirement(code: "NEMA")) { try desk.retire(code: "nema", actor: testActor) }
        // Every version is in the audit log; the stored rows refuse to change or go.
        let actions = try office(database).administration.auditEvents(limit: 20).filter { $0.entityType == "requirement" }.map(\.action)
        #expect(actions.sorted() == ["requirement.define", "requirement.define", "requirement.retire"])
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "UPDATE training_requirement SET due_date = '2030-01-01'") }
        }
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "DELETE FROM training_requirement") }
        }
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM training_requirement") } == 3)
    }

    @Test func refusalsNameWhatIsWrongAndStoreNothing() throws {
        let (database, _) = try fixture()
        let desk = office(database).requiredTraining
        #expect(throws: RequirementError.badCode(code: "z n r")) {
            try desk.define(.init(code: "z n r", programID: "probni", scope: .everyone, due: .afterStart(days: 1)), actor: testActor)
        }
        #expect(throws: RequirementError.daysOutOfRange(value: 4000)) {
            try desk.define(.init(code: "A", programID: "probni", scope: .everyone, due: .afterStart(days: 4000)), actor: testActor)
        }
        #expect(throws: RequirementError.renewOutOfRange(value: 0)) {
            try desk.define(.init(code: "A", programID: "probni", scope: .everyone, due: .afterStart(days: 1), renewYears: 0), actor: testActor)
        }
        #expect(throws: PeopleError.unknownDepartment(code: "NEMA")) {
            try desk.define(.init(code: "A", programID: "probni", scope: .department(DepartmentCode("NEMA")), due: .afterStart(days: 1)),
                            actor: testActor)
        }
        #expect(throws: (any Error).self) {
            try desk.define(.init(code: "A", programID: "nema", scope: .everyone, due: .afterStart(days: 1)), actor: testActor)
        }
        #expect(try desk.rules().isEmpty)
    }

    @Test func aStartDayComesWithAnImportAndStaysWhenAFileLacksIt() throws {
        let database = try makeCohortFixture(people: 1, capacity: 1)
        let people = office(database).people
        let csv = "personal_number;given_name;family_name;email;department;zaposlen_od\r\n1;Ime1;Prezime1;1@uprava.example;EIMS;1. 3. 2019.\r\n"
        _ = try people.importFile(Data(csv.utf8), file: "s.csv", actor: testActor)
        #expect(try people.person("1").employedSince == LocalDate(iso: "2019-03-01"))
        let without = "personal_number;given_name;family_name;email;department\r\n1;Ime1;Prezimenić;1@uprava.example;EIMS\r\n"
        _ = try people.importFile(Data(without.utf8), file: "t.csv", actor: testActor)
        #expect(try people.person("1").employedSince == LocalDate(iso: "2019-03-01") && people.person("1").familyName == "Prezimenić")
        let bad = "personal_number;given_name;family_name;email;department;employed_since\r\n1;Ime1;Prezime1;1@uprava.example;EIMS;juče\r\n"
        #expect(throws: (any Error).self) { try people.importFile(Data(bad.utf8), file: "u.csv", actor: testActor) }
    }
}
