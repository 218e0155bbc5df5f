import Certificates
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Synchronization
import TrainingCore
import TrainingOffice
import TrainingStore

/// Bulk certificate issues running in the background, one per cohort, with their progress.
final class IssueJobs: Sendable {
    struct Job: Sendable {
        var done = 0
        var total = 0
        var finished = false
        var archive: URL?
        var error: String?
        var issued = 0
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

/// Certificates of a cohort: issue (in the background, with progress), download as ZIP, single PDFs, revoke.
struct CertificateController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/cohorts/{code}/certificates", .issueCertificates) { request, context in
            try list(context, notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
        }
        routes.post("/cohorts/{code}/certificates", .issueCertificates) { request, context in try await issue(request, context) }
        routes.get("/cohorts/{code}/certificates.zip", .issueCertificates) { _, context in try archive(context) }
        routes.get("/certificates/{serial}/pdf", .issueCertificates) { _, context in try pdf(context) }
        routes.post("/certificates/{serial}/revoke", .revokeCertificates) { request, context in try await revoke(request, context) }
    }

    private func list(_ context: WebContext, errors: [String] = [], status: HTTPResponse.Status = .ok,
                      notice: String? = nil) throws -> Response {
        let cohort = try CohortController.cohort(context, database)
        let t = context.localizer
        let today = services.now().date
        let certificates = try database.certificates(cohortCode: cohort.code).map { certificate in
            let state = certificate.registerState(today: today)
            return [
                "serial": certificate.serial, "verification": certificate.verificationID, "holder": certificate.payload.holder,
                "department": certificate.department, "issued": t.date(certificate.issued),
                "state": t("certificate.state.\(state)"), "revoked": certificate.revokedAt != nil,
                "reason": certificate.revocationReason.section,
            ] as [String: Any]
        }
        var values: [String: Any] = ["code": cohort.code, "name": cohort.name, "certificates": certificates, "errors": errors,
                                     "has_settings": try database.certificateSettings(cohortCode: cohort.code) != nil]
        if let job = services.issueJobs.job(cohort.code) {
            values["job"] = ["done": String(job.done), "total": String(job.total), "finished": job.finished,
                             "running": !job.finished, "failed": job.error != nil, "error": job.error ?? "",
                             "archive": job.archive != nil,
                             "issued": t.plural("web.certificates.issued", count: job.issued)]
        }
        var response = services.pages.render("certificates", values, context: context, status: status, notice: notice)
        if let job = services.issueJobs.job(cohort.code), !job.finished {
            // The page reloads itself while the job runs: progress without JavaScript.
            response.headers[HTTPField.Name("Refresh")!] = "1"
        }
        return response
    }

    private func issue(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, database)
        let actor = try context.actor()
        let language = form["language"].flatMap(Language.init(tag:)) ?? .bosnian
        guard services.issueJobs.start(cohort.code) else { return .seeOther("/cohorts/\(cohort.code)/certificates") }
        let office = services.office, jobs = services.issueJobs, now = services.now()
        let archiveURL = office.dataDirectory.url.appendingPathComponent("exports", isDirectory: true)
            .appendingPathComponent("\(cohort.code)-certificates.zip")
        let t = context.localizer
        // Rendering runs on its own threads (ParallelRenderer), never on the server's cooperative pool.
        Thread.detachNewThread {
            do {
                let items = try office.issueAll(cohortCode: cohort.code, language: language, actor: actor, now: now) { done, total in
                    jobs.update(cohort.code) { $0.done = done; $0.total = total }
                }
                try FileManager.default.createDirectory(at: archiveURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                if !items.isEmpty { try CertificateOffice.writeArchive(items, to: archiveURL) }
                jobs.update(cohort.code) {
                    $0.finished = true
                    $0.issued = items.count
                    $0.archive = items.isEmpty ? nil : archiveURL
                }
            } catch {
                let message = (error as? any UserFacingError).map(t.message(for:)) ?? t("web.error.internal")
                jobs.update(cohort.code) { $0.finished = true; $0.error = message }
            }
        }
        return .seeOther("/cohorts/\(cohort.code)/certificates")
    }

