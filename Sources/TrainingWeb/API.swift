import Certificates
import Foundation
import HTTPTypes
import Hummingbird
import TrainingCore
import TrainingOffice
import TrainingStore

// The JSON API under /api/v1: the same capabilities as the pages, personal bearer tokens instead of
// cookies (so no CSRF token is needed), errors as application/problem+json, lists in pages.

/// An RFC 9457 problem document.
struct Problem: Encodable {
    var type = "about:blank"
    var title: String
    var status: Int
    var detail: String?

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        let data = (try? APIJSON.encoder.encode(self)) ?? Data("{}".utf8)
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

enum APIJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Decodes a JSON body, or a 400/422 problem saying what is wrong with it.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request, _ context: WebContext) async throws -> T {
        var request = request
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw APIError.problem(Problem(title: "Unsupported Media Type", status: 415, detail: "send application/json"))
        }
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch {
            throw APIError.problem(Problem(title: "Bad Request", status: 400, detail: "the JSON body does not match the schema"))
        }
    }
}

enum APIError: Error {
    case problem(Problem)
}

/// A page of a list.
struct Page<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int

    init(_ all: [Item], request: Request) throws {
        let limit = try Self.integer(request, "limit", default: 50, range: 1...500)
        let offset = try Self.integer(request, "offset", default: 0, range: 0...Int(Int32.max))
        self.items = offset < all.count ? Array(all[offset..<min(all.count, offset + limit)]) : []
        self.total = all.count
        self.limit = limit
        self.offset = offset
    }

    private static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.problem(Problem(title: "Bad Request", status: 400, detail: "\(name) must be an integer in \(range.lowerBound)…\(range.upperBound)"))
        }
        return number
    }
}

// MARK: Transfer objects

struct PersonDTO: Encodable {
    var personalNumber, givenName, familyName, email, department: String
    var sex: String?
    var jobTitle: String?
    init(_ person: Person) {
        personalNumber = person.personalNumber; givenName = person.givenName; familyName = person.familyName
        email = person.email; department = person.department.rawValue; sex = person.sex?.rawValue; jobTitle = person.jobTitle
    }
}

struct CohortDTO: Encodable {
    var code, name, programId: String
    var programVersion, capacity: Int
    var starts, ends: String
    init(_ cohort: Cohort) {
        code = cohort.code; name = cohort.name; programId = cohort.programID; programVersion = cohort.programVersion
        capacity = cohort.capacity; starts = cohort.starts.iso; ends = cohort.ends.iso
    }
}

struct EnrolmentDTO: Encodable {
    var personalNumber, status, departmentAtEnrolment: String
    var position: Int
    var reason: String?
}

struct SessionDTO: Encodable {
    var id: Int64
    var cohortCode, moduleId, starts, ends: String
    var venue, trainer: String?
    var cancelled: Bool
    var sequence: Int
    init(_ session: ScheduledSession) {
        id = session.id.rawValue; cohortCode = session.cohortCode; moduleId = session.moduleID; starts = session.starts.iso
        ends = session.ends.iso; venue = session.venue; trainer = session.trainer; cancelled = session.cancelled; sequence = session.sequence
    }
}

struct AttendanceDTO: Encodable {
    var personalNumber, status: String
    var minutesPresent: Int
    var note: String?
    var recordedBy, recordedAt: String
}

struct ProgressDTO: Encodable {
    struct ModuleDTO: Encodable {
        var moduleId: String
        var presentMinutes, countedMinutes, remainingMinutes: Int
        var attendancePercent: Double?
    }
    struct AssessmentDTO: Encodable {
        var assessmentId: String
        var scores: [Double]
        var best: Double?
        var passScore, maxScore: Double
    }
    var personalNumber, cohortCode, programId, enrolmentStatus, forecast: String
    var finalScore: Double
    var modules: [ModuleDTO]
    var assessments: [AssessmentDTO]

    init(_ entry: CohortProgress) {
        personalNumber = entry.person.personalNumber; cohortCode = entry.cohort.code; programId = entry.program.id
        enrolmentStatus = entry.status.rawValue; forecast = entry.progress.forecast.code; finalScore = entry.progress.finalScore
        modules = entry.progress.modules.map {
            ModuleDTO(moduleId: $0.moduleID, presentMinutes: $0.presentMinutes, countedMinutes: $0.countedMinutes,
                      remainingMinutes: $0.remainingMinutes, attendancePercent: $0.attendancePercent)
        }
        assessments = entry.progress.assessments.map {
            AssessmentDTO(assessmentId: $0.definition.id, scores: $0.scores, best: $0.best, passScore: $0.definition.passScore,
                          maxScore: $0.definition.maxScore)
        }
    }
}

