import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Localization
import MistypedNumbers
import NIOCore
import Testing
import TrainingCore
@testable import TrainingWeb

/// Every numeric field of the web forms (`NumberFormField.all`, checked against the templates' number inputs) and of the
/// JSON API (the number properties and parameters of the OpenAPI document) gets each mistyped number: in process through
/// the router, and one sample per field through the running server. A number the one reader refuses is refused with its
/// message naming the field; one it takes is stored as read (or refused by a rule); nothing answers 5xx, and the server
/// still answers afterwards.
@Suite(.serialized) struct NumberInputTests {
    static let english = Localizer(.english)

    /// `text` as Mustache writes it into a page.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    // MARK: Forms

    /// How each form with a number is sent with everything else valid: who sends it, the path, the other fields.
    struct FormSubmission {
        let login: String
        let path: String
        let person: String?
        let otherFields: [(String, String)]
        /// The value stored for the field after an accepted submission, when the page can show it.
        let stored: (@Sendable (WebFixture) throws -> Double?)?
    }

    static func submissions(_ fixture: WebFixture) -> [String: FormSubmission] {
        let session = fixture.sessionID
        return [
            "POST /cohorts capacity": FormSubmission(
                login: "koordinator", path: "/cohorts", person: nil,
                otherFields: [("code", "N\(UUID().uuidString.prefix(6))"), ("name", "Nova"), ("program", "web-probni"),
                              ("starts", "2026-12-01"), ("ends", "2026-12-20")], stored: nil),
            "POST /sessions/{id}/attendance minutes_{person}": FormSubmission(
                login: "koordinator", path: "/sessions/\(session)/attendance", person: "1001",
                otherFields: [("status_1001", "late")], stored: { fixture in
                    try fixture.office().attendance.records(session: SessionID(rawValue: session))
                        .first { $0.person.personalNumber == "1001" }.map { Double($0.minutesPresent) }
                }),
            "POST /cohorts/{code}/assessments/{assessment} score_{person}": FormSubmission(
                login: "koordinator", path: "/cohorts/W1/assessments/M1-T", person: "1001", otherFields: [], stored: { fixture in
                    try fixture.office().progress.person("1001").first?.progress.assessments.first?.scores.last
                }),
            "POST /my/absences session": FormSubmission(
                login: "polaznik", path: "/my/absences", person: nil, otherFields: [("reason", "bolovanje")], stored: nil),
            "GET /admin/audit limit": FormSubmission(login: "admin", path: "/admin/audit", person: nil, otherFields: [], stored: nil),
            "POST /cohorts/{code}/edit capacity": FormSubmission(
                login: "koordinator", path: "/cohorts/W1/edit", person: nil,
                otherFields: [("name", "Web grupa"), ("starts", "2026-11-02"), ("ends", "2026-12-18")], stored: { fixture in
                    Double(try fixture.office().cohorts.cohort("W1").capacity)
                }),
            "POST /venues capacity": FormSubmission(
                login: "koordinator", path: "/venues", person: nil, otherFields: [("name", "Sala \(UUID().uuidString.prefix(6))")], stored: nil),
            "POST /needs year": FormSubmission(
                login: "koordinator", path: "/needs", person: nil, otherFields: [("deadline", "2027-12-31")], stored: nil),
            "POST /department/{department}/needs head_count": FormSubmission(
                login: "koordinator", path: "/department/EIMS/needs", person: nil,
                otherFields: [("year", "2027"), ("program", "web-probni"), ("reason", "potrebno")], stored: nil),
            "POST /cohorts/{code}/cost cost": FormSubmission(
                login: "koordinator", path: "/cohorts/W1/cost", person: nil, otherFields: [], stored: nil),
            "POST /plan/items cohorts": FormSubmission(
                login: "koordinator", path: "/plan/items", person: nil,
                otherFields: [("year", "2027"), ("program", "web-probni"), ("quarter", "1"), ("places", "EIMS=2")], stored: nil),
            "POST /plan/items participant_hours": FormSubmission(
                login: "koordinator", path: "/plan/items", person: nil,
                otherFields: [("year", "2027"), ("program", "web-probni"), ("quarter", "2"), ("places", "EIMS=2")], stored: nil),
            "POST /plan/items cost": FormSubmission(
                login: "koordinator", path: "/plan/items", person: nil,
                otherFields: [("year", "2027"), ("program", "web-probni"), ("quarter", "3"), ("places", "EIMS=2")], stored: nil),
            "POST /requirements days": FormSubmission(
                login: "koordinator", path: "/requirements", person: nil,
                otherFields: [("code", "N\(UUID().uuidString.prefix(6))"), ("program", "web-probni"), ("scope", "everyone")], stored: nil),
            "POST /requirements renew_years": FormSubmission(
                login: "koordinator", path: "/requirements", person: nil,
                otherFields: [("code", "N\(UUID().uuidString.prefix(6))"), ("program", "web-probni"), ("scope", "everyone"), ("days", "30")],
                stored: nil),
            "POST /admin/privacy/retention days": FormSubmission(
                login: "admin", path: "/admin/privacy/retention", person: nil, otherFields: [], stored: { fixture in
                    Double(try fixture.office().privacy.retentionDays())
                }),
        ]
    }

