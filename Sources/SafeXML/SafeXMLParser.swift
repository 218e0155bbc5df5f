import CLibXML2
import Foundation

/// Parses untrusted XML safely and validates it against a bundled XSD.
///
/// Refuses any DOCTYPE (so no entities, internal or external, and no DTD), never loads external
/// resources or the network, never processes XInclude, keeps libxml2's default depth and size limits
/// (no `XML_PARSE_HUGE`), and caps the input size before parsing.
public struct SafeXMLParser: Sendable {
    /// Largest file accepted, in bytes.
    public var maximumBytes: Int

    /// The schema documents are validated against.
    public let schema: XMLSchema

    /// The same schema without its identity constraints, for the streamed verdict of
    /// `withDocumentValidatingConcurrently`, whose caller then checks those constraints itself; nil streams
    /// the full schema.
    public let identityFreeSchema: XMLSchema?

    /// Creates a parser for documents of one schema.
    public init(schema: XMLSchema, identityFreeSchema: XMLSchema? = nil, maximumBytes: Int = 8 * 1024 * 1024) {
        self.schema = schema
        self.identityFreeSchema = identityFreeSchema
        self.maximumBytes = maximumBytes
    }

    /// libxml2 options: no network, line numbers past 65,535, compact read-only text nodes, no
    /// whitespace-only nodes between elements (faster to validate and copy). Deliberately absent: NOENT, DTDLOAD,
    /// DTDATTR, DTDVALID, HUGE, XINCLUDE.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOWARNING.rawValue
                               | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOBLANKS.rawValue)

    /// Reads a file, refusing one larger than `maximumBytes` before reading it.
    public func read(contentsOf url: URL, displayName: String) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)??.intValue
        guard let size, let handle = FileHandle(forReadingAtPath: url.path) else {
            throw XMLDiagnostics([XMLDiagnostic(file: displayName, line: 0, message: "cannot be read", kind: .file)])
        }
        defer { try? handle.close() }
        guard size <= maximumBytes else { throw Self.tooLarge(size, limit: maximumBytes, file: displayName) }
        // Read at most one byte past the limit, in case the file grew after it was measured.
        let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
        guard data.count <= maximumBytes else { throw Self.tooLarge(data.count, limit: maximumBytes, file: displayName) }
        return data
    }

    /// Reads, parses and validates a file.
    public func parse(contentsOf url: URL, displayName: String) throws -> XMLElement {
        try parse(read(contentsOf: url, displayName: displayName), displayName: displayName)
    }

    static func tooLarge(_ size: Int, limit: Int, file: String) -> XMLDiagnostics {
        XMLDiagnostics([XMLDiagnostic(
            file: file, line: 0, message: "file is \(size) bytes, more than the limit of \(limit)", kind: .file)])
    }

    /// Parses and validates bytes. Throws `XMLDiagnostics`: the first well-formedness or forbidden-construct
    /// error alone, or every validity error at once.
    public func parse(_ data: Data, displayName: String) throws -> XMLElement {
        let (root, validityProblems) = try parseDocument(data, displayName: displayName)
        if !validityProblems.isEmpty { throw XMLDiagnostics(validityProblems) }
        return root
    }

    /// Parses and validates bytes, returning the tree together with its validity problems so a caller can
    /// add its own checks and report everything at once. Throws only when there is no tree: the file is
    /// too large, not well-formed, or uses a forbidden construct.
    public func parseDocument(_ data: Data, displayName: String) throws -> (root: XMLElement, validity: [XMLDiagnostic]) {
        try validatedDocument(data, displayName: displayName) { document, problems in
            guard let root = xmlDocGetRootElement(document) else {
                throw XMLDiagnostics([XMLDiagnostic(file: displayName, line: 1, message: "no root element", kind: .wellFormedness)])
            }
            return (Self.element(from: root, document: document), problems)
        }
    }

    /// Reads and validates a document, passing it with its validity problems to `body`, then frees it.
    func validatedDocument<T>(_ data: Data, displayName: String,
                              _ body: (xmlDocPtr, [XMLDiagnostic]) throws -> T) throws -> T {
        try parsedDocument(data, displayName: displayName) { document, collector in
            try body(document, Self.validate(document, against: schema, collector: collector))
        }
    }

    /// Reads a well-formed document with a root element and passes it to `body` with the collector its
    /// problems go to, then frees it.
    private func parsedDocument<T>(_ data: Data, displayName: String,
                                   _ body: (xmlDocPtr, DiagnosticCollector) throws -> T) throws -> T {
        guard data.count <= maximumBytes else { throw Self.tooLarge(data.count, limit: maximumBytes, file: displayName) }
        SafeXMLRuntime.initialize()
        let collector = DiagnosticCollector(file: displayName)
        let document = try readDocument(data, collector: collector)
        defer { xmlFreeDoc(document) }
        guard xmlDocGetRootElement(document) != nil else {
            throw XMLDiagnostics([XMLDiagnostic(file: displayName, line: 1, message: "no root element", kind: .wellFormedness)])
        }
        return try body(document, collector)
    }

    /// Reads a document into a tree for `body` while a second thread streams the same bytes through the schema
    /// validator (SAX events, no tree: faster than walking the tree afterwards), then frees the tree. With an
    /// `identityFreeSchema` the stream skips the identity constraints, and the second thread then asks
    /// `identityConstraintsHold` about the tree (which must answer conservatively: false whenever in doubt).
    /// A document found valid is never validated twice; for any other the tree is validated against the full
    /// schema too, so the problems reported are exactly those of `validatedDocument`. The streamed parse is as
    /// hardened as the tree's (no DOCTYPE, no entities, no loads). `body` and the identity check see the tree
    /// before its validity is known, so they must tolerate any shape of document, and only read it.
    func concurrentlyValidatedDocument<T>(_ data: Data, displayName: String,
                                          identityConstraintsHold: @escaping @Sendable (XMLNodeView) -> Bool,
                                          _ body: (xmlDocPtr) throws -> T) throws -> (value: T, validity: [XMLDiagnostic]) {
        guard data.count <= maximumBytes else { throw Self.tooLarge(data.count, limit: maximumBytes, file: displayName) }
        SafeXMLRuntime.initialize()
        let verdict = StreamedVerdict(data: data, schema: identityFreeSchema ?? schema)
        let tree = TreeHandoff()
        let checksIdentity = identityFreeSchema != nil
        let streaming = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: streaming) {
            verdict.run()
            guard checksIdentity else { return }
            // The tree is parsed meanwhile on the other thread; checked here, the constraints stay off its path.
            let root = tree.root()
            verdict.identityConstraintsHold = verdict.isValid && root.map { identityConstraintsHold(XMLNodeView(node: $0)) } == true
        }
        // Whatever happens here, no streaming outlives this call (and it never waits for a tree that failed).
        defer { streaming.wait() }
        defer { tree.offer(nil) }
        return try parsedDocument(data, displayName: displayName) { document, collector in
            tree.offer(xmlDocGetRootElement(document))
            let value = Result { try body(document) }
            // The tree is freed after this closure, so only once the other thread is done with it.
            streaming.wait()
            let valid = verdict.isValid && (!checksIdentity || verdict.identityConstraintsHold)
            let validity = valid ? [] : try Self.validate(document, against: schema, collector: collector)
            return (try value.get(), validity)
        }
    }

    /// Both ways of deciding validity, for tests and the fuzzer: `streamed` may be a false alarm (identity
    /// constraints are checked conservatively) but must never be true where `tree` is false. `streamed` is the
    /// fast way (the streamed verdict, and with an identity-free schema `identityConstraintsHold` on the tree),
    /// `tree` the tree's validation against the full schema. Nil when the bytes are not a well-formed, allowed
    /// document (the tree is then refused before validity matters).
    public func validityVerdicts(_ data: Data, identityConstraintsHold: (XMLNodeView) -> Bool = { _ in true })
        -> (streamed: Bool, tree: Bool)? {
        SafeXMLRuntime.initialize()
        let verdict = StreamedVerdict(data: data, schema: identityFreeSchema ?? schema)
        verdict.run()
        let tree = try? validatedDocument(data, displayName: "verdict") { document, problems in
            (problems.isEmpty, xmlDocGetRootElement(document).map { identityConstraintsHold(XMLNodeView(node: $0)) } ?? false)
        }
        guard let tree else { return nil }
        return (verdict.isValid && (identityFreeSchema == nil || tree.1), tree.0)
    }

    /// Validates a parsed document against `schema`, collecting every validity problem into `collector`.
    static func validate(_ document: xmlDocPtr, against schema: XMLSchema,
                         collector: DiagnosticCollector) throws -> [XMLDiagnostic] {
        collector.validating = true
        collector.hiddenNamespace = schema.targetNamespace
        guard let validation = xmlSchemaNewValidCtxt(schema.pointer) else {
            throw XMLDiagnostics([XMLDiagnostic(file: collector.file, line: 0, message: "out of memory", kind: .file)])
        }
        defer { xmlSchemaFreeValidCtxt(validation) }
        xmlSchemaSetValidStructuredErrors(
            validation, DiagnosticCollector.structuredHandler, Unmanaged.passUnretained(collector).toOpaque())
        let result = xmlSchemaValidateDoc(validation, document)
        if result != 0 && collector.items.isEmpty {
            collector.items.append(XMLDiagnostic(file: collector.file, line: 1, message: "not valid against the schema", kind: .validity))
        }
        return collector.items
    }

    private func readDocument(_ data: Data, collector: DiagnosticCollector) throws -> xmlDocPtr {
        guard let parser = xmlNewParserCtxt() else {
            throw XMLDiagnostics([XMLDiagnostic(file: collector.file, line: 0, message: "out of memory", kind: .file)])
        }
        defer { xmlFreeParserCtxt(parser) }
        let unmanaged = Unmanaged.passUnretained(collector).toOpaque()
        parser.pointee._private = unmanaged
        if let sax = parser.pointee.sax {
            sax.pointee.serror = DiagnosticCollector.parserHandler
            sax.pointee.internalSubset = Self.refuseDoctype
            // Belt and braces: even if a DOCTYPE slipped through, never resolve an entity or declare one.
            sax.pointee.entityDecl = nil
            sax.pointee.getEntity = Self.noEntity
            sax.pointee.getParameterEntity = Self.noEntity
            sax.pointee.resolveEntity = nil
        }
        let document: xmlDocPtr? = data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlCtxtReadMemory(parser, base, Int32(buffer.count), collector.file, nil, Self.options)
        }
        if let line = collector.forbiddenDoctypeLine {
            if let document { xmlFreeDoc(document) }
            throw XMLDiagnostics([XMLDiagnostic(
                file: collector.file, line: line,
                message: "DOCTYPE is not allowed (no DTDs or entities are accepted)", kind: .forbidden)])
        }
        guard let document, parser.pointee.wellFormed != 0 else {
            if let document { xmlFreeDoc(document) }
            let first = collector.items.first ?? XMLDiagnostic(
                file: collector.file, line: 1, column: 1, message: "not well-formed XML", kind: .wellFormedness)
            throw XMLDiagnostics([first])
        }
        return document
    }

    /// SAX hook for `<!DOCTYPE …>`: record the line and stop the parser before anything in it is used.
    private static let refuseDoctype: internalSubsetSAXFunc = { context, _, _, _ in
        guard let context else { return }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        if let collectorPointer = parser.pointee._private {
            let collector = Unmanaged<DiagnosticCollector>.fromOpaque(collectorPointer).takeUnretainedValue()
            collector.forbiddenDoctypeLine = collector.forbiddenDoctypeLine ?? Int(xmlSAX2GetLineNumber(context))
        }
        xmlStopParser(parser)
    }

    private static let noEntity: getEntitySAXFunc = { _, _ in nil }
}

