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
        latinSearchKey(text) ?? characterSearchKey(text)
    }

    /// `searchKey` a character at a time: the rules themselves.
    static func characterSearchKey(_ text: String) -> String {
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
        latinSortKey(text) ?? characterSortKey(text)
    }

    /// `sortKey` a character at a time: the rules themselves.
    static func characterSortKey(_ text: String) -> String {
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

extension BosnianCollation {
    // Below U+0300 (ASCII and precomposed Latin letters, no combining marks, no Cyrillic) every scalar is a character of
    // its own, so both keys are made a scalar at a time from tables that the character rules above fill, one scalar
    // each: the same keys at a fraction of the cost (an import of 10,000 people spent 400 ms making them). Any other
    // text takes the character rules.
    private static let latinLimit = 0x300

    /// Per scalar: nil for whitespace, else the UTF-8 of its search key.
    private static let scalarSearchKeys: [[UInt8]?] = (0..<latinLimit).map { value in
        let character = Character(Unicode.Scalar(UInt32(value))!)
        return character.isWhitespace ? nil : Array(characterSearchKey(String(character)).utf8)
    }

    /// Per scalar: its lower case when that is one scalar below the limit (else the text takes the character rules).
    private static let scalarLowercase: [UInt32?] = (0..<latinLimit).map { value in
        let lowered = String(Character(Unicode.Scalar(UInt32(value))!)).lowercased().unicodeScalars
        guard lowered.count == 1, let scalar = lowered.first, Int(scalar.value) < latinLimit else { return nil }
        return scalar.value
    }

    /// Per lower-case scalar: the UTF-8 of its sort key alone (its rank, its foreign look, or itself).
    private static let scalarSortKeys: [[UInt8]] = (0..<latinLimit).map { value in
        Array(characterSortKey(String(Character(Unicode.Scalar(UInt32(value))!))).utf8)
    }

    /// The digraphs that are letters (dž, lj, nj), by their lower-case scalars, with the UTF-8 of their ranks.
    private static let digraphs: [(first: UInt32, second: UInt32, key: [UInt8])] = ["dž", "lj", "nj"].map { digraph in
        let scalars = Array(digraph.unicodeScalars)
        return (scalars[0].value, scalars[1].value, Array(characterSortKey(digraph).utf8))
    }

    static func latinSearchKey(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            guard Int(scalar.value) < latinLimit else { return nil }
            if let key = scalarSearchKeys[Int(scalar.value)] {
                bytes += key
                lastWasSpace = false
            } else {
                if !lastWasSpace { bytes.append(0x20) }
                lastWasSpace = true
            }
        }
        if bytes.last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func latinSortKey(_ text: String) -> String? {
        var lowered: [UInt32] = []
        lowered.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard Int(scalar.value) < latinLimit, let lower = scalarLowercase[Int(scalar.value)] else { return nil }
            lowered.append(lower)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lowered.count)
        var index = 0
        scalars: while index < lowered.count {
            if index + 1 < lowered.count {
                for digraph in digraphs where digraph.first == lowered[index] && digraph.second == lowered[index + 1] {
                    bytes += digraph.key
                    index += 2
                    continue scalars
                }
            }
            bytes += scalarSortKeys[Int(lowered[index])]
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
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