    /// The names of the templates' number inputs (`{person}` where a row's personal number goes).
    static func templateNumberInputs() throws -> Set<String> {
        let folder = WebFixture.repositoryRoot.appendingPathComponent("Sources/TrainingWeb/Resources/templates")
        var names = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /<input[^>]*>/) {
                let tag = String(match.output)
                guard tag.contains("type=\"number\"") || tag.contains("inputmode=\"numeric\"") || tag.contains("inputmode=\"decimal\"") else { continue }
                if let name = tag.firstMatch(of: /name="([^"]+)"/)?.output.1 {
                    names.insert(String(name).replacingOccurrences(of: "{{number}}", with: "{person}"))
                }
            }
        }
        return names
    }

    @Test func theFormFieldsAreTheTemplatesNumberInputs() throws {
        let declared = Set(NumberFormField.all.map(\.name))
        // Hidden fields carrying a record's number (the session of an absence) are numbers the browser never shows.
        let hidden: Set<String> = ["session"]
        #expect(try Self.templateNumberInputs() == declared.subtracting(hidden))
        let fixture = try WebFixture()
        #expect(Set(Self.submissions(fixture).keys) == Set(NumberFormField.all.map { "\($0.method) \($0.path) \($0.name)" }))
    }

    /// Sends `sample` in every form's numeric field and checks the answer.
    static func checkForms(_ client: any HTTPTestClient, _ fixture: WebFixture, samples: [String]) async throws {
        for definition in NumberFormField.all {
            let submission = try #require(submissions(fixture)["\(definition.method) \(definition.path) \(definition.name)"])
            var web = WebClient(client)
            _ = try await web.get("/login?lang=en")
            try await web.signIn(submission.login)
            _ = try await web.get("/my")  // a page with the CSRF token of this session
            for sample in samples {
                let name = submission.person.map(definition.name(person:)) ?? definition.name
                let fields = submission.otherFields + [(name, sample)]
                let response: HTTPTestResponse
                if definition.method == "GET" {
                    let query = fields.map { "\(WebClient.encode($0.0))=\(WebClient.encode($0.1))" }.joined(separator: "&")
                    response = try await web.get("\(submission.path)?\(query)")
                } else {
                    response = try await web.post(submission.path, fields)
                }
                let body = String(buffer: response.body)
                let label = definition.label(english, person: submission.person)
                let context = "\(definition.method) \(submission.path) \(name) ← “\(sample)”: \(response.status)"
                #expect(response.status.code < 500, "\(context)")
                // An empty field is a value not given: the form says what it needs, or goes on without it.
                if sample.trimmingWhitespace.isEmpty { continue }
                switch MistypedNumbers.expected(sample, definition.field, name: label) {
                case .failure(let error):
                    #expect(response.status == .unprocessableContent || response.status == .badRequest, "\(context)")
                    #expect(body.contains(escaped(english.message(for: error))), "\(context): \(english.message(for: error))")
                case .success(let value):
                    #expect(!body.contains(escaped(label) + ":"), "\(context): refused a number the reader takes")
                    if response.status == .seeOther, let stored = submission.stored {
                        #expect(try stored(fixture) == value, "\(context)")
                        #expect(try stored(fixture)?.sign != .minus, "\(context)")
                    }
                }
            }
        }
    }

    // MARK: API

    /// A numeric input of the API found in the OpenAPI document: a query or path parameter, or a body property.
    struct APIField: Hashable, CustomStringConvertible {
        let method: String
        let path: String
        let name: String
        let location: String  // query, path or body
        let minimum: Double?
        let maximum: Double?
        var description: String { "\(method) \(path) \(name)" }
    }

    static func apiFields() throws -> [APIField] {
        let document = try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as! [String: Any]
        let schemas = (document["components"] as! [String: Any])["schemas"] as! [String: Any]
        func isNumber(_ schema: [String: Any]) -> Bool {
            let types = (schema["type"] as? [String]) ?? [(schema["type"] as? String) ?? ""]
            return types.contains("number") || types.contains("integer")
        }
        func resolve(_ schema: [String: Any]) -> [String: Any] {
            guard let reference = schema["$ref"] as? String else { return schema }
            return schemas[String(reference.split(separator: "/").last!)] as! [String: Any]
        }
        var fields: [APIField] = []
        func walk(_ schema: [String: Any], name: String, method: String, path: String) {
            let schema = resolve(schema)
            if isNumber(schema) {
                fields.append(APIField(method: method, path: path, name: name, location: "body",
                                       minimum: schema["minimum"] as? Double, maximum: schema["maximum"] as? Double))
            }
            for (property, value) in (schema["properties"] as? [String: Any]) ?? [:] {
                walk(value as! [String: Any], name: name.isEmpty ? property : "\(name).\(property)", method: method, path: path)
            }
            if let items = schema["items"] as? [String: Any] { walk(items, name: "\(name)[]", method: method, path: path) }
        }
        for (path, operations) in document["paths"] as! [String: [String: Any]] {
            for (method, operation) in operations {
                let operation = operation as! [String: Any]
                for parameter in (operation["parameters"] as? [[String: Any]]) ?? [] {
                    let schema = parameter["schema"] as! [String: Any]
                    guard isNumber(schema) else { continue }
                    fields.append(APIField(method: method.uppercased(), path: path, name: parameter["name"] as! String,
                                           location: parameter["in"] as! String, minimum: schema["minimum"] as? Double,
                                           maximum: schema["maximum"] as? Double))
                }
                if let body = ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any] {
                    walk(body["schema"] as! [String: Any], name: "", method: method.uppercased(), path: path)
                }
            }
        }
        return fields.sorted { $0.description < $1.description }
    }

    /// What reads each numeric input of the API; path parameters name records and are not read as quantities.
    static func reader(_ field: APIField) -> NumberField? {
        switch (field.location, field.name) {
        case ("query", "limit"): Paging.limit
        case ("query", "offset"): Paging.offset
        case ("query", "after"): .recordNumber
        case ("query", "year"): .year
        case ("query", "expiring_within"): .daysAhead
        case ("body", "capacity"): CapacityKind.field
        case ("body", "program_version"): VersionKind.field
        case ("body", "days"): RetentionKind.field
        case ("body", "due_days"): DueDaysKind.field
        case ("body", "year"): YearKind.field
        case ("body", "quarter"): QuarterKind.field
        case ("body", "cohorts"): PlannedCohortsKind.field
        case ("body", "participant_hours"): ParticipantHoursKind.field
        case ("body", "cost_km"): CostKind.field
        case ("body", "item_id"): RecordNumberKind.field
        case ("body", "head_count"): HeadCountKind.field
        case ("body", "renew_years"): RenewYearsKind.field
        case ("body", "entries[].minutes"): MinutesKind.field
        case ("body", "entries[].score"): ScoreKind.field
        case ("body", "entries[].attempt"): AttemptKind.field
        case ("body", "answers[].scale"): ReactionScaleKind.field
        default: nil
        }
    }

    @Test func theOpenAPIDocumentStatesWhatTheReaderAllows() throws {
        let fields = try Self.apiFields()
        #expect(fields.count >= 15)
        for field in fields where field.location != "path" {
            let reader = try #require(Self.reader(field), "no reader known for \(field)")
            #expect(field.minimum == reader.range.lowerBound && field.maximum == reader.range.upperBound, "\(field)")
        }
    }

    /// A JSON value for `sample`: the text as a string, or as written when it is a JSON number.
    static func jsonValues(_ sample: String) -> [(json: String, raw: Bool)] {
        let string = String(decoding: try! JSONEncoder().encode(sample), as: UTF8.self)
        let isNumber = ((try? JSONSerialization.jsonObject(with: Data("[\(sample)]".utf8))) as? [Any])?.count == 1
        return [(string, false)] + (isNumber ? [(sample, true)] : [])
    }

    /// `token` is a coordinator's; a route only an administrator may use is asked again with `adminToken`, one only a
    /// trainee may use (their own questionnaires) with `traineeToken`, one only a department's head may use (follow-ups
    /// about their people) with `headToken`.
    static func checkAPI(_ client: any HTTPTestClient, _ fixture: WebFixture, token: String, adminToken: String,
                         traineeToken: String, headToken: String, samples: [String]) async throws {
        let session = fixture.sessionID
        for field in try apiFields() {
            for sample in samples {
                var path = field.path.replacingOccurrences(of: "{code}", with: "W1")
                    .replacingOccurrences(of: "{personal_number}", with: "1001")
                    .replacingOccurrences(of: "{assessment}", with: "M1-T")
                    .replacingOccurrences(of: "{department}", with: "EIMS")
                    .replacingOccurrences(of: "{module}", with: "M1")
                    .replacingOccurrences(of: "{version}", with: field.name == "version" ? "{id}" : "1")
                let encoded = sample.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? sample
                path = path.replacingOccurrences(of: "{id}", with: field.location == "path" ? encoded : String(session))
                    .replacingOccurrences(of: "{year}", with: field.location == "path" && field.name == "year" ? encoded : "2027")
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(token)"
                let bodies: [(json: String, raw: Bool)?]
                if field.location == "body" {
                    headers[.contentType] = "application/json"
                    bodies = jsonValues(sample)
                } else {
                    bodies = [nil]
                }
                for body in bodies {
                    let query = field.location == "query" ? "?lang=en&\(field.name)=\(encoded)" : "?lang=en"
                    let json = body.map { value -> String in
                        // A body whose number is a field of its own, not of an entry of a sheet.
                        let own: [String: String] = [
                            "POST /cohorts capacity": #"{"code":"N\#(UUID().uuidString.prefix(8))","name":"N","program_id":"web-probni","starts":"2026-12-01","ends":"2026-12-20","capacity":\#(value.json)}"#,
                            "POST /cohorts program_version": #"{"code":"V\#(UUID().uuidString.prefix(8))","name":"N","program_id":"web-probni","starts":"2026-12-01","ends":"2026-12-20","capacity":10,"program_version":\#(value.json)}"#,
                            "POST /cohorts/{code} capacity": #"{"capacity":\#(value.json)}"#,
                            "POST /venues capacity": #"{"name":"Sala \#(UUID().uuidString.prefix(8))","capacity":\#(value.json)}"#,
                            "POST /privacy/retention days": #"{"days":\#(value.json)}"#,
                            "POST /plans/{year}/items quarter": #"{"program_id":"web-probni","quarter":\#(value.json),"places":{"EIMS":2},"participant_hours":6,"cost_km":10}"#,
                            "POST /plans/{year}/items cohorts": #"{"program_id":"web-probni","quarter":1,"cohorts":\#(value.json),"places":{"EIMS":2},"participant_hours":6,"cost_km":10}"#,
                            "POST /plans/{year}/items participant_hours": #"{"program_id":"web-probni","quarter":1,"places":{"EIMS":2},"participant_hours":\#(value.json),"cost_km":10}"#,
                            "POST /plans/{year}/items cost_km": #"{"program_id":"web-probni","quarter":1,"places":{"EIMS":2},"participant_hours":6,"cost_km":\#(value.json)}"#,
                            "POST /cohorts/{code}/cost cost_km": #"{"cost_km":\#(value.json)}"#,
                            "POST /cohorts/{code}/plan-item item_id": #"{"item_id":\#(value.json)}"#,
                            "POST /needs/windows year": #"{"year":\#(value.json),"deadline":"2027-12-31"}"#,
                            "POST /departments/{department}/needs year": #"{"year":\#(value.json),"program_id":"web-probni","head_count":2,"reason":"r"}"#,
                            "POST /departments/{department}/needs head_count": #"{"year":2027,"program_id":"web-probni","head_count":\#(value.json),"reason":"r"}"#,
                            "POST /requirements due_days": #"{"code":"N\#(UUID().uuidString.prefix(8))","program_id":"web-probni","scope":"everyone","due_days":\#(value.json)}"#,
                            "POST /me/evaluations/{code}/{module} answers[].scale": #"{"answers":[{"item":"Q1","scale":\#(value.json)}]}"#,
                            "POST /me/follow-ups/{id} answers[].scale": #"{"answers":[{"item":"F1","scale":\#(value.json)}]}"#,
                            "POST /departments/{department}/follow-ups/{id} answers[].scale": #"{"answers":[{"item":"R1","scale":\#(value.json)}]}"#,
                            "POST /requirements renew_years": #"{"code":"N\#(UUID().uuidString.prefix(8))","program_id":"web-probni","scope":"everyone","due_days":10,"renew_years":\#(value.json)}"#,
                        ]
                        if let text = own[field.description] { return text }
                        let entry = field.name.hasSuffix("minutes") ? #"{"personal_number":"1001","status":"late","minutes":\#(value.json)}"#
                            : field.name.hasSuffix("attempt") ? #"{"personal_number":"1001","score":55,"attempt":\#(value.json)}"#
                            : #"{"personal_number":"1001","score":\#(value.json)}"#
                        return #"{"entries":[\#(entry)]}"#
                    } ?? (field.method == "POST" ? (field.path.contains("follow-ups") ? #"{"answers":[]}"# : #"{"entries":[],"personal_numbers":[]}"#) : nil)
                    var response = try await client.executeRequest(
                        uri: "/api/v1\(path)\(query)", method: HTTPRequest.Method(field.method)!, headers: headers,
                        body: json.map { ByteBuffer(string: $0) })
                    for other in [adminToken, traineeToken, headToken] where response.status == .forbidden {
                        var asked = headers
                        asked[.authorization] = "Bearer \(other)"
                        response = try await client.executeRequest(
                            uri: "/api/v1\(path)\(query)", method: HTTPRequest.Method(field.method)!, headers: asked,
                            body: json.map { ByteBuffer(string: $0) })
                    }
                    let text = String(buffer: response.body)
                    let context = "\(field) ← \(body.map { $0.raw ? "raw \($0.json)" : $0.json } ?? "“\(sample)”"): \(response.status) \(text.prefix(300))"
                    #expect(response.status.code < 500, "\(context)")
                    guard let reader = reader(field) else {
                        // A path names a record; nothing here names one.
                        #expect(response.status == .notFound, "\(context)")
                        continue
                    }
                    let name = field.location == "body" ? field.name.replacingOccurrences(of: "[]", with: "[0]") : field.name
                    let expected: Result<Double, NumberInputError>
                    if let body, body.raw {
                        // A JSON number is checked as a number: a double's nearest value, finite and in range.
                        let value = Double(sample.trimmingWhitespace) ?? .infinity
                        expected = Result { () throws(NumberInputError) -> Double in try reader.check(value, field: name) }
                    } else {
                        expected = MistypedNumbers.expected(sample, reader, name: name)
                    }
                    // A JSON number beyond a double (1e-400, hundreds of digits) may be refused before its digits are seen.
                    let beyondDouble = body?.raw == true && [0, .infinity].contains(abs(Double(sample.trimmingWhitespace) ?? .infinity))
                        && sample.trimmingWhitespace.trimmingCharacters(in: CharacterSet(charactersIn: "-0")) != ""
                    if beyondDouble, response.status == .unprocessableContent, text.contains("\"detail\":\"\(name): ") { continue }
                    switch expected {
                    case .failure(let error):
                        let detail = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["detail"] as? String
                        #expect(response.status == (field.location == "query" ? .badRequest : .unprocessableContent), "\(context)")
                        #expect(detail == english.message(for: error), "\(context)")
                    case .success(let value):
                        #expect(!text.contains("\"detail\":\"\(name):"), "\(context): refused a number the reader takes")
                        if field.location == "query" {
                            // A page echoes its paging; other query numbers (a year, days ahead) shape what is listed.
                            let echoed = ["limit", "offset"].contains(field.name) ? text.contains("\"\(field.name)\":\(Int(value))") : true
                            #expect(response.status == .ok && echoed, "\(context)")
                        }
                    }
                }
            }
        }
    }

    @Test func everyNumericInputIsReadByTheOneReaderInProcess() async throws {
        let fixture = try WebFixture()
        let token = try fixture.office().accounts.createToken(login: "koordinator", name: "test", actor: Actor("test:web")!).token
        let adminToken = try fixture.office().accounts.createToken(login: "admin", name: "test", actor: Actor("test:web")!).token
        let traineeToken = try fixture.office().accounts.createToken(login: "polaznik", name: "test", actor: Actor("test:web")!).token
        let headToken = try fixture.office().accounts.createToken(login: "sef", name: "test", actor: Actor("test:web")!).token
        let app = try await buildApplication(fixture.configuration())
        try await app.test(.router) { routerClient in
            let client = RouterTestClient(routerClient)
            try await Self.checkForms(client, fixture, samples: MistypedNumbers.samples)
            try await Self.checkAPI(client, fixture, token: token, adminToken: adminToken, traineeToken: traineeToken,
                                    headToken: headToken, samples: MistypedNumbers.samples)
        }
    }

    @Test func oneSamplePerFieldThroughTheRunningServer() async throws {
        let fixture = try WebFixture()
        let token = try fixture.office().accounts.createToken(login: "koordinator", name: "test", actor: Actor("test:web")!).token
        let adminToken = try fixture.office().accounts.createToken(login: "admin", name: "test", actor: Actor("test:web")!).token
        let traineeToken = try fixture.office().accounts.createToken(login: "polaznik", name: "test", actor: Actor("test:web")!).token
        let headToken = try fixture.office().accounts.createToken(login: "sef", name: "test", actor: Actor("test:web")!).token
        try await withLiveApp(fixture) { client in
            try await Self.checkForms(client, fixture, samples: ["1e20"])
            try await Self.checkAPI(client, fixture, token: token, adminToken: adminToken, traineeToken: traineeToken, headToken: headToken,
                                    samples: ["inf"])
            // Still answering.
            #expect(try await client.executeRequest(uri: "/login", method: .get, headers: [:], body: nil).status == .ok)
        }
    }
}
