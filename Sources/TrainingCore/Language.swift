/// A language (and script) obuka speaks or stores text in.
///
/// obuka serves all five: the interface's messages are written in `bs`, `sr-Cyrl` and `en` (the catalogs); in
/// `sr-Latn` they are the Serbian Cyrillic catalog transliterated, in `hr` the Bosnian one. Curriculum texts, which
/// files hold in all five, are shown in the language asked for.
public enum Language: String, CaseIterable, Codable, Sendable {
    case bosnian = "bs"
    case croatian = "hr"
    case serbianLatin = "sr-Latn"
    case serbianCyrillic = "sr-Cyrl"
    case english = "en"

    /// The languages the user interface, reports and certificates are served in; the first is the default.
    public static let interfaceLanguages: [Language] = [.bosnian, .croatian, .serbianLatin, .serbianCyrillic, .english]

    /// The languages with a message catalog of their own.
    public static let catalogLanguages: [Language] = [.bosnian, .serbianCyrillic, .english]

    /// The catalog the interface's messages come from, and whether they are transliterated to Latin from it.
    public var catalog: (language: Language, transliterated: Bool) {
        switch self {
        case .croatian: (.bosnian, false)
        case .serbianLatin: (.serbianCyrillic, true)
        default: (self, false)
        }
    }

    /// The tag Pango lays text out by. Serbian Cyrillic is `sr`, Croatian `hr`; the others keep `bs`, as every document
    /// had before, so existing documents (and certificate reprints) are laid out exactly as they were.
    public var pangoTag: String {
        switch self {
        case .serbianCyrillic: "sr"
        case .croatian: "hr"
        case .bosnian, .serbianLatin, .english: "bs"
        }
    }

    /// Whether the language is written in Latin script.
    public var isLatin: Bool { self != .serbianCyrillic }

    /// The language used when none is asked for.
    public static let `default` = Language.bosnian

    /// Parses a language tag leniently (`sr-cyrl`, `sr_Cyrl`, `SR-CYRL` all mean Serbian Cyrillic).
    public init?(tag: String) {
        if let exact = Language(rawValue: tag) {
            self = exact
            return
        }
        let normalized = String(tag.map { $0 == "_" ? "-" : $0 }).lowercased()
        guard let match = Language.allCases.first(where: { $0.rawValue.lowercased() == normalized }) else { return nil }
        self = match
    }

    /// Languages to try, in order, when text in `self` is missing.
    ///
    /// Serbian Cyrillic falls back to Serbian Latin (transliterated by the caller if wanted), then Bosnian.
    public var fallbackChain: [Language] {
        switch self {
        case .bosnian: [.bosnian, .croatian, .serbianLatin]
        case .croatian: [.croatian, .bosnian, .serbianLatin]
        case .serbianLatin: [.serbianLatin, .bosnian, .croatian]
        case .serbianCyrillic: [.serbianCyrillic, .serbianLatin, .bosnian]
        case .english: [.english, .bosnian]
        }
    }
}

/// Text held in several languages, such as a module title.
public struct LocalizedText: Hashable, Codable, Sendable {
    /// The text per language; at least one entry.
    public var values: [Language: String]

    /// Creates localised text from a dictionary.
    public init(_ values: [Language: String]) { self.values = values }

    /// The text in `language`, else along its fallback chain, else any text held.
    ///
    /// Serbian Cyrillic missing but Serbian Latin or Bosnian present is transliterated rather than shown in Latin.
    public func text(in language: Language) -> String {
        for candidate in language.fallbackChain {
            if let value = values[candidate] {
                if language == .serbianCyrillic && candidate != .serbianCyrillic {
                    return SerbianTransliteration.latinToCyrillic(value)
                }
                return value
            }
        }
        return values[.bosnian] ?? values.sorted { $0.key.rawValue < $1.key.rawValue }.first?.value ?? ""
    }
}

/// Lets `[Language: String]` encode as a JSON object keyed by language tag.
extension Language: CodingKeyRepresentable {}
