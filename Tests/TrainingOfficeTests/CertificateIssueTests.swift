import Certificates
import Foundation
import GRDB
import Synchronization
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// Issuing runs in process over an in-memory `DatabaseQueue`: everything a certificate needs from outside the store is
/// gathered before the write, so the one writer connection is never asked to read from inside its own transaction.
@Suite struct CertificateIssueTests {
    let later = at("2026-04-30 18:00")

    /// Cohort A with persons 1 and 2; person 1 attends everything and passes both tests, person 2 attends only.
    func completedCohort() throws -> AppDatabase {
        let database = try makeCompletedCohort(people: 2, passing: ["1"])
        #expect(database.writer is DatabaseQueue)
        return database
    }

    @Test func aCertificateIsIssuedSignedAndVerifiedOverAnInMemoryQueue() throws {
        let database = try completedCohort()
        let keys = try TemporaryDirectory()
        let desk = office(database, at: later, keys: keys.url).certificates
        let settings = CertificateSettings(signatoryName: "Ana Anić", signatoryTitle: "Šefica", place: "Brčko")

        let (certificate, pdf) = try desk.issue(person: "1", cohort: "A", language: .bosnian, registryNumber: "01-123/26",
                                                settings: settings, actor: testActor)
        #expect(certificate.personalNumber == "1" && certificate.payload.holder.contains("Ime1"))
        #expect(certificate.registryNumber == "01-123/26")
        // Person 1's sex is not recorded: the sentence needs no gendered verb ("završio/la" never stands on the document).
        #expect(certificate.fields["completed_word"] == "uspješno završen")
        #expect(!certificate.fields.values.contains { $0.contains("/la") })
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        #expect(try desk.list(cohort: "A").map(\.serial) == [certificate.serial])
        #expect(try office(database).administration.auditEvents(limit: 1).first?.action == "certificate.issue")

        // The PDF verifies offline against its own page text, and by serial.
        let file = keys.url.appendingPathComponent("cert.pdf")
        try pdf.write(to: file)
        guard case .valid(let payload) = try desk.verify(file.path) else {
            Issue.record("the issued PDF does not verify: \(try desk.verify(file.path))")
            return
        }
        #expect(payload.serial == certificate.serial)
        guard case .valid = try desk.verify(certificate.serial) else { Issue.record("the serial does not verify"); return }

        // A second certificate to the same holder, and one to a trainee who has not completed, are refused and write nothing.
        #expect(throws: CertificateError.alreadyIssued(personalNumber: "1", cohort: "A", serial: certificate.serial)) {
            try desk.issue(person: "1", cohort: "A", language: .bosnian, registryNumber: nil, settings: settings, actor: testActor)
        }
        #expect(throws: CertificateError.notCompleted(personalNumber: "2", cohort: "A")) {
            try desk.issue(person: "2", cohort: "A", language: .bosnian, registryNumber: nil, settings: settings, actor: testActor)
        }
        #expect(try desk.list(cohort: "A").count == 1)
    }

    /// No registry number, no "Broj" line (never a placeholder on an official document); certificates stored before the
    /// line was its own field print it as they were first printed, so a reprint stays identical.
    @Test func theRegistryLineStandsOnlyWithANumberAndOldCertificatesKeepTheirs() throws {
        let database = try makeCompletedCohort(people: 2, passing: ["1", "2"])
        let keys = try TemporaryDirectory()
        let desk = office(database, at: later, keys: keys.url).certificates
        let settings = CertificateSettings(signatoryName: "Ana Anić", signatoryTitle: "Šefica", place: "Brčko")
        let (numbered, _) = try desk.issue(person: "1", cohort: "A", language: .bosnian, registryNumber: "01-123/26", settings: settings,
                                           actor: testActor)
        let (unnumbered, pdf) = try desk.issue(person: "2", cohort: "A", language: .serbianCyrillic, registryNumber: nil, settings: settings,
                                               actor: testActor)
        #expect(numbered.fields["registry_line"] == "Broj: 01-123/26\n")
        #expect(unnumbered.fields["registry_line"] == "")
        let text = try pdfText(pdf)
        #expect(text.contains("Брчко") && !text.contains("Број:"), "\(text)")
        // As stored before: only the number, "—" when there was none.
        #expect(Issuing.printedFields(["registry_number": "—"], language: .bosnian)["registry_line"] == "Broj: —\n")
        #expect(Issuing.printedFields(["registry_number": "—"], language: .serbianCyrillic)["registry_line"] == "Број: —\n")
        #expect(Issuing.printedFields(["registry_number": "—"], language: .serbianLatin)["registry_line"] == "Broj: —\n")
        #expect(Issuing.printedFields(["registry_number": "—"], language: .croatian)["registry_line"] == "Broj: —\n")
    }

    @Test func aWholeCohortIsIssuedOnceOverAnInMemoryQueue() throws {
        let database = try completedCohort()
        let keys = try TemporaryDirectory()
        let desk = office(database, at: later, keys: keys.url).certificates
        #expect(throws: CertificateError.noSettings(cohort: "A")) {
            try desk.issueAll(cohort: "A", language: .serbianCyrillic, actor: testActor) { _, _ in }
        }
        try desk.setSettings(cohort: "A", CertificateSettings(signatoryName: "Ana Anić", signatoryTitle: "Šefica", place: "Brčko"),
                             actor: testActor)
        let issued = try desk.issueAll(cohort: "A", language: .serbianCyrillic, actor: testActor) { _, _ in }
        #expect(issued.map(\.0.personalNumber) == ["1"] && issued[0].1.starts(with: Data("%PDF".utf8)))
        #expect(try desk.issueAll(cohort: "A", language: .serbianCyrillic, actor: testActor) { _, _ in }.isEmpty)
    }
}

/// The bulk issue draws certificates while its transaction still issues the rest: the drawings come back in the order
/// handed in, a failed one fails the whole, and a cancelled run draws no more.
@Suite struct RenderPipelineTests {
    struct Refused: Error {}

    @Test func drawingsComeBackInTheOrderHandedInWhateverFinishesFirst() throws {
        let seen = Mutex<[(Int, Int)]>([])
        let pipeline = RenderPipeline<Int>(threads: 3, progress: { done, total in seen.withLock { $0.append((done, total)) } }) { item, _ in
            usleep(useconds_t((item * 7919) % 5) * 1000)
            return Data("\(item)".utf8)
        }
        pipeline.expect(40)
        for item in 0..<40 { pipeline.submit(item) }
        let drawn = try pipeline.finish()
        #expect(drawn.map { String(decoding: $0, as: UTF8.self) } == (0..<40).map(String.init))
        #expect(seen.withLock { $0.map(\.0).sorted() } == Array(1...40))
        #expect(seen.withLock { $0.allSatisfy { $0.1 == 40 } })
    }

    @Test func aFailedDrawingFailsTheWholeAndACancelledRunDrawsNoMore() throws {
        let failing = RenderPipeline<Int>(threads: 2, progress: { _, _ in }) { item, _ in
            if item == 5 { throw Refused() }
            return Data()
        }
        for item in 0..<10 { failing.submit(item) }
        #expect(throws: Refused.self) { try failing.finish() }

        let drawn = Mutex(0)
        let cancelled = RenderPipeline<Int>(threads: 2, progress: { _, _ in }) { _, _ in
            usleep(20_000)
            drawn.withLock { $0 += 1 }
            return Data()
        }
        for item in 0..<50 { cancelled.submit(item) }
        cancelled.cancel()
        #expect(drawn.withLock { $0 } < 50)
    }
}
