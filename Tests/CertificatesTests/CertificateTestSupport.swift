import Certificates
import CertificateTemplates
import Crypto
import Foundation
import TrainingCore

enum Paths {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = repositoryRoot.appendingPathComponent("Certificates")
}

/// Runs a command-line tool and returns its standard output.
@discardableResult
func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

struct Sample {
    let key = SigningKey(Curve25519.Signing.PrivateKey())
    let issued = LocalDate(iso: "2026-11-25")!

    func payload(holder: String = "Ljiljana Đukić", serial: String = "BD-DIJ-2026-000007",
                 title: String = "Program obuke rukovodilaca/službenika Brčko distrikta BiH za saradnju sa dijasporom") -> CertificatePayload {
        CertificatePayload(serial: serial, holder: holder, programID: "dijaspora-2022", programVersion: 1, programTitle: title,
                           hours: 24, issued: issued, expires: CertificateRules.expiry(issued: issued, validYears: 5),
                           keyID: key.keyID, language: "bs")
    }

    func fields(_ payload: CertificatePayload, completed: String = "završila") -> [String: String] {
        [
            "full_name": payload.holder, "completed_word": completed, "program_title": payload.programTitle,
            "modules": "1. Migracije i razvoj; 2. Međusektorska saradnja i mobilizacija dijaspore; 3. Usluge dijaspori",
            "hours": "24 sata", "issued_on": "25. 11. 2026.", "place": "Brčko", "serial": payload.serial,
            "registry_number": "01-11-1234/26", "signatory_name": "Amra Hadžić", "signatory_title": "Šefica Odjeljenja",
            "verify_url": "https://obuka.bdcentral.example/verify/\(payload.serial)-QFZBZ9K5",
            "provider": "Odjeljenje za evropske integracije i međunarodnu saradnju",
            "provider_cyrillic": "Одјељење за европске интеграције и међународну сарадњу",
        ]
    }

    func render(_ templateID: String, payload: CertificatePayload, fields: [String: String]? = nil,
                token: String? = nil) throws -> Data {
        let template = try CertificateTemplate.loadAll(folder: Paths.templates)[templateID]!
        let signed = try token ?? CertificateToken.make(payload, key: key)
        let values = fields ?? self.fields(payload)
        return try CertificateRenderer().render(
            template, fields: values, qrText: values["verify_url"]!,
            metadata: PDFMetadata(title: "Uvjerenje", author: "EIMS", subject: payload.programTitle,
                                  keywords: CertificateToken.prefix + signed, created: issued))
    }

    var verifier: CertificateVerifier {
        CertificateVerifier(publicKeys: [key.keyID: key.privateKey.publicKey.rawRepresentation])
    }
}
