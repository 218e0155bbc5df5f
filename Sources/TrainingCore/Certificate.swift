/// What a certificate's signature covers: everything a reader checks against the page.
public struct CertificatePayload: Hashable, Codable, Sendable {
    /// Format version of the payload.
    public var version: Int
    /// Serial, e.g. `BD-DIJ-2026-000123`.
    public var serial: String
    /// The holder's name as printed.
    public var holder: String
    /// Program id.
    public var programID: String
    /// Program version.
    public var programVersion: Int
    /// Program title as printed.
    public var programTitle: String
    /// The program's nominal hours.
    public var hours: Double
    /// Date of issue.
    public var issued: LocalDate
    /// Last day of validity, if the program sets one.
    public var expires: LocalDate?
    /// The signing key's id.
    public var keyID: String
    /// The certificate's language.
    public var language: String

    public init(serial: String, holder: String, programID: String, programVersion: Int, programTitle: String, hours: Double,
                issued: LocalDate, expires: LocalDate?, keyID: String, language: String) {
        self.version = 1
        self.serial = serial
        self.holder = holder
        self.programID = programID
        self.programVersion = programVersion
        self.programTitle = programTitle
        self.hours = hours
        self.issued = issued
        self.expires = expires
        self.keyID = keyID
        self.language = language
    }

    enum CodingKeys: String, CodingKey {
        case version = "v", serial, holder, programID = "program", programVersion = "program_version"
        case programTitle = "program_title", hours, issued, expires, keyID = "key", language = "lang"
    }
}

/// Certificate serials and validity rules.
public enum CertificateRules {
    /// `BD-<serial code>-<year>-<6 digits>`.
    public static func serial(code: String, year: Int, sequence: Int) -> String {
        "BD-\(code)-\(year)-\(LocalDate.pad(sequence, 6))"
    }

    /// The last valid day: the day before the same date `years` later (29 February falls back to 28).
    public static func expiry(issued: LocalDate, validYears: Int?) -> LocalDate? {
        guard let validYears else { return nil }
        let year = issued.year + validYears
        let day = min(issued.day, LocalDate.daysIn(month: issued.month, year: year))
        return LocalDate(year: year, month: issued.month, day: day)!.adding(days: -1)
    }

    /// Whether a certificate has expired on `today` (it is valid through its last day).
    public static func isExpired(expires: LocalDate?, today: LocalDate) -> Bool {
        guard let expires else { return false }
        return today > expires
    }

    /// A new check code: eight characters without look-alikes (no 0/O, 1/I/L), unguessable and easy to type from paper.
    public static func newCheckCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The wording of "completed" for the holder's grammatical gender: "završila" / "završio" je program obuke; when the
    /// sex is not recorded, "uspješno završen" (je program obuke): the program completed, a sentence with no gendered
    /// verb, never "završio/la" on an official document.
    public static func completedWordKey(_ sex: Sex?) -> String {
        "certificate.completed.\(sex?.rawValue ?? "unknown")"
    }
}

/// Why a certificate could not be issued or found.
public enum CertificateError: UserFacingError, Equatable {
    case notCompleted(personalNumber: String, cohort: String)
    case alreadyIssued(personalNumber: String, cohort: String, serial: String)
    case unknownCertificate(serial: String)
    case noSettings(cohort: String)
    case unknownTemplate(language: String)
    case noSigningKey
    case alreadyRevoked(serial: String)
    /// A version 2 program's policy (completion rule, validity, reconstructed parts) is not confirmed yet.
    case policyUnconfirmed(program: String, version: Int)

