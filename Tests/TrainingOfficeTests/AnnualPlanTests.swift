import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// The annual plan on a real database: a draft takes items, an approval records its decision and freezes the version
/// (the triggers refuse any change to it), an amendment is a new version with the difference shown, and a cohort links
/// to an approved item. Every step is in the audit log.
@Suite struct AnnualPlanTests {
    func item(quarter: Int = 2, places: [String: Int] = ["EIMS": 10], cost: Double = 1_250.5, funding: Funding = .budget) -> PlanDesk.ItemDraft {
        .init(programID: "probni", quarter: quarter, cohorts: 1, places: Dictionary(uniqueKeysWithValues: places.map { (DepartmentCode($0.key), $0.value) }),
              participantHours: 80, costKM: cost, funding: funding)
    }

    @Test func anApprovedPlanNeverChangesAndAnAmendmentIsANewVersion() throws {
        let database = try makeCohortFixture(people: 2, capacity: 2)
        let desk = office(database).plan
        let other = try office(database).people.departments().first { $0.code.rawValue != "EIMS" }!.code.rawValue
        let first = try desk.addItem(year: 2027, item(places: ["EIMS": 10, other: 5]), actor: testActor)
        #expect(first.totalPlaces == 15 && first.costFenings == 125_050)
        _ = try desk.addItem(year: 2027, item(quarter: 3, funding: .donor("Projekat dijaspora (GIZ)")), actor: testActor)
        #expect(throws: PlanError.quarterOutOfRange(value: 5)) { try desk.addItem(year: 2027, item(quarter: 5), actor: testActor) }
        #expect(throws: PlanError.noPlaces) { try desk.addItem(year: 2027, item(places: ["EIMS": 0]), actor: testActor) }
        #expect(throws: PlanError.donorRequired) { try desk.addItem(year: 2027, item(funding: .donor(" ")), actor: testActor) }
        #expect(throws: PlanError.decisionRequired) {
            try desk.approve(year: 2027, decisionNumber: " ", decisionDate: LocalDate(iso: "2026-12-20")!, actor: testActor)
        }
        let approved = try desk.approve(year: 2027, decisionNumber: "01-02-123/26", decisionDate: LocalDate(iso: "2026-12-20")!, actor: testActor)
        #expect(approved.version == 1 && approved.approval?.decisionNumber == "01-02-123/26" && approved.items.count == 2)
        #expect(approved.placesByDepartment[DepartmentCode("EIMS")] == 20)

        // Neither the use case nor SQL changes an approved version.
        #expect(throws: PlanError.approved(year: 2027, version: 1)) { try desk.removeItem(first.id, actor: testActor) }
        #expect(throws: PlanError.approved(year: 2027, version: 1)) {
            try desk.approve(year: 2027, decisionNumber: "x", decisionDate: LocalDate(iso: "2026-12-21")!, actor: testActor)
        }
        for sql in ["UPDATE plan_item SET cohorts = 9", "DELETE FROM plan_item", "UPDATE plan_item_places SET places = 1",
                    "DELETE FROM plan_item_places", "UPDATE training_plan SET decision_number = 'y'", "DELETE FROM training_plan",
                    "INSERT INTO plan_item (year, version, program_id, quarter, cohorts, participant_hours, cost_fenings) VALUES (2027, 1, 'probni', 4, 1, 1, 1)"] {
            #expect(throws: (any Error).self, "\(sql)") { try database.writer.write { db in try db.execute(sql: sql) } }
        }

        // An amendment: version 2 starts as a copy, changes one line and drops another, then is approved in turn.
        let amendment = try desk.draft(year: 2027, actor: testActor)
        #expect(amendment.version == 2 && amendment.items.count == 2 && !amendment.isApproved)
        let copied = try #require(amendment.items.first { $0.quarter == 3 })
        try desk.removeItem(copied.id, actor: testActor)
        try desk.removeItem(try #require(amendment.items.first { $0.quarter == 2 }).id, actor: testActor)
        _ = try desk.addItem(year: 2027, item(places: ["EIMS": 12, other: 5]), actor: testActor)
        _ = try desk.addItem(year: 2027, item(quarter: 4), actor: testActor)
        _ = try desk.approve(year: 2027, decisionNumber: "01-02-45/27", decisionDate: LocalDate(iso: "2027-04-02")!, actor: testActor)
        let difference = try #require(try desk.difference(year: 2027, version: 2))
        #expect(difference.changes.count == 3)
        #expect(difference.changes.contains { if case .changed(_, let to, let fields) = $0 { to.quarter == 2 && fields == ["places"] } else { false } })
        #expect(difference.changes.contains { if case .removed(let item) = $0 { item.quarter == 3 } else { false } })
        #expect(difference.changes.contains { if case .added(let item) = $0 { item.quarter == 4 } else { false } })
        #expect(try desk.difference(year: 2027, version: 1) == nil)
        #expect(try desk.versions(year: 2027).first?.items.count == 2, "version 1 is as it was approved")

        // A cohort links to an approved item only.
        let linked = try #require(try desk.versions(year: 2027).last?.items.first)
        try desk.link(cohort: "A", item: linked.id, actor: testActor)
        #expect(try desk.item(of: "A")?.item.id == linked.id)
        let draftItem = try desk.addItem(year: 2027, item(quarter: 1), actor: testActor)
        #expect(throws: PlanError.unknownItem(id: draftItem.id)) { try desk.link(cohort: "A", item: draftItem.id, actor: testActor) }

        let actions = try office(database).administration.auditEvents(limit: 30).map(\.action).filter { $0.hasPrefix("plan.") }
        #expect(Set(actions) == ["plan.draft", "plan.item.add", "plan.approve", "plan.amend", "plan.item.remove"])
        #expect(actions.filter { $0 == "plan.approve" }.count == 2)
    }
}