    private func archive(_ context: WebContext) throws -> Response {
        let cohort = try CohortController.cohort(context, database)
        guard let url = services.issueJobs.job(cohort.code)?.archive, let data = FileManager.default.contents(atPath: url.path) else {
            throw WebError.notFound
        }
        return Download.response(data, type: "application/zip", name: "uvjerenja-\(cohort.code).zip")
    }

    private func certificate(_ context: WebContext) throws -> IssuedCertificate {
        let serial = try context.parameters.require("serial")
        guard let certificate = try? database.certificate(serial: serial) else { throw WebError.notFound }
        return certificate
    }

    private func pdf(_ context: WebContext) throws -> Response {
        let certificate = try certificate(context)
        guard certificate.holderErasedAt == nil else { throw WebError.notFound }
        return Download.response(try services.office.render(certificate), type: "application/pdf", name: "\(certificate.serial).pdf")
    }

    private func revoke(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let certificate = try certificate(context)
        guard let reason = form["reason"] else {
            return try list(context, errors: [context.localizer("web.certificates.reason_required")], status: .unprocessableContent)
        }
        _ = try database.revokeCertificate(serial: certificate.serial, reason: reason, actor: try context.actor())
        return .seeOther("/cohorts/\(certificate.cohortCode)/certificates?notice=certificate_revoked")
    }
}

/// The public check of a certificate: state, program, holder and date of issue, nothing else.
struct VerifyController {
    let services: WebServices

    func register(on routes: RouteTable) {
        routes.get("/verify/{id}", .everyone) { _, context in try await verify(context) }
    }

    private func verify(_ context: WebContext) async throws -> Response {
        let certificate = try await services.certificateForVerification(context)
        let t = context.localizer
        var values: [String: Any] = ["serial": certificate.serial]
        if certificate.holderErasedAt != nil {
            // The holder's data was erased: the register alone attests the certificate, naming no one.
            values[certificate.registerState(today: services.now().date)] = true
            values["erased"] = true
            values["program"] = certificate.fields["program_title"] ?? ""
            values["issued"] = t.date(certificate.issued)
            if let expires = certificate.expires { values["expires"] = t.date(expires) }
            if let revokedAt = certificate.revokedAt {
                values["revoked_on"] = LocalDate(iso: String(revokedAt.prefix(10))).map(t.date) ?? String(revokedAt.prefix(10))
                values["reason"] = certificate.revocationReason ?? ""
            }
            return services.pages.render("verify", values, context: context)
        }
        let result = try services.office.verify(certificate.serial, today: services.now().date)
        switch result {
        case .valid(let payload), .expired(let payload):
            values["state"] = result.code
            values[result.code] = true
            values["holder"] = payload.holder
            values["program"] = payload.programTitle
            values["issued"] = t.date(payload.issued)
            if let expires = payload.expires { values["expires"] = t.date(expires) }
        case .revoked(let payload, let on, let reason):
            values["revoked"] = true
            values["holder"] = payload.holder
            values["program"] = payload.programTitle
            values["issued"] = t.date(payload.issued)
            values["revoked_on"] = LocalDate(iso: String(on.prefix(10))).map(t.date) ?? String(on.prefix(10))
            values["reason"] = reason
        case .forged:
            values["forged"] = true
        }
        return services.pages.render("verify", values, context: context)
    }
}

extension WebServices {
    /// The certificate a public verification id (`BD-<code>-<year>-<number>-<check>`) names, rate-limited per
    /// address. The check code must match, so serials cannot be guessed in sequence; anything else is "not found".
    func certificateForVerification(_ context: WebContext) async throws -> IssuedCertificate {
        if let wait = await verifications.retryAfter("ip:\(context.clientAddress)") {
            throw WebError.tooManyRequests(retryAfter: wait)
        }
        await verifications.record("ip:\(context.clientAddress)")
        let id = try context.parameters.require("id")
        let parts = id.split(separator: "-")
        guard parts.count == 5, id.count < 64, let certificate = try? database.certificate(serial: parts.prefix(4).joined(separator: "-")),
              certificate.checkCode == parts[4] else {
            throw WebError.notFound
        }
        return certificate
    }
}
