import Certificates
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Synchronization
import TrainingCore
import TrainingOffice

/// Bulk certificate issues running in the background, one per cohort, with their progress.
final class IssueJobs: Sendable {
    struct Job: Sendable {
        var done = 0
        var total = 0
        var finished = false
        var archive: URL?
        var error: String?
        var issued = 0
        /// The serials the job issued (its archive holds those still valid).
        var serials: [String] = []
    }

    private let jobs = Mutex<[String: Job]>([:])

    func job(_ cohort: String) -> Job? { jobs.withLock { $0[cohort] } }

    /// Starts a job unless one is running for the cohort; returns false if one is.
    func start(_ cohort: String) -> Bool {
        jobs.withLock { jobs in
            if let running = jobs[cohort], !running.finished { return false }
            jobs[cohort] = Job()
            return true
        }
    }

    func update(_ cohort: String, _ change: (inout Job) -> Void) {
        jobs.withLock { jobs in
            var job = jobs[cohort] ?? Job()
            change(&job)
            jobs[cohort] = job
        }
    }
}

/// Certificates of a cohort: issue (in the background, with progress), download as ZIP, single PDFs, revoke; and the
/// certificates API.
struct CertificateController {
    let cohorts: CohortPlanning
    let certificates: CertificateDesk
    let pages: Pages
    let clock: OfficeClock
    let dataDirectory: URL
    let issueJobs: IssueJobs
    let readLog: ReadAccessLog

