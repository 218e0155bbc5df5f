import Certificates
import CertificateTemplates
import CSV
import Foundation
import Localization
import Synchronization
import TrainingCore
import TrainingStore
import ZIPFoundation

/// Issues, prints and verifies certificates: the store, the signing key, the templates and the renderer
/// put together.
public struct CertificateOffice: Sendable {
    public let database: AppDatabase
    public let dataDirectory: DataDirectory
    public let templatesFolder: URL
    /// Base of the verification URL printed on certificates (`OBUKA_PUBLIC_URL`).
    public let publicURL: String

    public init(database: AppDatabase, dataDirectory: DataDirectory, home: HomeDirectory, environment: [String: String]) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.templatesFolder = home.url.appendingPathComponent("Certificates")
        var base = environment["OBUKA_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8080"
        while base.hasSuffix("/") { base.removeLast() }
        self.publicURL = base
    }

    /// The current signing key, generated into the data directory at first use.
    public func signingKey(actor: Actor) throws -> SigningKey {
        let files = SigningKeyFiles(dataDirectory: dataDirectory.url)
        if let keyID = try database.currentSigningKeyID() { return try files.load(keyID) }
        let key = try files.generate()
        try database.addSigningKey(keyID: key.keyID, publicKey: key.publicKeyBase64, actor: actor)
        return key
    }

    /// Generates a new signing key and retires the current one; certificates signed before keep verifying.
    public static func rotateKey(_ database: AppDatabase, dataDirectory: DataDirectory,
                                 actor: Actor) throws -> (key: String, previous: String?) {
        let key = try SigningKeyFiles(dataDirectory: dataDirectory.url).generate()
        let previous = try database.currentSigningKeyID()
        try database.addSigningKey(keyID: key.keyID, publicKey: key.publicKeyBase64, actor: actor)
        return (key.keyID, previous)
    }

    public func template(for language: Language) throws -> CertificateTemplate {
        guard let template = try CertificateTemplate.loadAll(folder: templatesFolder).values
            .sorted(by: { $0.id < $1.id }).first(where: { $0.language == language }) else {
            throw CertificateError.unknownTemplate(language: language.rawValue)
        }
        return template
    }

    /// Issues one certificate and returns it with its PDF.
    public func issue(personalNumber: String, cohortCode: String, language: Language, registryNumber: String?,
               settings: CertificateSettings?, actor: Actor, now: LocalDateTime) throws -> (IssuedCertificate, Data) {
        let key = try signingKey(actor: actor)
        let template = try template(for: language)
        let certificate = try database.issueCertificate(
            personalNumber: personalNumber, cohortCode: cohortCode, language: language, templateID: template.id,
            keyID: key.keyID, registryNumber: registryNumber, settings: settings, actor: actor, now: now) { draft in
            try signedContent(for: draft, key: key)
        }
        return (certificate, try render(certificate))
    }

    /// Issues certificates to every eligible trainee of a cohort who has none (serials and signatures in one short
    /// transaction), then renders the PDFs on dedicated threads.
    public func issueAll(cohortCode: String, language: Language, actor: Actor, now: LocalDateTime,
                  progress: @escaping @Sendable (Int, Int) -> Void) throws -> [(IssuedCertificate, Data)] {
        let key = try signingKey(actor: actor)
        let template = try template(for: language)
        let certificates = try database.issueCertificates(
            cohortCode: cohortCode, language: language, templateID: template.id, keyID: key.keyID, actor: actor, now: now) { draft in
            try signedContent(for: draft, key: key)
        }
        let templates = try CertificateTemplate.loadAll(folder: templatesFolder)
        let pdfs = try ParallelRenderer.render(certificates.count, progress: progress) { index, renderer in
            try render(certificates[index], templates: templates, renderer: renderer)
        }
        return Array(zip(certificates, pdfs))
    }

