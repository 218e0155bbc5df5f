import Crypto
import Foundation
import GRDB
import TrainingCore

/// Appends to and verifies the hash-chained audit log.
public enum AuditLog {
    /// The `prev_hash` of the first event.
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends an event inside the caller's transaction, so it commits or rolls back with the change it records. People
    /// and accounts are stored by reference (`AuditReferences`): the chain holds no personal data.
    @discardableResult
    public static func append(_ entry: AuditEntry, at date: Date = Date(), in db: Database) throws -> AuditEvent {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let previousHash: String = last?["hash"] ?? genesisHash
        let stored = try AuditReferences.store(actor: entry.actor.rawValue, entityType: entry.entityType, entityID: entry.entityID,
                                               details: entry.details, db)
        let digest = stored.details.map { sha256Hex(Data($0.utf8)) }
        var event = AuditEvent(
            seq: seq, at: timestamp(date), actor: stored.actor, action: entry.action,
            entityType: entry.entityType, entityID: stored.entityID, detailsDigest: digest,
            previousHash: previousHash, hash: "", details: stored.details)
        event.hash = chainHash(of: event)
        try db.execute(
            sql: """
                INSERT INTO audit_event (seq, at, actor, action, entity_type, entity_id, details_digest, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [event.seq, event.at, event.actor, event.action, event.entityType, event.entityID,
                        event.detailsDigest, event.previousHash, event.hash])
        if let details = stored.details {
            try db.execute(sql: "INSERT INTO audit_detail (seq, details) VALUES (?, ?)", arguments: [seq, details])
        }
        for person in stored.subjects {
            try db.execute(sql: "INSERT INTO audit_subject (person_id, seq) VALUES (?, ?)", arguments: [person, seq])
        }
        return event
    }

    /// Stores every event again with its people and accounts by reference and computes the chain anew over them; the
    /// last event records the head of the old chain and how many events it had (migration v20).
    static func rechainByReference(_ db: Database) throws {
        let oldHead = try String.fetchOne(db, sql: "SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1")
        let events = try Row.fetchAll(db, sql: """
            SELECT e.*, d.details FROM audit_event e LEFT JOIN audit_detail d ON d.seq = e.seq ORDER BY e.seq
            """).map(AuditEvent.init(row:))
        guard let oldHead, !events.isEmpty else { return }
        try db.execute(sql: "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete")
        var previousHash = genesisHash
        for var event in events {
            let stored = try AuditReferences.store(actor: event.actor, entityType: event.entityType, entityID: event.entityID,
                                                   details: event.details, db)
            event.actor = stored.actor
            event.entityID = stored.entityID
            if event.details != nil {
                // Erased details keep their place; their digest stays as it was (it names nothing).
                event.details = stored.details
                event.detailsDigest = stored.details.map { sha256Hex(Data($0.utf8)) }
                try db.execute(sql: "UPDATE audit_detail SET details = ? WHERE seq = ?", arguments: [stored.details, event.seq])
            }
            event.previousHash = previousHash
            event.hash = chainHash(of: event)
            previousHash = event.hash
            try db.execute(sql: """
                UPDATE audit_event SET actor = ?, entity_id = ?, details_digest = ?, prev_hash = ?, hash = ? WHERE seq = ?
                """, arguments: [event.actor, event.entityID, event.detailsDigest, event.previousHash, event.hash, event.seq])
            for person in stored.subjects {
                try db.execute(sql: "INSERT OR IGNORE INTO audit_subject (person_id, seq) VALUES (?, ?)", arguments: [person, event.seq])
            }
        }
        try db.execute(sql: """
            CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
            CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
            """)
        try append(AuditEntry(actor: Actor("system:migration")!, action: "audit.rechain", entityType: "audit", entityID: "v20",
                              details: #"{"events":\#(events.count),"previous_head":"\#(oldHead)"}"#), in: db)
    }

    /// Walks the whole chain and reports the first broken link.
    public static func verify(_ db: Database) throws -> AuditVerification {
        var expectedSeq: Int64 = 1
        var previousHash = genesisHash
        var count = 0
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT e.*, d.details FROM audit_event e LEFT JOIN audit_detail d ON d.seq = e.seq ORDER BY e.seq
            """)
        while let row = try cursor.next() {
            let event = AuditEvent(row: row)
            if event.seq != expectedSeq { return .broken(seq: event.seq, reason: .missingEvents) }
            if event.previousHash != previousHash { return .broken(seq: event.seq, reason: .previousHashMismatch) }
            if chainHash(of: event) != event.hash { return .broken(seq: event.seq, reason: .hashMismatch) }
            if let details = event.details, sha256Hex(Data(details.utf8)) != event.detailsDigest {
                return .broken(seq: event.seq, reason: .detailsMismatch)
            }
            previousHash = event.hash
            expectedSeq += 1
            count += 1
        }
        return .intact(events: count, head: previousHash)
    }

