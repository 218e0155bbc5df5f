/// Text typed by a person or sent by a program, before it names anything: a NUL byte would end the text early where
/// it is stored or looked up (so `polaznik\0x` is `polaznik` to SQLite but another name to everything else), and a
/// line break or other control character in a name, a login or a code has no business there.
public enum TextInput {
    /// Whether `text` holds a control character: C0 (NUL, tab, line breaks…), DEL, C1, or a Unicode line or paragraph
    /// separator. Checked on scalars, without Foundation.
    public static func hasControlCharacter(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A, 0x0D, 0x09: !allowingLineBreaks
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
            default: false
            }
        }
    }

    /// Refuses a one-line value (a name, a login, a code) with a control character, naming the field.
    public static func checkLine(_ text: String, field: String) throws(TextInputError) {
        if hasControlCharacter(text) { throw .controlCharacter(field: field) }
    }

    /// Refuses free text (a note, a reason) with a control character other than line breaks and tabs.
    public static func checkText(_ text: String, field: String) throws(TextInputError) {
        if hasControlCharacter(text, allowingLineBreaks: true) { throw .controlCharacter(field: field) }
    }
}

/// Why typed text was refused.
public enum TextInputError: UserFacingError, Equatable {
    case controlCharacter(field: String)
    case invalidCode(field: String, value: String)

    public var messageKey: String {
        switch self {
        case .controlCharacter: "text.error.control"
        case .invalidCode: "text.error.code"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .controlCharacter(let field): ["field": field]
        case .invalidCode(let field, let value):
            ["field": field, "value": value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "…" : String(value.prefix(40))]
        }
    }
    public var field: String? {
        switch self {
        case .controlCharacter(let field), .invalidCode(let field, _): field
        }
    }
}

/// Codes people type and see in addresses and file names (a cohort's `DIJ-2022-A`): letters A–Z and a–z, digits, `-`
/// and `_`, starting with a letter or digit, at most 20 characters. No slash, dot, space or control character.
public enum Code {
    public static func check(_ text: String, field: String) throws(TextInputError) {
        let bytes = Array(text.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, isAlphanumeric(first), bytes.count <= 20,
              bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else {
            throw .invalidCode(field: field, value: text)
        }
    }
}