    public var messageKey: String {
        switch self {
        case .notCompleted: "certificate.error.not_completed"
        case .alreadyIssued: "certificate.error.already_issued"
        case .unknownCertificate: "certificate.error.unknown"
        case .noSettings: "certificate.error.no_settings"
        case .unknownTemplate: "certificate.error.unknown_template"
        case .noSigningKey: "certificate.error.no_key"
        case .alreadyRevoked: "certificate.error.already_revoked"
        case .policyUnconfirmed: "certificate.error.policy_unconfirmed"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .notCompleted(let number, let cohort): ["personal_number": number, "cohort": cohort]
        case .alreadyIssued(let number, let cohort, let serial): ["personal_number": number, "cohort": cohort, "serial": serial]
        case .unknownCertificate(let serial), .alreadyRevoked(let serial): ["serial": serial]
        case .noSettings(let cohort): ["cohort": cohort]
        case .unknownTemplate(let language): ["language": language]
        case .noSigningKey: [:]
        case .policyUnconfirmed(let program, let version): ["program": program, "version": String(version)]
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
    /// The department the holder belonged to when enrolled.
    public var department: String
    /// When the holder's data was erased (privacy erasure); the register then attests the certificate
    /// without naming the holder, and it cannot be reprinted.
    public var holderErasedAt: String? = nil

    /// The state the register gives: `revoked`, `expired` or `valid`.
    public func registerState(today: LocalDate) -> String {
        revokedAt != nil ? "revoked" : CertificateRules.isExpired(expires: expires, today: today) ? "expired" : "valid"
    }

    /// `<serial>-<check code>`, the part of the verification URL after `/verify/`.
    public var verificationID: String { "\(serial)-\(checkCode)" }

    /// Creates a value from its fields.
    public init(serial: String, checkCode: String, personalNumber: String, cohortCode: String, language: Language,
                templateID: String, issued: LocalDate, expires: LocalDate? = nil, registryNumber: String? = nil,
                settings: CertificateSettings, fields: [String: String], payload: CertificatePayload, token: String,
                revokedAt: String? = nil, revocationReason: String? = nil, department: String,
                holderErasedAt: String? = nil) {
        self.serial = serial
        self.checkCode = checkCode
        self.personalNumber = personalNumber
        self.cohortCode = cohortCode
        self.language = language
        self.templateID = templateID
        self.issued = issued
        self.expires = expires
        self.registryNumber = registryNumber
        self.settings = settings
        self.fields = fields
        self.payload = payload
        self.token = token
        self.revokedAt = revokedAt
        self.revocationReason = revocationReason
        self.department = department
        self.holderErasedAt = holderErasedAt
    }
}

/// A public signing key.
public struct PublicSigningKey: Hashable, Sendable {
    public var keyID: String
    /// Raw 32-byte Ed25519 public key, base64.
    public var publicKey: String
    public var createdAt: String
    public var retiredAt: String?

    /// Creates a value from its fields.
    public init(keyID: String, publicKey: String, createdAt: String, retiredAt: String? = nil) {
        self.keyID = keyID
        self.publicKey = publicKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
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
    /// The minutes of the cohort's sessions held by the issue (what a version 2 certificate states).
    public var heldMinutes: Int?

    /// Creates a value from its fields.
    public init(serial: String, checkCode: String, person: Person, cohort: Cohort, program: Program, issued: LocalDate,
                expires: LocalDate? = nil, settings: CertificateSettings, registryNumber: String? = nil,
                language: Language, heldMinutes: Int? = nil) {
        self.serial = serial
        self.checkCode = checkCode
        self.person = person
        self.cohort = cohort
        self.program = program
        self.issued = issued
        self.expires = expires
        self.settings = settings
        self.registryNumber = registryNumber
        self.language = language
        self.heldMinutes = heldMinutes
    }

    /// The hours the certificate states: a program that marks its provenance states the hours the cohort actually
    /// held (its nominal hours are only planned); a version 1 program states its nominal hours, as it always did, so
    /// its reprints and new issues read the same.
    public var statedHours: Double {
        guard program.declaresProvenance, let heldMinutes else { return program.totalHours }
        return Double(heldMinutes) / 60
    }
}
