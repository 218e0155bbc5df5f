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
