/// A civil servant who can take part in training.
public struct Person: Hashable, Codable, Sendable {
    /// Row id.
    public var id: PersonID
    /// The personal number (unique; `PERSON` on the command line).
    public var personalNumber: String
    /// Given name.
    public var givenName: String
    /// Family name.
    public var familyName: String
    /// Sex, where known (wording and sex-disaggregated reports depend on it).
    public var sex: Sex?
    /// E-mail address.
    public var email: String
    /// Current department.
    public var department: DepartmentCode
    /// Job title, if known.
    public var jobTitle: String?
    /// The language they read obuka in, if they chose one (their pages and certificates default to it).
    public var preferredLanguage: Language?
    /// The day they started in the District's service, if known (training required within days of starting is due from it).
    public var employedSince: LocalDate?

    /// Creates a person.
    public init(id: PersonID, personalNumber: String, givenName: String, familyName: String, sex: Sex?, email: String,
                department: DepartmentCode, jobTitle: String?, preferredLanguage: Language? = nil, employedSince: LocalDate? = nil) {
        self.id = id
        self.personalNumber = personalNumber
        self.givenName = givenName
        self.familyName = familyName
        self.sex = sex
        self.email = email
        self.department = department
        self.jobTitle = jobTitle
        self.preferredLanguage = preferredLanguage
        self.employedSince = employedSince
    }

    /// "Given Family".
    public var fullName: String { "\(givenName) \(familyName)" }
}

/// Sex as recorded for grammatical gender and sex-disaggregated reporting.
public enum Sex: String, Hashable, Codable, Sendable, CaseIterable {
    case female
    case male

    /// Reads what spreadsheets commonly hold: `F`, `Ž`, `ženski`, `M`, `muški`, `female`, `male` (any case).
    public init?(spreadsheetValue: String) {
        switch spreadsheetValue.trimmingWhitespace.lowercased() {
        case "f", "ž", "z", "ženski", "zenski", "žensko", "female", "w", "ж", "женски": self = .female
        case "m", "muški", "muski", "muško", "male", "м", "мушки": self = .male
        default: return nil
        }
    }
}

/// The fields of a person before they are stored (from an import row or a form).
public struct PersonDraft: Hashable, Sendable {
    /// The personal number.
    public var personalNumber: String
    /// Given name.
    public var givenName: String
    /// Family name.
    public var familyName: String
    /// Sex, where known.
    public var sex: Sex?
    /// E-mail address.
    public var email: String
    /// Department code.
    public var department: DepartmentCode
    /// Job title.
    public var jobTitle: String?
    /// The day they started in the District's service, if known.
    public var employedSince: LocalDate?

    /// Creates a draft.
    public init(personalNumber: String, givenName: String, familyName: String, sex: Sex?, email: String,
                department: DepartmentCode, jobTitle: String?, employedSince: LocalDate? = nil) {
        self.personalNumber = personalNumber
        self.givenName = givenName
        self.familyName = familyName
        self.sex = sex
        self.email = email
        self.department = department
        self.jobTitle = jobTitle
        self.employedSince = employedSince
    }

    /// Field names whose values differ from a stored person.
    public func changedFields(from person: Person) -> [String] {
        var changed: [String] = []
        if givenName != person.givenName { changed.append("given_name") }
        if familyName != person.familyName { changed.append("family_name") }
        if sex != person.sex { changed.append("sex") }
        if email != person.email { changed.append("email") }
        if department != person.department { changed.append("department") }
        if jobTitle != person.jobTitle { changed.append("job_title") }
        if employedSince != person.employedSince { changed.append("employed_since") }
        return changed
    }
}

/// A problem with one field of a person's data (an import row or a form).
public struct FieldProblem: Hashable, Sendable {
    /// The field, by its column name (e.g. `email`); nil for the whole row.
    public var field: String?
    /// Catalog key of the message.
    public var messageKey: String
    /// Values for the message.
    public var arguments: [String: String]

    /// Creates a field problem.
    public init(field: String?, messageKey: String, arguments: [String: String] = [:]) {
        self.field = field
        self.messageKey = messageKey
        self.arguments = arguments
    }
}