    /// Events, newest first, optionally only those about one entity.
    /// People and accounts are shown by personal number and login again (an erased person's stay references).
    public static func events(limit: Int, entityType: String? = nil, entityID: String? = nil, actor: String? = nil,
                              actionPrefix: String? = nil, in db: Database) throws -> [AuditEvent] {
        var unused = Set<Int64>()
        let storedActor = try actor.map { try AuditReferences.actor($0, db, record: false, subjects: &unused) }
        let storedEntity = try entityID.map { id in
            try entityType.map { try AuditReferences.entity(type: $0, id: id, db, record: false, subjects: &unused) } ?? id
        }
        return try named(Row.fetchAll(db, sql: """
            SELECT e.*, d.details FROM audit_event e LEFT JOIN audit_detail d ON d.seq = e.seq
            WHERE (?1 IS NULL OR e.entity_type = ?1) AND (?2 IS NULL OR e.entity_id = ?2) AND (?4 IS NULL OR e.actor = ?4)
              AND (?5 IS NULL OR substr(e.action, 1, length(?5)) = ?5)
            ORDER BY e.seq DESC LIMIT ?3
            """, arguments: [entityType, storedEntity, limit, storedActor, actionPrefix]).map(AuditEvent.init(row:)), db)
    }

    /// The events concerning a person (as entity, as the actor's person, or named in the details), oldest first.
    static func events(concerning person: Int64, in db: Database) throws -> [AuditEvent] {
        try named(Row.fetchAll(db, sql: """
            SELECT e.*, d.details FROM audit_subject s JOIN audit_event e ON e.seq = s.seq LEFT JOIN audit_detail d ON d.seq = e.seq
            WHERE s.person_id = ? ORDER BY e.seq
            """, arguments: [person]).map(AuditEvent.init(row:)), db)
    }

    /// Events with their references replaced by the names they stand for.
    static func named(_ events: [AuditEvent], _ db: Database) throws -> [AuditEvent] {
        let names = try AuditReferences.names(in: events.flatMap { [$0.actor, $0.entityID, $0.details ?? ""] }, db)
        guard !names.isEmpty else { return events }
        return events.map { event in
            var event = event
            event.actor = AuditReferences.display(event.actor, names)
            event.entityID = AuditReferences.display(event.entityID, names)
            event.details = event.details.map { AuditReferences.display($0, names) }
            return event
        }
    }

    /// The hash of an event: SHA-256 over its length-prefixed fields, so no field can bleed into the next.
    static func chainHash(of event: AuditEvent) -> String {
        var input = ""
        for field in [String(event.seq), event.at, event.actor, event.action, event.entityType, event.entityID,
                      event.detailsDigest ?? "", event.previousHash] {
            input += "\(field.utf8.count):\(field);"
        }
        return sha256Hex(Data(input.utf8))
    }

    /// UTC timestamp with milliseconds, e.g. `2026-11-25T21:04:05.123Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Lower-case hex SHA-256 of some bytes.
public func sha256Hex(_ data: Data) -> String {
    hexString(SHA256.hash(data: data))
}

extension AuditEvent {
    init(row: Row) {
        self.init(
            seq: row["seq"], at: row["at"], actor: row["actor"], action: row["action"],
            entityType: row["entity_type"], entityID: row["entity_id"], detailsDigest: row["details_digest"],
            previousHash: row["prev_hash"], hash: row["hash"], details: row["details"])
    }
}

extension AppDatabase {
    /// Verifies the audit chain.
    public func verifyAudit() throws -> AuditVerification {
        try readDB { db in try AuditLog.verify(db) }
    }

    /// The latest audit events, newest first.
    public func auditEvents(limit: Int = 50, entityType: String? = nil, entityID: String? = nil, actor: String? = nil,
                            actionPrefix: String? = nil) throws -> [AuditEvent] {
        try readDB { db in
            try AuditLog.events(limit: limit, entityType: entityType, entityID: entityID, actor: actor, actionPrefix: actionPrefix, in: db)
        }
    }
}
