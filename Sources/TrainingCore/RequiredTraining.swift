/// A rule that some people must hold a program's certificate: everyone, a department, or a job title; due a number of
/// days after starting in the District or by a fixed day; renewed every few years. A rule is versioned: a change is a
/// new version from its effective day, and a version never changes once stored.
public struct TrainingRequirement: Hashable, Sendable {
    /// Who a rule is for.
    public enum Scope: Hashable, Sendable {
        case everyone
        case department(DepartmentCode)
        /// People whose job title contains these words (any case, diacritics or script).
        case jobTitle(String)
    }

    /// When a rule falls due for a person.
    public enum Due: Hashable, Sendable {
        /// This many days after the person started in the District.
        case afterStart(days: Int)
        /// By this day.
        case by(LocalDate)
    }

    /// The rule's short name, the same across its versions (`ZNR`).
    public var code: String
    public var version: Int
    public var programID: String
    public var scope: Scope
    public var due: Due
    /// A certificate without an expiry of its own counts for this many years (nil: for good).
    public var renewYears: Int?
    /// The first day this version applies.
    public var effectiveFrom: LocalDate
    /// A retired rule applies to no one from its effective day.
    public var retired: Bool

    /// Creates a rule version.
    public init(code: String, version: Int, programID: String, scope: Scope, due: Due, renewYears: Int?, effectiveFrom: LocalDate,
                retired: Bool = false) {
        self.code = code
        self.version = version
        self.programID = programID
        self.scope = scope
        self.due = due
        self.renewYears = renewYears
        self.effectiveFrom = effectiveFrom
        self.retired = retired
    }

    /// Whether the rule is for this person (their department and job title today).
    public func applies(to person: Person) -> Bool {
        applies(to: person, titleKey: person.jobTitle.map(BosnianCollation.searchKey), wordsKey: jobTitleKey)
    }

    /// `applies(to:)` with the folded job title and rule words given, for a list that checks many people against
    /// many rules: folding them once each is most of the work.
    public func applies(to person: Person, titleKey: String?, wordsKey: String?) -> Bool {
        switch scope {
        case .everyone: true
        case .department(let code): person.department == code
        case .jobTitle: titleKey.map { title in wordsKey.map(title.contains) ?? false } ?? false
        }
    }

    /// The job-title words folded as a search key (nil for other scopes).
    public var jobTitleKey: String? {
        if case .jobTitle(let words) = scope { BosnianCollation.searchKey(words) } else { nil }
    }

    /// The day the rule falls due for a person; nil when it counts from a start day the person's record lacks.
    public func dueDate(for person: Person) -> LocalDate? {
        switch due {
        case .afterStart(let days): person.employedSince?.adding(days: days)
        case .by(let day): day
        }
    }

    /// The last day a certificate counts for this rule: its own expiry, else `renewYears` after issue, else for good.
    public func validUntil(_ certificate: HeldCertificate) -> LocalDate? {
        certificate.expires ?? CertificateRules.expiry(issued: certificate.issued, validYears: renewYears)
    }

    /// Whether a certificate meets the rule on a day: issued by then, not revoked, not yet expired.
    public func isMet(by certificate: HeldCertificate, on day: LocalDate) -> Bool {
        !certificate.revoked && certificate.issued <= day && (validUntil(certificate).map { $0 >= day } ?? true)
    }
}

/// A certificate a person holds, as a requirement sees it.
public struct HeldCertificate: Hashable, Sendable {
    public var serial: String
    public var issued: LocalDate
    public var expires: LocalDate?
    public var revoked: Bool

    public init(serial: String, issued: LocalDate, expires: LocalDate?, revoked: Bool) {
        self.serial = serial
        self.issued = issued
        self.expires = expires
        self.revoked = revoked
    }
}

/// A place a person holds in a cohort of the program, as a requirement sees it.
public struct HeldPlace: Hashable, Sendable {
    public var cohortCode: String
    public var ends: LocalDate

    public init(cohortCode: String, ends: LocalDate) {
        self.cohortCode = cohortCode
        self.ends = ends
    }
}

/// Where a version of a rule stands on a day.
public enum RequirementStanding: String, Hashable, Sendable {
    case inEffect = "in_effect", superseded, pending, retired
}

/// Where a person stands against a requirement.
public enum GapState: String, CaseIterable, Hashable, Sendable {
    /// A certificate meets it on the due day (or today, once the day has passed).
    case met
    /// No certificate yet, but a place in a cohort that ends by the due day.
    case inProgress = "in_progress"
    /// Due later; nothing meets it yet.
    case missing
    /// The due day has passed and nothing meets it today.
    case overdue
    /// It counts from a start day the person's record lacks.
    case startDateUnknown = "start_date_unknown"
}

/// One person against one requirement.
public struct TrainingGap: Hashable, Sendable {
    public var requirement: TrainingRequirement
    public var person: Person
    public var state: GapState
    /// The due day (nil when the start day is unknown).
    public var due: LocalDate?
    /// For a met requirement: the certificate that meets it and its last valid day (nil: for good).
    public var certificate: String?
    public var validUntil: LocalDate?
    /// For one in progress: the cohort.
    public var cohort: String?

