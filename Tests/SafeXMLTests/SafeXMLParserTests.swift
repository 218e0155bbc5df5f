import Foundation
@testable import SafeXML
import Testing

@Suite struct SafeXMLParserTests {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-safexml-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try! """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
          <xs:element name="list"><xs:complexType><xs:sequence>
            <xs:element name="item" maxOccurs="unbounded"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
              <xs:attribute name="n" type="xs:positiveInteger" use="required"/>
            </xs:extension></xs:simpleContent></xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """.write(to: url.appendingPathComponent("t.xsd"), atomically: true, encoding: .utf8)
        try! """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" xmlns:t="urn:t" elementFormDefault="qualified">
          <xs:element name="list"><xs:complexType><xs:sequence>
            <xs:element name="item" maxOccurs="unbounded"><xs:complexType>
              <xs:attribute name="n" type="xs:positiveInteger" use="required"/>
            </xs:complexType></xs:element>
          </xs:sequence></xs:complexType>
            <xs:unique name="itemNumber"><xs:selector xpath="t:item"/><xs:field xpath="@n"/></xs:unique>
          </xs:element>
        </xs:schema>
        """.write(to: url.appendingPathComponent("u.xsd"), atomically: true, encoding: .utf8)
        return url
    }()

    func parser(maximumBytes: Int = 1 << 20) throws -> SafeXMLParser {
        SafeXMLParser(schema: try XMLSchema(contentsOf: Self.folder.appendingPathComponent("t.xsd")), maximumBytes: maximumBytes)
    }

    @Test func buildsATreeWithLinesAttributesAndText() throws {
        let root = try parser().parse(Data("""
            <list xmlns="urn:t">
              <item n="1">Đukić</item>
              <item n="2"><![CDATA[a < b]]></item>
            </list>
            """.utf8), displayName: "t.xml")
        #expect(root.name == "list")
        #expect(root.namespace == "urn:t")
        #expect(root.children.map(\.line) == [2, 3])
        #expect(root.children.map { $0["n"] } == ["1", "2"])
        #expect(root.children.map(\.text) == ["Đukić", "a < b"])
    }

    @Test func everyValidityErrorIsReported() throws {
        let data = Data("<list xmlns=\"urn:t\">\n<item n=\"0\">a</item>\n<item>b</item>\n</list>".utf8)
        let (_, problems) = try parser().parseDocument(data, displayName: "t.xml")
        #expect(problems.map(\.line) == [2, 3])
        #expect(problems.allSatisfy { $0.column == nil && $0.kind == .validity })
        #expect(problems[0].description.hasPrefix("t.xml:2: Element 'item', attribute 'n'"))
    }

    @Test func concurrentValidationReturnsTheReadingWithEveryValidityProblem() throws {
        let items = (1...2_000).map { "<item n=\"\($0 % 500)\">\($0)</item>" }.joined(separator: "\n")
        let data = Data("<list xmlns=\"urn:t\">\n\(items)\n</list>".utf8)
        let (count, problems) = try parser().withDocumentValidatingConcurrently(data, displayName: "t.xml") { root in
            root.children(named: "item").count
        }
        #expect(count == 2_000)
        // n="0" is not a positive integer: items 500, 1000, 1500 and 2000, on lines 501, 1001, 1501 and 2001.
        #expect(problems.map(\.line) == [501, 1_001, 1_501, 2_001])
        #expect(problems.allSatisfy { $0.kind == .validity })
        let (_, sequential) = try parser().parseDocument(data, displayName: "t.xml")
        #expect(problems == sequential)
    }

    @Test func streamedAndTreeVerdictsAgree() throws {
        let documents = [
            "<list xmlns=\"urn:t\"><item n=\"1\">a</item></list>",  // valid
            "<list xmlns=\"urn:t\">\n  <item n=\"1\">a</item>\n  <item n=\"2\"/>\n</list>",  // valid, with blanks
            "<list xmlns=\"urn:t\"><item n=\"0\">a</item></list>",  // bad value
            "<list xmlns=\"urn:t\"/>",  // missing child
            "<list xmlns=\"urn:other\"><item n=\"1\"/></list>",  // other namespace
            "<list xmlns=\"urn:t\"><item n=\"1\">a<b/></item></list>",  // element in simple content
        ]
        let verdicts = try documents.map { try #require(parser().validityVerdicts(Data($0.utf8))) }
        #expect(verdicts.map(\.tree) == [true, true, false, false, false, false])
        #expect(verdicts.map(\.streamed) == verdicts.map(\.tree))
        // A DOCTYPE or a broken document has no verdict: the tree is refused first.
        #expect(try parser().validityVerdicts(Data("<!DOCTYPE list><list xmlns=\"urn:t\"/>".utf8)) == nil)
        #expect(try parser().validityVerdicts(Data("<list".utf8)) == nil)
    }

    @Test func identityConstraintsLeftToTheCallerAreStillReportedByTheSchema() throws {
        let file = Self.folder.appendingPathComponent("u.xsd")
        let parser = SafeXMLParser(schema: try XMLSchema(contentsOf: file),
                                   identityFreeSchema: try XMLSchema(contentsOf: file, omittingIdentityConstraints: true))
        let unique = Data("<list xmlns=\"urn:t\"><item n=\"1\"/><item n=\"2\"/></list>".utf8)
        let twice = Data("<list xmlns=\"urn:t\"><item n=\"1\"/>\n<item n=\"01\"/></list>".utf8)
        // The identity-free schema lets the duplicate through: the caller's check is what stops it.
        #expect(try parser.withDocumentValidatingConcurrently(unique, displayName: "u.xml", identityConstraintsHold: { _ in true }) { _ in 0 }
            .validity.isEmpty)
        let reported = try parser.withDocumentValidatingConcurrently(twice, displayName: "u.xml", identityConstraintsHold: { _ in false }) { _ in 0 }
            .validity
        #expect(reported.map(\.line) == [2])
        #expect(reported.first?.message.contains("Duplicate key-sequence ['1'] in unique identity-constraint 'itemNumber'") == true, "\(reported)")
        #expect(parser.validityVerdicts(twice, identityConstraintsHold: { _ in false }).map { [$0.streamed, $0.tree] } == [false, false])
        #expect(parser.validityVerdicts(unique).map { [$0.streamed, $0.tree] } == [true, true])
    }

    @Test func aReadingThatThrowsStillWaitsForTheValidator() throws {
        struct Stop: Error {}
        let data = Data("<list xmlns=\"urn:t\"><item>no n</item></list>".utf8)
        #expect(throws: Stop.self) {
            try parser().withDocumentValidatingConcurrently(data, displayName: "t.xml") { _ -> Int in throw Stop() }
        }
        // Not well-formed: no tree, so the reading never runs and the parse error is what is thrown.
        #expect(throws: XMLDiagnostics.self) {
            try parser().withDocumentValidatingConcurrently(Data("<list".utf8), displayName: "t.xml") { _ in
                Issue.record("read a broken tree")
            }
        }
    }

    @Test func aDoctypeIsRefusedEvenWithoutEntities() throws {
        let data = Data("<?xml version=\"1.0\"?>\n<!DOCTYPE list>\n<list xmlns=\"urn:t\"/>".utf8)
        #expect(throws: XMLDiagnostics([XMLDiagnostic(
            file: "t.xml", line: 2, message: "DOCTYPE is not allowed (no DTDs or entities are accepted)", kind: .forbidden)])) {
            try parser().parse(data, displayName: "t.xml")
        }
    }

    @Test func inputOverTheLimitIsRefused() throws {
        let data = Data(repeating: UInt8(ascii: " "), count: 2048)
        #expect(throws: XMLDiagnostics.self) { try parser(maximumBytes: 1024).parse(data, displayName: "big.xml") }
    }

    @Test func theEntityLoaderAllowsOnlySchemaFilesOfRegisteredFolders() throws {
        _ = try parser()
        #expect(SafeXMLRuntime.isAllowed(Self.folder.appendingPathComponent("t.xsd").path))
        #expect(SafeXMLRuntime.isAllowed("file://" + Self.folder.appendingPathComponent("other.xsd").path))
        #expect(!SafeXMLRuntime.isAllowed("/etc/passwd"))
        #expect(!SafeXMLRuntime.isAllowed(Self.folder.path + "/../../etc/x.xsd"))
        #expect(!SafeXMLRuntime.isAllowed("http://example.org/t.xsd"))
        #expect(!SafeXMLRuntime.isAllowed("/tmp/elsewhere/t.xsd"))
    }

    @Test func diagnosticsPrintFileLineAndColumn() {
        #expect(XMLDiagnostic(file: "a.xml", line: 3, column: 7, message: "m", kind: .wellFormedness).description == "a.xml:3:7: m")
        #expect(XMLDiagnostic(file: "a.xml", line: 3, message: "m", kind: .validity).description == "a.xml:3: m")
        #expect(XMLDiagnostic(file: "a.xml", line: 0, message: "m", kind: .file).description == "a.xml: m")
    }
}

@Suite struct CollapsedTextTests {
    @Test func collapsesLikeXSDToken() {
        #expect(XMLElement(name: "t", text: "  Usluge \n\t dijaspori  ").collapsedText == "Usluge dijaspori")
        #expect(XMLElement(name: "t", text: "Usluge dijaspori").collapsedText == "Usluge dijaspori")
        #expect(XMLElement(name: "t", text: "Đ\r\nž").collapsedText == "Đ ž")
        #expect(XMLElement(name: "t", text: " \n ").collapsedText == "")
    }
}
