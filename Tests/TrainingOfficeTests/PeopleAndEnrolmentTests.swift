import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

@Suite struct PeopleImportTests {
    @Test func reimportUpdatesByPersonalNumberAndAuditsOncePerBatch() throws {
        let database = try AppDatabase.inMemory()
        let first = try office(database).people.importDrafts([draft("1", "Amra", "Hadžić"), draft("2", "Edin", "Begić")], file: "a.csv", sha256: String(repeating: "a", count: 64), actor: testActor)
        #expect(first.added == ["1", "2"])
        var changed = draft("1", "Amra", "Hadžić-Kovač")
        changed.jobTitle = "savjetnica"
        let second = try office(database).people.importDrafts([changed, draft("2", "Edin", "Begić")], file: "b.csv", sha256: String(repeating: "b", count: 64), actor: testActor)
        #expect(second.added.isEmpty && second.unchanged == 1)
        #expect(second.updated.map(\.fields) == [["family_name", "job_title"]])
        #expect(try office(database).people.person("1").familyName == "Hadžić-Kovač")
        let events = try office(database).administration.auditEvents(entityType: "import")
        #expect(events.count == 2)
        #expect(events[0].details?.contains(#""sha256":"bbbb"#) == true)
    }

    @Test func aLargeImportStoresEveryRowAsGivenAcrossManyRowStatements() throws {
        // 250 new people: two full 100-row statements and a shorter last one, among them texts outside
        // ASCII, an empty-looking optional field stored as NULL, and one person already stored (an update).
        let database = try AppDatabase.inMemory()
        _ = try office(database).people.importDrafts([draft("P7", "Stari", "Zapis")], file: "a.csv", sha256: String(repeating: "a", count: 64), actor: testActor)
        let drafts = (1...251).map { number -> PersonDraft in
            var person = draft("P\(number)", number.isMultiple(of: 2) ? "Đorđe" : "Ana", "Šehić \(number)",
                               department: number.isMultiple(of: 3) ? "DF" : "EIMS", sex: number.isMultiple(of: 5) ? nil : .female)
            person.jobTitle = number.isMultiple(of: 7) ? nil : "viši referent za \"ljudske\" resurse \(number)"
            return person
        }
        let summary = try office(database).people.importDrafts(drafts, file: "b.csv", sha256: String(repeating: "b", count: 64), actor: testActor)
        #expect(summary.added.count == 250 && summary.updated.count == 1)
        let stored = Dictionary(uniqueKeysWithValues: try office(database).people.list().map { ($0.personalNumber, $0) })
        #expect(stored.count == 251)
        for expected in drafts {
            let person = try #require(stored[expected.personalNumber])
            #expect(person.givenName == expected.givenName && person.familyName == expected.familyName)
            #expect(person.sex == expected.sex && person.jobTitle == expected.jobTitle)
            #expect(person.department == expected.department && person.email == expected.email)
        }
        // Rows are numbered in file order.
        let ids = try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT personal_number FROM person WHERE id > 1 ORDER BY id")
        }
        #expect(ids == drafts.map(\.personalNumber).filter { $0 != "P7" })
    }

    @Test func aDryRunReportsButWritesNothing() throws {
        let database = try AppDatabase.inMemory()
        let summary = try office(database).people.importDrafts([draft("1", "Amra", "Hadžić")], file: "a.csv", sha256: String(repeating: "a", count: 64), actor: testActor, dryRun: true)
        #expect(summary.added == ["1"])
        #expect(try office(database).people.list().isEmpty)
        #expect(try office(database).administration.auditEvents().isEmpty)
    }

    @Test func transferKeepsTheDepartmentOfPastEnrolments() throws {
        let database = try makeCohortFixture(people: 1, capacity: 5)
        _ = try office(database).enrolment.enrol(cohort: "A", people: ["1"], actor: testActor)
        let moved = try office(database).people.transfer("1", to: DepartmentCode("DF"), actor: testActor)
        #expect(moved.department == DepartmentCode("DF"))
        #expect(try office(database).enrolment.enrolments(cohort: "A").first?.departmentAtEnrolment == DepartmentCode("EIMS"))
        #expect(throws: PeopleError.unknownDepartment(code: "NOPE")) {
            try office(database).people.transfer("1", to: DepartmentCode("NOPE"), actor: testActor)
        }
    }
}

@Suite struct EnrolmentTests {
    @Test func aFullCohortWaitlistsAndAWithdrawalPromotesTheFirstInLine() throws {
        let database = try makeCohortFixture(people: 4, capacity: 2)
        let changes = try office(database).enrolment.enrol(cohort: "A", people: ["1", "2", "3", "4"], actor: testActor)
        #expect(changes.map(\.status) == [.approved, .approved, .waitlisted, .waitlisted])
        let withdrawal = try office(database).enrolment.withdraw(cohort: "A", person: "1", reason: "bolovanje", actor: testActor)
        #expect(withdrawal.promoted == ["3"])
        let statuses = Dictionary(uniqueKeysWithValues: try office(database).enrolment.enrolments(cohort: "A").map { ($0.person.personalNumber, $0.status) })
        #expect(statuses == ["1": .withdrawn, "2": .approved, "3": .approved, "4": .waitlisted])
    }

    @Test func requestsAreApprovedOrDeclinedWithAReasonKept() throws {
        let database = try makeCohortFixture(people: 3, capacity: 1)
        _ = try office(database).enrolment.request(cohort: "A", person: "1", actor: testActor)
        _ = try office(database).enrolment.request(cohort: "A", person: "2", actor: testActor)
        _ = try office(database).enrolment.request(cohort: "A", person: "3", actor: testActor)
        #expect(try office(database).enrolment.approve(cohort: "A", person: "1", actor: testActor).status == .approved)
        #expect(try office(database).enrolment.approve(cohort: "A", person: "2", actor: testActor).status == .waitlisted)
        _ = try office(database).enrolment.decline(cohort: "A", person: "3", reason: "nije iz ciljne grupe", actor: testActor)
        let declined = try #require(try office(database).enrolment.enrolments(cohort: "A").first { $0.person.personalNumber == "3" })
        #expect(declined.status == .declined)
        #expect(declined.reason == "nije iz ciljne grupe")
        #expect(throws: CohortError.transitionNotAllowed(personalNumber: "3", from: .declined, to: .withdrawn)) {
            try office(database).enrolment.withdraw(cohort: "A", person: "3", reason: nil, actor: testActor)
        }
    }

    @Test func enrollingADepartmentSkipsThoseAlreadyIn() throws {
        let database = try makeCohortFixture(people: 3, capacity: 10)
        _ = try office(database).enrolment.enrol(cohort: "A", people: ["2"], actor: testActor)
        let changes = try office(database).enrolment.enrolDepartment(cohort: "A", department: DepartmentCode("EIMS"), actor: testActor)
        #expect(changes.map(\.personalNumber).sorted() == ["1", "3"])
    }
}
