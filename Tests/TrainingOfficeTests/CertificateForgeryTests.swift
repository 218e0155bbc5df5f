import Certificates
import CertificateTemplates
import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// A white box and another name laid over a genuine certificate verified as VALID: the page-text check only asked
/// whether the signed name appeared somewhere. Now the file's own bytes are signed, and every way of changing a PDF
/// that leaves the signed text on the page is FORGED. The forgeries are made with qpdf, as an attacker would.
@Suite struct CertificateForgeryTests {
    static func qpdf(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        // 3: warnings, the file is written all the same.
        #expect(process.terminationStatus == 0 || process.terminationStatus == 3, "qpdf \(arguments)")
    }

    /// A real incremental update: a new version of the page with a free-text annotation, appended after `%%EOF`.
    static func appendAnnotation(to pdf: Data) throws -> Data {
        let text = String(decoding: pdf, as: UTF8.self)
        let page = try #require(text.firstMatch(of: /(\d+) 0 obj\s*<<\s*\/Type \/Page\b(?:(?!endobj)[\s\S])*?endobj/))
        let pageNumber = Int(page.output.1)!
        let dictionary = String(page.output.0).replacingOccurrences(of: "endobj", with: "")
        let body = dictionary[dictionary.range(of: "<<")!.lowerBound..<dictionary.range(of: ">>", options: .backwards)!.lowerBound]
        let size = Int(try #require(text.firstMatch(of: /\/Size (\d+)/)).output.1)!
        let root = String(try #require(text.firstMatch(of: /\/Root (\d+ 0 R)/)).output.1)
        let previous = String(try #require(text.firstMatch(of: /startxref\s+(\d+)\s+%%EOF\s*$/)).output.1)
        var update = "\n", offsets: [(Int, Int)] = []
        let annotation = size
        offsets.append((annotation, pdf.count + update.utf8.count))
        update += "\(annotation) 0 obj\n<< /Type /Annot /Subtype /FreeText /Rect [60 60 500 120] /Contents (Ana Lazic) /DA (/Helv 24 Tf 0 g) >>\nendobj\n"
        offsets.append((pageNumber, pdf.count + update.utf8.count))
        update += "\(pageNumber) 0 obj\n\(body) /Annots [\(annotation) 0 R] >>\nendobj\n"
        let xref = pdf.count + update.utf8.count
        update += "xref\n0 1\n0000000000 65535 f \n"
        for (number, offset) in offsets.sorted(by: { $0.0 < $1.0 }) {
            update += "\(number) 1\n" + String(format: "%010d 00000 n \n", offset)
        }
        update += "trailer\n<< /Size \(size + 1) /Root \(root) /Prev \(previous) >>\nstartxref\n\(xref)\n%%EOF\n"
        return pdf + Data(update.utf8)
    }

    @Test func everyWayOfAlteringTheFileIsForged() throws {
        let database = try makeCompletedCohort(people: 2, passing: ["1", "2"])
        let later = at("2026-04-30 18:00")
        let folder = try TemporaryDirectory()
        let desk = office(database, at: later, keys: folder.url).certificates
        let settings = CertificateSettings(signatoryName: "Ana Anić", signatoryTitle: "Šefica", place: "Brčko")
        let (genuine, pdf) = try desk.issue(person: "1", cohort: "A", language: .bosnian, registryNumber: nil, settings: settings, actor: testActor)
        let (_, other) = try desk.issue(person: "2", cohort: "A", language: .bosnian, registryNumber: nil, settings: settings, actor: testActor)
        func file(_ name: String, _ data: Data? = nil) throws -> String {
            let url = folder.url.appendingPathComponent(name)
            if let data { try data.write(to: url) }
            return url.path
        }
        let original = try file("original.pdf", pdf), overlay = try file("other.pdf", other)
        guard case .valid = try desk.verify(original) else { Issue.record("the genuine file does not verify"); return }
        #expect(try desk.fileSignature(of: original) == .intact(keyID: genuine.payload.keyID))
        // A reprint is the same file.
        #expect(try desk.render(genuine) == pdf)

        try Self.qpdf([original, "--overlay", overlay, "--", try file("overlay.pdf")])
        try Self.qpdf([original, "--underlay", overlay, "--", try file("underlay.pdf")])
        try Self.qpdf([original, "--pages", original, overlay, "--", try file("pages.pdf")])
        try Self.qpdf([original, try file("rewritten.pdf")])
        _ = try file("annotated.pdf", try Self.appendAnnotation(to: pdf))
        _ = try file("appended.pdf", pdf + Data("\n% an incremental update\n%%EOF\n".utf8))
        for forgery in ["overlay", "underlay", "pages", "rewritten", "annotated", "appended"] {
            let path = try file("\(forgery).pdf")
            // Each keeps the genuine token in its Keywords, which alone verified before.
            #expect(CertificatePDF.token(in: try Data(contentsOf: URL(fileURLWithPath: path))) == genuine.token, "\(forgery)")
            #expect(try desk.verify(path) == .forged(.fileAltered), "\(forgery)")
        }
    }

    /// A certificate printed before files were signed verifies as it did, and is told apart; its reprint is signed.
    @Test func certificatesPrintedBeforeFileSignaturesStillVerify() throws {
        let database = try makeCompletedCohort(people: 1, passing: ["1"])
        let later = at("2026-04-30 18:00")
        let folder = try TemporaryDirectory()
        let desk = office(database, at: later, keys: folder.url).certificates
        let (certificate, _) = try desk.issue(person: "1", cohort: "A", language: .bosnian, registryNumber: nil,
                                              settings: CertificateSettings(signatoryName: "A", signatoryTitle: "B", place: "Brčko"),
                                              actor: testActor)
        // As the renderer wrote it before: the token in the Keywords, no file signature.
        let template = try #require(try CertificateTemplate.loadAll(folder: repositoryRoot.appendingPathComponent("Certificates"))[certificate.templateID])
        let old = try CertificateRenderer().render(
            template, fields: certificate.fields, qrText: certificate.fields["verify_url"] ?? "",
            metadata: PDFMetadata(title: "old", author: "", subject: certificate.payload.programTitle,
                                  keywords: CertificateToken.prefix + certificate.token, created: certificate.issued))
        let path = folder.url.appendingPathComponent("old.pdf").path
        try old.write(to: URL(fileURLWithPath: path))
        guard case .valid = try desk.verify(path) else { Issue.record("an old certificate no longer verifies"); return }
        #expect(try desk.fileSignature(of: path) == .notSigned)
        let reprint = folder.url.appendingPathComponent("reprint.pdf").path
        try desk.render(certificate).write(to: URL(fileURLWithPath: reprint))
        #expect(try desk.fileSignature(of: reprint) == .intact(keyID: certificate.payload.keyID))
    }
}
