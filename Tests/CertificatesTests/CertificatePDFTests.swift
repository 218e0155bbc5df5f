import Certificates
import CertificateTemplates
import Crypto
import Foundation
import Testing
import TrainingCore

@Suite struct CertificatePDFTests {
    let sample = Sample()

    @Test func pageShowsDiacriticsSerialAndTheFemaleWording() throws {
        let scratch = try Scratch()
        let pdf = scratch.file("c.pdf")
        try sample.render("uvjerenje-bs", payload: sample.payload()).write(to: pdf)
        let text = try CertificatePDF.pageText(of: pdf)
        #expect(text.contains("Ljiljana Đukić"))
        #expect(text.contains("završila je program obuke"))
        #expect(text.contains("BD-DIJ-2026-000007"))
        #expect(text.contains("Šefica Odjeljenja"))
        #expect(text.contains("Влада Брчко дистрикта БиХ"), "the District header stands in Cyrillic too")
    }

    @Test func theCyrillicTemplateShowsACyrillicTitle() throws {
        let scratch = try Scratch()
        let pdf = scratch.file("c.pdf")
        let payload = sample.payload(holder: "Љиљана Ђукић", title: "Програм обуке руководилаца/службеника Брчко дистрикта БиХ за сарадњу са дијаспором")
        try sample.render("uvjerenje-sr-cyrl", payload: payload, fields: sample.fields(payload, completed: "завршила")).write(to: pdf)
        let text = try CertificatePDF.pageText(of: pdf)
        #expect(text.contains("УВЈЕРЕЊЕ"))
        #expect(text.contains("Љиљана Ђукић"))
        #expect(CertificateVerifier.squeezed(text).contains(CertificateVerifier.squeezed(payload.programTitle)))
        #expect(text.contains("завршила је програм обуке"))
    }

    @Test func theQRCodeDecodesToTheVerificationURL() throws {
        let scratch = try Scratch()
        let pdf = scratch.file("c.pdf")
        try sample.render("uvjerenje-bs", payload: sample.payload()).write(to: pdf)
        try run("pdftoppm", ["-png", "-r", "150", pdf.path, scratch.file("page").path])
        let decoded = try run("zbarimg", ["-q", "--raw", scratch.file("page-1.png").path])
        #expect(decoded.status == 0)
        #expect(decoded.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "https://obuka.bdcentral.example/verify/BD-DIJ-2026-000007-QFZBZ9K5")
    }

    @Test func everyFontIsEmbedded() throws {
        let scratch = try Scratch()
        let pdf = scratch.file("c.pdf")
        try sample.render("uvjerenje-bs", payload: sample.payload()).write(to: pdf)
        let fonts = try run("pdffonts", [pdf.path]).output.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            // name type… encoding emb sub uni object ID: "emb" is the fifth column from the end.
            #expect(columns[columns.count - 5] == "yes", "\(line)")
        }
    }

    @Test func aReprintIsByteIdentical() throws {
        let token = try CertificateToken.make(sample.payload(), key: sample.key)
        let first = try sample.render("uvjerenje-bs", payload: sample.payload(), token: token)
        let second = try sample.render("uvjerenje-bs", payload: sample.payload(), token: token)
        #expect(first == second)
        #expect(CertificatePDF.token(in: first) == token)
    }

    @Test func aVeryLongNameWrapsOrShrinksButIsNeverCut() throws {
        let scratch = try Scratch()
        let pdf = scratch.file("c.pdf")
        let holder = "Aleksandra-Ljubica Hadžimehmedović-Đurđevac Petrović-Njegovanović Kovačević-Šehović"
        try sample.render("uvjerenje-bs", payload: sample.payload(holder: holder)).write(to: pdf)
        let text = try CertificatePDF.pageText(of: pdf)
        #expect(CertificateVerifier.squeezed(text).contains(CertificateVerifier.squeezed(holder)))
        #expect(sample.verifier.verify(token: CertificatePDF.token(in: try Data(contentsOf: pdf)), pageText: text,
                                       today: sample.issued).code == "valid")
    }
}

