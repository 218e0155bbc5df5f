import CSV
import Foundation
import GRDB
import TrainingCore

/// The District's departments, seeded from the bundled `departments.csv`.
enum DepartmentSeed {
    /// Inserts or refreshes every department from the bundled list; returns how many rows changed.
    @discardableResult
    static func insertAll(_ db: Database) throws -> Int {
        var changed = 0
        for department in try bundledDepartments() {
            let record = DepartmentRecord(department)
            if let existing = try DepartmentRecord.fetchOne(db, key: record.code), existing == record { continue }
            try record.save(db)
            changed += 1
        }
        return changed
    }

    /// The departments in the bundled CSV (`code,name_bs,name_sr_cyrl,name_en`).
    static func bundledDepartments() throws -> [Department] {
        guard let url = Bundle.module.url(forResource: "departments", withExtension: "csv") else {
            throw StoreError.notFound(entity: "resource", id: "departments.csv")
        }
        let reader = try CSVReader(string: String(contentsOf: url, encoding: .utf8), hasHeaderRow: true)
        return reader.filter { $0.count == 4 }.map { fields in
            Department(
                code: DepartmentCode(fields[0]),
                nameBosnian: fields[1], nameSerbianCyrillic: fields[2], nameEnglish: fields[3])
        }
    }
}
