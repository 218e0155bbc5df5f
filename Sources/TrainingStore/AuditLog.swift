import Crypto
import Foundation
import GRDB
import TrainingCore

/// Appends to and verifies the hash-chained audit log.
public enum AuditLog {
    /// The `prev_hash` of the first event.
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends an event inside the caller's transaction, so it commits or rolls back with the change it records.
    @discardableResult
    public static func append(_ entry: AuditEntry, at date: Date = Date(), in db: Database) throws -> AuditEvent {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let previousHash: String = last?["hash"] ?? genesisHash
        let digest = entry.details.map { sha256Hex(Data($0.utf8)) }
        var event = AuditEvent(
            seq: seq, at: timestamp(date), actor: entry.actor.rawValue, action: entry.action,
            entityType: entry.entityType, entityID: entry.entityID, detailsDigest: digest,
            previousHash: previousHash, hash: "", details: entry.details)
        event.hash = chainHash(of: event)
        try db.execute(
            sql: """
                INSERT INTO audit_event (seq, at, actor, action, entity_type, entity_id, details_digest, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [event.seq, event.at, event.actor, event.action, event.entityType, event.entityID,
                        event.detailsDigest, event.previousHash, event.hash])
        if let details = entry.details {
            try db.execute(sql: "INSERT INTO audit_detail (seq, details) VALUES (?, ?)", arguments: [seq, details])
        }
        return event
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
    public static func events(limit: Int, entityType: String? = nil, entityID: String? = nil, actor: String? = nil,
                              actionPrefix: String? = nil, in db: Database) throws -> [AuditEvent] {
        try Row.fetchAll(db, sql: """
            SELECT e.*, d.details FROM audit_event e LEFT JOIN audit_detail d ON d.seq = e.seq
            WHERE (?1 IS NULL OR e.entity_type = ?1) AND (?2 IS NULL OR e.entity_id = ?2) AND (?4 IS NULL OR e.actor = ?4)
              AND (?5 IS NULL OR substr(e.action, 1, length(?5)) = ?5)
            ORDER BY e.seq DESC LIMIT ?3
            """, arguments: [entityType, entityID, limit, actor, actionPrefix]).map(AuditEvent.init(row:))
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
