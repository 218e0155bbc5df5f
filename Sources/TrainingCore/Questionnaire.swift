/// An evaluation questionnaire, declared in XML beside the curriculum (`urn:obuka:curriculum:3`): items on a 1–5
/// scale, single choice among options, and free text, each with its text in the program's languages. Versioned like a
/// program: a changed questionnaire is a new version, and an answer keeps the version it answered.
public struct Questionnaire: Hashable, Codable, Sendable {
    /// One question.
    public struct Item: Hashable, Codable, Sendable {
        /// What kind of answer it takes.
        public enum Kind: Hashable, Codable, Sendable {
            /// A whole number from 1 to 5; the texts of the two ends (e.g. "not at all", "fully"), if given.
            case scale(low: LocalizedText?, high: LocalizedText?)
            /// One of the options, by id.
            case choice(options: [Option])
            /// Free text (shown to the coordinator only, under the same threshold as the rest).
            case text
        }

        /// An option of a single-choice item.
        public struct Option: Hashable, Codable, Sendable {
            public var id: String
            public var text: LocalizedText

            public init(id: String, text: LocalizedText) {
                self.id = id
                self.text = text
            }
        }

        /// Unique within the questionnaire, e.g. `Q1`.
        public var id: String
        public var text: LocalizedText
        public var kind: Kind
        /// Whether an answer must give it (free text is optional unless the file says otherwise).
        public var required: Bool

        public init(id: String, text: LocalizedText, kind: Kind, required: Bool) {
            self.id = id
            self.text = text
            self.kind = kind
            self.required = required
        }

        /// Every text of the item: its question, the ends of its scale, its options.
        public var texts: [LocalizedText] {
            switch kind {
            case .scale(let low, let high): [text] + [low, high].compactMap { $0 }
            case .choice(let options): [text] + options.map(\.text)
            case .text: [text]
            }
        }
    }

    /// e.g. `reakcija-osnovna`.
    public var id: String
    public var version: Int
    public var title: LocalizedText
    public var items: [Item]

    public init(id: String, version: Int, title: LocalizedText, items: [Item]) {
        self.id = id
        self.version = version
        self.title = title
        self.items = items
    }

    /// The languages every text of the questionnaire is given in.
    public var completeLanguages: Set<Language> {
        ([title] + items.flatMap(\.texts)).reduce(Set(Language.allCases)) { $0.intersection($1.values.keys) }
    }

    /// Languages a program's title is given in that some text of the questionnaire lacks: a trainee reading the
    /// program in one of them would meet a question they cannot read.
    public func missingLanguages(for program: Program) -> [Language] {
        let complete = completeLanguages
        return Language.allCases.filter { program.title.values[$0] != nil && !complete.contains($0) }
    }
}

/// Where a program names its questionnaires: the program's own, and a module's where it differs.
public struct QuestionnaireChoice: Hashable, Codable, Sendable {
    public var program: String?
    public var modules: [String: String]

    public init(program: String?, modules: [String: String]) {
        self.program = program
        self.modules = modules
    }

    /// The questionnaire a module's trainees answer: the module's, else the program's, else `districtDefault`.
    public func questionnaire(forModule module: String, districtDefault: String) -> String {
        modules[module] ?? program ?? districtDefault
    }

    /// Every questionnaire named.
    public var named: Set<String> { Set(modules.values).union(program.map { [$0] } ?? []) }
}

/// A questionnaire file read and validated, with the lines of its root (key "") and items (their ids) for messages.
public struct QuestionnaireFile: Sendable {
    public var questionnaire: Questionnaire
    /// The file's text, fingerprinted by the store as a program's is.
    public var source: String
    public var file: String
    public var lines: [String: Int]

    public init(questionnaire: Questionnaire, source: String, file: String, lines: [String: Int]) {
        self.questionnaire = questionnaire
        self.source = source
        self.file = file
        self.lines = lines
    }

    /// The line of the first text lacking `language` (an item's, else the root's).
    public func line(lacking language: Language) -> Int {
        let item = questionnaire.items.first { item in item.texts.contains { $0.values[language] == nil } }
        return item.flatMap { lines[$0.id] } ?? lines[""] ?? 1
    }
}

/// A curriculum file: a program, or (schema version 3) a questionnaire.
public enum CurriculumDocument: Sendable {
    case program(ProgramFile)
    case questionnaire(QuestionnaireFile)
}

/// Which questionnaire a program's trainees answer.
public enum QuestionnaireRules {
    /// The District's default questionnaire after a module (`Curriculum/upitnik-reakcija-modul.xml`).
    public static let districtDefault = "reakcija-modul"

    /// Whether some module of `program` is evaluated with questionnaire `id`: one it or a module names, or the
    /// District default for a module that names none under a program that names none.
    public static func names(_ program: Program, _ id: String) -> Bool {
        let choice = program.questionnaires ?? QuestionnaireChoice(program: nil, modules: [:])
        return program.modules.contains { choice.questionnaire(forModule: $0.id, districtDefault: districtDefault) == id }
    }
}
