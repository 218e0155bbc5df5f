import Foundation
import GRDB
import TrainingCore

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
            guard try eligiblePersonIDs(cohort, now: now, db).contains(person.id!) else {
                throw CertificateError.notCompleted(personalNumber: personalNumber, cohort: cohort.code)
            }
            if let serial = try String.fetchOne(db, sql: """
                SELECT serial FROM certificate WHERE person_id = ? AND cohort_id = ? AND revoked_at IS NULL
                """, arguments: [person.id, cohort.id.rawValue]) {
                throw CertificateError.alreadyIssued(personalNumber: personalNumber, cohort: cohort.code, serial: serial)
            }
            let settings = try override ?? storedSettings(cohort, db)
            let serial = try insertCertificate(
                person.person, cohort: cohort, program: try programDefinition(cohort, db), language: language,
                templateID: templateID, keyID: keyID, registryNumber: registryNumber, settings: settings, now: now,
                date: date, db: db, content: content)
            try AuditLog.append(AuditEntry(actor: actor, action: "certificate.issue", entityType: "certificate", entityID: serial,
                                           details: #"{"person":\#(jsonString(personalNumber)),"cohort":\#(jsonString(cohort.code))}"#),
                                at: date, in: db)
            return try Self.certificate(serial: serial, db)
        }
    }

    /// Issues certificates to every trainee of a cohort who completed and holds no valid certificate, in one
    /// short transaction with one audit event. Running it again issues nothing; two runs at once cannot
    /// issue twice (SQLite serialises the writers and the unique index backs it up).
    public func issueCertificates(cohortCode: String, language: Language, templateID: String, keyID: String,
                                  actor: Actor, now: LocalDateTime, at date: Date = Date(),
                                  content: (CertificateDraft) throws -> CertificateContent) throws -> [IssuedCertificate] {
        try write { db in
            let cohort = try Self.cohort(code: cohortCode, db)
            let eligible = try eligiblePersonIDs(cohort, now: now, db)
            let holders = Set(try Int64.fetchAll(db, sql: "SELECT person_id FROM certificate WHERE cohort_id = ? AND revoked_at IS NULL",
                                                 arguments: [cohort.id.rawValue]))
            let people = try PersonRecord.fetchAll(db, sql: """
                SELECT * FROM person WHERE id IN (SELECT person_id FROM enrolment WHERE cohort_id = ?)
                ORDER BY family_name, given_name, personal_number
                """, arguments: [cohort.id.rawValue]).filter { eligible.contains($0.id!) && !holders.contains($0.id!) }
            guard !people.isEmpty else { return [] }
            let settings = try storedSettings(cohort, db)
            let program = try programDefinition(cohort, db)
            var serials: [String] = []
            for person in people {
                serials.append(try insertCertificate(
                    person.person, cohort: cohort, program: program, language: language, templateID: templateID, keyID: keyID,
                    registryNumber: nil, settings: settings, now: now, date: date, db: db, content: content))
            }
            try AuditLog.append(AuditEntry(
                actor: actor, action: "certificate.issue.bulk", entityType: "cohort", entityID: cohort.code,
                details: #"{"issued":\#(serials.count),"first":"\#(serials.first!)","last":"\#(serials.last!)"}"#),
                at: date, in: db)
            return try serials.map { try Self.certificate(serial: $0, db) }
        }
    }

    /// Revokes a certificate (audited); the holder may then receive a replacement.
    public func revokeCertificate(serial: String, reason: String, actor: Actor, at date: Date = Date()) throws -> IssuedCertificate {
        try write { db in
            let certificate = try Self.certificate(serial: serial, db)
            guard certificate.revokedAt == nil else { throw CertificateError.alreadyRevoked(serial: serial) }
            try db.execute(sql: "UPDATE certificate SET revoked_at = ?, revocation_reason = ? WHERE serial = ?",
                           arguments: [AuditLog.timestamp(date), reason, serial])
            try AuditLog.append(AuditEntry(actor: actor, action: "certificate.revoke", entityType: "certificate", entityID: serial,
                                           details: #"{"reason":\#(jsonString(reason))}"#), at: date, in: db)
            return try Self.certificate(serial: serial, db)
        }
    }

    /// Valid certificates whose last day falls within `days` of `today` (those who need recertification).
    public func expiringCertificates(within days: Int, today: LocalDate) throws -> [IssuedCertificate] {
        try writer.read { db in
            try Row.fetchAll(db, sql: Self.certificateSelect + """
                 WHERE c.revoked_at IS NULL AND c.expires_at IS NOT NULL AND c.expires_at >= ? AND c.expires_at <= ?
                ORDER BY c.expires_at, c.serial
                """, arguments: [today.iso, today.adding(days: days).iso]).map(IssuedCertificate.init(row:))
        }
    }

    /// People of a cohort who completed (or whose progress completes the rule now).
    private func eligiblePersonIDs(_ cohort: Cohort, now: LocalDateTime, _ db: Database) throws -> Set<Int64> {
        let approved = try Int64.fetchAll(db, sql: "SELECT person_id FROM enrolment WHERE cohort_id = ? AND status = 'approved'",
                                          arguments: [cohort.id.rawValue])
        var eligible = Set(try Int64.fetchAll(db, sql: "SELECT person_id FROM enrolment WHERE cohort_id = ? AND status = 'completed'",
                                              arguments: [cohort.id.rawValue]))
        if !approved.isEmpty {
            for entry in try cohortProgress(cohort, personIDs: approved, now: now, db: db) where entry.progress.isComplete {
                eligible.insert(entry.person.id.rawValue)
            }
        }
        return eligible
    }

    private func storedSettings(_ cohort: Cohort, _ db: Database) throws -> CertificateSettings {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cohort_certificate_settings WHERE cohort_id = ?",
                                         arguments: [cohort.id.rawValue]) else {
            throw CertificateError.noSettings(cohort: cohort.code)
        }
        return CertificateSettings(signatoryName: row["signatory_name"], signatoryTitle: row["signatory_title"], place: row["place"])
    }

    /// Allocates a serial, has the caller fill and sign the certificate, and stores it; returns the serial.
    private func insertCertificate(_ person: Person, cohort: Cohort, program: Program, language: Language, templateID: String,
                                   keyID: String, registryNumber: String?, settings: CertificateSettings, now: LocalDateTime,
                                   date: Date, db: Database, content: (CertificateDraft) throws -> CertificateContent) throws -> String {
        let issued = now.date
        let serial = CertificateRules.serial(code: program.serialCode, year: issued.year,
                                             sequence: try nextSerialNumber(program.serialCode, year: issued.year, db))
        let draft = CertificateDraft(
            serial: serial, checkCode: Self.checkCode(), person: person, cohort: cohort, program: program,
            issued: issued, expires: CertificateRules.expiry(issued: issued, validYears: program.validYears),
            settings: settings, registryNumber: registryNumber, language: language)
        let (fields, payload, token) = try content(draft)
        try db.cachedStatement(sql: """
            INSERT INTO certificate (serial, check_code, person_id, cohort_id, language, template_id, key_id, issued_at,
                expires_at, registry_number, signatory_name, signatory_title, place, fields, payload, token, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                serial, draft.checkCode, person.id.rawValue, cohort.id.rawValue, language.rawValue, templateID, keyID,
                issued.iso, draft.expires?.iso, registryNumber, settings.signatoryName, settings.signatoryTitle,
                settings.place, String(decoding: try JSONEncoder.sorted.encode(fields), as: UTF8.self),
                String(decoding: try JSONEncoder.sorted.encode(payload), as: UTF8.self), token, AuditLog.timestamp(date),
            ])
        return serial
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
            token: row["token"], revokedAt: row["revoked_at"], revocationReason: row["revocation_reason"],
            department: row["department"] ?? "", holderErasedAt: row["holder_erased_at"])
    }
}
