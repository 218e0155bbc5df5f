import Foundation
import GRDB
import TrainingCore
@testable import TrainingStore

let testActor = Actor("test:runner")!

/// Appends `count` audit events, one transaction each.
func appendEvents(_ database: AppDatabase, count: Int) throws {
    for index in 1...count {
        try database.writer.write { db in
            try AuditLog.append(
                AuditEntry(actor: testActor, action: "test.event", entityType: "thing", entityID: "\(index)",
                           details: "{\"n\":\(index),\"name\":\"Đukić\"}"),
                in: db)
        }
    }
}

/// Runs raw SQL with the append-only triggers dropped, as an attacker with file access could.
func tamper(_ database: AppDatabase, _ sql: String) throws {
    try database.writer.write { db in
        try db.execute(sql: "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete")
        try db.execute(sql: sql)
    }
}
