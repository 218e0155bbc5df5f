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

    /// The wording of "completed" for the holder's grammatical gender: završila / završio / završio/la.
    public static func completedWordKey(_ sex: Sex?) -> String {
        "certificate.completed.\(sex?.rawValue ?? "unknown")"
    }
}
