import GRDB
import TrainingCore

extension AppDatabase {
    /// Schema version and row counts of every obuka table.
    public func status() throws -> StoreStatus {
        try readDB { db in
            let applied = try Self.migrator.appliedMigrations(db)
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table'
                AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name
                """)
            // Table names come from sqlite_master, not from input; they are quoted as identifiers.
            let counts = try tables.map { table in
                (table, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0)
            }
            return StoreStatus(schemaVersion: applied.last ?? "-", migrationCount: applied.count, tableCounts: counts)
        }
    }
}
