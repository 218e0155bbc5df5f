import Foundation
import Synchronization
import TrainingCore

/// The bundled message catalogs, each loaded once, when first asked for: a command in one language
/// does not pay for decoding the others at start-up.
public final class MessageCatalog: Sendable {
    /// The catalogs shipped with obuka.
    public static let shared = MessageCatalog()

    private let loaded = Mutex<[Language: [String: String]]>([:])

    private init() {}

    /// The messages of every catalog (the languages with a file of their own).
    public var catalogs: [Language: [String: String]] {
        Dictionary(uniqueKeysWithValues: Language.catalogLanguages.map { ($0, messages(for: $0)) })
    }

    /// The messages of one language: its own catalog, or the one it is served from (`Language.catalog`),
    /// transliterated to Latin for Serbian Latin.
    public func messages(for language: Language) -> [String: String] {
        if let messages = loaded.withLock({ $0[language] }) { return messages }
        let (catalog, transliterated) = language.catalog
        let messages = catalog == language ? Self.load(language)
            : messages(for: catalog).mapValues { transliterated ? Self.latin($0) : $0 }
        loaded.withLock { $0[language] = messages }
        return messages
    }

    /// A Cyrillic message in Latin script; its `{placeholders}` are names and stay as they are (they are ASCII,
    /// which transliteration keeps).
    private static func latin(_ message: String) -> String { SerbianTransliteration.cyrillicToLatin(message) }

    private static func load(_ language: Language) -> [String: String] {
        // JSONSerialization: a command decodes its catalog at start, in 60 % of JSONDecoder's time.
        guard Language.catalogLanguages.contains(language),
              let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let messages = (try? JSONSerialization.jsonObject(with: data)) as? [String: String]
        else {
            // A broken bundle is a build defect; the catalog test fails loudly on it.
            return [:]
        }
        return messages
    }
}

/// Finds catalog defects: keys missing in a language and placeholders that differ between languages.
public enum CatalogCheck {
    /// One defect found in a set of catalogs.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// The language whose catalog has the defect.
        public var language: Language
        /// The message key.
        public var key: String
        /// What is wrong.
        public var reason: String
        /// Creates a problem report.
        public init(language: Language, key: String, reason: String) {
            self.language = language
            self.key = key
            self.reason = reason
        }
        public var description: String { "\(language.rawValue): \(key): \(reason)" }
    }

    /// Every key present in some catalog but missing from another, every empty message, and every message
    /// that drops a placeholder of the Bosnian one.
    public static func problems(in catalogs: [Language: [String: String]]) -> [Problem] {
        let allKeys = Set(catalogs.values.flatMap(\.keys))
        var problems: [Problem] = []
        for language in catalogs.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            let messages = catalogs[language] ?? [:]
            for key in allKeys.sorted() {
                guard let message = messages[key] else {
                    problems.append(Problem(language: language, key: key, reason: "missing"))
                    continue
                }
                if message.trimmingWhitespace.isEmpty {
                    problems.append(Problem(language: language, key: key, reason: "empty"))
                }
                // A format pattern (e.g. `date.format`) picks its own parts; any other message must show
                // every value the Bosnian one shows.
                // A plural's `.one` form may say "one" instead of showing {count}.
                var required = catalogs[.default]?[key].map(placeholders) ?? []
                if key.hasSuffix(".one") { required.remove("count") }
                if !key.hasSuffix(".format"), !required.isSubset(of: placeholders(message)) {
                    problems.append(Problem(language: language, key: key, reason: "placeholders differ from bs"))
                }
            }
        }
        return problems
    }

    /// The `{name}` placeholders of a message.
    public static func placeholders(_ message: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
