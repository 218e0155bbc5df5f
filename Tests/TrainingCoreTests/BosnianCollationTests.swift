import Testing
@testable import TrainingCore

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

    /// Latin text takes a table a scalar at a time: its keys are those the character rules give, for every scalar
    /// below U+0300 and for random names mixing ASCII, letters with diacritics, digraphs, whitespace runs, line ends
    /// and foreign letters (and text with combining marks or Cyrillic, which the rules take themselves).
    @Test func theScalarTablesGiveTheKeysTheCharacterRulesGive() {
        for value in 0..<0x300 {
            let text = "Ab" + String(Character(Unicode.Scalar(UInt32(value))!)) + "dž Lj"
            #expect(BosnianCollation.searchKey(text) == BosnianCollation.characterSearchKey(text), "U+\(String(value, radix: 16))")
            #expect(BosnianCollation.sortKey(text) == BosnianCollation.characterSortKey(text), "U+\(String(value, radix: 16))")
        }
        let pieces = ["a", "Ž", "dž", "DŽ", "Dž", "lj", "LJ", "nj", "Nj", "đ", "Đ", "č", "Ć", "š", " ", "  ", "\t", "\r\n", "\u{A0}",
                      "q", "W", "x", "y", "ß", "æ", "Ø", "ł", "İ", "ı", "-", "@", ".", "1", "0", "é", "ñ", "\u{30C}", "Ш", "џ"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(BosnianCollation.searchKey(text) == BosnianCollation.characterSearchKey(text), "\(text.debugDescription)")
            #expect(BosnianCollation.sortKey(text) == BosnianCollation.characterSortKey(text), "\(text.debugDescription)")
        }
    }
}
