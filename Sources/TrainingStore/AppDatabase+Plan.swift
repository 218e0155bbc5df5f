import GRDB
import TrainingCore

/// The annual plan's versions and items (`v25-annual-plan`); the triggers keep approved versions as they were.
extension StoreTransaction {
    /// Every version of a year's plan, oldest first, with its items.
    public func planVersions(year: Int) throws -> [PlanVersion] {
        let places = try Row.fetchAll(db, sql: """
            SELECT pp.* FROM plan_item_places pp JOIN plan_item i ON i.id = pp.item_id WHERE i.year = ?
            """, arguments: [year]).reduce(into: [Int64: [DepartmentCode: Int]]()) { result, row in
            result[row["item_id"], default: [:]][DepartmentCode(row["department"] as String)] = row["places"]
        }
        let items = try Row.fetchAll(db, sql: "SELECT * FROM plan_item WHERE year = ? ORDER BY program_id, quarter, id", arguments: [year])
            .reduce(into: [Int: [PlanItem]]()) { result, row in
                let id: Int64 = row["id"]
                result[row["version"], default: []].append(PlanItem(
                    id: id, programID: row["program_id"], quarter: row["quarter"], cohorts: row["cohorts"], places: places[id] ?? [:],
                    participantHours: row["participant_hours"], costFenings: row["cost_fenings"],
                    funding: (row["donor"] as String?).map(Funding.donor) ?? .budget))
            }
        return try Row.fetchAll(db, sql: "SELECT * FROM training_plan WHERE year = ? ORDER BY version", arguments: [year]).map { row in
            let approval: PlanVersion.Approval? = (row["approved_at"] as String?).map { at in
                PlanVersion.Approval(by: row["approved_by"] ?? "", at: at, decisionNumber: row["decision_number"] ?? "",
                                     decisionDate: LocalDate(iso: row["decision_date"] as String? ?? "") ?? LocalDate(year: 1970, month: 1, day: 1)!)
            }
            return PlanVersion(year: year, version: row["version"], approval: approval, items: items[row["version"]] ?? [])
        }
    }