/// The parsed tree's root, handed from the parsing thread to the streaming one (nil: no tree). `@unchecked
/// Sendable`: the pointer is set once under the lock, and the tree is only read until the parser frees it,
/// which it does after the streaming thread has finished.
final class TreeHandoff: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var offered = false
    private var node: xmlNodePtr?

    /// Hands the root over; only the first offer counts.
    func offer(_ root: xmlNodePtr?) {
        let first = lock.withLock {
            guard !offered else { return false }
            offered = true
            node = root
            return true
        }
        if first { ready.signal() }
    }

    /// Waits for the offer.
    func root() -> xmlNodePtr? {
        ready.wait()
        ready.signal()  // whoever asks next does not wait
        return lock.withLock { node }
    }
}

/// Whether bytes are valid against a schema, decided by streaming them through the validator
/// (`xmlSchemaValidateStream` with a SAX handler that builds nothing). `@unchecked Sendable`: `run` is called
/// on one thread, and `isValid` read only after it returned (the caller waits for it).
final class StreamedVerdict: @unchecked Sendable {
    private let data: Data
    private let schema: XMLSchema
    private(set) var isValid = false
    /// Set by the streaming thread after `run`, when the caller checks identity constraints itself.
    var identityConstraintsHold = false
    /// Set by the SAX hook when a DOCTYPE appears: the parse is stopped and the verdict is "not valid".
    fileprivate var sawDoctype = false
    fileprivate var validation: OpaquePointer?

