import Foundation
import GRDB
import TrainingCore

/// Why a certificate could not be issued or found.
public enum CertificateError: UserFacingError, Equatable {
    case notCompleted(personalNumber: String, cohort: String)
    case alreadyIssued(personalNumber: String, cohort: String, serial: String)
    case unknownCertificate(serial: String)
    case noSettings(cohort: String)
    case unknownTemplate(language: String)
    case noSigningKey

    public var messageKey: String {
        switch self {
        case .notCompleted: "certificate.error.not_completed"
        case .alreadyIssued: "certificate.error.already_issued"
        case .unknownCertificate: "certificate.error.unknown"
        case .noSettings: "certificate.error.no_settings"
        case .unknownTemplate: "certificate.error.unknown_template"
        case .noSigningKey: "certificate.error.no_key"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .notCompleted(let number, let cohort): ["personal_number": number, "cohort": cohort]
        case .alreadyIssued(let number, let cohort, let serial): ["personal_number": number, "cohort": cohort, "serial": serial]
        case .unknownCertificate(let serial): ["serial": serial]
        case .noSettings(let cohort): ["cohort": cohort]
        case .unknownTemplate(let language): ["language": language]
        case .noSigningKey: [:]
        }
    }
}

/// Who signs a cohort's certificates, and where.
public struct CertificateSettings: Hashable, Sendable {
    public var signatoryName: String
    public var signatoryTitle: String
    public var place: String

    public init(signatoryName: String, signatoryTitle: String, place: String) {
        self.signatoryName = signatoryName
        self.signatoryTitle = signatoryTitle
        self.place = place
    }
}

/// A stored certificate: everything printed on it, and its state.
public struct IssuedCertificate: Hashable, Sendable {
    public var serial: String
    public var checkCode: String
    public var personalNumber: String
    public var cohortCode: String
    public var language: Language
    public var templateID: String
    public var issued: LocalDate
    public var expires: LocalDate?
    public var registryNumber: String?
    public var settings: CertificateSettings
    /// The placeholder values printed.
    public var fields: [String: String]
    public var payload: CertificatePayload
    /// The signed token embedded in the PDF.
    public var token: String
    public var revokedAt: String?
    public var revocationReason: String?

    /// `<serial>-<check code>`, the part of the verification URL after `/verify/`.
    public var verificationID: String { "\(serial)-\(checkCode)" }
}

/// A public signing key.
public struct PublicSigningKey: Hashable, Sendable {
    public var keyID: String
    /// Raw 32-byte Ed25519 public key, base64.
    public var publicKey: String
    public var createdAt: String
    public var retiredAt: String?
}

/// What the store needs from the caller to finish a certificate once its serial is known: the printed
/// fields, the signed payload and its token.
public typealias CertificateContent = (fields: [String: String], payload: CertificatePayload, token: String)

/// What is known when a certificate's content is made.
public struct CertificateDraft: Sendable {
    public var serial: String
    public var checkCode: String
    public var person: Person
    public var cohort: Cohort
    public var program: Program
    public var issued: LocalDate
    public var expires: LocalDate?
    public var settings: CertificateSettings
    public var registryNumber: String?
    public var language: Language
}

extension AppDatabase {
    // MARK: Settings

