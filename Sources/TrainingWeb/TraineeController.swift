import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// The trainee's own pages: progress in words, upcoming sessions with absences reported in advance, the calendar
/// subscription, enrolment requests, certificates and the transcript; and the API's own progress. Every record is
/// looked up through the signed-in person, so another person's data is simply not found.
struct TraineeController {
    let progress: ProgressReading
    let scheduling: Scheduling
    let enrolment: EnrolmentDesk
    let selfService: TraineeSelfService
    let certificates: CertificateDesk
    let reports: Reporting
    let curriculum: CurriculumIntake
    let requirements: RequiredTrainingDesk
    let evaluation: EvaluationDesk
    let followUps: FollowUpDesk
    let people: PeopleRegistry
    let pages: Pages
    let clock: OfficeClock
    /// Rendered trainee pages by session, language and minute, until the next commit.
    let pageCache: FreshnessCache<PageKey, CachedPage>

    /// The session an absence is reported for (a hidden field of each upcoming session's form).
    static let absenceSessionField = NumberFormField(path: "/my/absences", name: "session", field: .recordNumber,
                                                     labelKey: "schedule.column.when")

    func register(on routes: RouteTable) {
        routes.get("/my", .viewOwnProgress) { request, context in
            if let notice = context.localizer.notice(request) { return try home(context, notice: notice) }
            return try cachedHome(request, context)
        }
        routes.post("/my/enrolments", .viewOwnProgress) { request, context in try await requestEnrolment(request, context) }
        routes.post("\(APIController.prefix)/me/enrolments", .viewOwnProgress) { request, context in
            let body = try await APIJSON.body(PlaceRequest.self, request, context)
            let number = try person(context).personalNumber, actor = try context.actor()
            let change: EnrolmentChange
            do {
                change = try await offload { try selfService.requestPlace(cohort: body.cohort, person: number, actor: actor) }
            } catch CohortError.unknownCohort {
                throw WebError.notFound
            }
            return try APIJSON.response(EnrolmentChangeDTO(change), status: .created)
        }
        routes.post("/my/absences", .viewOwnProgress) { request, context in try await reportAbsence(request, context) }
        routes.post("/my/calendar", .viewOwnProgress) { _, context in try await newCalendarLink(context) }
        routes.post("/my/calendar/revoke", .viewOwnProgress) { _, context in
            let number = try person(context).personalNumber, actor = try context.actor()
            try await offload { try selfService.revokeCalendarLink(person: number, actor: actor) }
            return .seeOther("/my?notice=calendar_revoked")
        }
        routes.get("/my/certificates/{serial}/pdf", .viewOwnProgress) { _, context in try certificate(context) }
        routes.get("/my/transcript.pdf", .viewOwnProgress) { _, context in try transcript(context) }
        routes.post("/my/language", .viewOwnProgress) { request, context in
            var request = request
            let form = try await request.form(context)
            let language = try Self.language(form["language"] ?? "", context)
            let number = try person(context).personalNumber, actor = try context.actor()
            _ = try await offload { try people.setPreferredLanguage(number, language, actor: actor) }
            // The page then speaks the chosen language (the query sets the language cookie).
            return .seeOther("/my?notice=language_saved" + (language.map { "&lang=\($0.rawValue)" } ?? ""))
        }
        routes.post("\(APIController.prefix)/me/language", .viewOwnProgress) { request, context in
            let body = try await APIJSON.body(LanguageRequest.self, request, context)
            let language = try Self.language(body.language ?? "", context)
            let number = try person(context).personalNumber, actor = try context.actor()
            let person = try await offload { try people.setPreferredLanguage(number, language, actor: actor) }
            return try APIJSON.response(["language": person.preferredLanguage?.rawValue])
        }
        routes.post("/my/reminders", .viewOwnProgress) { request, context in
            var request = request
            let form = try await request.form(context)
            let enabled = try Self.reminders(form["reminders"] ?? "", context)
            let number = try person(context).personalNumber, actor = try context.actor()
            try await offload { try people.setReminders(number, enabled: enabled, actor: actor) }
            return .seeOther("/my?notice=\(enabled ? "reminders_on" : "reminders_off")#my-reminders")
        }
        routes.get("\(APIController.prefix)/me/reminders", .viewOwnProgress) { _, context in
            let number = try person(context).personalNumber
            return try APIJSON.response(["enabled": try await offload { try people.remindersEnabled(number) }])
        }
        routes.post("\(APIController.prefix)/me/reminders", .viewOwnProgress) { request, context in
            let body = try await APIJSON.body(RemindersRequest.self, request, context)
            let number = try person(context).personalNumber, actor = try context.actor()
            let enabled = try await offload { try people.setReminders(number, enabled: body.enabled, actor: actor) }
            return try APIJSON.response(["enabled": enabled])
        }
        routes.get("/my/programs/{id}", .viewOwnProgress) { _, context in
            pages.render("program", ProgramPage(try ownProgram(context), localizer: context.localizer, audience: .reader, csrf: ""),
                         context: context)
        }
        routes.get("\(APIController.prefix)/me/programs/{id}", .viewOwnProgress) { _, context in
            try APIJSON.response(ProgramDTO(try ownProgram(context), localizer: context.localizer))
        }
        routes.get("/calendar/{token}", .everyone) { _, context in try calendar(context) }
        routes.get("\(APIController.prefix)/me/progress", .viewOwnProgress) { _, context in
            guard let number = context.principal?.personalNumber else { throw WebError.forbidden }
            return try APIJSON.response(["items": try progress.person(number).map(ProgressDTO.init)])
        }
    }

