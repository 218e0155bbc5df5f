import Certificates
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import NIOFoundationCompat
import TrainingCore
import TrainingOffice

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
        if containsNUL(buffer) {
            throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                           detail: context.localizer.message(for: TextInputError.controlCharacter(field: "body"))))
        }
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let error as NumberInputError {
            throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: context.localizer.message(for: error)))
        } catch {
            throw APIError.problem(Problem(title: "Bad Request", status: 400, detail: "the JSON body does not match the schema"))
        }
    }
}

/// Whether a JSON text holds a NUL character: as `\u0000` in a string (a raw NUL byte is not JSON and is refused by the
/// decoder). Escapes are followed, so `\\u0000` (a backslash, then text) is not one.
func containsNUL(_ buffer: ByteBuffer) -> Bool {
    let bytes = buffer.readableBytesView
    var index = bytes.startIndex
    while index < bytes.endIndex {
        if bytes[index] == 0 { return true }
        guard bytes[index] == UInt8(ascii: "\\"), bytes.index(after: index) < bytes.endIndex else {
            index = bytes.index(after: index)
            continue
        }
        let escaped = bytes.index(after: index)
        if bytes[escaped] == UInt8(ascii: "u"), bytes.distance(from: escaped, to: bytes.endIndex) >= 5,
           bytes[(escaped + 1)...(escaped + 4)].allSatisfy({ $0 == UInt8(ascii: "0") }) {
            return true
        }
        index = bytes.index(escaped, offsetBy: 1)
    }
    return false
}

enum APIError: Error {
    case problem(Problem)
}

/// The paging fields of a list's query (`?limit=50&offset=100`); a refusal is a 400 problem naming the field.
enum Paging {
    static let limit = NumberField.listLimit
    static let offset = NumberField(0...Double(Int32.max), whole: true)
}

/// A page of a list.
struct Page<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int

    init(_ all: [Item], request: Request, context: WebContext) throws {
        let limit = try Self.integer(request, "limit", Paging.limit, default: 50, context)
        let offset = try Self.integer(request, "offset", Paging.offset, default: 0, context)
        self.items = offset < all.count ? Array(all[offset..<min(all.count, offset + limit)]) : []
        self.total = all.count
        self.limit = limit
        self.offset = offset
    }

    /// A whole number of the query (`?year=2027`), or the default when it is absent; a refusal is a 400 problem.
    static func integer(_ request: Request, _ name: String, _ field: NumberField, default value: Int,
                                _ context: WebContext) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        do {
            return try field.readWhole(String(text), field: name)
        } catch {
            throw APIError.problem(Problem(title: "Bad Request", status: 400, detail: context.localizer.message(for: error)))
        }
    }
}

// MARK: Transfer objects

struct PersonDTO: Encodable {
    var personalNumber, givenName, familyName, email, department: String
    var sex: String?
    var jobTitle: String?
    var employedSince: String?
    init(_ person: Person) {
        personalNumber = person.personalNumber; givenName = person.givenName; familyName = person.familyName
        email = person.email; department = person.department.rawValue; sex = person.sex?.rawValue; jobTitle = person.jobTitle
        employedSince = person.employedSince?.iso
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

/// A page of the sessions list; `nextAfter` asks for the page after it.
struct SessionPageDTO: Encodable {
    var items: [SessionDTO]
    var total: Int
    var limit: Int
    var nextAfter: Int64?
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
    var holder, programTitle, issued, expires, revokedAt: String?
}

struct CohortEditDTO: Encodable {
    var cohort: CohortDTO
    /// Who left the waitlist for one of the new places.
    var promoted: [String]
}

struct PeopleImportDTO: Encodable {
    var dryRun: Bool
    var added: [String]
    var updated: [String]
    var unchanged: Int
    var encoding, delimiter: String
    init(_ outcome: PeopleRegistry.ImportOutcome, dryRun: Bool) {
        self.dryRun = dryRun; added = outcome.summary.added; updated = outcome.summary.updated.map(\.personalNumber)
        unchanged = outcome.summary.unchanged; encoding = outcome.encoding; delimiter = String(outcome.delimiter)
    }
}

struct LanguageDTO: Encodable { var language: String? }

/// An enrolment after a change, and who left the waitlist because of it.
struct EnrolmentChangeDTO: Encodable {
    var personalNumber, status: String
    var promoted: [String]
    init(_ change: EnrolmentChange) { personalNumber = change.personalNumber; status = change.status.rawValue; promoted = change.promoted }
}

/// Who enrolling a department would enrol, and who it skips.
struct DepartmentPlanDTO: Encodable { var toEnrol, completedProgram, alreadyInCohort: [String] }

// MARK: Requests

/// A participants CSV as text (the same columns as the file import); `dry_run` says what would change and changes nothing.
struct PeopleImportRequest: Decodable { var csv: String; var fileName: String?; var dryRun: Bool? }
/// A department's code.
struct TransferRequest: Decodable { var department: String }

/// A new cohort; dates as `2027-03-15` or `15. 3. 2027.`.
struct CohortCreateRequest: Decodable {
    var code, name, programId, starts, ends: String
    var programVersion: JSONNumber<VersionKind>?
    var capacity: JSONNumber<CapacityKind>
}
/// A cohort's new name, dates or places; what is left out stays as it is.
struct CohortEditRequest: Decodable {
    var name, starts, ends: String?
    var capacity: JSONNumber<CapacityKind>?
}

/// Dates in a JSON body, read as people type them; a refusal is a 422 problem naming the value.
enum APIDates {
    static func day(_ text: String, _ context: WebContext) throws -> LocalDate {
        guard let day = LocalDate(typed: text) else {
            throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                           detail: context.localizer("web.form.bad_date", ["value": text])))
        }
        return day
    }

