import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// Training needs on a real database: the window decides when proposals may be made or withdrawn; nominees are people of
/// the department, appear in their personal-data export, and go with their erasure.
@Suite struct NeedsTests {
    /// People 1–3 in EIMS, 4 in another department; the program "probni".
    func fixture() throws -> (AppDatabase, DepartmentCode) {
        let database = try makeCohortFixture(people: 3, capacity: 3)
        let other = try office(database).people.departments().first { $0.code.rawValue != "EIMS" }!.code
        _ = try office(database).people.importDrafts([draft("4", "Ime4", "Prezime4", department: other.rawValue)], file: "o.csv",
                                                     sha256: String(repeating: "3", count: 64), actor: testActor)
        return (database, other)
    }

    func proposal(_ people: [String], count: Int? = nil, year: Int = 2027, reason: String = "Novi propisi") -> NeedsDesk.Proposal {
        .init(year: year, department: DepartmentCode("EIMS"), programID: "probni", people: people, headCount: count, priority: .high, reason: reason)
    }

    @Test func proposalsAreMadeWhileTheWindowIsOpenAndReadOnlyAfter() throws {
        let (database, other) = try fixture()
        let desk = office(database).needs
        #expect(throws: NeedsError.noWindow(year: 2027)) { try desk.propose(proposal(["1"]), actor: testActor) }
        #expect(throws: NeedsError.deadlineBeforeOpening(opens: defaultNow.date, deadline: LocalDate(iso: "2026-11-01")!)) {
            try desk.openWindow(year: 2027, deadline: LocalDate(iso: "2026-11-01")!, actor: testActor)
        }
        let window = try desk.openWindow(year: 2027, deadline: LocalDate(iso: "2026-12-15")!, actor: testActor)
        #expect(window.opens == defaultNow.date && window.isOpen(on: defaultNow.date))

        let need = try desk.propose(proposal(["2", "1", "1"]), actor: testActor)
        #expect(need.nominees.map(\.personalNumber) == ["1", "2"] && need.places == 2 && need.priority == .high)
        let counted = try desk.propose(proposal([], count: 5), actor: testActor)
        #expect(counted.places == 5 && counted.nominees.isEmpty)
        #expect(throws: NeedsError.notInDepartment(personalNumber: "4", department: "EIMS")) {
            try desk.propose(proposal(["1", "4"]), actor: testActor)
        }
        #expect(throws: NeedsError.nobody) { try desk.propose(proposal([]), actor: testActor) }
        #expect(throws: NeedsError.reasonRequired) { try desk.propose(proposal(["1"], reason: "  "), actor: testActor) }
        #expect(throws: NeedsError.headCountOutOfRange(value: 0)) { try desk.propose(proposal([], count: 0), actor: testActor) }
        #expect(throws: NeedsError.unknownNeed(id: need.id)) { try desk.withdraw(need: need.id, department: other, actor: testActor) }
        try desk.withdraw(need: counted.id, department: DepartmentCode("EIMS"), actor: testActor)
        #expect(try desk.needs(year: 2027).map(\.withdrawn) == [false, true])
        #expect(try desk.needs(year: 2027, department: other).isEmpty)

        // After the deadline nothing changes.
        let late = office(database, at: at("2026-12-16 08:00")).needs
        #expect(throws: NeedsError.windowClosed(year: 2027, deadline: LocalDate(iso: "2026-12-15")!)) {
            try late.propose(proposal(["3"]), actor: testActor)
        }
        #expect(throws: NeedsError.windowClosed(year: 2027, deadline: LocalDate(iso: "2026-12-15")!)) {
            try late.withdraw(need: need.id, department: DepartmentCode("EIMS"), actor: testActor)
        }
        #expect(try late.needs(year: 2027).count == 2)
        let actions = try office(database).administration.auditEvents(limit: 10).map(\.action)
        #expect(actions.filter { $0.hasPrefix("needs.") }.sorted() == ["needs.propose", "needs.propose", "needs.window", "needs.withdraw"])
    }

    @Test func nomineesAreInTheirExportAndGoWithTheirErasure() throws {
        let (database, _) = try fixture()
        let desk = office(database).needs
        _ = try desk.openWindow(year: 2027, deadline: LocalDate(iso: "2026-12-15")!, actor: testActor)
        _ = try desk.propose(proposal(["1", "2"]), actor: testActor)
        let export = try office(database).privacy.export(person: "1", reader: testActor)
        #expect(export.nominations.map(\.programID) == ["probni"] && export.nominations.first?.reason == "Novi propisi")
        _ = try office(database).privacy.erase(person: "1", actor: testActor)
        #expect(try desk.needs(year: 2027).first?.nominees.map(\.personalNumber) == ["2"])
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM training_need_person") } == 1)
    }
}
