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

    /// The text with runs of whitespace collapsed to one space and the ends trimmed (as `xs:token`).
    public var collapsedText: String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