    /// The reminders choice of the form: `on` or `off`.
    static func reminders(_ value: String, _ context: WebContext) throws -> Bool {
        switch value {
        case "on": return true
        case "off": return false
        default: throw WebError.badRequest(context.localizer("web.my.reminders_invalid", ["value": value]))
        }
    }

    /// A chosen language: one of the five, or none ("" clears the choice).
    static func language(_ tag: String, _ context: WebContext) throws -> Language? {
        guard !tag.isEmpty else { return nil }
        guard let language = Language(tag: tag) else {
            throw WebError.badRequest(context.localizer("people.error.language", ["value": tag]))
        }
        return language
    }

    /// A program the trainee holds a place in, in the version of their (latest) cohort of it; not found otherwise.
    private func ownProgram(_ context: WebContext) throws -> ProgramStanding {
        let id = try context.parameters.require("id")
        let versions = try progress.person(try person(context).personalNumber).filter { $0.program.id == id }.map(\.program.version)
        guard let version = versions.max() else { throw WebError.notFound }
        return try curriculum.standing(id, version: version)
    }

    private func person(_ context: WebContext) throws -> Person {
        guard let number = context.principal?.personalNumber, let person = try? selfService.person(number) else {
            throw WebError.forbidden
        }
        return person
    }

    private func home(_ context: WebContext, calendarURL: String? = nil, errors: [String] = [],
                      status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        pages.render("my", try homePage(context, calendarURL: calendarURL, errors: errors), context: context, status: status, notice: notice)
    }