/// Checks a person's fields: the one rule set for the importer, the CLI and the web forms.
public enum PersonValidation {
    /// ASCII letters, digits and "-": checked on bytes, as every row of an import is.
    private static func isPersonalNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"): true
        default: false
        }
    }

    /// Builds a draft from raw text fields, or lists every problem found.
    public static func draft(
        personalNumber: String, givenName: String, familyName: String, sex: String?, email: String,
        department: String, jobTitle: String?, employedSince: String? = nil, knownDepartments: Set<DepartmentCode>
    ) -> Result<PersonDraft, ProblemList> {
        var problems: [FieldProblem] = []
        let number = personalNumber.trimmingWhitespace
        if number.isEmpty {
            problems.append(FieldProblem(field: "personal_number", messageKey: "people.error.required"))
        } else if number.utf8.count > 20 || !number.utf8.allSatisfy(Self.isPersonalNumberByte) {
            problems.append(FieldProblem(field: "personal_number", messageKey: "people.error.personal_number", arguments: ["value": number]))
        }
        let given = givenName.trimmingWhitespace, family = familyName.trimmingWhitespace
        if given.isEmpty { problems.append(FieldProblem(field: "given_name", messageKey: "people.error.required")) }
        if family.isEmpty { problems.append(FieldProblem(field: "family_name", messageKey: "people.error.required")) }
        // Counting characters walks grapheme clusters; a name of at most 100 bytes cannot have more characters.
        for (field, value) in [("given_name", given), ("family_name", family)] where value.utf8.count > 100 && value.count > 100 {
            problems.append(FieldProblem(field: field, messageKey: "people.error.too_long", arguments: ["max": "100"]))
        }
        // Names name someone: no control character at all. A job title is text (a spreadsheet cell may break its line).
        for (field, value) in [("given_name", given), ("family_name", family)] where TextInput.hasControlCharacter(value) {
            problems.append(FieldProblem(field: field, messageKey: "text.error.control"))
        }
        if let jobTitle, TextInput.hasControlCharacter(jobTitle, allowingLineBreaks: true) {
            problems.append(FieldProblem(field: "job_title", messageKey: "text.error.control"))
        }
        var parsedSex: Sex?
        if let sex, !sex.trimmingWhitespace.isEmpty {
            parsedSex = Sex(spreadsheetValue: sex)
            if parsedSex == nil { problems.append(FieldProblem(field: "sex", messageKey: "people.error.sex", arguments: ["value": sex])) }
        }
        // An address may be missing (not every official has one): such a person gets no messages and is listed to
        // coordinators instead (`UnreachablePerson`).
        let mail = email.trimmingWhitespace
        if !mail.isEmpty && !isPlausibleEmail(mail) {
            problems.append(FieldProblem(field: "email", messageKey: "people.error.email", arguments: ["value": mail]))
        }
        let code = DepartmentCode(department.trimmingWhitespace.uppercased())
        if code.rawValue.isEmpty {
            problems.append(FieldProblem(field: "department", messageKey: "people.error.required"))
        } else if !knownDepartments.contains(code) {
            problems.append(FieldProblem(field: "department", messageKey: "people.error.department", arguments: ["value": code.rawValue]))
        }
        let title = jobTitle?.trimmingWhitespace
        var started: LocalDate?
        if let employedSince, !employedSince.trimmingWhitespace.isEmpty {
            started = LocalDate(typed: employedSince)
            if started == nil {
                problems.append(FieldProblem(field: "employed_since", messageKey: "people.error.employed_since", arguments: ["value": employedSince]))
            }
        }
        guard problems.isEmpty else { return .failure(ProblemList(problems)) }
        return .success(PersonDraft(
            personalNumber: number, givenName: given, familyName: family, sex: parsedSex, email: mail.lowercased(),
            department: code, jobTitle: title?.isEmpty == false ? title : nil, employedSince: started))
    }

    /// One `@`, a non-empty local part, a dotted domain, no spaces: enough to catch typing slips.
    static func isPlausibleEmail(_ value: String) -> Bool {
        // Byte-level: an import checks thousands of addresses.
        let bytes = Array(value.utf8)
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0,
              bytes.lastIndex(of: UInt8(ascii: "@")) == at,
              !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return false }
        let domain = bytes[(at + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }
}

/// A list of field problems (an `Error`, so it can travel in a `Result`).
public struct ProblemList: Error, Hashable, Sendable {
    /// The problems.
    public var problems: [FieldProblem]
    /// Wraps problems.
    public init(_ problems: [FieldProblem]) { self.problems = problems }
}

/// What a people import changed (or, in a dry run, would change).
public struct PeopleImportSummary: Sendable, Equatable {
    /// Personal numbers of people added.
    /// Nothing changed yet.
    public init() {}

    public var added: [String] = []
    /// People updated, with the fields that changed.
    public var updated: [(personalNumber: String, fields: [String])] = []
    /// How many rows matched a stored person exactly.
    public var unchanged = 0

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.added == rhs.added && lhs.unchanged == rhs.unchanged
            && lhs.updated.map { "\($0.personalNumber):\($0.fields)" } == rhs.updated.map { "\($0.personalNumber):\($0.fields)" }
    }

    /// Creates a value from its fields.
    public init(added: [String] = [], updated: [(personalNumber: String, fields: [String])] = []) {
        self.added = added
        self.updated = updated
    }
}

/// Why a change to people was refused.
public enum PeopleError: UserFacingError, Equatable {
    case unknownPerson(personalNumber: String)
    case unknownDepartment(code: String)
    case alreadyInDepartment(personalNumber: String, department: String)
    case alreadyExists(personalNumber: String)

    public var messageKey: String {
        switch self {
        case .unknownPerson: "people.error.unknown_person"
        case .unknownDepartment: "people.error.department"
        case .alreadyInDepartment: "people.error.already_in_department"
        case .alreadyExists: "web.people.exists"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .unknownPerson(let number), .alreadyExists(let number): ["personal_number": number]
        case .unknownDepartment(let code): ["value": code]
        case .alreadyInDepartment(let number, let department): ["personal_number": number, "department": department]
        }
    }
}
