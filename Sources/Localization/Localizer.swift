import Foundation
import TrainingCore

/// Looks up user-facing text in the bundled message catalogs (`bs.json`, `sr-Cyrl.json`, `en.json`); Croatian
/// is served from the Bosnian catalog, Serbian Latin from the Serbian Cyrillic one transliterated.
///
/// Messages use named placeholders such as `{file}`; plural messages have `.one`, `.few` and `.other` keys.
public struct Localizer: Sendable {
    /// The language messages are rendered in.
    public let language: Language
    private let messages: [String: String]
    private let fallback: [String: String]

    /// A localizer for a language; its messages come from the catalog `Language.catalog` names.
    public init(_ language: Language) {
        self.language = language
        self.messages = MessageCatalog.shared.messages(for: language)
        self.fallback = MessageCatalog.shared.messages(for: .default)
    }

    /// Text kept in Latin script — a person's, a cohort's or a venue's name — as this language writes it: Serbian
    /// Cyrillic transliterates, so a Cyrillic page or document is in one script; the others show it as typed.
    public func script(_ text: String) -> String {
        language == .serbianCyrillic ? SerbianTransliteration.latinToCyrillic(text) : text
    }

    /// A person's name as lists show it, family name first (`Hadžić Amra`), in this language's script.
    public func listName(_ person: Person) -> String { script("\(person.familyName) \(person.givenName)") }

    /// A person's name as a sentence shows it (`Amra Hadžić`), in this language's script.
    public func name(_ person: Person) -> String { script(person.fullName) }

    /// The message for `key` with `{name}` placeholders replaced; the key itself if no catalog has it.
    public func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
        let template = messages[key] ?? fallback[key] ?? key
        return Self.substitute(template, arguments)
    }

    /// The message for `key` if a catalog has it (a label that exists for some names only).
    public func ifPresent(_ key: String, _ arguments: [String: String] = [:]) -> String? {
        (messages[key] ?? fallback[key]).map { Self.substitute($0, arguments) }
    }

    /// The message for a user-facing error.
    public func message(for error: any UserFacingError) -> String {
        var arguments = error.messageArguments
        for (name, value) in error.dateArguments { arguments[name] = date(value) }
        for (name, key) in error.wordArguments { arguments[name] = self(key) }
        return self(error.messageKey, arguments)
    }

    /// A count with the plural form the language needs, e.g. "1 modul", "3 modula", "5 modula".
    ///
    /// The count is available to the template as `{count}`.
    public func plural(_ key: String, count: Int, _ arguments: [String: String] = [:]) -> String {
        var arguments = arguments
        arguments["count"] = String(count)
        return self("\(key).\(PluralCategory(count: count, language: language).rawValue)", arguments)
    }

    /// The day of a stored ISO 8601 timestamp (`2026-11-25T…`), written as `date` writes it.
    public func day(ofTimestamp timestamp: String) -> String {
        LocalDate(iso: String(timestamp.prefix(10))).map(date) ?? String(timestamp.prefix(10))
    }

    /// A calendar date as written in the language: `25. 11. 2026.` in Bosnian and Serbian.
    public func date(_ date: LocalDate) -> String { self.date(year: date.year, month: date.month, day: date.day) }

    /// A day and time as written in the language: `10. 2. 2027. 09:00`.
    public func dateTime(_ value: LocalDateTime) -> String {
        date(value.date) + " " + value.timeOfDay
    }

    /// A calendar date as written in the language: `25. 11. 2026.` in Bosnian and Serbian.
    public func date(year: Int, month: Int, day: Int) -> String {
        let monthName = (1...12).contains(month) ? self("date.month.\(month)") : String(month)
        return self("date.format", ["day": String(day), "month": String(month), "month_name": monthName, "year": String(year)])
    }

    static func substitute(_ template: String, _ arguments: [String: String]) -> String {
        guard template.contains("{"), !arguments.isEmpty else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = arguments[name] {
                result += value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }
}

/// CLDR plural categories used by the catalogs.
public enum PluralCategory: String, Sendable {
    case one, few, other

    /// The category of `count` in `language` (Bosnian/Serbian/Croatian: 1, 21 → one; 2–4, 22–24 → few).
    public init(count: Int, language: Language) {
        let n = abs(count)
        switch language {
        case .english:
            self = n == 1 ? .one : .other
        case .bosnian, .croatian, .serbianLatin, .serbianCyrillic:
            let lastDigit = n % 10, lastTwo = n % 100
            if lastDigit == 1 && lastTwo != 11 {
                self = .one
            } else if (2...4).contains(lastDigit) && !(12...14).contains(lastTwo) {
                self = .few
            } else {
                self = .other
            }
        }
    }
}
