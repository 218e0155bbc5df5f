import CLibXML2
import Foundation
import Synchronization

/// A compiled XSD, loaded only from local files and reusable across validations.
///
/// `@unchecked Sendable`: libxml2 documents a compiled `xmlSchema` as read-only after
/// compilation; each validation creates its own validation context, so sharing is safe.
public final class XMLSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr
    /// The schema document a variant was compiled from, kept as long as the schema (which may point into it).
    private let source: xmlDocPtr?
    /// The schema file.
    public let url: URL
    /// The schema's `targetNamespace`.
    public let targetNamespace: String?

    /// Compiles the XSD at `url`. Imports and includes may load other `.xsd` files from the same folder,
    /// nothing else (no network, no other files).
    ///
    /// `omittingIdentityConstraints` compiles the schema without its `xs:key`, `xs:unique` and `xs:keyref`
    /// constraints: libxml2 checks those by comparing every value with every other, which is most of the time
    /// of validating a large document, so a caller may check them itself (see
    /// `SafeXMLParser.withDocumentValidatingConcurrently`).
    public init(contentsOf url: URL, omittingIdentityConstraints: Bool = false) throws {
        SafeXMLRuntime.initialize()
        let folder = url.deletingLastPathComponent().standardizedFileURL.path
        SafeXMLRuntime.allowSchemaFolder(folder)
        self.url = url
        let collector = DiagnosticCollector(file: url.lastPathComponent)
        source = omittingIdentityConstraints ? Self.readWithoutIdentityConstraints(url) : nil
        let context = omittingIdentityConstraints ? source.flatMap { xmlSchemaNewDocParserCtxt($0) } : xmlSchemaNewParserCtxt(url.path)
        guard let parserContext = context else {
            if let source { xmlFreeDoc(source) }
            throw XMLDiagnostics([XMLDiagnostic(file: url.lastPathComponent, line: 0, message: "cannot read schema", kind: .file)])
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        let unmanaged = Unmanaged.passUnretained(collector).toOpaque()
        xmlSchemaSetParserStructuredErrors(parserContext, DiagnosticCollector.structuredHandler, unmanaged)
        guard let schema = xmlSchemaParse(parserContext) else {
            if let source { xmlFreeDoc(source) }
            throw XMLDiagnostics(collector.items.isEmpty
                ? [XMLDiagnostic(file: url.lastPathComponent, line: 0, message: "the schema does not compile", kind: .file)]
                : collector.items)
        }
        pointer = schema
        targetNamespace = Self.readTargetNamespace(url)
    }

    /// The `targetNamespace` attribute of the (trusted, local) schema file.
    private static func readTargetNamespace(_ url: URL) -> String? {
        guard let document = xmlReadFile(url.path, nil, Int32(XML_PARSE_NONET.rawValue)) else { return nil }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document),
              let value = xmlGetProp(root, "targetNamespace") else { return nil }
        defer { free(value) }
        return String(cString: value)
    }

    /// The (trusted, local) schema file with its identity-constraint elements removed.
    private static func readWithoutIdentityConstraints(_ url: URL) -> xmlDocPtr? {
        guard let document = xmlReadFile(url.path, nil, Int32(XML_PARSE_NONET.rawValue)) else { return nil }
        var doomed: [xmlNodePtr] = []
        func collect(_ node: xmlNodePtr) {
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE,
                   let namespace = current.pointee.ns?.pointee.href, String(cString: namespace) == "http://www.w3.org/2001/XMLSchema",
                   ["key", "unique", "keyref"].contains(String(cString: current.pointee.name)) {
                    doomed.append(current)
                } else {
                    collect(current)
                }
                child = current.pointee.next
            }
        }
        if let root = xmlDocGetRootElement(document) { collect(root) }
        for node in doomed {
            xmlUnlinkNode(node)
            xmlFreeNode(node)
        }
        return document
    }

    deinit {
        xmlSchemaFree(pointer)
        if let source { xmlFreeDoc(source) }
    }
}

/// Process-wide libxml2 set-up: initialise once and replace the external-entity loader with one that
/// refuses everything except schema files in folders registered by `XMLSchema`.
enum SafeXMLRuntime {
    private static let allowedSchemaFolders = Mutex<Set<String>>([])
    private static let defaultLoader = Mutex<xmlExternalEntityLoader?>(nil)

    private static let once: Void = {
        xmlInitParser()
        obuka_silence_generic_errors()
        defaultLoader.withLock { $0 = xmlGetExternalEntityLoader() }
        xmlSetExternalEntityLoader(refusingLoader)
    }()

    static func initialize() { _ = once }

    static func allowSchemaFolder(_ folder: String) {
        _ = allowedSchemaFolders.withLock { $0.insert(folder) }
    }

    /// Only a schema compilation may load files, and only `.xsd` files in a registered folder.
    static func isAllowed(_ url: String) -> Bool {
        let path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
        guard path.hasPrefix("/"), path.hasSuffix(".xsd"), !path.contains("/../") else { return false }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        return allowedSchemaFolders.withLock { $0.contains(folder) }
    }

    private static let refusingLoader: xmlExternalEntityLoader = { url, id, context in
        guard let url, SafeXMLRuntime.isAllowed(String(cString: url)),
              let loader = SafeXMLRuntime.defaultLoader.withLock({ $0 }) else {
            return nil
        }
        return loader(url, id, context)
    }
}
