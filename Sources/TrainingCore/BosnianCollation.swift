/// Names and codes as people look for them and order them in the District: a search key that ignores case, diacritics
/// and script (`dzenan` and `џенан` both find Dženan), and a sort key whose plain byte order is the Bosnian alphabet's
/// (a b c č ć d dž đ e … s š t u v z ž). Both are stored beside the text they come from, so the database compares them
/// with its own binary collation: no custom collation that `sqlite3` and `integrity_check` would not know.
public enum BosnianCollation {
    /// The Bosnian Latin alphabet in its order; digraphs are single letters.
    static let alphabet = ["a", "b", "c", "č", "ć", "d", "dž", "đ", "e", "f", "g", "h", "i", "j", "k", "l", "lj", "m", "n",
                           "nj", "o", "p", "r", "s", "š", "t", "u", "v", "z", "ž"]

    /// Each letter's position as one byte-ordered character: `A` for a … for ž, after digits and the space.
    private static let ranks: [String: Character] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map {
        ($0.element, Character(Unicode.Scalar(UInt8(0x41 + $0.offset))))
    })

    /// Letters outside the alphabet (q, w, x, y in foreign names) rank after the letter they look like.
    private static let foreign: [Character: String] = ["q": "p\u{7F}", "w": "v\u{7F}", "x": "v\u{7F}\u{7F}", "y": "v\u{7F}\u{7F}\u{7F}"]

    /// The text in Latin script, lower-cased (Serbian Cyrillic transliterated).
    private static func latinLowercased(_ text: String) -> String {
        SerbianTransliteration.cyrillicToLatin(text).lowercased()
    }

    /// Letters with diacritics and what they fold to. Keyed by `Character`, whose equality is canonical: a decomposed
    /// `č` (c and a combining caron) is found as `č` is.
    private static let folded: [Character: String] = {
        var table: [Character: String] = ["đ": "dj", "ß": "ss", "æ": "ae", "ø": "o", "ł": "l"]
        let groups: [(String, String)] = [
            ("a", "áàâäãåāă"), ("c", "čćçĉ"), ("e", "éèêëēěę"), ("i", "íìîïī"), ("o", "óòôöõőō"), ("u", "úùûüűūů"),
            ("y", "ýÿ"), ("n", "ñńň"), ("s", "šśş"), ("z", "žźż"), ("r", "řŕ"), ("d", "ď"), ("t", "ť"), ("l", "ľĺ"), ("g", "ğ"),
        ]
        for (base, letters) in groups { for letter in letters { table[letter] = base } }
        return table
    }()

    /// The search key: Latin, lower case, without diacritics (`č ć` → c, `đ` → dj, `dž` → dz, `š` → s, `ž` → z, and the
    /// like in foreign names), whitespace runs as one space. A search matches where the query's key is contained in the
    /// text's.
    public static func searchKey(_ text: String) -> String {
        var key = ""
        var lastWasSpace = true
        for character in latinLowercased(text) {
            if character.isWhitespace {
                if !lastWasSpace { key.append(" ") }
                lastWasSpace = true
                continue
            }
            if let plain = folded[character] {
                key += plain
            } else {
                // A letter with a mark the table does not know keeps its base letter.
                key.unicodeScalars.append(character.unicodeScalars.first!)
            }
            lastWasSpace = false
        }
        return key.hasSuffix(" ") ? String(key.dropLast()) : key
    }

    /// The sort key: ordered as the Bosnian alphabet when compared byte by byte, case and script ignored; letters of
    /// other alphabets and other characters keep their own order after the letters.
    public static func sortKey(_ text: String) -> String {
        let characters = Array(latinLowercased(text))
        var key = ""
        var index = 0
        while index < characters.count {
            if index + 1 < characters.count, let rank = ranks[String(characters[index ... index + 1])] {
                key.append(rank)
                index += 2
                continue
            }
            let character = characters[index]
            if let rank = ranks[String(character)] {
                key.append(rank)
            } else if let look = foreign[character] {
                key += look.map { ranks[String($0)].map(String.init) ?? String($0) }.joined()
            } else {
                key.append(character)
            }
            index += 1
        }
        return key
    }
}

/// The stored search and sort keys of the records lists show, made in one place for every write that stores them.
public enum ListKeys {
    /// A person's: found by name, personal number or e-mail, ordered by family then given name.
    public static func person(givenName: String, familyName: String, personalNumber: String, email: String)
        -> (search: String, sort: String) {
        (BosnianCollation.searchKey("\(givenName) \(familyName) \(personalNumber) \(email)"),
         BosnianCollation.sortKey("\(familyName) \(givenName)"))
    }

    /// A cohort's: found by code or name, ordered by name then code.
    public static func cohort(code: String, name: String) -> (search: String, sort: String) {
        (BosnianCollation.searchKey("\(code) \(name)"), BosnianCollation.sortKey("\(name) \(code)"))
    }
}
