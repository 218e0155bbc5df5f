/// A read-only element of a validated document: a plain Swift tree, detached from libxml2.
public struct XMLElement: Hashable, Sendable {
    /// Local name, e.g. `module`.
    public var name: String
    /// Namespace URI, if any.
    public var namespace: String?
    /// Attributes by qualified name: `id`, and `xml:lang` for the XML namespace.
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [XMLElement]
    /// The element's own text (text and CDATA children joined), whitespace kept.
    public var text: String
    /// 1-based line where the element starts.
    public var line: Int

    /// Creates an element.
    public init(name: String, namespace: String? = nil, attributes: [String: String] = [:],
                children: [XMLElement] = [], text: String = "", line: Int = 0) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
        self.text = text
        self.line = line
    }

    /// Child elements with a local name.
    public func children(named name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The first child element with a local name.
    public func child(named name: String) -> XMLElement? { children.first { $0.name == name } }

    /// An attribute's value.
    public subscript(attribute: String) -> String? { attributes[attribute] }

    /// The text with runs of XML whitespace (space, tab, CR, LF) collapsed to one space and the ends
    /// trimmed, as `xs:token` does. Works on UTF-8 bytes: a curriculum has tens of thousands of texts.
    public var collapsedText: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var changed = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                if byte != 0x20 || pendingSpace || bytes.isEmpty { changed = true }
                pendingSpace = true
                continue
            }
            if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
            pendingSpace = false
            bytes.append(byte)
        }
        if pendingSpace { changed = true }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }
}
