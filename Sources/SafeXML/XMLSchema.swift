import CLibXML2
import Foundation
import Synchronization

/// A compiled XSD, loaded only from local files and reusable across validations.
///
/// `@unchecked Sendable`: libxml2 documents a compiled `xmlSchema` as read-only after
/// compilation; each validation creates its own validation context, so sharing is safe.
public final class XMLSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr
    /// The schema file.
    public let url: URL
    /// The schema's `targetNamespace`.
    public let targetNamespace: String?

    /// Compiles the XSD at `url`. Imports and includes may load other `.xsd` files from the same folder,
    /// nothing else (no network, no other files).
    public init(contentsOf url: URL) throws {
        SafeXMLRuntime.initialize()
        let folder = url.deletingLastPathComponent().standardizedFileURL.path
        SafeXMLRuntime.allowSchemaFolder(folder)
        self.url = url
        let collector = DiagnosticCollector(file: url.lastPathComponent)
        guard let parserContext = xmlSchemaNewParserCtxt(url.path) else {
            throw XMLDiagnostics([XMLDiagnostic(file: url.lastPathComponent, line: 0, message: "cannot read schema", kind: .file)])
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        let unmanaged = Unmanaged.passUnretained(collector).toOpaque()
        xmlSchemaSetParserStructuredErrors(parserContext, DiagnosticCollector.structuredHandler, unmanaged)
        guard let schema = xmlSchemaParse(parserContext) else {
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

    deinit { xmlSchemaFree(pointer) }
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
