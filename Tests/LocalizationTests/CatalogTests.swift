import Localization
import Testing
import TrainingCore

@Suite struct CatalogTests {
    @Test func everyKeyExistsInEveryLanguage() {
        let catalogs = MessageCatalog.shared.catalogs
        #expect(catalogs.count == Language.catalogLanguages.count)
        #expect(catalogs.values.allSatisfy { $0.count > 20 }, "a catalog failed to load")
        let problems = CatalogCheck.problems(in: catalogs)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func serbianLatinIsTheCyrillicCatalogInLatinAndCroatianIsTheBosnianOne() {
        let cyrillic = MessageCatalog.shared.messages(for: .serbianCyrillic)
        let latin = MessageCatalog.shared.messages(for: .serbianLatin)
        #expect(latin.count == cyrillic.count && latin.count > 20)
        let cyrillicLetters = latin.values.filter { $0.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } }
        #expect(cyrillicLetters.isEmpty, "\(cyrillicLetters.prefix(3))")
        #expect(Localizer(.serbianLatin)("init.created", ["path": "/tmp/x"]) == "Napravljena je nova baza podataka: /tmp/x")
        #expect(Localizer(.serbianLatin)("language.autonym.sr-Latn") == "Srpski (latinica)")
        #expect(MessageCatalog.shared.messages(for: .croatian) == MessageCatalog.shared.messages(for: .bosnian))
        #expect(Localizer(.croatian).language == .croatian)
        #expect(Localizer(.croatian).date(year: 2026, month: 11, day: 25) == "25. 11. 2026.")
        #expect(Localizer(.serbianLatin).date(year: 2026, month: 11, day: 25) == "25. 11. 2026.")
    }

    /// The Cyrillic catalog was made by transliterating, which also turned codes into Cyrillic (`wеигхт="0"`,
    /// `аппрове`, a file name, `QР` with a Cyrillic Р). A word is in one script; a Latin word is one the Bosnian text
    /// has too (a command, a value to type, a file, a code), written the same (a Cyrillic ending may follow it).
    @Test func theCyrillicCatalogWritesWordsInOneScriptAndCodesAsTheBosnianOneDoes() {
        let cyrillic = MessageCatalog.shared.messages(for: .serbianCyrillic)
        let bosnian = MessageCatalog.shared.messages(for: .bosnian)
        let isCyrillic = { (scalar: Unicode.Scalar) in (0x0400...0x04FF).contains(scalar.value) }
        let isLatin = { (scalar: Unicode.Scalar) in scalar.properties.isAlphabetic && !isCyrillic(scalar) }
        var mixed: [String] = [], unknownLatin: [String] = []
        for (key, text) in cyrillic {
            let bosnianWords = Set((bosnian[key] ?? "").split { !$0.isLetter && !$0.isNumber }.map(String.init))
            // Words are split at everything but letters and digits: `Excel-а` (a Latin name, a Serbian ending) is two.
            for word in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init) {
                let scalars = word.unicodeScalars
                if scalars.contains(where: isCyrillic) && scalars.contains(where: isLatin) { mixed.append("\(key): \(word)") }
                // A Latin name takes a Cyrillic ending (`Excel-а`) where Bosnian declines it (`Excela`).
                if !scalars.contains(where: isCyrillic), scalars.contains(where: isLatin), !bosnianWords.contains(where: { $0.hasPrefix(word) }) {
                    unknownLatin.append("\(key): \(word)")
                }
            }
        }
        #expect(mixed.isEmpty, "\(mixed.sorted())")
        #expect(unknownLatin.isEmpty, "\(unknownLatin.sorted())")
    }

    @Test func aKeyMissingInOneLanguageIsReported() {
        var catalogs = MessageCatalog.shared.catalogs
        catalogs[.english]?.removeValue(forKey: "init.created")
        let problems = CatalogCheck.problems(in: catalogs)
        #expect(problems == [CatalogCheck.Problem(language: .english, key: "init.created", reason: "missing")])
    }

    @Test func aPlaceholderMissingInOneLanguageIsReported() {
        var catalogs = MessageCatalog.shared.catalogs
        catalogs[.serbianCyrillic]?["init.created"] = "Направљена је нова база података"
        let problems = CatalogCheck.problems(in: catalogs)
        #expect(problems.map(\.key) == ["init.created"])
        #expect(problems.first?.language == .serbianCyrillic)
    }

    @Test func placeholdersAreSubstituted() {
        let t = Localizer(.serbianCyrillic)
        #expect(t("init.created", ["path": "/tmp/x"]) == "Направљена је нова база података: /tmp/x")
    }

    @Test func datesAreWrittenTheBosnianWay() {
        #expect(Localizer(.bosnian).date(year: 2026, month: 11, day: 25) == "25. 11. 2026.")
        #expect(Localizer(.english).date(year: 2026, month: 11, day: 25) == "25 November 2026")
    }

    @Test func slavicPluralCategories() {
        let categories = [1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111].map { PluralCategory(count: $0, language: .bosnian) }
        #expect(categories == [.one, .few, .few, .other, .other, .other, .one, .few, .other, .one, .other])
        #expect(PluralCategory(count: 2, language: .english) == .other)
    }
}
