import CLibXML2

/// Gathers libxml2's structured errors for one file.
final class DiagnosticCollector {
    let file: String
    var items: [XMLDiagnostic] = []
    /// Line of a refused DOCTYPE, set by the SAX hook.
    var forbiddenDoctypeLine: Int?
    /// Namespace URI to drop from messages (`{urn:…}module` reads better as `module`).
    var hiddenNamespace: String?
    /// Whether the errors come from schema validation (no column) rather than parsing.
    var validating = false

    init(file: String) { self.file = file }

    func add(_ error: UnsafePointer<xmlError>) {
        let value = error.pointee
        guard value.level != XML_ERR_NONE, value.level != XML_ERR_WARNING else { return }
        var message = value.message.map { String(cString: $0) } ?? "unknown error"
        // libxml2 splits some messages over lines ("…encoding !\nBytes: 0xC3…"); a diagnostic is one line.
        message = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        if let hiddenNamespace { message = message.replacingOccurrences(of: "{\(hiddenNamespace)}", with: "") }
        let column = value.int2 > 0 && !validating ? Int(value.int2) : nil
        items.append(XMLDiagnostic(
            file: file, line: Int(value.line), column: column, message: message,
            kind: validating ? .validity : .wellFormedness))
    }

    /// The C callback; `userData` is an unretained pointer to a collector.
    static let structuredHandler: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        Unmanaged<DiagnosticCollector>.fromOpaque(userData).takeUnretainedValue().add(error)
    }

    /// The parser's callback: libxml2 passes the parser context, whose `_private` holds the collector.
    static let parserHandler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let collectorPointer = parser.pointee._private else { return }
        Unmanaged<DiagnosticCollector>.fromOpaque(collectorPointer).takeUnretainedValue().add(error)
    }
}

import Foundation
