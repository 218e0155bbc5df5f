/// Serbian Latin ↔ Cyrillic transliteration (Vuk Karadžić's one-letter-per-sound alphabet).
///
/// The digraphs lj, nj and dž map to single Cyrillic letters; other characters pass through unchanged.
public enum SerbianTransliteration {
    private static let digraphs: [String: Character] = [
        "lj": "љ", "Lj": "Љ", "LJ": "Љ",
        "nj": "њ", "Nj": "Њ", "NJ": "Њ",
        "dž": "џ", "Dž": "Џ", "DŽ": "Џ",
    ]
    private static let single: [Character: Character] = {
        let latin = Array("abcčćdđefghijklmnoprsštuvzž")
        let cyrillic = Array("абцчћдђефгхијклмнопрсштувзж")
        var table: [Character: Character] = [:]
        for (l, c) in zip(latin, cyrillic) {
            table[l] = c
            table[Character(String(l).uppercased())] = Character(String(c).uppercased())
        }
        return table
    }()

    /// Transliterates Serbian Latin text to Serbian Cyrillic.
    public static func latinToCyrillic(_ text: String) -> String {
        // Character and String hashing is canonical, so a decomposed "ž" (z + combining caron) still matches.
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(characters.count)
        var index = 0
        while index < characters.count {
            if index + 1 < characters.count,
               let letter = digraphs[String(characters[index]) + String(characters[index + 1])] {
                output.append(letter)
                index += 2
                continue
            }
            output.append(single[characters[index]] ?? characters[index])
            index += 1
        }
        return output
    }

    /// Transliterates Serbian Cyrillic text to Serbian Latin.
    public static func cyrillicToLatin(_ text: String) -> String {
        text.map { reverse[$0] ?? String($0) }.joined()
    }

    private static let reverse: [Character: String] = {
        var table: [Character: String] = [:]
        for (latin, cyrillic) in single { table[cyrillic] = String(latin) }
        for (cyrillic, latin) in [("љ", "lj"), ("Љ", "Lj"), ("њ", "nj"), ("Њ", "Nj"), ("џ", "dž"), ("Џ", "Dž")] as [(Character, String)] {
            table[cyrillic] = latin
        }
        return table
    }()
}