struct CertificateDTO: Encodable {
    var serial, verificationId, personalNumber, cohortCode, holder, programTitle, issued, state: String
    var expires, revokedAt, revocationReason: String?
    init(_ certificate: IssuedCertificate, today: LocalDate) {
        serial = certificate.serial; verificationId = certificate.verificationID; personalNumber = certificate.personalNumber
        cohortCode = certificate.cohortCode; holder = certificate.payload.holder; programTitle = certificate.payload.programTitle
        issued = certificate.issued.iso; expires = certificate.expires?.iso; revokedAt = certificate.revokedAt
        revocationReason = certificate.revocationReason
        state = certificate.registerState(today: today)
    }
}

struct FiguresDTO: Encodable {
    var headcount, enrolled, completed, presentMinutes, countedMinutes: Int
    var completionPercent, attendancePercent: Double?
    init(_ figures: ReportFigures) {
        headcount = figures.headcount; enrolled = figures.enrolled; completed = figures.completed
        presentMinutes = figures.presentMinutes; countedMinutes = figures.countedMinutes
        completionPercent = figures.completionPercent; attendancePercent = figures.attendancePercent
    }
}

struct DepartmentReportDTO: Encodable {
    var department, from, to: String
    var programId: String?
    var figures: FiguresDTO
    var district: FiguresDTO
}

struct ProgramReportDTO: Encodable {
    struct DepartmentFigures: Encodable {
        var department: String
        var figures: FiguresDTO
    }
    var from, to: String
    var programId: String?
    var departments: [DepartmentFigures]
    var district: FiguresDTO
}

struct VerificationDTO: Encodable {
    var state: String
    var serial: String
    /// True when the holder's data has been erased: the register attests the certificate without a name.
    var holderErased: Bool?
    var holder, programTitle, issued, expires, revokedAt, revocationReason: String?
}

// MARK: Requests

struct EnrolRequest: Decodable { var personalNumbers: [String] }
struct AttendanceRequest: Decodable {
    struct Entry: Decodable { var personalNumber: String; var status: String; var minutes: Int?; var note: String? }
    var entries: [Entry]
}
struct ScoresRequest: Decodable {
    struct Entry: Decodable { var personalNumber: String; var score: Double; var attempt: Int? }
    var entries: [Entry]
}

/// The API's routes; each declares the same capability as the matching page.
struct APIController {
    let services: WebServices
    var database: AppDatabase { services.database }
    static let prefix = "/api/v1"