    func register(on routes: RouteTable) {
        routes.get("/cohorts/{code}/certificates", .issueCertificates) { request, context in
            try list(context, notice: context.localizer.notice(request))
        }
        routes.post("/cohorts/{code}/certificates", .issueCertificates) { request, context in try await issue(request, context) }
        routes.post("/cohorts/{code}/certificates/settings", .issueCertificates) { request, context in
            try await saveSettings(request, context)
        }
        routes.post("/cohorts/{code}/certificates/one", .issueCertificates) { request, context in try await issueOne(request, context) }
        routes.get("/cohorts/{code}/certificates.zip", .issueCertificates) { _, context in try await archive(context) }
        routes.get("/certificates/{serial}/pdf", .issueCertificates) { _, context in try pdf(context) }
        routes.post("/certificates/{serial}/revoke", .revokeCertificates) { request, context in try await revoke(request, context) }

        routes.get("/certificates", .issueCertificates) { request, context in try register(request, context) }
        // A template with sample data, to check its layout before issuing: no signature, no serial of the register.
        routes.get("/certificates/preview.pdf", .issueCertificates) { request, context in try preview(request, context) }
        routes.get("\(APIController.prefix)/certificates/preview.pdf", .issueCertificates) { request, context in try preview(request, context) }

        let api = APIController.prefix
        routes.get("\(api)/certificates", .issueCertificates) { request, context in
            let today = clock.today
            let listed: [IssuedCertificate]
            if request.uri.queryParameters["expiring_within"] != nil {
                let days = try Page<CertificateDTO>.integer(request, "expiring_within", .daysAhead, default: 90, context)
                listed = try certificates.expiring(within: days).filter { entry in request.query("cohort").map { $0 == entry.cohortCode } ?? true }
            } else {
                listed = try certificates.list(cohort: request.query("cohort"))
            }
            let page = try Page(listed.map { CertificateDTO($0, today: today) }, request: request, context: context)
            await readLog.record(context, what: "api.certificates", subjects: page.items.map(\.personalNumber))
            return try APIJSON.response(page)
        }
        routes.get("\(api)/certificates/{serial}/pdf", .issueCertificates) { _, context in try pdf(context) }
        routes.post("\(api)/certificates/{serial}/revocation", .revokeCertificates) { request, context in
            let certificate = try certificate(context)
            let body = try await APIJSON.body(RevocationRequest.self, request, context)
            guard let reason = body.reason.nonEmpty else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: context.localizer("web.certificates.reason_required")))
            }
            let actor = try context.actor()
            let revoked = try await offload { try certificates.revoke(serial: certificate.serial, reason: reason, actor: actor) }
            return try APIJSON.response(CertificateDTO(revoked, today: clock.today))
        }
        routes.post("\(api)/cohorts/{code}/certificates/settings", .issueCertificates) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let body = try await APIJSON.body(CertificateSettingsRequest.self, request, context)
            let settings = CertificateSettings(signatoryName: body.signatoryName, signatoryTitle: body.signatoryTitle, place: body.place)
            let actor = try context.actor()
            try await offload { try certificates.setSettings(cohort: cohort.code, settings, actor: actor) }
            return try APIJSON.response(CertificateSettingsDTO(signatoryName: settings.signatoryName, signatoryTitle: settings.signatoryTitle,
                                                               place: settings.place))
        }
        routes.post("\(api)/cohorts/{code}/certificates", .issueCertificates) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let body = try await APIJSON.body(IssueRequest.self, request, context)
            let language = try body.language.map { tag in
                guard let language = Language(tag: tag) else {
                    throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                                   detail: context.localizer("people.error.language", ["value": tag])))
                }
                return language
            }
            let actor = try context.actor()
            if let person = body.personalNumber {
                let (certificate, _) = try await offload {
                    try certificates.issue(person: person, cohort: cohort.code, language: language, registryNumber: body.registryNumber,
                                           settings: nil, actor: actor)
                }
                return try APIJSON.response([CertificateDTO(certificate, today: clock.today)], status: .created)
            }
            let items = try await offload { try certificates.issueAll(cohort: cohort.code, language: language ?? .bosnian, actor: actor) { _, _ in } }
            return try APIJSON.response(items.map { CertificateDTO($0.0, today: clock.today) }, status: .created)
        }
        routes.get("\(api)/certificates/{serial}", .issueCertificates) { _, context in
            let certificate = try certificate(context)
            await readLog.record(context, what: "api.certificate", subjects: [certificate.personalNumber])
            return try APIJSON.response(CertificateDTO(certificate, today: clock.today))
        }
    }

    private func preview(_ request: Request, _ context: WebContext) throws -> Response {
        let template = request.query("template") ?? "uvjerenje-bs"
        guard try certificates.templateIDs().contains(template) else { throw WebError.notFound }
        let holder = request.query("name").map { String($0.prefix(200)) } ?? "Aleksandra-Ljubica Hadžimehmedović-Đurđevac Petrović-Njegovanović"
        let pdf = try certificates.preview(template: template, holder: holder)
        var response = Download.response(pdf, type: "application/pdf", name: "ogledni-primjerak-\(template).pdf")
        response.headers[.contentDisposition] = "inline; filename=\"ogledni-primjerak-\(template).pdf\""
        return response
    }

    // MARK: The register of every cohort's certificates

    struct RegisterPage {
        struct Row {
            let serial, verification, holder, cohort, issued, expires, state, state_code: String
            let erased: Bool
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let certificates: [Row]
        let q, cohort: String
        let program_filter, year_filter, state_filter, within_filter: [Choice]
        let headers: [ListControls.SortHeader]
        let pager: ListControls.Pager
        let templates: [String]
    }

    /// Every certificate, a page at a time: search a holder or a serial, filter by cohort, program, year and state (the
    /// expiring ones show who needs recertification), sort by issue, holder or expiry.
    private func register(_ request: Request, _ context: WebContext) throws -> Response {
        let t = context.localizer
        let year = try ListControls.number(request, "year", .year, t)
        let within = try ListControls.number(request, "within", .daysAhead, t) ?? 90
        let state = request.query("state").flatMap(CertificateListQuery.State.init(rawValue:))
        let controls = try ListControls(request, path: "/certificates", filters: ["q", "cohort", "program", "year", "state", "within"],
                                        sorts: CertificateListQuery.Sort.allCases.map(\.rawValue), defaultSort: "issued",
                                        defaultDescending: true, t)
        let slice = try certificates.register(CertificateListQuery(
            search: request.query("q"), cohort: request.query("cohort"), programID: request.query("program"), year: year, state: state,
            expiringWithin: within, sort: CertificateListQuery.Sort(rawValue: controls.sort) ?? .issued, descending: controls.descending,
            position: controls.position))
        let today = clock.today
        let programs = try cohorts.programIDs()
        let page = RegisterPage(
            certificates: slice.items.map { listed in
                let certificate = listed.value, code = certificate.registerState(today: today)
                let expiring = code == "valid" && certificate.expires.map { $0 <= today.adding(days: within) } == true
                return RegisterPage.Row(
                    serial: certificate.serial, verification: certificate.verificationID,
                    holder: certificate.holderErasedAt == nil ? t.script(certificate.payload.holder) : t("web.certificates.holder_erased"),
                    cohort: certificate.cohortCode, issued: t.date(certificate.issued), expires: certificate.expires.map(t.date) ?? "–",
                    state: t(expiring ? "certificate.state.expiring" : "certificate.state.\(code)"), state_code: expiring ? "expiring" : code,
                    erased: certificate.holderErasedAt != nil)
            },
            q: request.query("q") ?? "", cohort: request.query("cohort") ?? "",
            program_filter: programs.map { .init(value: $0, label: $0, selected: $0 == request.query("program")) },
            year_filter: (today.year - 10 ... today.year).reversed().map { .init(value: String($0), label: String($0), selected: $0 == year) },
            state_filter: CertificateListQuery.State.allCases.map {
                .init(value: $0.rawValue, label: t("certificate.state.\($0.rawValue)"), selected: $0 == state)
            },
            within_filter: [30, 60, 90, 180, 365].map { .init(value: String($0), label: t("web.certificates.within_days", ["days": String($0)]),
                                                               selected: $0 == within) },
            headers: controls.headers([("issued", t("web.certificates.issued_on")), ("holder", t("web.certificates.holder")),
                                       ("expires", t("web.certificates.expires"))]),
            pager: controls.pager(slice, id: \.id, t), templates: try certificates.templateIDs())
        return pages.render("certificate_register", page, context: context, notice: t.notice(request))
    }

    struct ListPage {
        struct Row {
            let serial, verification, holder, department, issued, state: String
            let revoked: Bool
            let reason: String?
        }
        struct JobProgress {
            let done, total: String
            let finished, running, failed: Bool
            let error: String
            let archive: Bool
            let issued: String
        }
        struct Choice {
            let value, label: String
        }
        let code, name: String
        let certificates: [Row]
        let errors: [String]
        let has_settings: Bool
        let job: JobProgress?
        /// The signatory and place, as stored or as typed into a refused form.
        let settings: [String: String]
        let languages: [Choice]
        /// Place holders without a valid certificate, for issuing to one of them.
        let people: [Choice]
    }

    private func list(_ context: WebContext, errors: [String] = [], typedSettings: [String: String]? = nil,
                      status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let cohort = try CohortController.cohort(context, cohorts)
        let t = context.localizer
        let today = clock.today
        let issued = try certificates.list(cohort: cohort.code)
        let rows = issued.map { certificate in
            // An erased holder's name stays inside the signed certificate, but no page shows it (as in the register).
            ListPage.Row(serial: certificate.serial, verification: certificate.verificationID,
                         holder: certificate.holderErasedAt == nil ? t.script(certificate.payload.holder) : t("web.certificates.holder_erased"),
                         department: certificate.department, issued: t.date(certificate.issued),
                         state: t("certificate.state.\(certificate.registerState(today: today))"), revoked: certificate.revokedAt != nil,
                         reason: certificate.revocationReason?.nonEmpty)
        }
        let job = issueJobs.job(cohort.code)
        let stored = try certificates.settings(cohort: cohort.code)
        let holders = Set(issued.filter { $0.revokedAt == nil }.map(\.personalNumber))
        let progress: ListPage.JobProgress? = job.map { job in
            .init(done: String(job.done), total: String(job.total), finished: job.finished, running: !job.finished,
                  failed: job.error != nil, error: job.error ?? "", archive: job.archive != nil,
                  issued: t.plural("web.certificates.issued", count: job.issued))
        }
        let page = ListPage(
            code: cohort.code, name: t.script(cohort.name), certificates: rows, errors: errors,
            has_settings: stored != nil, job: progress,
            settings: typedSettings ?? stored.map {
                ["signatory_name": $0.signatoryName, "signatory_title": $0.signatoryTitle, "place": $0.place]
            } ?? [:],
            languages: [Language.bosnian, .croatian, .serbianLatin, .serbianCyrillic].map {
                .init(value: $0.rawValue, label: t("language.autonym.\($0.rawValue)"))
            },
            people: try certificates.placeHolders(cohort: cohort.code).filter { !holders.contains($0.personalNumber) }.map {
                .init(value: $0.personalNumber, label: "\(t.listName($0)) (\($0.personalNumber))")
            })
        var response = pages.render("certificates", page, context: context, status: status, notice: notice)
        if let job, !job.finished {
            // The page reloads itself while the job runs: progress without JavaScript.
            response.headers[HTTPField.Name("Refresh")!] = "1"
        }
        return response
    }

    /// Saves who signs the cohort's certificates and where; a refused form keeps what was typed.
    private func saveSettings(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, cohorts)
        let fields = ["signatory_name", "signatory_title", "place"]
        let typed = Dictionary(uniqueKeysWithValues: fields.map { ($0, form.raw($0)) })
        guard let name = form["signatory_name"], let title = form["signatory_title"], let place = form["place"] else {
            return try list(context, errors: [context.localizer("web.certificates.settings_incomplete")], typedSettings: typed,
                            status: .unprocessableContent)
        }
        let actor = try context.actor()
        try await offload {
            try certificates.setSettings(cohort: cohort.code, CertificateSettings(signatoryName: name, signatoryTitle: title, place: place),
                                         actor: actor)
        }
        return .seeOther("/cohorts/\(cohort.code)/certificates?notice=certificate_settings_saved")
    }

    /// Issues one person's certificate, with a registry number if given.
    private func issueOne(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, cohorts)
        guard let person = form["person"] else {
            return try list(context, errors: [context.localizer("web.form.incomplete")], status: .unprocessableContent)
        }
        let language = form["language"].flatMap(Language.init(tag:))
        let registry = form["registry_number"], actor = try context.actor()
        do {
            let (certificate, _) = try await offload {
                try certificates.issue(person: person, cohort: cohort.code, language: language, registryNumber: registry, settings: nil,
                                       actor: actor)
            }
            return .seeOther("/cohorts/\(cohort.code)/certificates?notice=certificate_issued#\(certificate.serial)")
        } catch let error as any UserFacingError {
            return try list(context, errors: [context.localizer.message(for: error)], status: .unprocessableContent)
        }
    }

    private func issue(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, cohorts)
        let actor = try context.actor()
        let language = form["language"].flatMap(Language.init(tag:)) ?? .bosnian
        guard issueJobs.start(cohort.code) else { return .seeOther("/cohorts/\(cohort.code)/certificates") }
        let certificates = certificates, jobs = issueJobs
        let archiveURL = dataDirectory.appendingPathComponent("exports", isDirectory: true)
            .appendingPathComponent("\(cohort.code)-certificates.zip")
        let t = context.localizer
        // Issuing writes and rendering runs on threads of its own (RenderPipeline), never on the server's event loops.
        Thread.detachNewThread {
            do {
                let items = try certificates.issueAll(cohort: cohort.code, language: language, actor: actor) { done, total in
                    jobs.update(cohort.code) { $0.done = done; $0.total = total }
                }
                try FileManager.default.createDirectory(at: archiveURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                if !items.isEmpty { try CertificateDesk.writeArchive(items, to: archiveURL, today: certificates.today) }
                jobs.update(cohort.code) {
                    $0.finished = true
                    $0.issued = items.count
                    $0.serials = items.map(\.0.serial)
                    $0.archive = items.isEmpty ? nil : archiveURL
                }
            } catch {
                let message = (error as? any UserFacingError).map(t.message(for:)) ?? t("web.error.internal")
                jobs.update(cohort.code) { $0.finished = true; $0.error = message }
            }
        }
        return .seeOther("/cohorts/\(cohort.code)/certificates")
    }

    /// The job's archive; if one of its certificates has been revoked since, it is written anew without it first.
    private func archive(_ context: WebContext) async throws -> Response {
        let cohort = try CohortController.cohort(context, cohorts)
        guard let job = issueJobs.job(cohort.code), let url = job.archive else { throw WebError.notFound }
        let certificates = certificates, today = clock.today
        let data = try await offload { () -> Data? in
            let current = try job.serials.map { try certificates.certificate(serial: $0) }
            if current.contains(where: { $0.registerState(today: today) != "valid" }) {
                let valid = current.filter { $0.registerState(today: today) == "valid" }
                try CertificateDesk.writeArchive(try valid.map { ($0, try certificates.render($0)) }, to: url, today: today)
            }
            return FileManager.default.contents(atPath: url.path)
        }
        guard let data else { throw WebError.notFound }
        return Download.response(data, type: "application/zip", name: "uvjerenja-\(cohort.code).zip")
    }

    private func certificate(_ context: WebContext) throws -> IssuedCertificate {
        let serial = try context.parameters.require("serial")
        guard let certificate = try? certificates.certificate(serial: serial) else { throw WebError.notFound }
        return certificate
    }

    private func pdf(_ context: WebContext) throws -> Response {
        let certificate = try certificate(context)
        guard certificate.holderErasedAt == nil else { throw WebError.notFound }
        return Download.response(try certificates.render(certificate), type: "application/pdf", name: "\(certificate.serial).pdf")
    }

    private func revoke(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let certificate = try certificate(context)
        guard let reason = form["reason"] else {
            return try list(context, errors: [context.localizer("web.certificates.reason_required")], status: .unprocessableContent)
        }
        let actor = try context.actor()
        _ = try await offload { try certificates.revoke(serial: certificate.serial, reason: reason, actor: actor) }
        return .seeOther("/cohorts/\(certificate.cohortCode)/certificates?notice=certificate_revoked")
    }
}

