import CSVImport
import Foundation
import Hummingbird
import Localization
import MultipartKit
import TrainingCore
import TrainingOffice
import TrainingStore

/// People: list, add, correct, transfer, and CSV import with every row problem shown.
struct PeopleController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/people", .managePeople) { request, context in try list(request, context) }
        routes.post("/people", .managePeople) { request, context in try await add(request, context) }
        routes.post("/people/import", .managePeople) { request, context in try await importFile(request, context) }
        routes.get("/people/{number}", .managePeople) { request, context in
            let response = try show(context, notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
            await services.logReads(context, what: "person", subjects: [try context.parameters.require("number")])
            return response
        }
        routes.post("/people/{number}", .managePeople) { request, context in try await correct(request, context) }
        routes.post("/people/{number}/transfer", .managePeople) { request, context in try await transfer(request, context) }
    }

    private func departmentOptions(_ context: WebContext, selected: String? = nil) throws -> [[String: Any]] {
        try database.departments().map {
            ["code": $0.code.rawValue, "name": $0.name(in: context.language), "selected": $0.code.rawValue == selected]
        }
    }

    private func list(_ request: Request, _ context: WebContext, extra: [String: Any] = [:],
                      status: HTTPResponse.Status = .ok) throws -> Response {
        let filter = request.query("department")
        let people = try database.people(department: filter.map(DepartmentCode.init)).map { person in
            ["number": person.personalNumber, "name": "\(person.familyName) \(person.givenName)",
             "department": person.department.rawValue, "email": person.email, "job_title": person.jobTitle ?? ""]
        }
        var values: [String: Any] = ["people": people, "departments": try departmentOptions(context, selected: filter), "add_errors": [String](),
                                     "count": String(people.count)]
        values.merge(extra) { $1 }
        return services.pages.render("people", values, context: context, status: status,
                                     notice: request.query("notice").map { context.localizer("web.notice.\($0)") })
    }

    private func validatedDraft(_ form: Form, number: String) throws -> Result<PersonDraft, ProblemList> {
        let known = Set(try database.departments().map(\.code))
        return PersonValidation.draft(
            personalNumber: number, givenName: form["given_name"] ?? "", familyName: form["family_name"] ?? "",
            sex: form["sex"], email: form["email"] ?? "", department: form["department"] ?? "", jobTitle: form["job_title"],
            knownDepartments: known)
    }

    private func problemTexts(_ problems: ProblemList, _ t: Localizer) -> [String] {
        problems.problems.map { problem in
            var arguments = problem.arguments
            arguments["field"] = problem.field ?? ""
            let field = problem.field.map { t("people.column.\($0 == "given_name" || $0 == "family_name" ? "name" : $0)") }
            return [field, t(problem.messageKey, arguments)].compactMap { $0 }.joined(separator: ": ")
        }
    }

    private func add(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        switch try validatedDraft(form, number: form["personal_number"] ?? "") {
        case .failure(let problems):
            return try list(request, context, extra: ["add_errors": problemTexts(problems, context.localizer),
                                                      "form": form.fields.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }],
                            status: .unprocessableContent)
        case .success(let draft):
            if (try? database.person(personalNumber: draft.personalNumber)) != nil {
                return try list(request, context, extra: ["add_errors": [context.localizer("web.people.exists", ["personal_number": draft.personalNumber])]],
                                status: .unprocessableContent)
            }
            _ = try database.addPerson(draft, actor: try context.actor())
            return .seeOther("/people/\(draft.personalNumber)?notice=person_saved")
        }
    }

    /// A CSV upload: every bad row is listed and nothing is imported while any row is bad.
    private func importFile(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard let boundary = FormFields.boundary(of: request.headers[.contentType] ?? ""),
              let parts = try? FormFields.multipart(body, boundary: boundary),
              let part = parts["file"], part.body.readableBytes > 0 else {
            throw WebError.badRequest("file")
        }
        let t = context.localizer
        let fileName = Self.uploadName(part) ?? "upload.csv"
        let dryRun = parts["dry_run"].map { String(buffer: $0.body) } == "1"
        let data = Data(buffer: part.body)
        do {
            let table = try CSVTable.decode(data, file: fileName, delimiter: nil)
            let known = Set(try database.departments().map(\.code))
            let drafts = try PeopleCSV.drafts(from: table, file: fileName, knownDepartments: known)
            let summary = try database.importPeople(drafts.map(\.draft), file: fileName, sha256: sha256Hex(data),
                                                    actor: try context.actor(), dryRun: dryRun)
            let message = t(dryRun ? "people.import.dry_run_summary" : "people.import.summary", [
                "added": String(summary.added.count), "updated": String(summary.updated.count),
                "unchanged": String(summary.unchanged), "encoding": table.encoding.rawValue, "delimiter": String(table.delimiter),
            ])
            return try list(request, context, extra: ["import_summary": message,
                                                      "import_changes": summary.added.map { "+ \($0)" }
                                                        + summary.updated.map { "~ \($0.personalNumber): \($0.fields.joined(separator: ", "))" }])
        } catch let problems as RowProblems {
            return try list(request, context, extra: [
                "import_errors": problems.items.map { RowProblemText.line($0, file: fileName, localizer: t) },
                "import_failed": t.plural("people.import.nothing_imported", count: problems.items.count),
            ], status: .unprocessableContent)
        } catch let error as any UserFacingError {
            return try list(request, context, extra: ["import_errors": [t.message(for: error)],
                                                      "import_failed": t.plural("people.import.nothing_imported", count: 1)],
                            status: .unprocessableContent)
        }
    }

    /// The uploaded file's own name, without any folder part a browser or an attacker sent.
    static func uploadName(_ part: MultipartPart) -> String? {
        guard let disposition = part.headers.first(name: "Content-Disposition"),
              let range = disposition.range(of: "filename=\"") else { return nil }
        let rest = disposition[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let name = rest[..<end].split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\u{7F}" }.prefix(100))
        return clean.isEmpty || clean == "." || clean == ".." ? nil : String(clean)
    }

    private func person(_ context: WebContext) throws -> Person {
        let number = try context.parameters.require("number")
        guard let person = try? database.person(personalNumber: number) else { throw WebError.notFound }
        return person
    }

    private func show(_ context: WebContext, errors: [String] = [], status: HTTPResponse.Status = .ok,
                      notice: String? = nil) throws -> Response {
        let person = try person(context)
        let t = context.localizer
        let enrolments = try database.progress(personalNumber: person.personalNumber, now: services.now()).map { entry in
            ["cohort": entry.cohort.code, "name": entry.cohort.name, "status": t("enrolment.status.\(entry.status.rawValue)")]
        }
        return services.pages.render("person", [
            "number": person.personalNumber, "given_name": person.givenName, "family_name": person.familyName,
            "email": person.email, "job_title": person.jobTitle ?? "", "department": person.department.rawValue,
            "sex_female": person.sex == .female, "sex_male": person.sex == .male,
            "departments": try departmentOptions(context, selected: person.department.rawValue),
            "enrolments": enrolments, "errors": errors,
        ], context: context, status: status, notice: notice)
    }

    private func correct(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let existing = try person(context)
        var fields = form.fields
        fields.append(("department", existing.department.rawValue))
        switch try validatedDraft(Form(fields: fields), number: existing.personalNumber) {
        case .failure(let problems):
            return try show(context, errors: problemTexts(problems, context.localizer), status: .unprocessableContent)
        case .success(let draft):
            _ = try database.correctPerson(draft, actor: try context.actor())
            return .seeOther("/people/\(existing.personalNumber)?notice=person_saved")
        }
    }

    private func transfer(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let existing = try person(context)
        let moved = try database.transfer(personalNumber: existing.personalNumber,
                                          to: DepartmentCode(try form.require("department")), actor: try context.actor())
        return .seeOther("/people/\(moved.personalNumber)?notice=person_transferred")
    }
}

