/// What `obuka status` shows about the database.
public struct StoreStatus: Sendable {
    /// The newest applied migration.
    public var schemaVersion: String
    /// Number of applied migrations.
    public var migrationCount: Int
    /// Row counts per table, by table name.
    public var tableCounts: [(table: String, rows: Int)]

    /// Creates a value from its fields.
    public init(schemaVersion: String, migrationCount: Int, tableCounts: [(table: String, rows: Int)]) {
        self.schemaVersion = schemaVersion
        self.migrationCount = migrationCount
        self.tableCounts = tableCounts
    }
}

/// What a checked backup holds.
public struct BackupSummary: Sendable, Equatable {
    public var migrations: Int
    public var auditEvents: Int
    public var bytes: Int64

    /// Creates a value from its fields.
    public init(migrations: Int, auditEvents: Int, bytes: Int64) {
        self.migrations = migrations
        self.auditEvents = auditEvents
        self.bytes = bytes
    }
}

/// What `demo generate` made.
public struct GeneratedCounts: Sendable {
    /// Nothing made yet.
    public init() {}

    public var people = 0
    public var cohorts = 0
    public var sessions = 0
    public var attendance = 0
    public var scores = 0
    public var completed = 0
    /// Certificates issued to those who completed, dated after their cohort ended.
    public var certificates = 0
    /// Required-training rules, plan items and proposed needs over the years.
    public var rules = 0
    public var planItems = 0
    public var needs = 0
}