    /// Writes PDFs into one ZIP archive with an index (`index.csv`: serial; name; department), replacing the file.
    public static func writeArchive(_ items: [(IssuedCertificate, Data)], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, delimiter: ";", newline: .crlf)
        try writer.write(row: ["serial", "name", "department"])
        for (certificate, pdf) in items {
            try archive.addEntry(with: "\(certificate.serial).pdf", type: .file, uncompressedSize: Int64(pdf.count),
                                 modificationDate: Date(timeIntervalSince1970: 0), compressionMethod: .deflate) { position, size in
                pdf.subdata(in: Int(position)..<Int(position) + size)
            }
            writer.beginNewRow()
            try writer.write(row: [certificate.serial, certificate.payload.holder, certificate.department], quotedAtIndex: { _ in true })
        }
        writer.stream.close()
        var index = Data([0xEF, 0xBB, 0xBF])  // BOM, so Excel reads UTF-8
        index.append((stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data())
        try archive.addEntry(with: "index.csv", type: .file, uncompressedSize: Int64(index.count),
                             modificationDate: Date(timeIntervalSince1970: 0), compressionMethod: .deflate) { position, size in
            index.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    /// The PDF of a stored certificate: the same bytes every time.
    public func render(_ certificate: IssuedCertificate, templates: [String: CertificateTemplate]? = nil,
                renderer: CertificateRenderer = CertificateRenderer()) throws -> Data {
        let template = try (templates ?? CertificateTemplate.loadAll(folder: templatesFolder))[certificate.templateID]
            ?? self.template(for: certificate.language)
        return try renderer.render(
            template, fields: certificate.fields, qrText: certificate.fields["verify_url"] ?? "",
            metadata: PDFMetadata(
                title: "\(template.title) \(certificate.serial)", author: certificate.fields["provider"] ?? "",
                subject: certificate.payload.programTitle, keywords: CertificateToken.prefix + certificate.token,
                created: certificate.issued))
    }

    /// The printed fields of a certificate and the signed payload that covers what a reader checks.
    public func signedContent(for draft: CertificateDraft, key: SigningKey) throws -> CertificateContent {
        let fields = try content(for: draft)
        let payload = CertificatePayload(
            serial: draft.serial, holder: fields["full_name"]!, programID: draft.program.id,
            programVersion: draft.program.version, programTitle: fields["program_title"]!, hours: draft.program.totalHours,
            issued: draft.issued, expires: draft.expires, keyID: key.keyID, language: draft.language.rawValue)
        return (fields, payload, try CertificateToken.make(payload, key: key))
    }

    /// The printed text of a certificate, in its language.
    public func content(for draft: CertificateDraft) throws -> [String: String] {
        let language = draft.language
        let t = Localizer(language)
        let cyrillic = language == .serbianCyrillic
        func script(_ text: String) -> String { cyrillic ? SerbianTransliteration.latinToCyrillic(text) : text }
        let provider = try database.department(draft.program.provider)
        var fields: [String: String] = [
            "full_name": script(draft.person.fullName),
            "completed_word": t(CertificateRules.completedWordKey(draft.person.sex)),
            "program_title": draft.program.title.text(in: language),
            "modules": draft.program.modules.map { "\($0.order). \($0.title.text(in: language))" }.joined(separator: "; "),
            "hours": Self.hours(draft.program.totalHours, t),
            "issued_on": t.date(year: draft.issued.year, month: draft.issued.month, day: draft.issued.day),
            "place": script(draft.settings.place),
            "serial": draft.serial,
            "registry_number": draft.registryNumber.map(script) ?? "—",
            "signatory_name": script(draft.settings.signatoryName),
            "signatory_title": script(draft.settings.signatoryTitle),
            "verify_url": "\(publicURL)/verify/\(draft.serial)-\(draft.checkCode)",
            "provider": provider?.nameBosnian ?? draft.program.provider.rawValue,
            "provider_cyrillic": provider?.nameSerbianCyrillic ?? draft.program.provider.rawValue,
        ]
        if let expires = draft.expires {
            fields["expires_on"] = t.date(year: expires.year, month: expires.month, day: expires.day)
        }
        return fields
    }

    /// "24 sata", "8 sati", "7,5 sati": whole hours take the plural the count needs.
    public static func hours(_ value: Double, _ t: Localizer) -> String {
        guard value == value.rounded() else { return t("certificate.hours.other", ["count": DecimalText.number(value)]) }
        return t.plural("certificate.hours", count: Int(value))
    }

    /// Checks a certificate offline: by serial (the stored token) or a PDF file (its token and page text).
    public func verify(_ argument: String, today: LocalDate) throws -> CertificateVerification {
        let keys = try database.signingKeys().reduce(into: [String: Data]()) { $0[$1.keyID] = Data(base64Encoded: $1.publicKey) }
        let verifier = CertificateVerifier(publicKeys: keys)
        if argument.lowercased().hasSuffix(".pdf") || FileManager.default.fileExists(atPath: argument) {
            let url = URL(fileURLWithPath: argument)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw StoreError.notFound(entity: "file", id: argument)
            }
            let result = verifier.verify(token: CertificatePDF.token(in: data), pageText: try CertificatePDF.pageText(of: url),
                                         today: today)
            return try withRevocation(result)
        }
        let serial = argument.split(separator: "-").prefix(4).joined(separator: "-")
        guard let certificate = try? database.certificate(serial: serial) else { return .forged(.notIssued(serial)) }
        return try withRevocation(verifier.verify(token: certificate.token, pageText: nil, today: today))
    }

    /// A genuine certificate the register marks revoked is reported as revoked.
    private func withRevocation(_ result: CertificateVerification) throws -> CertificateVerification {
        switch result {
        case .valid(let payload), .expired(let payload):
            // The signature proves issue; the register adds revocation where it knows the serial.
            guard let stored = try? database.certificate(serial: payload.serial) else { return result }
            if let revokedAt = stored.revokedAt { return .revoked(payload, on: revokedAt, reason: stored.revocationReason ?? "") }
            return result
        case .revoked, .forged:
            return result
        }
    }
}

/// Renders documents on dedicated threads, one font map per thread (a PangoFontMap is not thread-safe), never
/// on Swift's cooperative pool (blocking it would stall a server).
public enum ParallelRenderer {
    public static func render(_ count: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                       progress: @escaping @Sendable (Int, Int) -> Void,
                       _ work: @escaping @Sendable (Int, CertificateRenderer) throws -> Data) throws -> [Data] {
        guard count > 0 else { return [] }
        let state = Mutex(RenderState(count: count))
        let finished = DispatchSemaphore(value: 0)
        let workers = max(1, min(threads, count))
        for _ in 0..<workers {
            let thread = Thread {
                let renderer = CertificateRenderer()
                while let index = state.withLock({ $0.claim() }) {
                    let result = Result { try work(index, renderer) }
                    let done = state.withLock { $0.store(result, at: index) }
                    progress(done, count)
                }
                finished.signal()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        for _ in 0..<workers { finished.wait() }
        return try state.withLock { state in
            for case .failure(let error)? in state.results { throw error }
            return try state.results.map { try $0!.get() }
        }
    }

    struct RenderState: ~Copyable {
        var next = 0
        var done = 0
        var failed = false
        var results: [Result<Data, any Error>?]

        init(count: Int) { results = Array(repeating: nil, count: count) }

        /// The next document to render, or nil when all are taken or one failed.
        mutating func claim() -> Int? {
            guard !failed, next < results.count else { return nil }
            defer { next += 1 }
            return next
        }

        mutating func store(_ result: Result<Data, any Error>, at index: Int) -> Int {
            if case .failure = result { failed = true }
            results[index] = result
            done += 1
            return done
        }
    }
}
