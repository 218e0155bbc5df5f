import GRDB
import TrainingCore

extension StoreTransaction {
    /// When a program version's policy was confirmed (ISO 8601 UTC), or nil.
    public func policyConfirmation(program id: String, version: Int) throws -> String? {
        try String.fetchOne(db, sql: "SELECT confirmed_at FROM program_confirmation WHERE program_id = ? AND program_version = ?",
                            arguments: [id, version])
    }

    /// When each confirmed program version was confirmed, by program id and version.
    public func policyConfirmations() throws -> [String: [Int: String]] {
        var confirmations: [String: [Int: String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT program_id, program_version, confirmed_at FROM program_confirmation") {
            confirmations[row["program_id"], default: [:]][row["program_version"]] = row["confirmed_at"]
        }
        return confirmations
    }

    /// Records that a program version's policy is confirmed; false if it already was.
    public func confirmPolicy(program id: String, version: Int) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO program_confirmation (program_id, program_version, confirmed_at) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [id, version, timestamp])
        return db.changesCount > 0
    }

    /// The ids of the programs shown in the public catalogue.
    public func catalogue() throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT program_id FROM program_catalogue"))
    }

    /// Shows a program in the public catalogue or takes it out; false if nothing changed.
    public func setInCatalogue(program id: String, _ shown: Bool) throws -> Bool {
        if shown {
            try db.execute(sql: "INSERT INTO program_catalogue (program_id, published_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           arguments: [id, timestamp])
        } else {
            try db.execute(sql: "DELETE FROM program_catalogue WHERE program_id = ?", arguments: [id])
        }
        return db.changesCount > 0
    }

    /// The scheduled minutes of a cohort's sessions held by `now` (not cancelled, ended): what a version 2
    /// certificate states as the program's length. (`SessionFact.held` is the same rule for one session.)
    public func heldMinutes(cohort: CohortID, now: LocalDateTime) throws -> Int {
        try Row.fetchAll(db, sql: "SELECT starts_at, ends_at FROM session WHERE cohort_id = ? AND status = 'scheduled'",
                         arguments: [cohort.rawValue]).reduce(0) { total, row in
            guard let starts = LocalDateTime(iso: row["starts_at"]), let ends = LocalDateTime(iso: row["ends_at"]),
                  ends <= now else { return total }
            return total + ends.minutesSinceEpoch - starts.minutesSinceEpoch
        }
    }

    /// Sets or clears the language a person prefers; false if there is no such person.
    public func setPreferredLanguage(person: PersonID, _ language: Language?) throws -> Bool {
        try db.execute(sql: "UPDATE person SET preferred_language = ? WHERE id = ? AND erased_at IS NULL",
                       arguments: [language?.rawValue, person.rawValue])
        return db.changesCount > 0
    }
}