    /// Starts a version: empty, or a copy of another version's items (an amendment).
    public func insertPlanVersion(year: Int, version: Int, copying items: [PlanItem], actor: Actor) throws {
        try db.execute(sql: "INSERT INTO training_plan (year, version, created_by, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [year, version, actor.rawValue, timestamp])
        for item in items { _ = try insertPlanItem(item, year: year, version: version) }
    }

    /// Adds an item to a draft version; returns its number.
    public func insertPlanItem(_ item: PlanItem, year: Int, version: Int) throws -> Int64 {
        let donor: String? = if case .donor(let name) = item.funding { name } else { nil }
        try db.execute(sql: """
            INSERT INTO plan_item (year, version, program_id, quarter, cohorts, participant_hours, cost_fenings, donor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [year, version, item.programID, item.quarter, item.cohorts, item.participantHours, item.costFenings, donor])
        let id = db.lastInsertedRowID
        for (department, places) in item.places.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try db.execute(sql: "INSERT INTO plan_item_places (item_id, department, places) VALUES (?, ?, ?)",
                           arguments: [id, department.rawValue, places])
        }
        return id
    }

    /// Removes an item of a draft version.
    public func deletePlanItem(_ id: Int64) throws {
        try db.execute(sql: "DELETE FROM plan_item WHERE id = ?", arguments: [id])
    }

    /// Where an item stands: its year and version.
    public func planItemVersion(_ id: Int64) throws -> (year: Int, version: Int)? {
        try Row.fetchOne(db, sql: "SELECT year, version FROM plan_item WHERE id = ?", arguments: [id]).map { ($0["year"], $0["version"]) }
    }

    /// Approves a draft version.
    public func approvePlan(year: Int, version: Int, decisionNumber: String, decisionDate: LocalDate, actor: Actor) throws {
        try db.execute(sql: """
            UPDATE training_plan SET approved_by = ?, approved_at = ?, decision_number = ?, decision_date = ? WHERE year = ? AND version = ?
            """, arguments: [actor.rawValue, timestamp, decisionNumber, decisionDate.iso, year, version])
    }

    /// Links a cohort to a plan item (nil unlinks it).
    public func linkCohort(_ cohort: CohortID, item: Int64?) throws {
        try db.execute(sql: "UPDATE cohort SET plan_item_id = ? WHERE id = ?", arguments: [item, cohort.rawValue])
    }

    /// The plan item a cohort is linked to.
    public func planItem(of cohort: CohortID) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT plan_item_id FROM cohort WHERE id = ?", arguments: [cohort.rawValue])
    }
}

extension StoreTransaction {
    /// Records what a cohort actually cost (nil clears it).
    public func setActualCost(_ cohort: CohortID, fenings: Int?) throws {
        try db.execute(sql: "UPDATE cohort SET actual_cost_fenings = ? WHERE id = ?", arguments: [fenings, cohort.rawValue])
    }

    /// What a cohort actually cost, in fenings.
    public func actualCost(_ cohort: CohortID) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT actual_cost_fenings FROM cohort WHERE id = ?", arguments: [cohort.rawValue])
    }

    /// The cohorts of a year as the realisation report sees them: those starting in it or linked to an item of its plan.
    public func deliveredCohorts(year: Int) throws -> [DeliveredCohort] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.id, c.code, c.program_id, c.actual_cost_fenings, i.year AS item_year, i.program_id AS item_program, i.quarter AS item_quarter
            FROM cohort c LEFT JOIN plan_item i ON i.id = c.plan_item_id
            WHERE substr(c.starts, 1, 4) = ?1 OR i.year = ?2 ORDER BY c.code
            """, arguments: [String(year), year])
        let ids = rows.map { $0["id"] as Int64 }
        let idList = "[" + ids.map(String.init).joined(separator: ",") + "]"
        var places: [Int64: [DepartmentCode: Int]] = [:], completions: [Int64: [DepartmentCode: Int]] = [:], holders: [Int64: Set<String>] = [:]
        let enrolments = try Row.fetchCursor(db, sql: """
            SELECT e.cohort_id, e.department_at_enrolment, e.status, p.personal_number FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.cohort_id IN (SELECT value FROM json_each(?)) AND \(RuleSQL.holdsPlace())
            """, arguments: [idList])
        while let row = try enrolments.next() {
            // By position: thousands of rows, and a lookup by name compares names case-insensitively each time.
            let cohort: Int64 = row[0], department = DepartmentCode(row[1] as String)
            places[cohort, default: [:]][department, default: 0] += 1
            if (row[2] as String) == EnrolmentStatus.completed.rawValue { completions[cohort, default: [:]][department, default: 0] += 1 }
            holders[cohort, default: []].insert(row[3])
        }
        var minutes: [Int64: Int] = [:]
        // The place holders' minutes from `district_rollup` (RealisationPropertyTests checks them against the
        // attendance ledger).
        for row in try Row.fetchAll(db, sql: """
            SELECT cohort_id, SUM(present_minutes) AS minutes FROM district_rollup
            WHERE cohort_id IN (SELECT value FROM json_each(?)) GROUP BY cohort_id
            """, arguments: [idList]) {
            minutes[row["cohort_id"]] = row["minutes"]
        }
        return rows.map { row in
            let id: Int64 = row["id"]
            let key: String? = (row["item_year"] as Int?) == year
                ? PlanItem.key(programID: row["item_program"], quarter: row["item_quarter"]) : nil
            return DeliveredCohort(code: row["code"], programID: row["program_id"], planKey: key, places: places[id] ?? [:],
                                   completions: completions[id] ?? [:], presentMinutes: minutes[id] ?? 0,
                                   actualCostFenings: row["actual_cost_fenings"], placeHolders: holders[id] ?? [])
        }
    }
}