    /// The trainee's page as most views see it: rendered once per change of the data (or of the minute),
    /// answered with 304 when the browser already has it. Viewing it writes nothing.
    private func cachedHome(_ request: Request, _ context: WebContext) throws -> Response {
        guard let identity = context.identity else { throw WebError.signInRequired }
        let key = PageKey(session: identity.sessionKey, language: context.language.rawValue,
                          minute: Int(clock.date().timeIntervalSince1970 / 60))
        let page: CachedPage
        if let kept = try pageCache.cached(key, knownVersion: context.dataVersion) {
            page = kept.value  // most views: no closure formed, so this controller is not copied into one
        } else {
            (page, _) = try pageCache.valueAndVersion(key, knownVersion: context.dataVersion) {
                let html = pages.html("my", try homePage(context), context: context)
                let digest = hexString(SHA256.hash(data: Data(html.utf8)).prefix(12))
                return CachedPage(body: ByteBuffer(string: html), etag: "\"\(digest)\"")
            }
        }
        var headers = HTTPFields([HTTPField(name: .eTag, value: page.etag), HTTPField(name: .cacheControl, value: "private, no-cache")])
        if request.headers[.ifNoneMatch] == page.etag { return Response(status: .notModified, headers: headers) }
        headers.append(HTTPField(name: .contentType, value: "text/html; charset=utf-8"))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: page.body))
    }

    struct HomePage {
        struct Program {
            struct Module {
                let title, attended, held, percent: String
            }
            struct Assessment {
                let id, title, best, max, pass: String
            }
            let cohort, program, program_id, status, forecast, forecast_code: String
            let reasons: [String]
            let modules: [Module]
            let assessments: [Assessment]
            let final: String
        }
        struct Session {
            let id, when: String
            let module_title: String?
            let venue: String?
            let started: Bool
            let absence: String?
        }
        struct OpenCohort {
            let code, name, dates: String
        }
        struct Pending {
            let name, code, status: String
            let reason: String?
        }
        struct Certificate {
            let serial, program, issued: String
            let revoked: Bool
        }
        let name: String
        let programs: [Program]
        let sessions: [Session]
        let open_cohorts: [OpenCohort]
        let pending: [Pending]
        let certificates: [Certificate]
        struct Required {
            let program, due, state, state_code, detail: String
        }
        /// The training the District requires of them, and where they stand.
        let required: [Required]
        struct Evaluation {
            let href, label: String
        }
        /// Module questionnaires waiting for them.
        let evaluations: [Evaluation]
        /// Follow-ups on use at work waiting for them.
        let follow_ups: [Evaluation]
        struct LanguageChoice {
            let tag, name: String
            let selected: Bool
        }
        let has_calendar: Bool
        let calendar_url: String?
        let errors: [String]
        let languages: [LanguageChoice]
        let no_language: Bool
        /// Whether they get reminders by e-mail.
        let reminders: Bool
    }

    private func homePage(_ context: WebContext, calendarURL: String? = nil, errors: [String] = []) throws -> HomePage {
        let person = try person(context)
        let t = context.localizer, language = context.language
        let text = ProgressText(localizer: t)
        let now = clock.now()
        let cohorts = try progress.person(person.personalNumber)
        let programs = cohorts.map { entry in
            HomePage.Program(
                cohort: t.script(entry.cohort.name), program: entry.program.title.text(in: language), program_id: entry.program.id,
                status: t("enrolment.status.\(entry.status.rawValue)"), forecast: text.forecastWord(entry.progress.forecast, person: entry.person),
                forecast_code: entry.progress.forecast.code, reasons: entry.progress.forecast.reasons.map(text.reason),
                modules: zip(entry.program.modules, entry.progress.modules).map { module, state in
                    .init(title: "\(module.order). \(module.title.text(in: language))", attended: text.hours(state.presentMinutes),
                          held: text.hours(state.countedMinutes), percent: text.percent(state.attendancePercent))
                },
                assessments: entry.progress.assessments.map { assessment in
                    .init(id: assessment.definition.id,
                          title: assessment.definition.title?.text(in: language) ?? t("assessment.kind.\(assessment.definition.kind.rawValue)"),
                          best: assessment.best.map { DecimalText.format($0) } ?? "–", max: DecimalText.format(assessment.definition.maxScore),
                          pass: DecimalText.format(assessment.definition.passScore))
                },
                final: text.score(entry.progress.finalScore))
        }
        let notices = try selfService.absenceNotices(person: person.personalNumber)
        let programsByCohort = Dictionary(cohorts.map { ($0.cohort.code, $0.program) }, uniquingKeysWith: { first, _ in first })
        let sessions = try scheduling.sessions(person: person.personalNumber).filter { !$0.cancelled && $0.ends > now }.map { session in
            let row = programsByCohort[session.cohortCode].map { SessionRow(session, program: $0, t: t) }
            return HomePage.Session(id: String(session.id.rawValue), when: row?.when ?? t.dateTime(session.starts),
                                    module_title: row?.module_title, venue: row?.venue, started: now >= session.starts,
                                    absence: notices[session.id]?.reason.nonEmpty)
        }
        let enrolments = try enrolment.enrolments(person: person.personalNumber)
        return HomePage(
            name: t.name(person), programs: programs, sessions: sessions,
            open_cohorts: try selfService.openCohorts(person: person.personalNumber).map {
                .init(code: $0.code, name: $0.name, dates: "\(t.date($0.starts)) – \(t.date($0.ends))")
            },
            // Requests and waiting places are shown with their state (approved ones appear as programs above).
            pending: enrolments.filter { !$0.status.occupiesPlace }.map {
                .init(name: t.script($0.cohort.name), code: $0.cohort.code, status: t("enrolment.status.\($0.status.rawValue)"), reason: $0.reason?.nonEmpty)
            },
            certificates: try certificates.list(person: person.personalNumber).map {
                .init(serial: $0.serial, program: $0.payload.programTitle, issued: t.date($0.issued), revoked: $0.revokedAt != nil)
            },
            required: try requirements.gaps(person: person.personalNumber).map { gap in
                let text = RequirementText(localizer: t)
                return .init(program: (try? curriculum.program(gap.requirement.programID).program.title.text(in: context.language))
                                 ?? gap.requirement.programID,
                             due: gap.due.map(t.date) ?? "–", state: text.state(gap), state_code: gap.state.rawValue, detail: text.detail(gap))
            },
            evaluations: try evaluation.pending(personalNumber: person.personalNumber).map { pending in
                .init(href: "/my/evaluations/\(pending.cohort.code)/\(pending.moduleID)",
                      label: t("web.my.evaluation_item", ["module": pending.moduleTitle.text(in: language), "cohort": t.script(pending.cohort.name),
                                                          "date": t.date(pending.deadline)]))
            },
            follow_ups: try followUps.pending(personalNumber: person.personalNumber).map { pending in
                .init(href: "/my/follow-ups/\(pending.followUp.id)",
                      label: t("web.my.follow_up_item", ["program": (try? curriculum.program(pending.followUp.cohort.programID).program.title
                                                             .text(in: language)) ?? pending.followUp.cohort.programID,
                                                         "cohort": t.script(pending.followUp.cohort.name), "date": t.date(pending.followUp.closes)]))
            },
            has_calendar: try selfService.hasCalendarLink(person: person.personalNumber), calendar_url: calendarURL, errors: errors,
            languages: Language.interfaceLanguages.map {
                .init(tag: $0.rawValue, name: t("language.autonym.\($0.rawValue)"), selected: person.preferredLanguage == $0)
            },
            no_language: person.preferredLanguage == nil,
            reminders: try people.remindersEnabled(person.personalNumber))
    }

    private func requestEnrolment(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let number = try person(context).personalNumber, cohort = try form.require("cohort"), actor = try context.actor()
        do {
            _ = try await offload { try selfService.requestPlace(cohort: cohort, person: number, actor: actor) }
        } catch CohortError.unknownCohort {
            throw WebError.notFound
        }
        return .seeOther("/my?notice=enrolment_requested")
    }

    private func reportAbsence(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let number = try person(context).personalNumber
        let id: Int64
        do {
            id = Int64(try form.whole(Self.absenceSessionField, context.localizer))
        } catch {
            return try home(context, errors: [context.localizer.message(for: error)], status: .unprocessableContent)
        }
        guard let reason = form["reason"] else {
            return try home(context, errors: [context.localizer("web.my.absence_reason_required")], status: .unprocessableContent)
        }
        let actor = try context.actor()
        do {
            try await offload { try selfService.reportAbsence(session: SessionID(rawValue: id), person: number, reason: reason, actor: actor) }
        } catch ScheduleError.unknownSession {
            throw WebError.notFound
        } catch TraineeError.notYourSession {
            throw WebError.notFound
        }
        return .seeOther("/my?notice=absence_reported")
    }

    /// A new secret calendar URL, shown once; the previous one stops working.
    private func newCalendarLink(_ context: WebContext) async throws -> Response {
        let number = try person(context).personalNumber, actor = try context.actor()
        let url = try await offload { try selfService.newCalendarLink(person: number, actor: actor) }
        return try home(context, calendarURL: url)
    }

    private func calendar(_ context: WebContext) throws -> Response {
        guard let text = try selfService.calendar(token: try context.parameters.require("token"), language: context.language) else {
            throw WebError.notFound
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.cacheControl] = "private, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func certificate(_ context: WebContext) throws -> Response {
        let person = try person(context)
        let serial = try context.parameters.require("serial")
        guard let certificate = try? certificates.certificate(serial: serial), certificate.personalNumber == person.personalNumber else {
            throw WebError.notFound
        }
        return Download.response(try certificates.render(certificate), type: "application/pdf", name: "\(certificate.serial).pdf")
    }

    private func transcript(_ context: WebContext) throws -> Response {
        let person = try person(context)
        let pdf = try ReportPDF().render(ReportBuilder(localizer: context.localizer).transcript(try reports.transcript(person: person.personalNumber)),
                                         created: clock.today)
        return Download.response(pdf, type: "application/pdf", name: "transkript-\(person.personalNumber).pdf")
    }
}