    static func range(_ starts: String, _ ends: String, _ context: WebContext) throws -> (LocalDate, LocalDate) {
        (try day(starts, context), try day(ends, context))
    }
}

struct EnrolRequest: Decodable { var personalNumbers: [String] }
/// A whole department; without `confirm: true` only the plan is returned.
struct DepartmentEnrolRequest: Decodable { var department: String; var confirm: Bool? }
/// `approve`, `decline` (with a reason) or `withdraw`.
struct EnrolmentDecisionRequest: Decodable { var action: String; var reason: String? }
/// The cohort a trainee asks a place in.
struct PlaceRequest: Decodable { var cohort: String }
/// A session's new time (`2027-03-15` or `15. 3. 2027.`, `09:00`), and place or trainer when they change.
struct MoveRequest: Decodable { var date: String; var starts: String; var ends: String; var venue: String?; var trainer: String?; var force: Bool? }
/// Why a session is cancelled.
struct CancelRequest: Decodable { var reason: String? }
/// A preferred language: a tag of the five, or null to clear it.
struct LanguageRequest: Decodable { var language: String? }
struct RemindersRequest: Decodable { var enabled: Bool }
struct AttendanceRequest: Decodable {
    struct Entry: Decodable { var personalNumber: String; var status: String; var minutes: JSONNumber<MinutesKind>?; var note: String? }
    var entries: [Entry]
}
struct ScoresRequest: Decodable {
    struct Entry: Decodable { var personalNumber: String; var score: JSONNumber<ScoreKind>; var attempt: JSONNumber<AttemptKind>? }
    var entries: [Entry]
}

/// What a number in a JSON body allows.
protocol NumberKind { static var field: NumberField { get } }
enum MinutesKind: NumberKind { static var field: NumberField { .minutes } }
enum ScoreKind: NumberKind { static var field: NumberField { .score } }
enum AttemptKind: NumberKind { static var field: NumberField { .attempt } }
enum CapacityKind: NumberKind { static var field: NumberField { .capacity } }
enum VersionKind: NumberKind { static var field: NumberField { .version } }
enum YearKind: NumberKind { static var field: NumberField { .year } }
enum RetentionKind: NumberKind { static var field: NumberField { .retentionDays } }

/// A number in a JSON body, read through `NumberField` as it is decoded: a JSON number, or a string as a person types it
/// (`"80,5"`). A refusal names the field by its path in the body (`entries[0].score`).
struct JSONNumber<Kind: NumberKind>: Decodable, Sendable {
    let value: Double

    init(from decoder: any Decoder) throws {
        // Keys as the body spells them (`program_version`; the decoder has turned them into `programVersion`).
        func snakeCase(_ key: String) -> String {
            key.reduce(into: "") { text, character in
                if character.isUppercase { text += "_" + character.lowercased() } else { text.append(character) }
            }
        }
        let path = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\(snakeCase($0.stringValue))" }.joined()
        let name = String(path.drop { $0 == "." }).replacingOccurrences(of: ".[", with: "[")
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = try Kind.field.check(number, field: name)
        } else if let text = try? container.decode(String.self) {
            value = try Kind.field.read(text, field: name)
        } else {
            // A JSON number no Double holds (hundreds of digits) is out of any range a field allows.
            throw NumberInputError.outOfRange(field: name, value: "…", range: Kind.field.range)
        }
    }
}

/// Where the API lives. Its routes sit beside the pages of the same resource, in each resource's controller, and
/// declare the same capabilities.
enum APIController {
    static let prefix = "/api/v1"
}

/// Bearer tokens for /api/ requests; cookies are not honoured there.
struct BearerTokenAuthenticator: RouterMiddleware {
    typealias Context = WebContext
    let signIn: SignInDesk
    let clock: OfficeClock

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        var context = context
        context.identity = nil
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard token.count < 200, let found = try signIn.account(apiToken: token) else {
                return Problem(title: "Unauthorized", status: 401, detail: "the token is unknown, revoked or its account is disabled").response()
            }
            let now = Int64(clock.date().timeIntervalSince1970)
            if (found.lastUsedAt ?? 0) + SessionCookies.refreshInterval <= now {
                try await offload { [signIn] in try signIn.touchToken(id: found.tokenID, now: now) }
            }
            context.identity = WebIdentity(account: found.account, sessionKey: "token:\(found.tokenID)", csrfToken: "")
        }
        return try await next(request, context)
    }
}

/// The OpenAPI 3.1 document of the API, bundled and served as written (design first; a test compares it
/// with the routes).
enum OpenAPIDocument {
    static let data: Data = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) } ?? Data("{}".utf8)

    static func register(on routes: RouteTable) {
        routes.get("\(APIController.prefix)/openapi.json", .everyone) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
