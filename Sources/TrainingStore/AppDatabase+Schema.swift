import GRDB

extension AppDatabase {
    /// The schema's history. A migration, once shipped, is never edited: add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-departments-audit") { db in
            try db.execute(sql: "PRAGMA application_id = \(AppDatabase.applicationID)")

            try db.create(table: "department") { t in
                t.primaryKey("code", .text).check { length($0) >= 1 && length($0) <= 10 }
                t.column("name_bs", .text).notNull().check { length($0) > 0 }
                t.column("name_sr_cyrl", .text).notNull().check { length($0) > 0 }
                t.column("name_en", .text).notNull().check { length($0) > 0 }
            }

            // The audit chain: each row hashes its own fields and the previous row's hash.
            try db.create(table: "audit_event") { t in
                t.primaryKey("seq", .integer)
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("entity_type", .text).notNull()
                t.column("entity_id", .text).notNull()
                t.column("details_digest", .text)
                t.column("prev_hash", .text).notNull().check { length($0) == 64 }
                t.column("hash", .text).notNull().unique().check { length($0) == 64 }
            }
            try db.create(index: "audit_event_entity", on: "audit_event", columns: ["entity_type", "entity_id"])
            // Details may name people, so they live apart and privacy erasure may delete them;
            // only their digest is in the chain.
            try db.create(table: "audit_detail") { t in
                t.primaryKey("seq", .integer).references("audit_event", onDelete: .restrict)
                t.column("details", .text).notNull()
            }
            try db.execute(sql: """
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
                """)
            try DepartmentSeed.insertAll(db)
        }

        return migrator
    }()
}
