import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingStore

@Suite struct AuditChainTests {
    @Test func anUntouchedChainVerifies() throws {
        let database = try AppDatabase.inMemory()
        try appendEvents(database, count: 5)
        guard case .intact(let count, let head) = try database.verifyAudit() else {
            Issue.record("expected intact"); return
        }
        #expect(count == 5)
        #expect(head == (try database.auditEvents(limit: 1).first?.hash))
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let database = try AppDatabase.inMemory()
        try appendEvents(database, count: 2)
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in try db.execute(sql: "UPDATE audit_event SET actor = 'mallory' WHERE seq = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in try db.execute(sql: "DELETE FROM audit_event WHERE seq = 2") }
        }
        #expect(try database.auditEvents().count == 2)
    }

    @Test func anEditedRowIsDetected() throws {
        let database = try AppDatabase.inMemory()
        try appendEvents(database, count: 5)
        try tamper(database, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 3")
        #expect(try database.verifyAudit() == .broken(seq: 3, reason: .hashMismatch))
    }

    @Test func aDeletedRowIsDetected() throws {
        let database = try AppDatabase.inMemory()
        try appendEvents(database, count: 5)
        try tamper(database, "DELETE FROM audit_detail WHERE seq = 2; DELETE FROM audit_event WHERE seq = 2")
        #expect(try database.verifyAudit() == .broken(seq: 3, reason: .missingEvents))
    }

    @Test func aDeletedRowWithRenumberedSuccessorsIsDetected() throws {
        let database = try AppDatabase.inMemory()
        try appendEvents(database, count: 4)
        try tamper(database, """
            DELETE FROM audit_detail; DELETE FROM audit_event WHERE seq = 2;
            UPDATE audit_event SET seq = seq - 1 WHERE seq > 2;
            """)
        #expect(try database.verifyAudit() == .broken(seq: 2, reason: .previousHashMismatch))
    }

    @Test func reorderedRowsAreDetected() throws {
        let database = try AppDatabase.inMemory()
        try appendEvents(database, count: 4)
        // Swap the contents of events 2 and 3 (including their hashes), keeping the sequence numbers.
        try tamper(database, """
            DELETE FROM audit_detail;
            UPDATE audit_event SET seq = -2 WHERE seq = 2;
            UPDATE audit_event SET seq = 2 WHERE seq = 3;
            UPDATE audit_event SET seq = 3 WHERE seq = -2;
            """)
        #expect(try database.verifyAudit() == .broken(seq: 2, reason: .previousHashMismatch))
    }

    @Test func editedDetailsAreDetectedButErasedDetailsAreNot() throws {
        let database = try AppDatabase.inMemory()
        try appendEvents(database, count: 3)
        try database.writer.write { db in try db.execute(sql: "DELETE FROM audit_detail WHERE seq = 1") }
        guard case .intact = try database.verifyAudit() else { Issue.record("erasure must keep the chain"); return }
        try database.writer.write { db in
            try db.execute(sql: "UPDATE audit_detail SET details = '{\"n\":2,\"name\":\"X\"}' WHERE seq = 2")
        }
        #expect(try database.verifyAudit() == .broken(seq: 2, reason: .detailsMismatch))
    }

    @Test func appendRollsBackWithTheChange() throws {
        let database = try AppDatabase.inMemory()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try database.writer.write { db in
                try AuditLog.append(AuditEntry(actor: testActor, action: "x", entityType: "y", entityID: "1"), in: db)
                throw Boom()
            }
        }
        #expect(try database.auditEvents().isEmpty)
    }
}
