import CertificateTemplates
import Foundation
import SafeXML
import Testing

/// Certificate templates may come from another office: every hostile file in `Fixtures/hostile` is
/// refused at the right line with the right kind of message, and nothing it points at is read.
@Suite struct HostileTemplateTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var line: Int
        var kind: XMLDiagnostic.Kind
        var message: String
        var testDescription: String { file }
    }

    static let refused: [Case] = [
        Case(file: "doctype-internal-entity.xml", line: 2, kind: .forbidden, message: "DOCTYPE is not allowed"),
        Case(file: "xxe-file.xml", line: 2, kind: .forbidden, message: "DOCTYPE is not allowed"),
        Case(file: "xxe-parameter-entity.xml", line: 2, kind: .forbidden, message: "DOCTYPE is not allowed"),
        Case(file: "billion-laughs.xml", line: 2, kind: .forbidden, message: "DOCTYPE is not allowed"),
        Case(file: "external-dtd.xml", line: 2, kind: .forbidden, message: "DOCTYPE is not allowed"),
        Case(file: "doctype-public.xml", line: 2, kind: .forbidden, message: "DOCTYPE is not allowed"),
        Case(file: "doctype-empty.xml", line: 2, kind: .forbidden, message: "DOCTYPE is not allowed"),
        Case(file: "undeclared-entity.xml", line: 4, kind: .wellFormedness, message: "Entity 'xxe' not defined"),
        Case(file: "xinclude.xml", line: 3, kind: .validity, message: "Element content is not allowed"),
        Case(file: "image-path-traversal.xml", line: 7, kind: .validity,
             message: "The value '../../../../etc/passwd.png' is not accepted by the pattern"),
        Case(file: "image-absolute-path.xml", line: 7, kind: .validity,
             message: "The value '/etc/shadow.png' is not accepted by the pattern"),
        Case(file: "image-missing.xml", line: 7, kind: .semantic, message: "image grb.png not found"),
        Case(file: "unknown-placeholder.xml", line: 5, kind: .semantic, message: "unknown placeholder {password}"),
        Case(file: "nul-character-reference.xml", line: 4, kind: .wellFormedness, message: "invalid xmlChar value 0"),
        Case(file: "invalid-utf8.xml", line: 4, kind: .wellFormedness, message: "Input is not proper UTF-8"),
        Case(file: "overlong-utf8.xml", line: 4, kind: .wellFormedness, message: "Input is not proper UTF-8"),
        Case(file: "wrong-namespace.xml", line: 2, kind: .validity,
             message: "Element '{urn:obuka:certificate:2}template': No matching global declaration"),
        Case(file: "missing-qr.xml", line: 2, kind: .validity, message: "Missing child element(s)"),
        Case(file: "block-off-the-page.xml", line: 4, kind: .validity, message: "[facet 'maxInclusive'] The value '5000'"),
        Case(file: "oversized-text.xml", line: 4, kind: .validity, message: "[facet 'maxLength']"),
        Case(file: "too-many-blocks.xml", line: 104, kind: .validity, message: "This element is not expected"),
        Case(file: "script-in-text.xml", line: 4, kind: .validity, message: "Element content is not allowed"),
        Case(file: "empty.xml", line: 1, kind: .wellFormedness, message: "Document is empty"),
        Case(file: "not-xml.xml", line: 1, kind: .wellFormedness, message: "Start tag expected"),
    ]

    @Test(arguments: refused)
    func refusedWithLineAndMessage(_ expected: Case) throws {
        let found = try diagnostics(Self.hostile(expected.file))
        let first = try #require(found.first, "\(expected.file) was accepted")
        #expect(first.file == expected.file)
        #expect(first.line == expected.line)
        #expect(first.kind == expected.kind)
        #expect(first.message.contains(expected.message), "\(first.message)")
        // Nothing an entity, a DTD or an XInclude points at is read into the message.
        #expect(!found.description.contains("root:"))
    }

    @Test func everyFileOfTheCorpusHasACase() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.hostileFolder.path).filter { $0.hasSuffix(".xml") }
        let covered = Set(Self.refused.map(\.file)).union(Self.harmless)
        #expect(Set(files) == covered)
    }

    /// Legitimate XML that looks alarming: a stylesheet instruction is never followed, and UTF-16 with
    /// a byte-order mark is a valid encoding. Both load as the template they contain.
    static let harmless = ["xml-stylesheet.xml", "utf16-with-bom.xml"]

    @Test(arguments: harmless)
    func harmlessFilesLoadAsThemselves(_ file: String) throws {
        let template = try CertificateTemplate.load(Self.hostile(file), schemaFolder: Self.schema)
        #expect(template.id == "minimal")
        #expect(template.title == "Minimalni predložak")
        #expect(template.blocks.map(\.text) == ["UVJERENJE", "{full_name}"])
    }

    @Test func deepNestingIsRefusedAtTheDepthLimit() throws {
        let scratch = try Scratch()
        var text = #"<template xmlns="urn:obuka:certificate:1" id="x" language="bs" width="1" height="1">"# + "\n"
        for _ in 0..<20_000 { text += "<title>\n" }
        try text.write(to: scratch.file("deep.xml"), atomically: true, encoding: .utf8)
        let found = try diagnostics(scratch.file("deep.xml"))
        #expect(found.count == 1)
        #expect(found.first?.kind == .wellFormedness)
        #expect(found.first?.message.contains("depth") == true)
    }

    @Test func anOversizedFileIsRefusedBeforeItIsRead() throws {
        let scratch = try Scratch()
        let file = scratch.file("big.xml")
        // 2 MiB of otherwise valid-looking text: the limit is 1 MiB.
        var text = try String(contentsOf: Self.good, encoding: .utf8)
        text = text.replacingOccurrences(of: "<qr ", with: "<!--" + String(repeating: "x", count: 2 << 20) + "-->\n  <qr ")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let found = try diagnostics(file)
        #expect(found.first?.kind == .file)
        #expect(found.first?.message.contains("more than the limit of 1048576") == true)
    }

    @Test func theMinimalTemplateLoads() throws {
        let template = try CertificateTemplate.load(Self.good, schemaFolder: Self.schema)
        #expect(template.blocks.count == 2)
        #expect(template.qr.size == 22)
    }

    // MARK: Helpers

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let hostileFolder = fixtures.appendingPathComponent("hostile")
    static let good = fixtures.appendingPathComponent("good/minimal.xml")
    static let schema = Paths.templates.appendingPathComponent("schema")
    static func hostile(_ name: String) -> URL { hostileFolder.appendingPathComponent(name) }

    func diagnostics(_ url: URL) throws -> [XMLDiagnostic] {
        do {
            _ = try CertificateTemplate.load(url, schemaFolder: Self.schema)
            return []
        } catch let problems as XMLDiagnostics {
            return problems.items
        }
    }
}
