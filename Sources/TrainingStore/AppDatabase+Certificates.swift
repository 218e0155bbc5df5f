import Foundation
import GRDB
import TrainingCore

extension StoreTransaction {
    /// Valid certificates whose last day falls within `days` of `today` (those who need recertification).
    public func expiringCertificates(within days: Int, today: LocalDate) throws -> [IssuedCertificate] {
        try Row.fetchAll(db, sql: AppDatabase.certificateSelect + """
             WHERE c.revoked_at IS NULL AND c.expires_at IS NOT NULL AND c.expires_at >= ? AND c.expires_at <= ?
            ORDER BY c.expires_at, c.serial
            """, arguments: [today.iso, today.adding(days: days).iso]).map(IssuedCertificate.init(row:))
    }

    // MARK: Settings

    /// Sets the signatory and place printed on a cohort's certificates.
    public func setCertificateSettings(cohort: CohortID, _ settings: CertificateSettings) throws {
        try db.execute(sql: """
            INSERT INTO cohort_certificate_settings (cohort_id, signatory_name, signatory_title, place) VALUES (?, ?, ?, ?)
            ON CONFLICT(cohort_id) DO UPDATE SET signatory_name = excluded.signatory_name,
                signatory_title = excluded.signatory_title, place = excluded.place
            """, arguments: [cohort.rawValue, settings.signatoryName, settings.signatoryTitle, settings.place])
    }

    /// A cohort's certificate settings, if set.
    public func certificateSettings(cohort: CohortID) throws -> CertificateSettings? {
        try Row.fetchOne(db, sql: "SELECT * FROM cohort_certificate_settings WHERE cohort_id = ?", arguments: [cohort.rawValue]).map {
            CertificateSettings(signatoryName: $0["signatory_name"], signatoryTitle: $0["signatory_title"], place: $0["place"])
        }
    }

    // MARK: Keys

    /// Publishes a new signing key and retires the current one (a retired key still verifies); returns the retired ids.
    public func addSigningKey(keyID: String, publicKey: String) throws -> [String] {
        let retired = try String.fetchAll(db, sql: "SELECT key_id FROM signing_key WHERE retired_at IS NULL")
        try db.execute(sql: "UPDATE signing_key SET retired_at = ? WHERE retired_at IS NULL", arguments: [timestamp])
        try db.execute(sql: "INSERT INTO signing_key (key_id, public_key, created_at) VALUES (?, ?, ?)",
                       arguments: [keyID, publicKey, timestamp])
        return retired
    }

    // MARK: Issuing

    /// The serial of a person's valid (not revoked) certificate of a cohort, if they have one.
    public func validCertificateSerial(person: PersonID, cohort: CohortID) throws -> String? {
        try String.fetchOne(db, sql: "SELECT serial FROM certificate WHERE person_id = ? AND cohort_id = ? AND revoked_at IS NULL",
                            arguments: [person.rawValue, cohort.rawValue])
    }

    /// Everyone holding a valid certificate of a cohort.
    public func certificateHolders(cohort: CohortID) throws -> Set<PersonID> {
        Set(try Int64.fetchAll(db, sql: "SELECT person_id FROM certificate WHERE cohort_id = ? AND revoked_at IS NULL",
                               arguments: [cohort.rawValue]).map(PersonID.init(rawValue:)))
    }

    /// The next number of a serial code's year (1 for the first), counted in this transaction.
    public func nextSerialNumber(code: String, year: Int) throws -> Int {
        try db.execute(sql: """
            INSERT INTO serial_counter (serial_code, year, last) VALUES (?, ?, 1)
            ON CONFLICT(serial_code, year) DO UPDATE SET last = last + 1
            """, arguments: [code, year])
        return try Int.fetchOne(db, sql: "SELECT last FROM serial_counter WHERE serial_code = ? AND year = ?",
                                arguments: [code, year]) ?? 1
    }

