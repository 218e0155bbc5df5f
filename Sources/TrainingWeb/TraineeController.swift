import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice
import TrainingStore

/// The trainee's own pages: progress in words, upcoming sessions with absences reported in advance, the
/// calendar subscription, enrolment requests, certificates and the transcript. Every record is looked up
/// through the signed-in person, so another person's data is simply not found.
struct TraineeController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/my", .viewOwnProgress) { request, context in
            if let notice = request.query("notice") {
                return try home(context, notice: context.localizer("web.notice.\(notice)"))
            }
            return try cachedHome(request, context)
        }
        routes.post("/my/enrolments", .viewOwnProgress) { request, context in try await requestEnrolment(request, context) }
        routes.post("/my/absences", .viewOwnProgress) { request, context in try await reportAbsence(request, context) }
        routes.post("/my/calendar", .viewOwnProgress) { _, context in try newCalendarLink(context) }
        routes.post("/my/calendar/revoke", .viewOwnProgress) { _, context in
            try database.revokeCalendarFeed(personalNumber: try person(context).personalNumber, actor: try context.actor())
            return .seeOther("/my?notice=calendar_revoked")
        }
        routes.get("/my/certificates/{serial}/pdf", .viewOwnProgress) { _, context in try certificate(context) }
        routes.get("/my/transcript.pdf", .viewOwnProgress) { _, context in try transcript(context) }
        routes.get("/calendar/{token}", .everyone) { _, context in try calendar(context) }
    }

    private func person(_ context: WebContext) throws -> Person {
        guard let number = context.principal?.personalNumber, let person = try? database.person(personalNumber: number) else {
            throw WebError.forbidden
        }
        return person
    }

    private func home(_ context: WebContext, calendarURL: String? = nil, errors: [String] = [],
                      status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        services.pages.render("my", try homeValues(context, calendarURL: calendarURL, errors: errors), context: context,
                              status: status, notice: notice)
    }

    /// The trainee's page as most views see it: rendered once per change of the data (or of the minute),
    /// answered with 304 when the browser already has it. Viewing it writes nothing.
    private func cachedHome(_ request: Request, _ context: WebContext) throws -> Response {
        guard let identity = context.identity else { throw WebError.signInRequired }
        let key = PageKey(session: identity.sessionKey, language: context.language.rawValue, minute: services.now().iso)
        let (page, _) = try services.pageCache.valueAndVersion(key, knownVersion: context.dataVersion) {
            let html = services.pages.html("my", try homeValues(context), context: context)
            let digest = hexString(SHA256.hash(data: Data(html.utf8)).prefix(12))
            return CachedPage(body: ByteBuffer(string: html), etag: "\"\(digest)\"")
        }
        var headers = HTTPFields()
        headers[.eTag] = page.etag
        headers[.cacheControl] = "private, no-cache"
        if request.headers[.ifNoneMatch] == page.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: page.body))
    }

    private func homeValues(_ context: WebContext, calendarURL: String? = nil, errors: [String] = []) throws -> [String: Any] {
        let person = try person(context)
        let t = context.localizer, language = context.language
        let text = ProgressText(localizer: t)
        let now = services.now()
        let progress = try database.progress(personalNumber: person.personalNumber, now: now)
        let programs = progress.map { entry in
            [
                "cohort": entry.cohort.name, "program": entry.program.title.text(in: language),
                "status": t("enrolment.status.\(entry.status.rawValue)"),
                "forecast": text.forecastWord(entry.progress.forecast, person: entry.person),
                "forecast_code": entry.progress.forecast.code,
                "reasons": entry.progress.forecast.reasons.map(text.reason),
                "modules": zip(entry.program.modules, entry.progress.modules).map { module, state in
                    ["title": "\(module.order). \(module.title.text(in: language))", "attended": text.hours(state.presentMinutes),
                     "held": text.hours(state.countedMinutes), "percent": text.percent(state.attendancePercent)]
                },
                "assessments": entry.progress.assessments.map { assessment in
                    ["id": assessment.definition.id,
                     "title": assessment.definition.title?.text(in: language) ?? t("assessment.kind.\(assessment.definition.kind.rawValue)"),
                     "best": assessment.best.map(DecimalText.format) ?? "–", "max": DecimalText.format(assessment.definition.maxScore),
                     "pass": DecimalText.format(assessment.definition.passScore)]
                },
                "final": text.score(entry.progress.finalScore),
            ] as [String: Any]
        }
        let notices = try database.absenceNotices(personalNumber: person.personalNumber)
        let upcoming = try database.sessions(personalNumber: person.personalNumber).filter { !$0.cancelled && $0.ends > now }
        let programsByCohort = Dictionary(progress.map { ($0.cohort.code, $0.program) }, uniquingKeysWith: { first, _ in first })
        let sessions = upcoming.map { session -> [String: Any] in
            var row = programsByCohort[session.cohortCode].map { SessionRow.values(session, program: $0, t: t, language: language) }
                ?? ["id": String(session.id.rawValue), "when": t.dateTime(session.starts)]
            row["started"] = now >= session.starts
            row["absence"] = notices[session.id].map(\.reason).section
            return row
        }
        let enrolments = try database.enrolments(personalNumber: person.personalNumber)
        let enrolledCodes = Set(enrolments.map(\.cohort.code))
        let open = try database.cohorts().filter { $0.starts > now.date && !enrolledCodes.contains($0.code) }.map { cohort in
            ["code": cohort.code, "name": cohort.name, "dates": "\(t.date(cohort.starts)) – \(t.date(cohort.ends))"]
        }
        // Requests and waiting places are shown with their state (approved ones appear as programs above).
        let pending = enrolments.filter { !$0.status.occupiesPlace }.map { entry in
            ["name": entry.cohort.name, "code": entry.cohort.code, "status": t("enrolment.status.\(entry.status.rawValue)"),
             "reason": entry.reason.section]
        }
        let certificates = try database.certificates(personalNumber: person.personalNumber).map { certificate in
            ["serial": certificate.serial, "program": certificate.payload.programTitle, "issued": t.date(certificate.issued),
             "revoked": certificate.revokedAt != nil]
        }
        return [
            "name": person.fullName, "programs": programs, "sessions": sessions, "open_cohorts": open,
            "pending": pending, "certificates": certificates, "has_calendar": try database.hasCalendarFeed(personalNumber: person.personalNumber),
            "calendar_url": calendarURL.section, "errors": errors,
        ]
    }

    private func requestEnrolment(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let person = try person(context)
        guard let cohort = try? database.cohort(code: try form.require("cohort")), cohort.starts > services.now().date else {
            throw WebError.notFound
        }
        _ = try database.requestEnrolment(cohortCode: cohort.code, personalNumber: person.personalNumber, actor: try context.actor())
        return .seeOther("/my?notice=enrolment_requested")
    }

    private func reportAbsence(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let person = try person(context)
        guard let id = form["session"].flatMap(Int64.init), let reason = form["reason"] else {
            return try home(context, errors: [context.localizer("web.my.absence_reason_required")], status: .unprocessableContent)
        }
        do {
            try database.reportAbsence(session: SessionID(rawValue: id), personalNumber: person.personalNumber,
                                       reason: String(reason.prefix(500)), actor: try context.actor(), now: services.now())
        } catch ScheduleError.unknownSession {
            throw WebError.notFound
        } catch TraineeError.notYourSession {
            throw WebError.notFound
        }
        return .seeOther("/my?notice=absence_reported")
    }

    /// A new secret calendar URL, shown once; the previous one stops working.
    private func newCalendarLink(_ context: WebContext) throws -> Response {
        let person = try person(context)
        let token = SessionCookies.newToken()
        try database.replaceCalendarFeed(personalNumber: person.personalNumber, tokenSHA256: SessionCookies.key(of: token),
                                         actor: try context.actor())
        return try home(context, calendarURL: "\(services.office.publicURL)/calendar/\(token).ics")
    }

    private func calendar(_ context: WebContext) throws -> Response {
        var token = try context.parameters.require("token")
        if token.hasSuffix(".ics") { token.removeLast(4) }
        guard token.count < 100, let person = try database.calendarFeedOwner(tokenSHA256: SessionCookies.key(of: token)) else {
            throw WebError.notFound
        }
        let text = try CalendarExport.render(try database.sessions(personalNumber: person.personalNumber), name: person.fullName,
                                             database: database, language: context.language)
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.cacheControl] = "private, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func certificate(_ context: WebContext) throws -> Response {
        let person = try person(context)
        let serial = try context.parameters.require("serial")
        guard let certificate = try? database.certificate(serial: serial), certificate.personalNumber == person.personalNumber else {
            throw WebError.notFound
        }
        return Download.response(try services.office.render(certificate), type: "application/pdf", name: "\(certificate.serial).pdf")
    }

    private func transcript(_ context: WebContext) throws -> Response {
        let person = try person(context)
        let now = services.now()
        let input = try ReportGathering.transcript(database, personalNumber: person.personalNumber, now: now)
        let pdf = try ReportPDF().render(ReportBuilder(localizer: context.localizer).transcript(input), created: now.date)
        return Download.response(pdf, type: "application/pdf", name: "transkript-\(person.personalNumber).pdf")
    }
}