    func register(on routes: RouteTable) {
        let p = Self.prefix
        routes.get("\(p)/openapi.json", .everyone) { _, _ in OpenAPIDocument.response() }
        routes.get("\(p)/people", .managePeople) { request, _ in
            try APIJSON.response(try Page(try database.people(department: request.query("department").map(DepartmentCode.init)).map(PersonDTO.init),
                                          request: request))
        }
        routes.get("\(p)/people/{personal_number}", .managePeople) { _, context in
            guard let person = try? database.person(personalNumber: try context.parameters.require("personal_number")) else { throw WebError.notFound }
            return try APIJSON.response(PersonDTO(person))
        }
        routes.get("\(p)/cohorts", .manageCohorts) { request, _ in
            try APIJSON.response(try Page(try database.cohorts().map(CohortDTO.init), request: request))
        }
        routes.get("\(p)/cohorts/{code}", .manageCohorts) { _, context in
            try APIJSON.response(CohortDTO(try CohortController.cohort(context, database)))
        }
        routes.get("\(p)/cohorts/{code}/enrolments", .manageCohorts) { request, context in
            let cohort = try CohortController.cohort(context, database)
            return try APIJSON.response(try Page(try database.enrolments(cohortCode: cohort.code).map {
                EnrolmentDTO(personalNumber: $0.person.personalNumber, status: $0.status.rawValue,
                             departmentAtEnrolment: $0.departmentAtEnrolment.rawValue, position: $0.position, reason: $0.reason)
            }, request: request))
        }
        routes.post("\(p)/cohorts/{code}/enrolments", .manageCohorts) { request, context in
            let cohort = try CohortController.cohort(context, database)
            let body = try await APIJSON.body(EnrolRequest.self, request, context)
            let changes = try database.enrol(cohortCode: cohort.code, personalNumbers: body.personalNumbers, actor: try context.actor())
            return try APIJSON.response(try Page(changes.map {
                EnrolmentDTO(personalNumber: $0.personalNumber, status: $0.status.rawValue, departmentAtEnrolment: "", position: 0, reason: nil)
            }, request: request), status: .created)
        }
        routes.get("\(p)/cohorts/{code}/sessions", .manageSchedule) { request, context in
            let cohort = try CohortController.cohort(context, database)
            return try APIJSON.response(try Page(try database.sessions(cohortCode: cohort.code).map(SessionDTO.init), request: request))
        }
        routes.get("\(p)/cohorts/{code}/progress", .viewCohortProgress) { request, context in
            let cohort = try CohortController.cohort(context, database)
            return try APIJSON.response(try Page(try database.progress(cohortCode: cohort.code, now: services.now()).map(ProgressDTO.init),
                                                 request: request))
        }
        routes.post("\(p)/cohorts/{code}/assessments/{assessment}/scores", .recordScores) { request, context in
            let cohort = try CohortController.cohort(context, database)
            let body = try await APIJSON.body(ScoresRequest.self, request, context)
            let attempts = try database.recordScores(
                cohortCode: cohort.code, assessmentID: try context.parameters.require("assessment"),
                entries: body.entries.map { ScoreEntry(personalNumber: $0.personalNumber, score: $0.score, attempt: $0.attempt) },
                source: "api", actor: try context.actor(), now: services.now())
            return try APIJSON.response(["attempts": attempts], status: .created)
        }
        routes.get("\(p)/sessions/{id}/attendance", .recordAttendance) { _, context in
            let id = try sessionID(context)
            return try APIJSON.response(["items": try database.attendance(session: id).map {
                AttendanceDTO(personalNumber: $0.person.personalNumber, status: $0.status.rawValue, minutesPresent: $0.minutesPresent,
                              note: $0.note, recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
            }])
        }
        routes.post("\(p)/sessions/{id}/attendance", .recordAttendance) { request, context in
            let id = try sessionID(context)
            let body = try await APIJSON.body(AttendanceRequest.self, request, context)
            let entries = try body.entries.map { entry in
                guard let status = AttendanceStatus(rawValue: entry.status) else {
                    throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: "unknown status \(entry.status)"))
                }
                return AttendanceEntry(personalNumber: entry.personalNumber, status: status, minutes: entry.minutes, note: entry.note)
            }
            let recorded = try database.recordAttendance(session: id, entries: entries, source: "api", actor: try context.actor(),
                                                         now: services.now())
            return try APIJSON.response(["recorded": recorded], status: .created)
        }
        routes.get("\(p)/me/progress", .viewOwnProgress) { _, context in
            guard let number = context.principal?.personalNumber else { throw WebError.forbidden }
            return try APIJSON.response(["items": try database.progress(personalNumber: number, now: services.now()).map(ProgressDTO.init)])
        }
        routes.get("\(p)/certificates", .issueCertificates) { request, _ in
            let today = services.now().date
            return try APIJSON.response(try Page(try database.certificates(cohortCode: request.query("cohort")).map {
                CertificateDTO($0, today: today)
            }, request: request))
        }
        routes.get("\(p)/certificates/{serial}", .issueCertificates) { _, context in
            guard let certificate = try? database.certificate(serial: try context.parameters.require("serial")) else { throw WebError.notFound }
            return try APIJSON.response(CertificateDTO(certificate, today: services.now().date))
        }
        routes.get("\(p)/reports/department/{department}", .viewDepartmentReports, departmentScoped: true) { request, context in
            let code = DepartmentCode(try context.parameters.require("department"))
            guard try database.department(code) != nil else { throw WebError.notFound }
            let now = services.now()
            let (from, to, program) = try reportQuery(request, now: now)
            let reading = try database.reportReading(ReportScope(department: code, from: from, to: to, programID: program),
                                                     perPerson: false, now: now)
            return try APIJSON.response(DepartmentReportDTO(department: code.rawValue, from: from.iso, to: to.iso, programId: program,
                                                            figures: FiguresDTO(reading.figures),
                                                            district: FiguresDTO(reading.districtFigures)))
        }
        routes.get("\(p)/reports/program", .viewProgramReports) { request, _ in
            let now = services.now()
            let (from, to, program) = try reportQuery(request, now: now)
            let reading = try await database.programReportReading(ReportScope(department: nil, from: from, to: to, programID: program),
                                                                  now: now)
            return try APIJSON.response(ProgramReportDTO(
                from: from.iso, to: to.iso, programId: program,
                departments: reading.departmentFigures.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                    .init(department: $0.key.rawValue, figures: FiguresDTO($0.value))
                },
                district: FiguresDTO(reading.districtFigures)))
        }
        routes.get("\(p)/verify/{id}", .everyone) { _, context in try await verify(context) }
    }

    private func sessionID(_ context: WebContext) throws -> SessionID {
        guard let id = context.parameters.get("id").flatMap(Int64.init), (try? database.session(SessionID(rawValue: id))) != nil else {
            throw WebError.notFound
        }
        return SessionID(rawValue: id)
    }

    /// A report's period (this year so far unless given) and program (one that exists, or all).
    private func reportQuery(_ request: Request, now: LocalDateTime) throws -> (from: LocalDate, to: LocalDate, program: String?) {
        let from = try date(request, "from") ?? LocalDate(year: now.date.year, month: 1, day: 1)!
        let to = try date(request, "to") ?? now.date
        let program = request.query("program")
        if let program, (try? database.program(id: program)) == nil { throw WebError.notFound }
        return (from, to, program)
    }

    private func date(_ request: Request, _ name: String) throws -> LocalDate? {
        guard let text = request.query(name) else { return nil }
        guard let date = LocalDate(iso: text) else {
            throw APIError.problem(Problem(title: "Bad Request", status: 400, detail: "\(name) must be a date YYYY-MM-DD"))
        }
        return date
    }

    private func verify(_ context: WebContext) async throws -> Response {
        let certificate = try await services.certificateForVerification(context)
        var dto = VerificationDTO(state: "", serial: certificate.serial)
        if certificate.holderErasedAt != nil {
            dto.state = certificate.registerState(today: services.now().date)
            dto.holderErased = true
            dto.programTitle = certificate.fields["program_title"]
            dto.issued = certificate.issued.iso
            dto.expires = certificate.expires?.iso
            dto.revokedAt = certificate.revokedAt
            dto.revocationReason = certificate.revocationReason
            return try APIJSON.response(dto)
        }
        switch try services.office.verify(certificate.serial, today: services.now().date) {
        case .valid(let payload), .expired(let payload):
            dto.state = CertificateRules.isExpired(expires: payload.expires, today: services.now().date) ? "expired" : "valid"
            dto.holder = payload.holder; dto.programTitle = payload.programTitle; dto.issued = payload.issued.iso; dto.expires = payload.expires?.iso
        case .revoked(let payload, let on, let reason):
            dto.state = "revoked"; dto.holder = payload.holder; dto.programTitle = payload.programTitle; dto.issued = payload.issued.iso
            dto.revokedAt = on; dto.revocationReason = reason
        case .forged:
            dto.state = "forged"
        }
        return try APIJSON.response(dto)
    }
}

/// Bearer tokens for /api/ requests; cookies are not honoured there.
struct BearerTokenAuthenticator: RouterMiddleware {
    typealias Context = WebContext
    let database: AppDatabase
    let clock: @Sendable () -> Date

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        var context = context
        context.identity = nil
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard token.count < 200, let found = try database.apiTokenAccount(tokenSHA256: SessionCookies.key(of: token)) else {
                return Problem(title: "Unauthorized", status: 401, detail: "the token is unknown, revoked or its account is disabled").response()
            }
            let now = Int64(clock().timeIntervalSince1970)
            if (found.lastUsedAt ?? 0) + SessionCookies.refreshInterval <= now {
                try database.touchAPIToken(id: found.tokenID, now: now)
            }
            context.identity = WebIdentity(account: found.account, sessionKey: "token:\(found.tokenID)", csrfToken: "")
        }
        return try await next(request, context)
    }
}
