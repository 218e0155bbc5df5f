import Foundation

/// The details of an audit entry as compact JSON, fields in the order given (`{"entries":3,"source":"web"}`).
struct AuditDetails {
    enum Value {
        case int(Int)
        case double(Double)
        case string(String)
        case strings([String])
        /// JSON written elsewhere, inserted as it is.
        case json(String)

        /// The value as JSON text.
        var jsonText: String { AuditDetails.text(self) }
    }

    private var fields: [(String, Value)] = []

    init(_ fields: [(String, Value?)]) {
        self.fields = fields.compactMap { name, value in value.map { (name, $0) } }
    }

    var json: String {
        "{" + fields.map { "\(Self.quoted($0.0)):\(Self.text($0.1))" }.joined(separator: ",") + "}"
    }

    fileprivate static func text(_ value: Value) -> String {
        switch value {
        case .int(let number): String(number)
        case .double(let number): "\(number)"
        case .string(let text): quoted(text)
        case .strings(let texts): "[" + texts.map(quoted).joined(separator: ",") + "]"
        case .json(let text): text
        }
    }

    /// A JSON string literal (quotes and escapes included).
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
