import Testing
import TrainingCore

@Suite struct SerbianTransliterationTests {
    @Test func digraphsBecomeSingleLetters() {
        #expect(SerbianTransliteration.latinToCyrillic("Ljiljana Njegoš, Džana") == "Љиљана Његош, Џана")
        #expect(SerbianTransliteration.latinToCyrillic("LJUBAV NJIVA DŽEP") == "ЉУБАВ ЊИВА ЏЕП")
    }

    @Test func diacriticsAndAbbreviations() {
        #expect(SerbianTransliteration.latinToCyrillic("Usluge dijaspori") == "Услуге дијаспори")
        #expect(SerbianTransliteration.latinToCyrillic("Đukić, Čačak, šećer, BiH, D4D") == "Ђукић, Чачак, шећер, БиХ, Д4Д")
    }

    @Test func decomposedDiacriticsAreRecognised() {
        let decomposed = "d\u{007A}\u{030C}" // d + z + combining caron = dž
        #expect(SerbianTransliteration.latinToCyrillic(decomposed) == "џ")
    }

    @Test func cyrillicRoundTripsToLatin() {
        let latin = "Odjeljenje za evropske integracije i međunarodnu saradnju"
        #expect(SerbianTransliteration.cyrillicToLatin(SerbianTransliteration.latinToCyrillic(latin)) == latin)
    }

    @Test func localizedTextTransliteratesMissingCyrillic() {
        let text = LocalizedText([.bosnian: "Usluge dijaspori"])
        #expect(text.text(in: .serbianCyrillic) == "Услуге дијаспори")
        #expect(text.text(in: .english) == "Usluge dijaspori")
    }
}

@Suite struct ActorTests {
    @Test func optionWinsOverEnvironmentWhichWinsOverOSUser() {
        #expect(Actor.resolve(option: "amra", environment: "env-user", osUser: "root").rawValue == "amra")
        #expect(Actor.resolve(option: nil, environment: "env-user", osUser: "root").rawValue == "env-user")
        #expect(Actor.resolve(option: "  ", environment: nil, osUser: "root").rawValue == "cli:root")
    }
}

@Suite struct LanguageTests {
    @Test func tagsParseLeniently() {
        #expect(Language(tag: "sr_cyrl") == .serbianCyrillic)
        #expect(Language(tag: "BS") == .bosnian)
        #expect(Language(tag: "de") == nil)
    }
}