@Suite struct CertificateVerificationTests {
    let sample = Sample()

    @Test func aGenuineCertificateVerifies() throws {
        let token = try CertificateToken.make(sample.payload(), key: sample.key)
        #expect(sample.verifier.verify(token: token, pageText: nil, today: sample.issued) == .valid(sample.payload()))
    }

    @Test func aTamperedPayloadIsForged() throws {
        let token = try CertificateToken.make(sample.payload(), key: sample.key)
        let parts = token.split(separator: ".")
        var json = try JSONSerialization.jsonObject(with: Data(base64URL: String(parts[0]))!) as! [String: Any]
        json["holder"] = "Marko Marković"
        let changed = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        let forged = changed.base64URLEncoded + "." + parts[1]
        #expect(sample.verifier.verify(token: forged, pageText: nil, today: sample.issued) == .forged(.badSignature))
    }

    @Test func aForeignKeyIsForged() throws {
        let foreign = Sample()
        let token = try CertificateToken.make(foreign.payload(), key: foreign.key)
        #expect(sample.verifier.verify(token: token, pageText: nil, today: sample.issued) == .forged(.unknownKey(foreign.key.keyID)))
        // A foreign key claiming our key id fails the signature check.
        var claimed = foreign.payload()
        claimed.keyID = sample.key.keyID
        let impostor = try CertificateToken.make(claimed, key: foreign.key)
        #expect(sample.verifier.verify(token: impostor, pageText: nil, today: sample.issued) == .forged(.badSignature))
    }

    @Test func aPDFWhoseVisibleNameWasEditedIsForged() throws {
        let scratch = try Scratch()
        let pdf = scratch.file("edited.pdf")
        // The genuine signature of Ljiljana Đukić's certificate, on a page that names someone else.
        let genuine = sample.payload()
        let token = try CertificateToken.make(genuine, key: sample.key)
        var edited = sample.fields(genuine)
        edited["full_name"] = "Marko Marković"
        try sample.render("uvjerenje-bs", payload: genuine, fields: edited, token: token).write(to: pdf)
        let result = sample.verifier.verify(token: CertificatePDF.token(in: try Data(contentsOf: pdf)),
                                            pageText: try CertificatePDF.pageText(of: pdf), today: sample.issued)
        #expect(result == .forged(.pageTextMismatch(field: "holder")))
    }

    @Test func aPDFWithoutASignatureIsForged() {
        #expect(sample.verifier.verify(token: CertificatePDF.token(in: Data("%PDF-1.5 nothing".utf8)), pageText: "",
                                       today: sample.issued) == .forged(.noSignature))
    }

    @Test func expiryIsInclusiveOfTheLastDay() throws {
        let payload = sample.payload()
        #expect(payload.expires?.iso == "2031-11-24")
        let token = try CertificateToken.make(payload, key: sample.key)
        #expect(sample.verifier.verify(token: token, pageText: nil, today: LocalDate(iso: "2031-11-24")!).code == "valid")
        #expect(sample.verifier.verify(token: token, pageText: nil, today: LocalDate(iso: "2031-11-25")!) == .expired(payload))
        #expect(CertificateRules.expiry(issued: LocalDate(iso: "2028-02-29")!, validYears: 1)?.iso == "2029-02-27")
        #expect(CertificateRules.expiry(issued: LocalDate(iso: "2026-11-25")!, validYears: nil) == nil)
    }

    @Test func templatesWithUnknownPlaceholdersAreRefused() throws {
        let scratch = try Scratch()
        let bad = scratch.file("bad.xml")
        try String(contentsOf: Paths.templates.appendingPathComponent("uvjerenje-bs.xml"), encoding: .utf8)
            .replacingOccurrences(of: "{full_name}", with: "{fullname}").write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) {
            try CertificateTemplate.load(bad, schemaFolder: Paths.templates.appendingPathComponent("schema"))
        }
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }

    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
