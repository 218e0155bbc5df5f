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
