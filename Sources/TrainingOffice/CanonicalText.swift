import Foundation
import TrainingCore

/// The one form of every name, login and code taken from outside before it is stored, compared or used as a key:
/// control characters refused (`TextInput`), surrounding spaces trimmed, Unicode composed (NFC), so `Š` typed as `S` and
/// a combining caron is the same `Š` as the precomposed letter, in the database and in a lock's key alike.
public enum CanonicalText {
    /// A one-line value (a name, a title, a code).
    public static func line(_ text: String, field: String) throws(TextInputError) -> String {
        try TextInput.checkLine(text, field: field)
        return text.trimmingWhitespace.composed
    }

    /// A text that may run over lines (a reason, a note).
    public static func text(_ text: String, field: String) throws(TextInputError) -> String {
        try TextInput.checkText(text, field: field)
        return text.trimmingWhitespace.composed
    }

    /// A login as it is stored, looked up and counted by the sign-in lock: a line, lower-cased.
    public static func login(_ text: String) throws(TextInputError) -> String {
        try line(text, field: "login").lowercased()
    }
}

extension String {
    /// The text composed (NFC). Text of Latin letters below U+0300 (č, ć, đ, š, ž included) or of the basic Cyrillic
    /// block is composed already and comes back as it is: composing ten thousand imported names one by one cost more
    /// than reading the whole file.
    var composed: String {
        let alreadyComposed = unicodeScalars.allSatisfy { $0.value < 0x300 || (0x400...0x45F).contains($0.value) }
        return alreadyComposed ? self : precomposedStringWithCanonicalMapping
    }
}

extension PersonDraft {
    /// The draft with its names and title composed (NFC), as they are stored and searched.
    func composed() -> PersonDraft {
        var draft = self
        draft.givenName = givenName.composed
        draft.familyName = familyName.composed
        draft.jobTitle = jobTitle?.composed
        return draft
    }
}
