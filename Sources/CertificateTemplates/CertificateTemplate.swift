import Foundation
import SafeXML
import TrainingCore

/// A certificate layout loaded from `Certificates/*.xml` (validated against `certificate-template-1.xsd`).
public struct CertificateTemplate: Sendable {
    /// A block of text with `{placeholders}`.
    public struct Block: Sendable {
        public var x, y, width: Double
        /// Height available; text that does not fit shrinks down to `minSize`.
        public var height: Double?
        public var font: String
        public var size: Double
        public var minSize: Double?
        public var bold: Bool
        public var italic: Bool
        public var alignment: Alignment
        public var color: (red: Double, green: Double, blue: Double)
        public var text: String
    }

    /// Horizontal alignment of a block's lines.
    public enum Alignment: String, Sendable { case left, center, right }

    /// An image placed on the page (logo, stamp or signature scan), a PNG beside the template.
    public struct Image: Sendable {
        public var file: URL
        public var x, y, width, height: Double
    }

    /// The placeholders a block may use.
    public static let placeholders: Set<String> = [
        "full_name", "completed_word", "program_title", "modules", "hours", "issued_on", "expires_on", "place", "serial",
        "registry_number", "registry_line", "signatory_name", "signatory_title", "verify_url", "provider", "provider_cyrillic",
    ]

    public var id: String
    public var language: Language
    public var title: String
    /// Page size in millimetres.
    public var width, height: Double
    public var blocks: [Block]
    /// The QR code's top-left corner and side, in millimetres (the quiet zone is inside the side).
    public var qr: (x: Double, y: Double, size: Double)
    public var images: [Image]

    /// The schema file inside `Certificates/schema/`.
    public static let schemaFileName = "certificate-template-1.xsd"

    /// Loads and checks a template: schema validity, then known placeholders and existing image files.
    public static func load(_ url: URL, schemaFolder: URL) throws -> CertificateTemplate {
        let parser = try parser(schemaFolder: schemaFolder)
        let name = url.lastPathComponent
        return try load(parser.read(contentsOf: url, displayName: name), name: name,
                        imageFolder: url.deletingLastPathComponent(), parser: parser)
    }

    /// The hardened parser for template files (at most 1 MiB), validating against the schema in `schemaFolder`.
    public static func parser(schemaFolder: URL) throws -> SafeXMLParser {
        SafeXMLParser(schema: try XMLSchema(contentsOf: schemaFolder.appendingPathComponent(schemaFileName)),
                      maximumBytes: 1 << 20)
    }

    /// Loads and checks a template's bytes; `name` is the file name in diagnostics and `imageFolder` holds its images.
    public static func load(_ data: Data, name: String, imageFolder: URL, parser: SafeXMLParser) throws -> CertificateTemplate {
        let root = try parser.parse(data, displayName: name)
        var problems: [XMLDiagnostic] = []
        func number(_ element: XMLElement, _ attribute: String) -> Double {
            Double(element[attribute]?.trimmingWhitespace ?? "") ?? 0
        }
        let blocks = root.children(named: "block").map { element -> Block in
            for placeholder in placeholderNames(in: element.text) where !placeholders.contains(placeholder) {
                problems.append(XMLDiagnostic(file: name, line: element.line,
                                              message: "unknown placeholder {\(placeholder)}", kind: .semantic))
            }
            let hex = element["color"] ?? "#000000"
            let value = Int(hex.dropFirst(), radix: 16) ?? 0
            return Block(
                x: number(element, "x"), y: number(element, "y"), width: number(element, "width"),
                height: element["height"].flatMap { Double($0.trimmingWhitespace) }, font: element["font"] ?? "DejaVu Serif",
                size: number(element, "size"), minSize: element["min-size"].flatMap { Double($0.trimmingWhitespace) },
                bold: element["weight"] == "bold", italic: element["style"] == "italic",
                alignment: Alignment(rawValue: element["align"] ?? "left") ?? .left,
                color: (Double((value >> 16) & 0xFF) / 255, Double((value >> 8) & 0xFF) / 255, Double(value & 0xFF) / 255),
                text: element.text.trimmingWhitespace)
        }
        let images = root.children(named: "image").map { element -> Image in
            let file = imageFolder.appendingPathComponent(element["file"] ?? "")
            if !FileManager.default.fileExists(atPath: file.path) {
                problems.append(XMLDiagnostic(file: name, line: element.line, message: "image \(file.lastPathComponent) not found",
                                              kind: .semantic))
            }
            return Image(file: file, x: number(element, "x"), y: number(element, "y"), width: number(element, "width"),
                         height: number(element, "height"))
        }
        // The schema requires the QR element; its absence here would be a schema that no longer says so.
        guard let qr = root.child(named: "qr") else {
            problems.append(XMLDiagnostic(file: name, line: root.line, message: "missing <qr>", kind: .semantic))
            throw XMLDiagnostics(problems)
        }
        if !problems.isEmpty { throw XMLDiagnostics(problems) }
        return CertificateTemplate(
            id: root["id"] ?? "", language: Language(tag: root["language"] ?? "") ?? .default,
            title: root.child(named: "title")?.collapsedText ?? "", width: number(root, "width"), height: number(root, "height"),
            blocks: blocks, qr: (number(qr, "x"), number(qr, "y"), number(qr, "size")), images: images)
    }

    /// The `{name}` placeholders of a text.
    static func placeholderNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// A block's text with its placeholders filled in.
    public static func fill(_ text: String, _ fields: [String: String]) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += fields[name] ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Every template in a folder (its `.xml` files), by id.
    public static func loadAll(folder: URL) throws -> [String: CertificateTemplate] {
        let schemaFolder = folder.appendingPathComponent("schema")
        var templates: [String: CertificateTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".xml") }).sorted() {
            let template = try load(folder.appendingPathComponent(name), schemaFolder: schemaFolder)
            templates[template.id] = template
        }
        return templates
    }
}
