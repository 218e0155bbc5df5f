import CLibXML2
import Foundation

/// What a mapper reads from an element, whether a copied `XMLElement` or a live `XMLNodeView`.
public protocol XMLNodeReading {
    /// Local name.
    var name: String { get }
    /// Namespace URI.
    var namespace: String? { get }
    /// 1-based line.
    var line: Int { get }
    /// An attribute's value; `xml:lang` names the XML namespace's `lang`.
    subscript(attribute: String) -> String? { get }
    /// Child elements with a local name.
    func children(named name: String) -> [Self]
    /// The first child element with a local name.
    func child(named name: String) -> Self?
    /// The element's text with whitespace collapsed as `xs:token` does.
    var collapsedText: String { get }
}

extension XMLElement: XMLNodeReading {}

/// A read-only view of a libxml2 element, valid only inside `SafeXMLParser.withDocument`: nothing is copied
/// until asked for, so a large curriculum is mapped without building a second tree.
public struct XMLNodeView: XMLNodeReading {
    let node: xmlNodePtr

    public var name: String { String(cString: node.pointee.name) }

    public var namespace: String? { node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) } }

    public var line: Int { Int(xmlGetLineNo(node)) }

    public subscript(attribute: String) -> String? {
        let value: UnsafeMutablePointer<xmlChar>?
        if attribute == "xml:lang" {
            value = xmlGetNsProp(node, "lang", "http://www.w3.org/XML/1998/namespace")
        } else {
            value = xmlGetNoNsProp(node, attribute)
        }
        guard let value else { return nil }
        defer { free(value) }  // libxml2's xmlFree is free() unless an allocator was installed; obuka installs none.
        return String(cString: value)
    }

    public func children(named name: String) -> [XMLNodeView] {
        var result: [XMLNodeView] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, xmlStrEqual(current.pointee.name, name) != 0 {
                result.append(XMLNodeView(node: current))
            }
            child = current.pointee.next
        }
        return result
    }

    public func child(named name: String) -> XMLNodeView? {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, xmlStrEqual(current.pointee.name, name) != 0 {
                return XMLNodeView(node: current)
            }
            child = current.pointee.next
        }
        return nil
    }

    public var collapsedText: String {
        var text = ""
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
               let content = current.pointee.content {
                text += String(cString: content)
            }
            child = current.pointee.next
        }
        return XMLElement(name: "", text: text).collapsedText
    }
}

extension SafeXMLParser {
    /// Parses and validates bytes and hands the live root element (with the validity problems) to `body`;
    /// the document is freed when `body` returns, so nothing of the view may escape it.
    public func withDocument<T>(_ data: Data, displayName: String,
                                _ body: (XMLNodeView, [XMLDiagnostic]) throws -> T) throws -> T {
        try validatedDocument(data, displayName: displayName) { document, problems in
            guard let root = xmlDocGetRootElement(document) else {
                throw XMLDiagnostics([XMLDiagnostic(file: displayName, line: 1, message: "no root element", kind: .wellFormedness)])
            }
            return try body(XMLNodeView(node: root), problems)
        }
    }

    /// Like `withDocument`, but decides validity on a second thread while `body` reads the tree (see
    /// `concurrentlyValidatedDocument`), returning `body`'s value with the validity problems. With an
    /// `identityFreeSchema`, `identityConstraintsHold` checks the schema's identity constraints on the tree, on
    /// the second thread and conservatively (false whenever in doubt). Both see the tree before it is known to
    /// be valid, so they must tolerate any shape of document.
    public func withDocumentValidatingConcurrently<T>(
        _ data: Data, displayName: String,
        identityConstraintsHold: @escaping @Sendable (XMLNodeView) -> Bool = { _ in false },
        _ body: (XMLNodeView) throws -> T
    ) throws -> (value: T, validity: [XMLDiagnostic]) {
        try concurrentlyValidatedDocument(data, displayName: displayName, identityConstraintsHold: identityConstraintsHold) { document in
            guard let root = xmlDocGetRootElement(document) else {
                throw XMLDiagnostics([XMLDiagnostic(file: displayName, line: 1, message: "no root element", kind: .wellFormedness)])
            }
            return try body(XMLNodeView(node: root))
        }
    }
}