    init(data: Data, schema: XMLSchema) {
        self.data = data
        self.schema = schema
    }

    func run() {
        guard let validation = xmlSchemaNewValidCtxt(schema.pointer) else { return }
        defer { xmlSchemaFreeValidCtxt(validation) }
        self.validation = validation
        // No problem is collected here: an invalid verdict sends the caller to the tree's validation, which
        // reports them with their lines.
        xmlSchemaSetValidStructuredErrors(validation, { _, _ in }, nil)
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.serror = { _, _ in }
        handler.internalSubset = Self.refuseDoctype
        handler.getEntity = { _, _ in nil }
        handler.getParameterEntity = { _, _ in nil }
        let result: Int32 = data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                  // A copy: with libxml2 2.9's static (in place) buffer the validator saw the end of the
                  // document wrongly (every shipped curriculum came out invalid).
                  let input = xmlParserInputBufferCreateMem(base, Int32(buffer.count), XML_CHAR_ENCODING_NONE) else { return -1 }
            // The function takes the input buffer over and frees it.
            return withUnsafeMutablePointer(to: &handler) { sax in
                xmlSchemaValidateStream(validation, input, XML_CHAR_ENCODING_NONE, sax,
                                        Unmanaged.passUnretained(self).toOpaque())
            }
        }
        isValid = result == 0 && !sawDoctype
    }

    /// SAX hook for `<!DOCTYPE …>`: stop before anything in it is used.
    private static let refuseDoctype: internalSubsetSAXFunc = { context, _, _, _ in
        guard let context else { return }
        let verdict = Unmanaged<StreamedVerdict>.fromOpaque(context).takeUnretainedValue()
        verdict.sawDoctype = true
        if let validation = verdict.validation, let parser = xmlSchemaValidCtxtGetParserCtxt(validation) {
            xmlStopParser(parser)
        }
    }
}

extension SafeXMLParser {
    /// Copies a libxml2 element into a Swift tree.
    static func element(from node: xmlNodePtr, document: xmlDocPtr) -> XMLElement {
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            let name = String(cString: current.pointee.name)
            let prefix = current.pointee.ns.flatMap { $0.pointee.prefix }.map { String(cString: $0) }
            let value = xmlNodeListGetString(document, current.pointee.children, 1)
            attributes[prefix.map { "\($0):\(name)" } ?? name] = value.map { String(cString: $0) } ?? ""
            free(value)  // libxml2's xmlFree is free() unless an allocator was installed; obuka installs none.
            attribute = current.pointee.next
        }
        var children: [XMLElement] = []
        var text = ""
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(element(from: current, document: document))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { text += String(cString: content) }
            default:
                break
            }
            child = current.pointee.next
        }
        return XMLElement(
            name: String(cString: node.pointee.name),
            namespace: node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) },
            attributes: attributes, children: children, text: text, line: Int(xmlGetLineNo(node)))
    }
}
