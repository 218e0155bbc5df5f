import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// The realisation report against the ledgers: for random plans and random cohorts (linked to a plan line or not),
/// every figure equals an independent sum over `enrolment`, `attendance` and `cohort` written here in plain SQL.
@Suite(.serialized) struct RealisationPropertyTests {
    @Test(arguments: 0..<12)
    func realisationFiguresEqualIndependentSumsOverTheLedgers(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &+ 41)
        let database = try AppDatabase.inMemory()
        try storeSampleProgram(database)
        let departments = try office(database).people.departments().prefix(3).map(\.code)
        _ = try office(database).people.importDrafts((1...24).map { index in
            draft(String(100 + index), "Ime\(index)", "Prezime\(index)", department: departments[index % departments.count].rawValue)
        }, file: "p.csv", sha256: String(repeating: "4", count: 64), actor: testActor)
        let year = 2027
        let desk = office(database).plan
        // A plan of one to three lines, approved.
        let quarters = Array((1...4).shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
        for quarter in quarters {
            var places: [DepartmentCode: Int] = [:]
            for department in departments where Bool.random(using: &random) { places[department] = Int.random(in: 1...9, using: &random) }
            if places.isEmpty { places[departments[0]] = 3 }
            _ = try desk.addItem(year: year, .init(programID: "probni", quarter: quarter, cohorts: 1, places: places,
                                                   participantHours: Double(Int.random(in: 0...400, using: &random)),
                                                   costKM: Double(Int.random(in: 0...500_000, using: &random)) / 100, funding: .budget), actor: testActor)
        }
        let plan = try desk.approve(year: year, decisionNumber: "1/\(seed)", decisionDate: LocalDate(iso: "2027-01-10")!, actor: testActor)
        // Two to five cohorts in the year, each linked to the line of its quarter when the plan has one and a coin says so.
        let later = office(database, at: at("2028-01-15 12:00"))
        for index in 0..<Int.random(in: 2...5, using: &random) {
            let month = Int.random(in: 1...11, using: &random)
            let starts = LocalDate(year: year, month: month, day: 4)!
            let code = "R\(index)"
            _ = try office(database).cohorts.create(code: code, name: "Grupa \(index)", program: "probni", starts: starts, ends: starts.adding(days: 30),
                                                    capacity: 30, actor: testActor)
            if let line = plan.items.first(where: { $0.quarter == (month - 1) / 3 + 1 }), Bool.random(using: &random) {
                try desk.link(cohort: code, item: line.id, actor: testActor)
            }
            if Bool.random(using: &random) { try desk.setActualCost(cohort: code, km: Double(Int.random(in: 0...90_000, using: &random)) / 100, actor: testActor) }
            let people = (1...24).map { String(100 + $0) }.shuffled(using: &random).prefix(Int.random(in: 0...10, using: &random))
            guard !people.isEmpty else { continue }
            _ = try office(database).enrolment.enrol(cohort: code, people: Array(people), actor: testActor)
            for (module, day) in [("M1", 6), ("M2", 8)] {
                let on = LocalDate(year: year, month: month, day: day)!
                let (session, _) = try office(database).scheduling.schedule(
                    cohort: code, module: module, starts: LocalDateTime(date: on, hour: 9, minute: 0)!, ends: LocalDateTime(date: on, hour: 13, minute: 0)!,
                    venue: nil, trainer: nil, force: true, actor: testActor)
                try later.attendance.record(session: session.id, entries: people.map { person in
                    Bool.random(using: &random) ? AttendanceEntry(personalNumber: person, status: .present)
                        : AttendanceEntry(personalNumber: person, status: .late, minutes: Int.random(in: 0...240, using: &random))
                }, actor: testActor)
            }
            for person in people where Bool.random(using: &random) {
                try later.scores.record(cohort: code, person: person, assessment: "M1-T", score: 90, actor: testActor)
                try later.scores.record(cohort: code, person: person, assessment: "M2-T", score: 90, actor: testActor)
            }
        }

        let figures = try office(database, at: at("2028-01-15 12:00")).plan.realisation(year: year)
        #expect(figures.lines.count == quarters.count && figures.plan?.version == plan.version)
        try database.writer.read { db in
            let placeHeld = "e.status IN ('approved', 'completed')"
            for line in figures.lines {
                let linked = "c.plan_item_id IN (SELECT id FROM plan_item WHERE year = \(year) AND program_id = 'probni' AND quarter = \(line.item.quarter))"
                #expect(line.deliveredPlaces == (try Int.fetchOne(db, sql: "SELECT count(*) FROM enrolment e JOIN cohort c ON c.id = e.cohort_id WHERE \(linked) AND \(placeHeld)")))
                #expect(line.completions == (try Int.fetchOne(db, sql: "SELECT count(*) FROM enrolment e JOIN cohort c ON c.id = e.cohort_id WHERE \(linked) AND e.status = 'completed'")))
                let minutes = try Int.fetchOne(db, sql: """
                    SELECT coalesce(sum(a.minutes_present), 0) FROM attendance a JOIN session s ON s.id = a.session_id JOIN cohort c ON c.id = s.cohort_id
                    JOIN enrolment e ON e.cohort_id = c.id AND e.person_id = a.person_id WHERE a.current AND \(linked) AND \(placeHeld)
                    """) ?? 0
                #expect(line.deliveredHours == Double(minutes) / 60)
                #expect(line.actualCostFenings == (try Int.fetchOne(db, sql: "SELECT coalesce(sum(actual_cost_fenings), 0) FROM cohort c WHERE \(linked)")))
            }
            let unplanned = try String.fetchAll(db, sql: "SELECT code FROM cohort WHERE plan_item_id IS NULL AND substr(starts, 1, 4) = '\(year)' ORDER BY code")
            #expect(figures.unplanned.map(\.code) == unplanned)
            #expect(figures.deliveredPlaces == (try Int.fetchOne(db, sql: "SELECT count(*) FROM enrolment e WHERE \(placeHeld)")))
            #expect(figures.completions == (try Int.fetchOne(db, sql: "SELECT count(*) FROM enrolment e WHERE e.status = 'completed'")))
            for line in figures.departments {
                #expect(line.deliveredPlaces == (try Int.fetchOne(db, sql: "SELECT count(*) FROM enrolment e WHERE \(placeHeld) AND department_at_enrolment = ?",
                                                                   arguments: [line.department.rawValue])))
                #expect(line.plannedPlaces == (try Int.fetchOne(db, sql: """
                    SELECT coalesce(sum(pp.places), 0) FROM plan_item_places pp JOIN plan_item i ON i.id = pp.item_id
                    WHERE i.year = \(year) AND i.version = \(plan.version) AND pp.department = ?
                    """, arguments: [line.department.rawValue])))
            }
            #expect(figures.plannedCostFenings == (try Int.fetchOne(db, sql: "SELECT sum(cost_fenings) FROM plan_item WHERE year = \(year) AND version = \(plan.version)")))
        }
    }
}
