import Testing
import TrainingCore

@Suite struct BosnianCollationTests {
    @Test func searchIgnoresCaseDiacriticsAndScript() {
        let name = BosnianCollation.searchKey("Dženan  Đurić-Šabić")
        #expect(name == "dzenan djuric-sabic")
        for query in ["dzenan", "DŽENAN", "џенан", "Ђурић", "djuric", "sabic"] {
            #expect(name.contains(BosnianCollation.searchKey(query)), "\(query)")
        }
        #expect(!name.contains(BosnianCollation.searchKey("zenana")))
        // A decomposed č (c + combining caron) is the same letter.
        #expect(BosnianCollation.searchKey("C\u{30C}elik") == BosnianCollation.searchKey("Čelik"))
    }

    @Test func sortKeysFollowTheBosnianAlphabet() {
        let alphabet = ["Adžić", "Babić", "Cerić", "Čolić", "Ćosić", "Dedić", "Džeko", "Đurić", "Efendić", "Lukić", "Ljubić",
                        "Novak", "Njegoš", "Šabić", "Tadić", "Zukić", "Žilić"]
        let shuffled = alphabet.shuffled()
        #expect(shuffled.sorted { BosnianCollation.sortKey($0) < BosnianCollation.sortKey($1) } == alphabet)
        // Within a letter: digraphs are letters of their own (lj after l, nj after n) and dž after d.
        #expect(BosnianCollation.sortKey("Lukić") < BosnianCollation.sortKey("Ljubić"))
        #expect(BosnianCollation.sortKey("Dumić") < BosnianCollation.sortKey("Džaferović"))
        #expect(BosnianCollation.sortKey("Džaferović") < BosnianCollation.sortKey("Đapo"))
        // Case and script do not matter; a shorter name comes first.
        #expect(BosnianCollation.sortKey("ŠABIĆ") == BosnianCollation.sortKey("шабић"))
        #expect(BosnianCollation.sortKey("Ana") < BosnianCollation.sortKey("Ana Marija"))
        #expect(BosnianCollation.sortKey("Ana Marija") < BosnianCollation.sortKey("Anab"))
        // Foreign letters sort after the letter they look like.
        #expect(BosnianCollation.sortKey("Petrović") < BosnianCollation.sortKey("Quinn"))
        #expect(BosnianCollation.sortKey("Quinn") < BosnianCollation.sortKey("Radić"))
        #expect(BosnianCollation.sortKey("Vukić") < BosnianCollation.sortKey("Williams"))
        #expect(BosnianCollation.sortKey("Williams") < BosnianCollation.sortKey("Zukić"))
    }
}
