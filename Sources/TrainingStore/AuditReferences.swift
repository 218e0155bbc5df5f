import Foundation
import GRDB
import TrainingCore

/// The audit chain names people and accounts only by internal reference (`#p12` a person, `#a3` an account), so the
/// chained fields hold no personal data; `audit_name` maps each reference to the personal number or login it stands
/// for, and erasure deletes a person's rows there. `audit_subject` links each event to the people it concerns (its
/// entity, its actor's person, a `person` in its details), so export and erasure find them by reference, never by
/// searching text.
enum AuditReferences {
    /// What an event is stored as, and the people it concerns.
    struct Stored {
        var actor: String
        var entityID: String
        var details: String?
        var subjects: Set<Int64> = []
    }

    /// The stored form of an entry, recording the references it uses.
    static func store(actor: String, entityType: String, entityID: String, details: String?, _ db: Database) throws -> Stored {
        var subjects = Set<Int64>()
        let storedActor = try self.actor(actor, db, record: true, subjects: &subjects)
        let storedEntity = try entity(type: entityType, id: entityID, db, record: true, subjects: &subjects)
        let storedDetails = try self.details(details, db, subjects: &subjects)
        return Stored(actor: storedActor, entityID: storedEntity, details: storedDetails, subjects: subjects)
    }

    /// `account:<login>` as `account:#a<id>`; any other actor (`system:clock`, `cli:<user>`) as it is.
    static func actor(_ actor: String, _ db: Database, record: Bool, subjects: inout Set<Int64>) throws -> String {
        guard actor.hasPrefix("account:"), let ref = try account(String(actor.dropFirst(8)), db, record: record, subjects: &subjects) else {
            return actor
        }
        return "account:" + ref
    }

    /// A person's personal number as `#p<id>`, an enrolment `COHORT/<number>` as `COHORT/#p<id>`, an account's login as
    /// `#a<id>`; other entities as they are.
    static func entity(type: String, id: String, _ db: Database, record: Bool, subjects: inout Set<Int64>) throws -> String {
        switch type {
        case "person":
            return try person(id, db, record: record, subjects: &subjects) ?? id
        case "enrolment":
            guard let slash = id.firstIndex(of: "/"),
                  let ref = try person(String(id[id.index(after: slash)...]), db, record: record, subjects: &subjects) else { return id }
            return String(id[...slash]) + ref
        case "account":
            return try account(id, db, record: record, subjects: &subjects) ?? id
        default:
            return id
        }
    }

    /// Details (a JSON object) with the personal number under `person` replaced by its reference.
    static func details(_ details: String?, _ db: Database, subjects: inout Set<Int64>) throws -> String? {
        guard let details, details.hasPrefix("{"),
              var object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any],
              let number = object["person"] as? String, let ref = try person(number, db, record: true, subjects: &subjects) else {
            return details
        }
        object["person"] = ref
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func person(_ number: String, _ db: Database, record: Bool, subjects: inout Set<Int64>) throws -> String? {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE personal_number = ?", arguments: [number]) else {
            return nil
        }
        let ref = "#p\(id)"
        if record { try name(ref, number, person: id, db) }
        subjects.insert(id)
        return ref
    }

    private static func account(_ login: String, _ db: Database, record: Bool, subjects: inout Set<Int64>) throws -> String? {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, login, person_id FROM account WHERE login = ?", arguments: [login]) else {
            return nil
        }
        let ref = "#a\(row["id"] as Int64)"
        let person: Int64? = row["person_id"]
        if record { try name(ref, row["login"], person: person, db) }
        if let person { subjects.insert(person) }
        return ref
    }

    private static func name(_ ref: String, _ name: String, person: Int64?, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO audit_name (ref, name, person_id) VALUES (?, ?, ?)")
            .execute(arguments: [ref, name, person])
    }

    /// The references in stored text, by the names they stand for (an erased person's have none and stay as they are).
    static func names(in texts: [String], _ db: Database) throws -> [String: String] {
        var refs = Set<String>()
        for text in texts { for match in text.matches(of: /#[pa][0-9]+/) { refs.insert(String(match.output)) } }
        guard !refs.isEmpty else { return [:] }
        return try Dictionary(Row.fetchAll(db, sql: "SELECT ref, name FROM audit_name WHERE ref IN (SELECT value FROM json_each(?))",
                                           arguments: [String(decoding: try JSONEncoder().encode(Array(refs)), as: UTF8.self)])
            .map { ($0["ref"] as String, $0["name"] as String) }, uniquingKeysWith: { first, _ in first })
    }

    /// `text` with its references replaced by the names they stand for.
    static func display(_ text: String, _ names: [String: String]) -> String {
        guard text.contains("#") else { return text }
        return text.replacing(/#[pa][0-9]+/) { match in names[String(match.output)] ?? String(match.output) }
    }
}