    /// Sets the signatory and place used on a cohort's certificates.
    public func setCertificateSettings(cohortCode: String, _ settings: CertificateSettings, actor: Actor, at date: Date = Date()) throws {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            try db.execute(sql: """
                INSERT INTO cohort_certificate_settings (cohort_id, signatory_name, signatory_title, place) VALUES (?, ?, ?, ?)
                ON CONFLICT(cohort_id) DO UPDATE SET signatory_name = excluded.signatory_name,
                    signatory_title = excluded.signatory_title, place = excluded.place
                """, arguments: [cohort.id.rawValue, settings.signatoryName, settings.signatoryTitle, settings.place])
            try AuditLog.append(AuditEntry(actor: actor, action: "certificate.settings", entityType: "cohort", entityID: cohort.code),
                                at: date, in: db)
        }
    }

    /// A cohort's certificate settings, if set.
    public func certificateSettings(cohortCode: String) throws -> CertificateSettings? {
        try writer.read { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            return try Row.fetchOne(db, sql: "SELECT * FROM cohort_certificate_settings WHERE cohort_id = ?",
                                    arguments: [cohort.id.rawValue]).map {
                CertificateSettings(signatoryName: $0["signatory_name"], signatoryTitle: $0["signatory_title"], place: $0["place"])
            }
        }
    }

    // MARK: Keys

    /// Every public signing key, oldest first.
    public func signingKeys() throws -> [PublicSigningKey] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM signing_key ORDER BY created_at, key_id").map {
                PublicSigningKey(keyID: $0["key_id"], publicKey: $0["public_key"], createdAt: $0["created_at"], retiredAt: $0["retired_at"])
            }
        }
    }

    /// Publishes a new signing key and retires the current one (the retired key still verifies).
    public func addSigningKey(keyID: String, publicKey: String, actor: Actor, at date: Date = Date()) throws {
        try write { db in
            let now = AuditLog.timestamp(date)
            let retired = try String.fetchAll(db, sql: "SELECT key_id FROM signing_key WHERE retired_at IS NULL")
            try db.execute(sql: "UPDATE signing_key SET retired_at = ? WHERE retired_at IS NULL", arguments: [now])
            try db.execute(sql: "INSERT INTO signing_key (key_id, public_key, created_at) VALUES (?, ?, ?)",
                           arguments: [keyID, publicKey, now])
            try AuditLog.append(AuditEntry(actor: actor, action: "key.add", entityType: "signing_key", entityID: keyID,
                                           details: #"{"retired":[\#(retired.map(jsonString).joined(separator: ","))]}"#),
                                at: date, in: db)
        }
    }

    /// The key that signs new certificates.
    public func currentSigningKeyID() throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT key_id FROM signing_key WHERE retired_at IS NULL") }
    }

    // MARK: Issuing

    /// Issues a certificate to a person who completed the program in a cohort: allocates the next serial of
    /// the program's code and year, has `content` fill and sign it, and stores everything in one transaction.
    public func issueCertificate(personalNumber: String, cohortCode: String, language: Language, templateID: String,
                                 keyID: String, registryNumber: String?, settings override: CertificateSettings?,
                                 actor: Actor, now: LocalDateTime, at date: Date = Date(),
                                 content: (CertificateDraft) throws -> CertificateContent) throws -> IssuedCertificate {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            guard let person = try PersonRecord.fetch(personalNumber: personalNumber, db) else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            let status = try String.fetchOne(db, sql: "SELECT status FROM enrolment WHERE cohort_id = ? AND person_id = ?",
                                             arguments: [cohort.id.rawValue, person.id])
            var complete = status == "completed"
            if status == "approved" {
                complete = try cohortProgress(cohort, personIDs: [person.id!], now: now, db: db).first?.progress.isComplete ?? false
            }
            guard complete else { throw CertificateError.notCompleted(personalNumber: personalNumber, cohort: cohort.code) }
            if let serial = try String.fetchOne(db, sql: """
                SELECT serial FROM certificate WHERE person_id = ? AND cohort_id = ? AND revoked_at IS NULL
                """, arguments: [person.id, cohort.id.rawValue]) {
                throw CertificateError.alreadyIssued(personalNumber: personalNumber, cohort: cohort.code, serial: serial)
            }
            let settings = try override ?? Row.fetchOne(db, sql: "SELECT * FROM cohort_certificate_settings WHERE cohort_id = ?",
                                                        arguments: [cohort.id.rawValue]).map {
                CertificateSettings(signatoryName: $0["signatory_name"], signatoryTitle: $0["signatory_title"], place: $0["place"])
            }
            guard let settings else { throw CertificateError.noSettings(cohort: cohort.code) }
            let program = try programDefinition(cohort, db)
            let issued = now.date
            let serial = CertificateRules.serial(code: program.serialCode, year: issued.year,
                                                 sequence: try nextSerialNumber(program.serialCode, year: issued.year, db))
            let draft = CertificateDraft(
                serial: serial, checkCode: Self.checkCode(), person: person.person, cohort: cohort, program: program,
                issued: issued, expires: CertificateRules.expiry(issued: issued, validYears: program.validYears),
                settings: settings, registryNumber: registryNumber, language: language)
            let (fields, payload, token) = try content(draft)
            try db.execute(sql: """
                INSERT INTO certificate (serial, check_code, person_id, cohort_id, language, template_id, key_id, issued_at,
                    expires_at, registry_number, signatory_name, signatory_title, place, fields, payload, token, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [serial, draft.checkCode, person.id, cohort.id.rawValue, language.rawValue, templateID, keyID,
                                 issued.iso, draft.expires?.iso, registryNumber, settings.signatoryName, settings.signatoryTitle,
                                 settings.place, String(decoding: try JSONEncoder.sorted.encode(fields), as: UTF8.self),
                                 String(decoding: try JSONEncoder.sorted.encode(payload), as: UTF8.self), token,
                                 AuditLog.timestamp(date)])
            try AuditLog.append(AuditEntry(actor: actor, action: "certificate.issue", entityType: "certificate", entityID: serial,
                                           details: #"{"person":\#(jsonString(personalNumber)),"cohort":\#(jsonString(cohort.code))}"#),
                                at: date, in: db)
            return try Self.certificate(serial: serial, db)
        }
    }

    /// A certificate by serial.
    public func certificate(serial: String) throws -> IssuedCertificate {
        try writer.read { db in try Self.certificate(serial: serial, db) }
    }

    /// Certificates, newest first, optionally of one cohort or person.
    public func certificates(cohortCode: String? = nil, personalNumber: String? = nil) throws -> [IssuedCertificate] {
        try writer.read { db in
            try Row.fetchAll(db, sql: Self.certificateSelect + """
                 WHERE (?1 IS NULL OR co.code = ?1) AND (?2 IS NULL OR p.personal_number = ?2)
                ORDER BY c.issued_at DESC, c.serial DESC
                """, arguments: [cohortCode, personalNumber]).map(IssuedCertificate.init(row:))
        }
    }

    static let certificateSelect = """
        SELECT c.*, p.personal_number, co.code AS cohort_code FROM certificate c
        JOIN person p ON p.id = c.person_id JOIN cohort co ON co.id = c.cohort_id
        """

    static func certificate(serial: String, _ db: Database) throws -> IssuedCertificate {
        guard let row = try Row.fetchOne(db, sql: certificateSelect + " WHERE c.serial = ?", arguments: [serial]) else {
            throw CertificateError.unknownCertificate(serial: serial)
        }
        return try IssuedCertificate(row: row)
    }

    private func nextSerialNumber(_ code: String, year: Int, _ db: Database) throws -> Int {
        try db.execute(sql: """
            INSERT INTO serial_counter (serial_code, year, last) VALUES (?, ?, 1)
            ON CONFLICT(serial_code, year) DO UPDATE SET last = last + 1
            """, arguments: [code, year])
        return try Int.fetchOne(db, sql: "SELECT last FROM serial_counter WHERE serial_code = ? AND year = ?",
                                arguments: [code, year]) ?? 1
    }

    /// Eight characters without look-alikes (no 0/O, 1/I/L): unguessable, easy to type from paper.
    static func checkCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

extension IssuedCertificate {
    init(row: Row) throws {
        let decoder = JSONDecoder()
        self.init(
            serial: row["serial"], checkCode: row["check_code"], personalNumber: row["personal_number"],
            cohortCode: row["cohort_code"], language: Language(tag: row["language"]) ?? .default, templateID: row["template_id"],
            issued: LocalDate(iso: row["issued_at"])!, expires: (row["expires_at"] as String?).flatMap(LocalDate.init(iso:)),
            registryNumber: row["registry_number"],
            settings: CertificateSettings(signatoryName: row["signatory_name"], signatoryTitle: row["signatory_title"], place: row["place"]),
            fields: try decoder.decode([String: String].self, from: Data((row["fields"] as String).utf8)),
            payload: try decoder.decode(CertificatePayload.self, from: Data((row["payload"] as String).utf8)),
            token: row["token"], revokedAt: row["revoked_at"], revocationReason: row["revocation_reason"])
    }
}
