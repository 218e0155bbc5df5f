import GRDB
import TrainingCore

/// A row of `department`.
struct DepartmentRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "department"

    var code: String
    var nameBosnian: String
    var nameSerbianCyrillic: String
    var nameEnglish: String

    enum CodingKeys: String, CodingKey {
        case code
        case nameBosnian = "name_bs"
        case nameSerbianCyrillic = "name_sr_cyrl"
        case nameEnglish = "name_en"
    }

    enum Columns {
        static let code = Column(CodingKeys.code)
    }

    init(_ department: Department) {
        code = department.code.rawValue
        nameBosnian = department.nameBosnian
        nameSerbianCyrillic = department.nameSerbianCyrillic
        nameEnglish = department.nameEnglish
    }

    var department: Department {
        Department(code: DepartmentCode(code), nameBosnian: nameBosnian,
                   nameSerbianCyrillic: nameSerbianCyrillic, nameEnglish: nameEnglish)
    }
}

extension AppDatabase {
    /// All departments ordered by code.
    public func departments() throws -> [Department] {
        try writer.read { db in
            try DepartmentRecord.order(DepartmentRecord.Columns.code).fetchAll(db).map(\.department)
        }
    }

    /// The department with `code`, if it exists.
    public func department(_ code: DepartmentCode) throws -> Department? {
        try writer.read { db in try DepartmentRecord.fetchOne(db, key: code.rawValue)?.department }
    }
}

extension AppDatabase {
    /// The departments shipped with obuka (what `obuka init` seeds), readable without a database.
    public static func bundledDepartments() throws -> [Department] { try DepartmentSeed.bundledDepartments() }
}