    public init(requirement: TrainingRequirement, person: Person, state: GapState, due: LocalDate?, certificate: String? = nil,
                validUntil: LocalDate? = nil, cohort: String? = nil) {
        self.requirement = requirement
        self.person = person
        self.state = state
        self.due = due
        self.certificate = certificate
        self.validUntil = validUntil
        self.cohort = cohort
    }
}

/// The rules of required training, each defined once.
public enum RequiredTraining {
    /// The versions in effect on a day: per rule, the newest version whose effective day has come, unless it retires
    /// the rule.
    public static func inEffect(_ versions: [TrainingRequirement], on day: LocalDate) -> [TrainingRequirement] {
        var newest: [String: TrainingRequirement] = [:]
        for version in versions where version.effectiveFrom <= day {
            if let held = newest[version.code], (held.effectiveFrom, held.version) > (version.effectiveFrom, version.version) { continue }
            newest[version.code] = version
        }
        return newest.values.filter { !$0.retired }.sorted { $0.code < $1.code }
    }

    /// Where a version stands on a day among its rule's versions: the one in effect (or the retirement in effect), one a
    /// later version replaced, or one whose day has not come.
    public static func standing(of version: TrainingRequirement, among versions: [TrainingRequirement], on day: LocalDate)
        -> RequirementStanding {
        if version.effectiveFrom > day { return .pending }
        let current = versions.filter { $0.code == version.code && $0.effectiveFrom <= day }
            .max { ($0.effectiveFrom, $0.version) < ($1.effectiveFrom, $1.version) }
        guard current?.version == version.version else { return .superseded }
        return version.retired ? .retired : .inEffect
    }

    /// Where a person stands against a requirement on `today`, from the certificates and places they hold in its program.
    ///
    /// Before the due day, a certificate must still be valid on it (one that expires earlier leaves the rule unmet) and a
    /// place counts only in a cohort that has not ended and ends by then. From the due day on, only a certificate valid
    /// today meets it.
    public static func gap(_ requirement: TrainingRequirement, person: Person, certificates: [HeldCertificate],
                           places: [HeldPlace], today: LocalDate) -> TrainingGap {
        guard let due = requirement.dueDate(for: person) else {
            return TrainingGap(requirement: requirement, person: person, state: .startDateUnknown, due: nil)
        }
        let day = max(due, today)
        // The certificate valid longest, so "valid until" shows the furthest day.
        let meeting = certificates.filter { requirement.isMet(by: $0, on: day) }.max { first, second in
            switch (requirement.validUntil(first), requirement.validUntil(second)) {
            case (.some(let a), .some(let b)): a < b
            case (.some, nil): true
            case (nil, _): false
            }
        }
        if let meeting {
            return TrainingGap(requirement: requirement, person: person, state: .met, due: due, certificate: meeting.serial,
                               validUntil: requirement.validUntil(meeting))
        }
        if today > due { return TrainingGap(requirement: requirement, person: person, state: .overdue, due: due) }
        if let place = places.filter({ $0.ends >= today && $0.ends <= due }).min(by: { $0.ends < $1.ends }) {
            return TrainingGap(requirement: requirement, person: person, state: .inProgress, due: due, cohort: place.cohortCode)
        }
        return TrainingGap(requirement: requirement, person: person, state: .missing, due: due)
    }
}

/// Why a required-training rule is refused.
public enum RequirementError: UserFacingError, Equatable {
    /// A code is 1–20 letters, digits or `-`.
    case badCode(code: String)
    case unknownRequirement(code: String)
    /// A new version must not take effect before the rule's newest one.
    case effectiveBeforeNewest(code: String, newest: LocalDate)
    case alreadyRetired(code: String)
    case daysOutOfRange(value: Int)
    case renewOutOfRange(value: Int)
    /// Job-title words must say something.
    case emptyJobTitle

    public var messageKey: String {
        switch self {
        case .badCode: "requirement.error.code"
        case .unknownRequirement: "requirement.error.unknown"
        case .effectiveBeforeNewest: "requirement.error.effective"
        case .alreadyRetired: "requirement.error.retired"
        case .daysOutOfRange: "requirement.error.days"
        case .renewOutOfRange: "requirement.error.renew"
        case .emptyJobTitle: "requirement.error.job_title"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .badCode(let code), .unknownRequirement(let code), .alreadyRetired(let code), .effectiveBeforeNewest(let code, _): ["code": code]
        case .daysOutOfRange(let value), .renewOutOfRange(let value): ["value": String(value)]
        case .emptyJobTitle: [:]
        }
    }

    public var dateArguments: [String: LocalDate] {
        if case .effectiveBeforeNewest(_, let newest) = self { return ["newest": newest] }
        return [:]
    }

    public var kind: ErrorKind {
        if case .unknownRequirement = self { return .notFound }
        return .refused
    }

    public var field: String? {
        switch self {
        case .badCode, .alreadyRetired: "code"
        case .unknownRequirement: "code"
        case .effectiveBeforeNewest: "effective_from"
        case .daysOutOfRange: "due_days"
        case .renewOutOfRange: "renew_years"
        case .emptyJobTitle: "scope_value"
        }
    }
}
