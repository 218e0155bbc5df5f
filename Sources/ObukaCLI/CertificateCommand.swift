import ArgumentParser
import Certificates
import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// `obuka certificate settings|issue|print|list|verify`.
struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate", abstract: helpText("cli.help.certificate.abstract"),
        subcommands: [Settings.self, Issue.self, Print.self, List.self, Verify.self, Revoke.self, Expiring.self, Preview.self])

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settings", abstract: helpText("cli.help.certificate.settings.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Option(help: .catalog("cli.help.certificate.settings.signatory_name")) var signatoryName: String
        @Option(help: .catalog("cli.help.common.signatory_title")) var signatoryTitle: String
        @Option(help: .catalog("cli.help.certificate.settings.place")) var place: String

        func run() throws {
            try global.office().certificates.setSettings(
                cohort: cohort, CertificateSettings(signatoryName: signatoryName, signatoryTitle: signatoryTitle, place: place),
                actor: global.resolvedActor)
            Console.line(global.localizer("certificate.settings_saved", ["cohort": cohort]))
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue", abstract: helpText("cli.help.certificate.issue.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.certificate.issue.person")) var person: String?
        @Option(help: .catalog("cli.help.common.cohort_code")) var cohort: String
        @Option(help: .catalog("cli.help.certificate.issue.zip")) var zip: String?
        @Option(help: .catalog("cli.help.certificate.issue.folder")) var folder: String?
        @Option(name: .customLong("certificate-lang"),
                help: .catalog("cli.help.certificate.issue.certificate_lang"))
        var certificateLanguage: String?
        @Option(help: .catalog("cli.help.certificate.issue.registry_number")) var registryNumber: String?
        @Option(help: .catalog("cli.help.certificate.issue.signatory_name")) var signatoryName: String?
        @Option(help: .catalog("cli.help.common.signatory_title")) var signatoryTitle: String?
        @Option(help: .catalog("cli.help.certificate.issue.place")) var place: String?
        @Option(name: .shortAndLong, help: .catalog("cli.help.certificate.issue.output")) var output: String?

        func validate() throws {
            if let certificateLanguage, Language(tag: certificateLanguage) == nil {
                throw ValidationError(global.localizer("cli.error.certificate_lang"))
            }
            if person == nil && (registryNumber != nil || signatoryName != nil || output != nil) {
                throw ValidationError(global.localizer("cli.error.issue_person_options"))
            }
            if person != nil && (zip != nil || folder != nil) { throw ValidationError(global.localizer("cli.error.issue_cohort_options")) }
            let given = [signatoryName, signatoryTitle, place].compactMap { $0 }.count
            guard given == 0 || given == 3 else { throw ValidationError(global.localizer("cli.error.signatory_together")) }
        }

        func run() throws {
            let office = try global.office()
            guard let person else { return try issueToCohort(office) }
            let settings = signatoryName.map { CertificateSettings(signatoryName: $0, signatoryTitle: signatoryTitle!, place: place!) }
            let (certificate, pdf) = try office.certificates.issue(
                person: person, cohort: cohort, language: certificateLanguage.flatMap(Language.init(tag:)),
                registryNumber: registryNumber, settings: settings, actor: global.resolvedActor)
            let path = output ?? "\(certificate.serial).pdf"
            try OutputFile.write(pdf, to: path)
            Console.line(global.localizer("certificate.issued", ["serial": certificate.serial, "file": path]))
        }

        private func issueToCohort(_ office: TrainingOffice) throws {
            let t = global.localizer
            let bar = ProgressBar()
            let items = try office.certificates.issueAll(
                cohort: cohort, language: certificateLanguage.flatMap(Language.init(tag:)) ?? .default, actor: global.resolvedActor,
                progress: { done, total in bar.show(done, of: total) })
            bar.finish()
            if let folder {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (certificate, pdf) in items {
                    try pdf.write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(certificate.serial).pdf"), options: .atomic)
                }
            }
            if let zip { try CertificateDesk.writeArchive(items, to: URL(fileURLWithPath: zip), today: office.certificates.today) }
            guard !items.isEmpty else {
                Console.line(t("certificate.issued_none", ["cohort": cohort]))
                return
            }
            Console.line(t.plural("certificate.issued_bulk", count: items.count,
                                  ["cohort": cohort, "first": items.first?.0.serial ?? "", "last": items.last?.0.serial ?? ""]))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: helpText("cli.help.certificate.revoke.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.serial")) var serial: String
        @Option(help: .catalog("cli.help.certificate.revoke.reason")) var reason: String

        func run() throws {
            _ = try global.office().certificates.revoke(serial: serial, reason: reason, actor: global.resolvedActor)
            Console.line(global.localizer("certificate.revoked", ["serial": serial]))
        }
    }

    struct Expiring: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "expiring", abstract: helpText("cli.help.certificate.expiring.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.certificate.expiring.within")) var within: NumberArgument = "90d"

        /// The window in days: a number read through its field, times its unit.
        static func days(_ text: String) throws -> Int {
            let units: [Character: Int] = ["d": 1, "w": 7, "m": 30, "y": 365]
            guard let unit = text.last.flatMap({ units[$0] }) else {
                return try NumberField.daysAhead.readWhole(text, field: "--within")
            }
            let days = try NumberField.daysAhead.readWhole(String(text.dropLast()), field: "--within") * unit
            return Int(try NumberField.daysAhead.check(Double(days), field: "--within", as: text))
        }

        func run() throws {
            let t = global.localizer
            Console.table(
                [t("certificate.column.serial"), t("people.column.personal_number"), t("people.column.name"),
                 t("people.column.department"), t("certificate.column.expires")],
                try global.readingOffice().certificates.expiring(within: Self.days(within.text)).map {
                    [$0.serial, $0.personalNumber, $0.payload.holder, $0.department, $0.expires?.iso ?? ""]
                })
        }
    }

    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "print", abstract: helpText("cli.help.certificate.print.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.serial")) var serial: String
        @Option(name: .shortAndLong, help: .catalog("cli.help.common.output_pdf")) var output: String

        func run() throws {
            let certificates = try global.readingOffice().certificates
            try OutputFile.write(try certificates.render(try certificates.certificate(serial: serial)), to: output)
            Console.line(global.localizer("certificate.printed", ["serial": serial, "file": output]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.certificate.list.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.certificate.list.cohort")) var cohort: String?
        @Option(help: .catalog("cli.help.certificate.list.person")) var person: String?

        func run() throws {
            let t = global.localizer
            let office = try global.readingOffice()
            let today = office.clock.today
            Console.table(
                [t("certificate.column.serial"), t("people.column.personal_number"), t("people.column.name"),
                 t("cohort.column.code"), t("certificate.column.issued"), t("certificate.column.expires"), t("certificate.column.state")],
                try office.certificates.list(cohort: cohort, person: person).map { certificate in
                    let state = certificate.registerState(today: today)
                    return [certificate.serial, certificate.personalNumber, certificate.payload.holder, certificate.cohortCode,
                            certificate.issued.iso, certificate.expires?.iso ?? "–", t("certificate.state.\(state)")]
                })
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: helpText("cli.help.certificate.verify.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.certificate.verify.certificate")) var certificate: String

        func run() throws {
            let t = global.localizer
            let office = try global.readingOffice()
            let serial = certificate.split(separator: "-").prefix(4).joined(separator: "-")
            if !certificate.lowercased().hasSuffix(".pdf"), let stored = try? office.certificates.certificate(serial: serial),
               stored.holderErasedAt != nil {
                // The holder's data was erased: the register attests the certificate without a name or signature.
                let state = stored.registerState(today: office.clock.today)
                Console.line(t("privacy.verify_erased", ["serial": stored.serial, "state": t("certificate.state.\(state)"),
                                                         "program": stored.fields["program_title"] ?? ""]))
                if state != "valid" { throw ExitCode(1) }
                return
            }
            let result = try office.certificates.verify(certificate)
            Console.line(VerificationText.line(result, localizer: t))
            if result.code != "forged", FileManager.default.fileExists(atPath: certificate),
               try office.certificates.fileSignature(of: certificate) == .notSigned {
                Console.line(t("certificate.verify.not_byte_signed"))
            }
            if result.code != "valid" { throw ExitCode(result.code == "forged" ? 2 : 1) }
        }
    }
}

extension CertificateCommand {
    /// `obuka certificate preview TEMPLATE`: a template filled with sample data, for checking a layout.
    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "preview", abstract: helpText("cli.help.certificate.preview.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.certificate.preview.template")) var template: String
        @Option(help: .catalog("cli.help.certificate.preview.name"))
        var name = "Aleksandra-Ljubica Hadžimehmedović-Đurđevac Petrović-Njegovanović"
        @Option(name: .shortAndLong, help: .catalog("cli.help.common.output_pdf")) var output: String

        func run() throws {
            let pdf = try CertificateDesk.preview(template: template, holder: name, home: try global.settings.home.get())
            try OutputFile.write(pdf, to: output)
            Console.line(output)
        }
    }
}

