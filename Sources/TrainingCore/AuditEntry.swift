/// One change to record in the audit log: who did what to which entity.
///
/// `details` may contain personal data; it is stored apart from the hash chain so privacy erasure can
/// remove it while the chain (which covers only its digest) stays verifiable.
public struct AuditEntry: Hashable, Sendable {
    /// Who made the change.
    public var actor: Actor
    /// What was done, dotted lower case, e.g. `curriculum.load`, `people.import`.
    public var action: String
    /// The kind of entity changed, e.g. `program`, `person`.
    public var entityType: String
    /// The entity's identifier as text (a batch uses a descriptive id such as the file name).
    public var entityID: String
    /// Free-form details, usually compact JSON; may hold names.
    public var details: String?

    /// Creates an audit entry.
    public init(actor: Actor, action: String, entityType: String, entityID: String, details: String? = nil) {
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.details = details
    }
}

/// One stored audit event with its details (nil once erased).
public struct AuditEvent: Hashable, Sendable {
    /// Position in the chain, starting at 1.
    public var seq: Int64
    /// When, as ISO 8601 UTC.
    public var at: String
    /// Who.
    public var actor: String
    /// What, e.g. `curriculum.load`.
    public var action: String
    /// Entity kind.
    public var entityType: String
    /// Entity id.
    public var entityID: String
    /// SHA-256 of the details (hex), chained.
    public var detailsDigest: String?
    /// The previous event's hash (64 zeros for the first).
    public var previousHash: String
    /// This event's hash.
    public var hash: String
    /// The details, if recorded and not erased.
    public var details: String?

    /// Creates a value from its fields.
    public init(seq: Int64, at: String, actor: String, action: String, entityType: String, entityID: String,
                detailsDigest: String? = nil, previousHash: String, hash: String, details: String? = nil) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.detailsDigest = detailsDigest
        self.previousHash = previousHash
        self.hash = hash
        self.details = details
    }
}

/// The result of walking the audit chain.
public enum AuditVerification: Equatable, Sendable {
    /// Every link holds; `head` is the last event's hash (record it elsewhere to detect truncation).
    case intact(events: Int, head: String)
    /// The first broken link.
    case broken(seq: Int64, reason: AuditBreak)
}

/// Why an audit link is broken.
public enum AuditBreak: String, Equatable, Sendable {
    /// Events are missing before this one (deleted rows).
    case missingEvents = "missing_events"
    /// This event does not point at the hash of the event before it (deleted or reordered rows).
    case previousHashMismatch = "previous_hash_mismatch"
    /// This event's fields no longer produce its hash (edited row).
    case hashMismatch = "hash_mismatch"
    /// The stored details no longer match their chained digest (edited details).
    case detailsMismatch = "details_mismatch"
}
