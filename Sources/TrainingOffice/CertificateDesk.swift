import Certificates
import CertificateTemplates
import CSV
import Foundation
import Localization
import Synchronization
import TrainingCore
internal import TrainingStore
import ZIPFoundation

/// Certificates: who signs a cohort's, issuing to those who completed (one, or a whole cohort with the PDFs rendered on
/// threads of their own), reprints identical to the first print, revocation, the recertification list, and offline
/// verification. Everything a certificate needs from outside the store (the signing key, the template, the provider's
/// name) is gathered before its transaction; inside it nothing but the store is read.
public struct CertificateDesk: Sendable {
    let context: OfficeContext

    // MARK: Settings and keys

    /// Sets who signs a cohort's certificates, and where.
    public func setSettings(cohort code: String, _ settings: CertificateSettings, actor: Actor) throws {
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            try tx.setCertificateSettings(cohort: cohort.id, settings)
            try tx.appendAudit(AuditEntry(actor: actor, action: "certificate.settings", entityType: "cohort", entityID: cohort.code))
        }
    }

    /// A cohort's certificate settings, if set.
    public func settings(cohort: String) throws -> CertificateSettings? { try context.database.certificateSettings(cohortCode: cohort) }

    /// Every public signing key, oldest first.
    public func signingKeys() throws -> [PublicSigningKey] { try context.database.signingKeys() }

    /// The key that signs new certificates, if there is one yet.
    public func currentKeyID() throws -> String? { try context.database.currentSigningKeyID() }

    /// Generates a new signing key into the data directory and retires the current one; certificates signed before keep
    /// verifying. Returns the new key's id and the previous one's.
    public func rotateKey(actor: Actor) throws -> (key: String, previous: String?) {
        let key = try SigningKeyFiles(dataDirectory: context.dataDirectory.url).generate()
        let previous = try publish(key, actor: actor)
        return (key.keyID, previous.first)
    }

    /// The current signing key, generated into the data directory at first use.
    func signingKey(actor: Actor) throws -> SigningKey {
        let files = SigningKeyFiles(dataDirectory: context.dataDirectory.url)
        if let keyID = try context.database.currentSigningKeyID() { return try files.load(keyID) }
        let key = try files.generate()
        try publish(key, actor: actor)
        return key
    }

    @discardableResult
    private func publish(_ key: SigningKey, actor: Actor) throws -> [String] {
        try context.write { tx in
            let retired = try tx.addSigningKey(keyID: key.keyID, publicKey: key.publicKeyBase64)
            try tx.appendAudit(AuditEntry(actor: actor, action: "key.add", entityType: "signing_key", entityID: key.keyID,
                                          details: AuditDetails([("retired", .strings(retired))]).json))
            return retired
        }
    }

    // MARK: Issuing

    /// Issues a certificate to a person who completed the program in a cohort, and returns it with its PDF, in `language`
    /// or else the person's preferred language (Bosnian if there is no template for it). Refused when they have not
    /// completed, already hold a valid one, or the cohort has no settings and none are given.
    public func issue(person number: String, cohort code: String, language: Language?, registryNumber: String?,
                      settings override: CertificateSettings?, actor: Actor) throws -> (IssuedCertificate, Data) {
        let preferred = language == nil ? (try? context.database.person(personalNumber: number))?.preferredLanguage : nil
        let issuing = try prepare(cohort: code, language: language, preferred: preferred, actor: actor)
        let now = context.clock.now()
        let certificate = try context.write { tx in
            let cohort = try tx.cohort(code: code)
            try Self.requireConfirmedPolicy(tx, cohort)
            guard let person = try tx.person(personalNumber: number) else { throw PeopleError.unknownPerson(personalNumber: number) }
            guard try Self.eligible(tx, cohort: cohort, now: now).contains(person.id) else {
                throw CertificateError.notCompleted(personalNumber: number, cohort: cohort.code)
            }
            if let serial = try tx.validCertificateSerial(person: person.id, cohort: cohort.id) {
                throw CertificateError.alreadyIssued(personalNumber: number, cohort: cohort.code, serial: serial)
            }
            let settings = try override ?? Self.storedSettings(tx, cohort)
            let serial = try issuing.issue(to: person, cohort: cohort, program: try tx.program(of: cohort), settings: settings,
                                           registryNumber: registryNumber, at: now, tx)
            try tx.appendAudit(AuditEntry(actor: actor, action: "certificate.issue", entityType: "certificate", entityID: serial,
                                          details: AuditDetails([("person", .string(number)), ("cohort", .string(cohort.code))]).json))
            return try tx.certificate(serial: serial)
        }
        return (certificate, try issuing.render(certificate, renderer: CertificateRenderer()))
    }

    /// Issues certificates to every trainee of a cohort who completed and holds no valid certificate, in one short
    /// transaction with one audit entry (serials and signatures), rendering the PDFs on threads of their own as the
    /// certificates are issued (a failed transaction's PDFs are dropped). Running it again issues nothing; two runs at
    /// once cannot issue twice (SQLite serialises writers; a unique index backs it).
    public func issueAll(cohort code: String, language: Language, actor: Actor,
                         progress: @escaping @Sendable (Int, Int) -> Void) throws -> [(IssuedCertificate, Data)] {
        let issuing = try prepare(cohort: code, language: language, preferred: nil, actor: actor)
        let now = context.clock.now()
        let pipeline = RenderPipeline<IssuedCertificate>(progress: progress) { certificate, renderer in
            try issuing.render(certificate, renderer: renderer)
        }
        let certificates: [IssuedCertificate]
        do {
            certificates = try issue(cohort: code, issuing: issuing, at: now, actor: actor, rendering: pipeline)
        } catch {
            pipeline.cancel()
            throw error
        }
        return Array(zip(certificates, try pipeline.finish()))
    }

    /// The transaction of `issueAll`: each certificate goes to `rendering` as soon as it is stored.
    private func issue(cohort code: String, issuing: Issuing, at now: LocalDateTime, actor: Actor,
                       rendering: RenderPipeline<IssuedCertificate>) throws -> [IssuedCertificate] {
        try context.write { tx -> [IssuedCertificate] in
            let cohort = try tx.cohort(code: code)
            try Self.requireConfirmedPolicy(tx, cohort)
            let eligible = try Self.eligible(tx, cohort: cohort, now: now)
            let holders = try tx.certificateHolders(cohort: cohort.id)
            // Place holders come by name: serials follow the alphabet.
            let people = try tx.progressFacts(cohort, people: nil, now: now).map(\.person)
                .filter { eligible.contains($0.id) && !holders.contains($0.id) }
            guard !people.isEmpty else { return [] }
            let settings = try Self.storedSettings(tx, cohort)
            let program = try tx.program(of: cohort)
            rendering.expect(people.count)
            var certificates: [IssuedCertificate] = []
            for person in people {
                let serial = try issuing.issue(to: person, cohort: cohort, program: program, settings: settings, registryNumber: nil,
                                               at: now, tx)
                let certificate = try tx.certificate(serial: serial)
                rendering.submit(certificate)
                certificates.append(certificate)
            }
            try tx.appendAudit(AuditEntry(
                actor: actor, action: "certificate.issue.bulk", entityType: "cohort", entityID: cohort.code,
                details: AuditDetails([("issued", .int(certificates.count)), ("first", .string(certificates.first!.serial)),
                                       ("last", .string(certificates.last!.serial))]).json))
            return certificates
        }
    }

    /// What issuing needs from outside the store: the key, the templates (read and checked once), the provider's name.
    /// The language is the one asked for, else a preferred one that has a template, else Bosnian.
    func prepare(cohort code: String, language asked: Language?, preferred: Language?, actor: Actor) throws -> Issuing {
        let templates = try CertificateTemplate.loadAll(folder: try templatesFolder())
        let language = asked ?? preferred.flatMap { preferred in
            templates.values.contains { $0.language == preferred } ? preferred : nil
        } ?? .default
        let template = try Self.template(for: language, in: templates)
        let program = try context.database.read { tx in try tx.program(of: try tx.cohort(code: code)) }
        return Issuing(key: try signingKey(actor: actor), template: template, templates: templates,
                       provider: try context.database.department(program.provider), publicURL: context.settings.publicURL,
                       language: language, messages: MessageWriter(context: context))
    }

    /// People of a cohort who may receive a certificate: completed, or approved with the rule met now.
    private static func eligible(_ tx: StoreTransaction, cohort: Cohort, now: LocalDateTime) throws -> Set<PersonID> {
        let program = try tx.program(of: cohort)
        return Set(try tx.progressFacts(cohort, people: nil, now: now)
            .filter { $0.status == .completed || ($0.status == .approved && $0.progress(in: program).isComplete) }.map(\.person.id))
    }

    /// Refuses a cohort whose program marks its provenance until a coordinator has confirmed the program's policy:
    /// a certificate states the completion rule's outcome, the validity and the module titles as the District's.
    private static func requireConfirmedPolicy(_ tx: StoreTransaction, _ cohort: Cohort) throws {
        let program = try tx.program(of: cohort)
        guard program.declaresProvenance else { return }
        guard try tx.policyConfirmation(program: program.id, version: program.version) != nil else {
            throw CertificateError.policyUnconfirmed(program: program.id, version: program.version)
        }
    }

    private static func storedSettings(_ tx: StoreTransaction, _ cohort: Cohort) throws -> CertificateSettings {
        guard let settings = try tx.certificateSettings(cohort: cohort.id) else { throw CertificateError.noSettings(cohort: cohort.code) }
        return settings
    }

    // MARK: The register

    /// Revokes a certificate (audited); the holder may then receive a replacement.
    public func revoke(serial: String, reason: String, actor: Actor) throws -> IssuedCertificate {
        try context.write { tx in
            let certificate = try tx.certificate(serial: serial)
            guard certificate.revokedAt == nil else { throw CertificateError.alreadyRevoked(serial: serial) }
            try tx.revokeCertificate(serial: serial, reason: reason)
            try tx.appendAudit(AuditEntry(actor: actor, action: "certificate.revoke", entityType: "certificate", entityID: serial,
                                          details: AuditDetails([("reason", .string(reason))]).json))
            return try tx.certificate(serial: serial)
        }
    }

    /// The people holding a place in a cohort, by name (whom a certificate can be issued to).
    public func placeHolders(cohort code: String) throws -> [Person] {
        let now = context.clock.now()
        return try context.database.read { tx in try tx.progressFacts(try tx.cohort(code: code), people: nil, now: now).map(\.person) }
    }

    /// Today in the District (what decides whether a certificate is still valid).
    public var today: LocalDate { context.clock.today }

    /// A certificate by serial.
    public func certificate(serial: String) throws -> IssuedCertificate { try context.database.certificate(serial: serial) }

    /// Certificates, newest first, optionally of one cohort or person.
    public func list(cohort: String? = nil, person: String? = nil) throws -> [IssuedCertificate] {
        try context.database.certificates(cohortCode: cohort, personalNumber: person)
    }

    /// A page of the certificates register, with each certificate's state as of today.
    public func register(_ query: CertificateListQuery) throws -> ListSlice<Listed<IssuedCertificate>> {
        try context.database.certificates(query, today: context.clock.today)
    }

    /// Valid certificates whose last day falls within `days` from today: who needs recertification.
    public func expiring(within days: Int) throws -> [IssuedCertificate] {
        try context.database.expiringCertificates(within: days, today: context.clock.today)
    }

    /// The certificate a public verification id (`BD-<code>-<year>-<number>-<check code>`) names, or nil: the check
    /// code must match, so serials cannot be tried in sequence.
    public func certificate(verificationID id: String) -> IssuedCertificate? {
        let parts = id.split(separator: "-")
        guard parts.count == 5, id.count < 64,
              let certificate = try? context.database.certificate(serial: parts.prefix(4).joined(separator: "-")),
              certificate.checkCode == parts[4] else { return nil }
        return certificate
    }

    // MARK: Printing

    /// The PDF of a stored certificate: the same bytes every time. Its file is signed by the key that signed its
    /// token while that key's file is kept, else by the current key.
    public func render(_ certificate: IssuedCertificate) throws -> Data {
        let templates = try CertificateTemplate.loadAll(folder: try templatesFolder())
        let template = try templates[certificate.templateID] ?? Self.template(for: certificate.language, in: templates)
        let files = SigningKeyFiles(dataDirectory: context.dataDirectory.url)
        let current = try currentKeyID()
        guard let key = (try? files.load(certificate.payload.keyID)) ?? current.flatMap({ try? files.load($0) }) else {
            throw CertificateError.noSigningKey
        }
        return try Issuing.render(certificate, template: template, renderer: CertificateRenderer(), key: key)
    }

    /// A template of the installation filled with sample data (`preview(template:holder:home:)`).
    public func preview(template id: String, holder name: String) throws -> Data {
        try Self.preview(template: id, holder: name, home: try context.home())
    }

    /// The ids of the installation's certificate templates (`uvjerenje-bs`, …), sorted.
    public func templateIDs() throws -> [String] { try CertificateTemplate.loadAll(folder: try templatesFolder()).keys.sorted() }

    /// A template filled with sample data, for checking a layout: not a certificate (it carries no signature).
    public static func preview(template id: String, holder name: String, home: HomeDirectory) throws -> Data {
        guard let layout = try CertificateTemplate.loadAll(folder: home.url.appendingPathComponent("Certificates"))[id] else {
            throw CertificateError.unknownTemplate(language: id)
        }
        let t = Localizer(layout.language)
        let script = t.script
        let fields = [
            "full_name": script(name), "completed_word": t("certificate.completed.female"),
            "program_title": script("Program obuke rukovodilaca/službenika Brčko distrikta BiH za saradnju sa dijasporom"),
            "modules": script("1. Migracije i razvoj; 2. Međusektorska saradnja i mobilizacija dijaspore; 3. Usluge dijaspori"),
            "hours": Issuing.hours(24, t), "issued_on": t.date(year: 2026, month: 11, day: 25),
            "expires_on": t.date(year: 2031, month: 11, day: 24), "place": script("Brčko"),
            "serial": "BD-DIJ-2026-000123", "registry_number": "01-11-1234/26",
            "registry_line": t("certificate.registry_line", ["number": "01-11-1234/26"]) + "\n",
            "signatory_name": script("Amra Hadžić"), "signatory_title": script("Šefica Odjeljenja"),
            "verify_url": "https://obuka.example/verify/BD-DIJ-2026-000123-QFZBZ9K5",
            "provider": "Odjeljenje za evropske integracije i međunarodnu saradnju",
            "provider_cyrillic": "Одјељење за европске интеграције и међународну сарадњу",
        ]
        return try CertificateRenderer().render(
            layout, fields: fields, qrText: fields["verify_url"]!,
            metadata: PDFMetadata(title: layout.title, author: "obuka", subject: "preview", keywords: "preview",
                                  created: LocalDate(iso: "2026-11-25")!))
    }

    /// Writes PDFs into one ZIP archive with an index (`index.csv`: serial; name; department; status), replacing the file.
    /// Only certificates that are valid on `today` go in: a revoked or expired one is left out.
    public static func writeArchive(_ items: [(IssuedCertificate, Data)], to url: URL, today: LocalDate) throws {
        let items = items.filter { $0.0.registerState(today: today) == "valid" }
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, delimiter: ";", newline: .crlf)
        try writer.write(row: ["serial", "name", "department", "status"])
        for (certificate, pdf) in items {
            // Stored, not deflated: a PDF's streams are compressed already, and deflating a cohort's PDFs again saved
            // a tenth of the size for a fifth of the issue's time, on one core after the drawing used both.
            try archive.addEntry(with: "\(certificate.serial).pdf", type: .file, uncompressedSize: Int64(pdf.count),
                                 modificationDate: Date(timeIntervalSince1970: 0), compressionMethod: .none) { position, size in
                pdf.subdata(in: Int(position)..<Int(position) + size)
            }
            writer.beginNewRow()
            try writer.write(row: [certificate.serial, certificate.payload.holder, certificate.department,
                                   certificate.registerState(today: today)], quotedAtIndex: { _ in true })
        }
        writer.stream.close()
        var index = Data([0xEF, 0xBB, 0xBF])  // BOM, so Excel reads UTF-8
        index.append((stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data())
        index.append(contentsOf: [0x0D, 0x0A])  // the writer ends rows only before the next one
        try archive.addEntry(with: "index.csv", type: .file, uncompressedSize: Int64(index.count),
                             modificationDate: Date(timeIntervalSince1970: 0), compressionMethod: .deflate) { position, size in
            index.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    // MARK: Verifying

    /// Checks a certificate offline: by serial or verification id (the stored token) or a PDF file (its token and page
    /// text); a genuine certificate the register marks revoked is reported as revoked.
    public func verify(_ argument: String) throws -> CertificateVerification {
        let today = context.clock.today
        let keys = try signingKeys().reduce(into: [String: Data]()) { $0[$1.keyID] = Data(base64Encoded: $1.publicKey) }
        let verifier = CertificateVerifier(publicKeys: keys)
        if argument.lowercased().hasSuffix(".pdf") || FileManager.default.fileExists(atPath: argument) {
            let url = URL(fileURLWithPath: argument)
            let data = try InputFile.read(url.path)
            // A file that carries its own signature must be exactly as signed; one printed before files were signed is
            // checked by its token and page text, as it always was (`fileSignature` tells the two apart).
            if PDFFileSignature.check(data, publicKeys: keys) == .altered { return .forged(.fileAltered) }
            let result = verifier.verify(token: CertificatePDF.token(in: data), pageText: try CertificatePDF.pageText(of: url),
                                         today: today)
            return try withRevocation(result)
        }
        let serial = argument.split(separator: "-").prefix(4).joined(separator: "-")
        guard let certificate = try? certificate(serial: serial) else { return .forged(.notIssued(serial)) }
        return try withRevocation(verifier.verify(token: certificate.token, pageText: nil, today: today))
    }

    /// Whether a certificate file carries its own signature, and whether its bytes are as signed.
    public func fileSignature(of path: String) throws -> PDFFileSignature.Check {
        let keys = try signingKeys().reduce(into: [String: Data]()) { $0[$1.keyID] = Data(base64Encoded: $1.publicKey) }
        return PDFFileSignature.check(try InputFile.read(path), publicKeys: keys)
    }

    private func withRevocation(_ result: CertificateVerification) throws -> CertificateVerification {
        switch result {
        case .valid(let payload), .expired(let payload):
            // The signature proves issue; the register adds revocation where it knows the serial.
            guard let stored = try? certificate(serial: payload.serial) else { return result }
            if let revokedAt = stored.revokedAt { return .revoked(payload, on: revokedAt, reason: stored.revocationReason ?? "") }
            return result
        case .revoked, .forged:
            return result
        }
    }

    private func templatesFolder() throws -> URL { try context.home().url.appendingPathComponent("Certificates") }

    static func template(for language: Language, in templates: [String: CertificateTemplate]) throws -> CertificateTemplate {
        guard let template = templates.values.sorted(by: { $0.id < $1.id }).first(where: { $0.language == language }) else {
            throw CertificateError.unknownTemplate(language: language.rawValue)
        }
        return template
    }
}

/// Everything a certificate's issue needs besides the store, gathered before its transaction: the key that signs, the
/// template (read once), the provider's name and the verification address.
struct Issuing: Sendable {
    let key: SigningKey
    let template: CertificateTemplate
    let templates: [String: CertificateTemplate]
    let provider: Department?
    let publicURL: String
    let language: Language
    /// Queues the holder's message in the issue's transaction.
    let messages: MessageWriter

    /// Allocates the serial, fills and signs the certificate dated `now`, and stores it in `tx`; returns the serial.
    /// `program` is the cohort's (read once by a caller issuing many). `tellHolder` false records history: certificates
    /// handed over long ago, of which a message now would only mislead.
    func issue(to person: Person, cohort: Cohort, program: Program, settings: CertificateSettings, registryNumber: String?,
               at now: LocalDateTime, tellHolder: Bool = true, _ tx: StoreTransaction) throws -> String {
        let issued = now.date
        let serial = CertificateRules.serial(code: program.serialCode, year: issued.year,
                                             sequence: try tx.nextSerialNumber(code: program.serialCode, year: issued.year))
        let draft = CertificateDraft(
            serial: serial, checkCode: CertificateRules.newCheckCode(), person: person, cohort: cohort, program: program,
            issued: issued, expires: CertificateRules.expiry(issued: issued, validYears: program.validYears), settings: settings,
            registryNumber: registryNumber, language: language,
            heldMinutes: program.declaresProvenance ? try tx.heldMinutes(cohort: cohort.id, now: now) : nil)
        let content = try signedContent(for: draft)
        try tx.insertCertificate(draft, templateID: template.id, keyID: key.keyID, content: content)
        if tellHolder {
            try messages.certificateIssued(tx, serial: serial, program: program, verifyURL: content.fields["verify_url"] ?? publicURL,
                                           person: person)
        }
        return serial
    }

    /// The printed fields of a certificate and the signed payload covering what a reader checks.
    func signedContent(for draft: CertificateDraft) throws -> CertificateContent {
        let fields = content(for: draft)
        let payload = CertificatePayload(
            serial: draft.serial, holder: fields["full_name"]!, programID: draft.program.id,
            programVersion: draft.program.version, programTitle: fields["program_title"]!, hours: draft.statedHours,
            issued: draft.issued, expires: draft.expires, keyID: key.keyID, language: draft.language.rawValue)
        return (fields, payload, try CertificateToken.make(payload, key: key))
    }

    /// The printed text of a certificate, in its language.
    func content(for draft: CertificateDraft) -> [String: String] {
        let language = draft.language
        let t = Localizer(language)
        let script = t.script
        var fields: [String: String] = [
            "full_name": script(draft.person.fullName),
            "completed_word": t(CertificateRules.completedWordKey(draft.person.sex)),
            "program_title": draft.program.title.text(in: language),
            "modules": draft.program.modules.map { "\($0.order). \($0.title.text(in: language))" }.joined(separator: "; "),
            "hours": Self.hours(draft.statedHours, t),
            "issued_on": t.date(year: draft.issued.year, month: draft.issued.month, day: draft.issued.day),
            "place": script(draft.settings.place),
            "serial": draft.serial,
            "registry_number": draft.registryNumber.map(script) ?? "—",
            // No line at all without a registry number: an official document never shows a placeholder.
            "registry_line": draft.registryNumber.map { t("certificate.registry_line", ["number": script($0)]) + "\n" } ?? "",
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

    /// The PDF of a certificate issued with these templates.
    func render(_ certificate: IssuedCertificate, renderer: CertificateRenderer) throws -> Data {
        try Self.render(certificate, template: templates[certificate.templateID] ?? template, renderer: renderer, key: key)
    }

    /// The fields a template prints. A certificate issued before the registry line was its own field stored only its
    /// registry number (`—` when there was none) and was printed as `Broj: —`: its line is derived as it was printed,
    /// so a reprint stays identical to the first.
    static func printedFields(_ fields: [String: String], language: Language) -> [String: String] {
        guard fields["registry_line"] == nil else { return fields }
        var fields = fields
        fields["registry_line"] = Localizer(language)("certificate.registry_line", ["number": fields["registry_number"] ?? "—"]) + "\n"
        return fields
    }

    /// The PDF of a certificate, its file signed by `key` (see `PDFFileSignature`).
    static func render(_ certificate: IssuedCertificate, template: CertificateTemplate, renderer: CertificateRenderer,
                       key: SigningKey) throws -> Data {
        let pdf = try renderer.render(
            template, fields: printedFields(certificate.fields, language: certificate.language),
            qrText: certificate.fields["verify_url"] ?? "",
            metadata: PDFMetadata(
                title: "\(template.title) \(certificate.serial)", author: certificate.fields["provider"] ?? "",
                subject: certificate.payload.programTitle,
                keywords: CertificateToken.prefix + certificate.token + " " + PDFFileSignature.placeholder(keyID: key.keyID),
                created: certificate.issued))
        return try PDFFileSignature.sign(pdf, key: key)
    }

    /// "24 sata", "8 sati", "7,5 sati": whole hours take the plural the count needs.
    static func hours(_ value: Double, _ t: Localizer) -> String {
        guard value == value.rounded() else { return t("certificate.hours.other", ["count": DecimalText.format(value)]) }
        return t.plural("certificate.hours", count: Int(value))
    }
}

/// Renders documents on dedicated threads as they are handed in, one font map per thread (a PangoFontMap is not
/// thread-safe), never on Swift's cooperative pool (blocking it would stall a server). A bulk issue hands each
/// certificate in as its transaction stores it, so drawing (most of the work) runs beside the issuing on the other cores.
final class RenderPipeline<Item: Sendable>: Sendable {
    private let state = Mutex(State())
    /// One signal per item handed in, and one per worker when no more will come.
    private let available = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let workers: Int
    private let progress: @Sendable (Int, Int) -> Void

    private struct State: ~Copyable {
        var items: [Item] = []
        var results: [Result<Data, any Error>?] = []
        var next = 0, done = 0, expected = 0
        var failed = false, cancelled = false
    }

    /// Starts the workers (one per core); `progress` hears (rendered, expected) after each document.
    init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: @escaping @Sendable (Int, Int) -> Void,
         _ work: @escaping @Sendable (Item, CertificateRenderer) throws -> Data) {
        workers = max(1, threads)
        self.progress = progress
        for _ in 0..<workers {
            let thread = Thread { [self] in
                // Made at the first document: a pipeline handed nothing (no one left to issue to) opens no font map.
                var renderer: CertificateRenderer?
                while true {
                    available.wait()
                    let claimed: (index: Int, item: Item)? = state.withLock { state in
                        guard !state.failed, !state.cancelled, state.next < state.items.count else { return nil }
                        defer { state.next += 1 }
                        return (state.next, state.items[state.next])
                    }
                    // A signal without an item is the end: no more will come (or they are not wanted).
                    guard let claimed else { break }
                    let drawing = renderer ?? CertificateRenderer()
                    renderer = drawing
                    let result = Result { try work(claimed.item, drawing) }
                    let counts = state.withLock { state in
                        if case .failure = result { state.failed = true }
                        state.results[claimed.index] = result
                        state.done += 1
                        return (state.done, max(state.expected, state.items.count))
                    }
                    self.progress(counts.0, counts.1)
                }
                finished.signal()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// How many documents will be handed in (for the progress figures).
    func expect(_ count: Int) { state.withLock { $0.expected = count } }

    /// Hands a document in; a worker draws it when free.
    func submit(_ item: Item) {
        state.withLock { state in
            state.items.append(item)
            state.results.append(nil)
        }
        available.signal()
    }

    /// Waits for every document handed in; returns them in the order handed in, or the first failure.
    func finish() throws -> [Data] {
        stopWorkers()
        return try state.withLock { state in
            for case .failure(let error)? in state.results { throw error }
            return try state.results.map { try $0!.get() }
        }
    }

    /// Drops what was handed in and not yet drawn, and waits for the workers to stop.
    func cancel() {
        state.withLock { $0.cancelled = true }
        stopWorkers()
    }

    private func stopWorkers() {
        for _ in 0..<workers { available.signal() }
        for _ in 0..<workers { finished.wait() }
    }
}
