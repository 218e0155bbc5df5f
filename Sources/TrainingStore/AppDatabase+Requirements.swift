import Foundation
import GRDB
import TrainingCore

/// Required-training rules (`v23-required-training`, versions that never change) and what a gap list reads: people,
/// the certificates and the places they hold in the rules' programs, in three queries whatever the number of people.
extension StoreTransaction {
    /// Every version of every rule, oldest first within a rule.
    public func requirementVersions() throws -> [TrainingRequirement] {
        try Row.fetchAll(db, sql: "SELECT * FROM training_requirement ORDER BY code, version").map(TrainingRequirement.init(row:))
    }

    /// A stored program: the given version, or the newest one.
    public func program(id: String, version: Int?) throws -> StoredProgram { try AppDatabase.program(id: id, version: version, db) }

    /// Stores a new version of a rule (the first, a change or a retirement).
    public func insertRequirement(_ requirement: TrainingRequirement, actor: Actor) throws {
        let (scope, scopeValue): (String, String?) = switch requirement.scope {
        case .everyone: ("everyone", nil)
        case .department(let code): ("department", code.rawValue)
        case .jobTitle(let words): ("job_title", words)
        }
        let (days, date): (Int?, String?) = switch requirement.due {
        case .afterStart(let days): (days, nil)
        case .by(let day): (nil, day.iso)
        }
        try db.execute(sql: """
            INSERT INTO training_requirement (code, version, program_id, scope, scope_value, due_days, due_date, renew_years,
                                              effective_from, retired, actor, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [requirement.code, requirement.version, requirement.programID, scope, scopeValue, days, date,
                             requirement.renewYears, requirement.effectiveFrom.iso, requirement.retired, actor.rawValue, timestamp])
    }

    /// What gap lists need of some people: each person (not erased; of a department, or one person) with the
    /// certificates they hold in the given programs, and their places in those programs' cohorts that end on or after
    /// `placesEndingFrom` (a cohort already over cannot put a requirement in progress).
    public func gapInputs(department: DepartmentCode?, personalNumber: String?, programs: Set<String>, placesEndingFrom: LocalDate)
        throws -> [(person: Person, certificates: [String: [HeldCertificate]], places: [String: [HeldPlace]])] {
        // One condition per case rather than `?1 IS NULL OR p.department = ?1`, which keeps SQLite from starting at the
        // department's people (a constant `?n IS NULL` costs nothing and keeps both parameters in every statement).
        let who = switch (department, personalNumber) {
        case (_, _?): "p.erased_at IS NULL AND p.personal_number = ?2 AND (?1 IS NULL OR p.department = ?1)"
        case (_?, nil): "p.erased_at IS NULL AND p.department = ?1 AND ?2 IS NULL"
        case (nil, nil): "p.erased_at IS NULL AND ?1 IS NULL AND ?2 IS NULL"
        }
        let programList = String(decoding: try JSONEncoder().encode(programs.sorted()), as: UTF8.self)
        // Decoded as the rows are stepped: a copied row would look each column up by comparing lowercased names.
        let people = try PersonRecord.fetchAll(db, sql: "SELECT p.* FROM person p WHERE \(who) ORDER BY p.sort_key, p.id",
                                               arguments: [department?.rawValue, personalNumber]).map(\.person)
        var certificates: [Int64: [String: [HeldCertificate]]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.person_id, co.program_id, c.serial, substr(c.issued_at, 1, 10) AS issued, c.expires_at, c.revoked_at IS NOT NULL AS revoked
            FROM certificate c JOIN person p ON p.id = c.person_id JOIN cohort co ON co.id = c.cohort_id
            WHERE \(who) AND co.program_id IN (SELECT value FROM json_each(?3))
            """, arguments: [department?.rawValue, personalNumber, programList]) {
            // Columns by position (person_id, program_id, serial, issued, expires_at, revoked): a department's worth of rows.
            guard let issued = LocalDate(iso: row[3]) else { continue }
            certificates[row[0], default: [:]][row[1], default: []].append(HeldCertificate(
                serial: row[2], issued: issued, expires: (row[4] as String?).flatMap(LocalDate.init(iso:)), revoked: row[5]))
        }
        var places: [Int64: [String: [HeldPlace]]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT e.person_id, co.program_id, co.code, co.ends FROM enrolment e JOIN person p ON p.id = e.person_id
            JOIN cohort co ON co.id = e.cohort_id
            WHERE \(who) AND \(RuleSQL.holdsPlace()) AND e.status <> 'completed' AND co.program_id IN (SELECT value FROM json_each(?3))
              AND co.ends >= ?4
            """, arguments: [department?.rawValue, personalNumber, programList, placesEndingFrom.iso]) {
            guard let ends = LocalDate(iso: row[3]) else { continue }
            places[row[0], default: [:]][row[1], default: []].append(HeldPlace(cohortCode: row[2], ends: ends))
        }
        return people.map { person in
            (person, certificates[person.id.rawValue] ?? [:], places[person.id.rawValue] ?? [:])
        }
    }
}

extension TrainingRequirement {
    init(row: Row) {
        let scope: Scope = switch row["scope"] as String {
        case "department": .department(DepartmentCode(row["scope_value"] as String))
        case "job_title": .jobTitle(row["scope_value"])
        default: .everyone
        }
        let due: Due = if let days = row["due_days"] as Int? { .afterStart(days: days) } else {
            .by(LocalDate(iso: row["due_date"] as String) ?? LocalDate(year: 1970, month: 1, day: 1)!)
        }
        self.init(code: row["code"], version: row["version"], programID: row["program_id"], scope: scope, due: due,
                  renewYears: row["renew_years"], effectiveFrom: LocalDate(iso: row["effective_from"] as String)!, retired: row["retired"])
    }
}
