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
    // Both are read on every report and department page: plain cached statements with columns by position. The
    // query interface looked up the table's primary key in the schema and decoded each row through Codable, which
    // took longer than a report's reading of its department's figures.
    private static let departmentColumns = "SELECT code, name_bs, name_sr_cyrl, name_en FROM department"

    /// All departments ordered by code.
    public func departments() throws -> [Department] {
        try readDB { db in
            try Row.fetchAll(db.cachedStatement(sql: "\(Self.departmentColumns) ORDER BY code")).map(Self.department(row:))
        }
    }

    /// The department with `code`, if it exists.
    public func department(_ code: DepartmentCode) throws -> Department? {
        try readDB { db in
            try Row.fetchOne(db.cachedStatement(sql: "\(Self.departmentColumns) WHERE code = ?"), arguments: [code.rawValue])
                .map(Self.department(row:))
        }
    }

    private static func department(row: Row) -> Department {
        Department(code: DepartmentCode(row[0] as String), nameBosnian: row[1], nameSerbianCyrillic: row[2], nameEnglish: row[3])
    }
}

extension AppDatabase {
    /// The departments shipped with obuka (what `obuka init` seeds), readable without a database.
    public static func bundledDepartments() throws -> [Department] { try DepartmentSeed.bundledDepartments() }
}