    /// Stores an issued certificate with everything printed on it, so a reprint is identical.
    public func insertCertificate(_ draft: CertificateDraft, templateID: String, keyID: String, content: CertificateContent) throws {
        try db.cachedStatement(sql: """
            INSERT INTO certificate (serial, check_code, person_id, cohort_id, language, template_id, key_id, issued_at,
                expires_at, registry_number, signatory_name, signatory_title, place, fields, payload, token, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                draft.serial, draft.checkCode, draft.person.id.rawValue, draft.cohort.id.rawValue, draft.language.rawValue,
                templateID, keyID, draft.issued.iso, draft.expires?.iso, draft.registryNumber, draft.settings.signatoryName,
                draft.settings.signatoryTitle, draft.settings.place,
                String(decoding: try JSONEncoder.sorted.encode(content.fields), as: UTF8.self),
                String(decoding: try JSONEncoder.sorted.encode(content.payload), as: UTF8.self), content.token, timestamp,
            ])
    }

    /// A certificate by serial.
    public func certificate(serial: String) throws -> IssuedCertificate { try AppDatabase.certificate(serial: serial, db) }

    /// Marks a certificate revoked, with the reason.
    public func revokeCertificate(serial: String, reason: String) throws {
        try db.execute(sql: "UPDATE certificate SET revoked_at = ?, revocation_reason = ? WHERE serial = ?",
                       arguments: [timestamp, reason, serial])
    }
}

extension AppDatabase {
    /// A cohort's certificate settings, if set.
    public func certificateSettings(cohortCode: String) throws -> CertificateSettings? {
        try read { tx in try tx.certificateSettings(cohort: try tx.cohort(code: cohortCode).id) }
    }

    /// Every public signing key, oldest first.
    public func signingKeys() throws -> [PublicSigningKey] {
        try read { tx in
            try Row.fetchAll(tx.db, sql: "SELECT * FROM signing_key ORDER BY created_at, key_id").map {
                PublicSigningKey(keyID: $0["key_id"], publicKey: $0["public_key"], createdAt: $0["created_at"], retiredAt: $0["retired_at"])
            }
        }
    }

    /// The key that signs new certificates.
    public func currentSigningKeyID() throws -> String? {
        try read { tx in try String.fetchOne(tx.db, sql: "SELECT key_id FROM signing_key WHERE retired_at IS NULL") }
    }

    /// Valid certificates whose last day falls within `days` of `today` (those who need recertification).
    public func expiringCertificates(within days: Int, today: LocalDate) throws -> [IssuedCertificate] {
        try read { tx in try tx.expiringCertificates(within: days, today: today) }
    }

    /// A certificate by serial.
    public func certificate(serial: String) throws -> IssuedCertificate {
        try read { tx in try tx.certificate(serial: serial) }
    }

    /// Certificates, newest first, optionally of one cohort or person.
    public func certificates(cohortCode: String? = nil, personalNumber: String? = nil) throws -> [IssuedCertificate] {
        try read { tx in
            try Row.fetchAll(tx.db, sql: Self.certificateSelect + """
                 WHERE (?1 IS NULL OR co.code = ?1) AND (?2 IS NULL OR p.personal_number = ?2)
                ORDER BY c.issued_at DESC, c.serial DESC
                """, arguments: [cohortCode, personalNumber]).map(IssuedCertificate.init(row:))
        }
    }

    static let certificateSelect = """
        SELECT c.*, p.personal_number, co.code AS cohort_code,
               (SELECT e.department_at_enrolment FROM enrolment e WHERE e.cohort_id = c.cohort_id AND e.person_id = c.person_id)
                   AS department
        FROM certificate c
        JOIN person p ON p.id = c.person_id JOIN cohort co ON co.id = c.cohort_id
        """

    static func certificate(serial: String, _ db: Database) throws -> IssuedCertificate {
        guard let row = try Row.fetchOne(db, sql: certificateSelect + " WHERE c.serial = ?", arguments: [serial]) else {
            throw CertificateError.unknownCertificate(serial: serial)
        }
        return try IssuedCertificate(row: row)
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
            token: row["token"], revokedAt: row["revoked_at"], revocationReason: row["revocation_reason"],
            department: row["department"] ?? "", holderErasedAt: row["holder_erased_at"])
    }
}