/// Verification results in words.
enum VerificationText {
    static func line(_ result: CertificateVerification, localizer t: Localizer) -> String {
        switch result {
        case .valid(let payload):
            t("certificate.verify.valid", details(payload, t))
        case .expired(let payload):
            t("certificate.verify.expired", details(payload, t))
        case .revoked(let payload, let on, let reason):
            t("certificate.verify.revoked", details(payload, t).merging(["revoked_on": String(on.prefix(10)), "reason": reason]) { $1 })
        case .forged(let reason):
            t("certificate.verify.forged", ["reason": Self.reason(reason, t)])
        }
    }

    static func details(_ payload: CertificatePayload, _ t: Localizer) -> [String: String] {
        ["serial": payload.serial, "holder": payload.holder, "program": payload.programTitle,
         "issued": t.date(year: payload.issued.year, month: payload.issued.month, day: payload.issued.day),
         "expires": payload.expires.map { t.date(year: $0.year, month: $0.month, day: $0.day) } ?? "–"]
    }

    static func reason(_ reason: ForgeryReason, _ t: Localizer) -> String {
        switch reason {
        case .noSignature: t("certificate.forged.no_signature")
        case .malformedSignature: t("certificate.forged.malformed")
        case .unknownKey(let key): t("certificate.forged.unknown_key", ["key": key])
        case .badSignature: t("certificate.forged.bad_signature")
        case .pageTextMismatch(let field): t("certificate.forged.page_text", ["field": t("certificate.field.\(field)")])
        case .notIssued(let serial): t("certificate.forged.not_issued", ["serial": serial])
        case .fileAltered: t("certificate.forged.file_altered")
        }
    }
}

/// `obuka keys list`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: helpText("cli.help.keys.abstract"), subcommands: [List.self, Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate", abstract: helpText("cli.help.keys.rotate.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let (key, previous) = try global.office().certificates.rotateKey(actor: global.resolvedActor)
            Console.line(global.localizer("keys.rotated", ["key": key, "previous": previous ?? "–"]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.keys.list.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            Console.table([t("keys.column.id"), t("keys.column.public_key"), t("keys.column.created"), t("keys.column.retired")],
                          try global.readingOffice().certificates.signingKeys().map { [$0.keyID, $0.publicKey, $0.createdAt, $0.retiredAt ?? ""] })
        }
    }
}