/// The public check of a certificate: state, program, holder and date of issue, nothing else; as a page and in the API.
struct VerifyController {
    let certificates: CertificateDesk
    let pages: Pages
    let clock: OfficeClock
    /// Sixty requests a minute per address.
    let verifications: Throttle

    func register(on routes: RouteTable) {
        routes.get("/verify", .everyone) { request, context in
            // The lookup form: a number typed in goes to its page; none shows the form.
            if let id = request.query("id")?.trimmingWhitespace.uppercased(), !id.isEmpty, id.count < 64,
               id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                return .seeOther("/verify/\(id)")
            }
            var page = VerifyPage(serial: "")
            page.lookup = true
            page.not_found = request.query("id") != nil
            return pages.render("verify", page, context: context, status: page.not_found ? .notFound : .ok)
        }
        routes.get("/verify/{id}", .everyone) { _, context in try await page(context) }
        routes.get("\(APIController.prefix)/verify/{id}", .everyone) { _, context in try await json(context) }
    }

    /// What the register and the signature say of a certificate.
    enum Finding {
        /// The holder's data was erased: the register alone attests the certificate, naming no one.
        case erased(IssuedCertificate, state: String)
        case checked(IssuedCertificate, CertificateVerification)
    }

    /// The certificate a public verification id names, rate-limited per address; anything else is "not found".
    private func finding(_ context: WebContext) async throws -> Finding {
        if let wait = await verifications.retryAfter("ip:\(context.clientAddress)") {
            throw WebError.tooManyRequests(retryAfter: wait)
        }
        await verifications.record("ip:\(context.clientAddress)")
        guard let certificate = certificates.certificate(verificationID: try context.parameters.require("id")) else {
            throw WebError.notFound
        }
        if certificate.holderErasedAt != nil { return .erased(certificate, state: certificate.registerState(today: clock.today)) }
        return .checked(certificate, try certificates.verify(certificate.serial))
    }

    struct VerifyPage {
        let serial: String
        var valid = false, expired = false, revoked = false, forged = false, erased = false
        var state: String?
        /// The lookup form alone, and whether the number looked up names no certificate.
        var lookup = false, not_found = false
        // No revocation reason: the public register shows state, program, name and dates only (docs/SECURITY.md).
        var holder, program, issued, expires, revoked_on: String?
    }

    private func page(_ context: WebContext) async throws -> Response {
        let t = context.localizer
        let found: Finding
        do {
            found = try await finding(context)
        } catch WebError.notFound {
            // A page that says so in words, with the form to try again: a typo in a number is the usual cause.
            var page = VerifyPage(serial: (try? context.parameters.require("id")) ?? "")
            page.not_found = true
            page.lookup = true
            return pages.render("verify", page, context: context, status: .notFound)
        }
        switch found {
        case .erased(let certificate, let state):
            var page = VerifyPage(serial: certificate.serial, erased: true)
            page.valid = state == "valid"
            page.expired = state == "expired"
            page.revoked = state == "revoked"
            page.program = certificate.fields["program_title"] ?? ""
            page.issued = t.date(certificate.issued)
            page.expires = certificate.expires.map(t.date)
            if let revokedAt = certificate.revokedAt {
                page.revoked_on = t.day(ofTimestamp: revokedAt)
            }
            return pages.render("verify", page, context: context)
        case .checked(let certificate, let result):
            var page = VerifyPage(serial: certificate.serial)
            switch result {
            case .valid(let payload), .expired(let payload):
                page.state = result.code
                page.valid = result.code == "valid"
                page.expired = result.code == "expired"
                page.holder = payload.holder
                page.program = payload.programTitle
                page.issued = t.date(payload.issued)
                page.expires = payload.expires.map(t.date)
            case .revoked(let payload, let on, _):
                page.revoked = true
                page.holder = payload.holder
                page.program = payload.programTitle
                page.issued = t.date(payload.issued)
                page.revoked_on = t.day(ofTimestamp: on)
            case .forged:
                page.forged = true
            }
            return pages.render("verify", page, context: context)
        }
    }

    private func json(_ context: WebContext) async throws -> Response {
        switch try await finding(context) {
        case .erased(let certificate, let state):
            var dto = VerificationDTO(state: state, serial: certificate.serial)
            dto.holderErased = true
            dto.programTitle = certificate.fields["program_title"]
            dto.issued = certificate.issued.iso
            dto.expires = certificate.expires?.iso
            dto.revokedAt = certificate.revokedAt
            return try APIJSON.response(dto)
        case .checked(let certificate, let result):
            var dto = VerificationDTO(state: "", serial: certificate.serial)
            switch result {
            case .valid(let payload), .expired(let payload):
                dto.state = CertificateRules.isExpired(expires: payload.expires, today: clock.today) ? "expired" : "valid"
                dto.holder = payload.holder; dto.programTitle = payload.programTitle; dto.issued = payload.issued.iso
                dto.expires = payload.expires?.iso
            case .revoked(let payload, let on, _):
                dto.state = "revoked"; dto.holder = payload.holder; dto.programTitle = payload.programTitle; dto.issued = payload.issued.iso
                dto.revokedAt = on
            case .forged:
                dto.state = "forged"
            }
            return try APIJSON.response(dto)
        }
    }

    /// The day of a stored timestamp, the District's way.
}

struct CertificateSettingsDTO: Encodable { var signatoryName, signatoryTitle, place: String }
/// Who signs a cohort's certificates, and where.
struct CertificateSettingsRequest: Decodable { var signatoryName, signatoryTitle, place: String }
/// One person's certificate (with a registry number if the District's register gives one), or every completer's
/// without `personal_number`; `language` is a tag of the five.
struct IssueRequest: Decodable { var personalNumber, registryNumber, language: String? }
/// Why a certificate is revoked.
struct RevocationRequest: Decodable { var reason: String }
