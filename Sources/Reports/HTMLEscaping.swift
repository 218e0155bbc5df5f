import Mustache

/// The escaping of obuka's HTML templates: every `<`, `>`, `&`, `"` and `'` of a value, byte by byte.
///
/// Mustache's own HTML escaping compares whole characters (grapheme clusters), so a quote followed by a combining
/// mark (`"` + U+0301 is one character) was left as it was, and ended an attribute value early: a name imported
/// from a file could have added attributes to the page. These bytes are never part of another character in UTF-8,
/// so replacing them byte by byte escapes each one wherever it stands; it is also several times faster.
/// A template selects it with `{{% CONTENT_TYPE: HTML_BYTES}}` as its first line.
public struct HTMLEscaping: MustacheContentType {
    /// The content type's name in templates.
    public static let name = "HTML_BYTES"

    /// Registers the content type with Mustache, once; before any template naming it is parsed.
    public static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)

    public func escapeText(_ text: String) -> String { Self.escape(text) }

    /// `text` with the five characters HTML gives meaning to replaced by their entities.
    public static func escape(_ text: String) -> String {
        var contiguous = text
        guard contiguous.withUTF8({ $0.contains(where: needsEscaping) }) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in contiguous.utf8 {
            switch byte {
            case UInt8(ascii: "<"): escaped += "&lt;".utf8
            case UInt8(ascii: ">"): escaped += "&gt;".utf8
            case UInt8(ascii: "&"): escaped += "&amp;".utf8
            case UInt8(ascii: "\""): escaped += "&quot;".utf8
            case UInt8(ascii: "'"): escaped += "&#39;".utf8
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}

/// A text value rendered as it is (then escaped): Mustache renders a plain `String` by trying it as a template,
/// a lambda and an optional before describing it, each a dynamic cast; a report has thousands of cells.
public struct TemplateText: MustacheCustomRenderable, Sendable {
    public let renderText: String
    public var isNull: Bool { false }

    public init(_ text: String) {
        renderText = text
    }
}
