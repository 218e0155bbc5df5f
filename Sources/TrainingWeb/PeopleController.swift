import CSVImport
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import MultipartKit
import NIOFoundationCompat
import Reports
import TrainingCore
import TrainingOffice

/// People: list, add, correct, transfer, and CSV import with every row problem shown; and the people API.
struct PeopleController {
    let people: PeopleRegistry
    let progress: ProgressReading
    let reports: Reporting
    let requirements: RequiredTrainingDesk
    let pages: Pages
    let clock: OfficeClock
    let readLog: ReadAccessLog
    let mail: MailDesk

    func register(on routes: RouteTable) {
        routes.get("/people", .managePeople) { request, context in try list(request, context) }
        routes.post("/people", .managePeople) { request, context in try await add(request, context) }
        routes.post("/people/import", .managePeople, bodyLimit: BodyLimit.upload) { request, context in try await importFile(request, context) }
        routes.get("/people/unreachable", .managePeople) { _, context in
            let unreachable = try await offload { try mail.unreachable() }
            await readLog.record(context, what: "people.unreachable", subjects: unreachable.map(\.person.personalNumber))
            return try pages.render("people_unreachable", UnreachablePage(unreachable, t: context.localizer), context: context)
        }
        routes.get("/people/{number}", .managePeople) { request, context in
            let response = try show(context, notice: context.localizer.notice(request))
            await readLog.record(context, what: "person", subjects: [try context.parameters.require("number")])
            return response
        }
        routes.post("/people/{number}", .managePeople) { request, context in try await correct(request, context) }
        routes.post("/people/{number}/transfer", .managePeople) { request, context in try await transfer(request, context) }
        routes.post("/people/{number}/language", .managePeople) { request, context in
            var request = request
            let form = try await request.form(context)
            let existing = try person(context)
            let language = try TraineeController.language(form["language"] ?? "", context), actor = try context.actor()
            _ = try await offload { try people.setPreferredLanguage(existing.personalNumber, language, actor: actor) }
            return .seeOther("/people/\(existing.personalNumber)?notice=language_saved")
        }
        routes.post("/people/{number}/reminders", .managePeople) { request, context in
            var request = request
            let form = try await request.form(context)
            let existing = try person(context)
            let enabled = try TraineeController.reminders(form["reminders"] ?? "", context), actor = try context.actor()
            try await offload { try people.setReminders(existing.personalNumber, enabled: enabled, actor: actor) }
            return .seeOther("/people/\(existing.personalNumber)?notice=\(enabled ? "reminders_on" : "reminders_off")")
        }
        routes.get("/people/{number}/transcript.pdf", .managePeople) { _, context in try await transcript(try person(context), context) }

        let api = APIController.prefix
        routes.get("\(api)/people", .managePeople) { request, context in
            let page = try Page(try people.list(department: request.query("department").map(DepartmentCode.init)).map(PersonDTO.init),
                                request: request, context: context)
            await readLog.record(context, what: "api.people", subjects: page.items.map(\.personalNumber))
            return try APIJSON.response(page)
        }
        routes.get("\(api)/people/unreachable", .managePeople) { request, context in
            let page = try Page(try await offload { try mail.unreachable() }.map(UnreachableDTO.init), request: request, context: context)
            await readLog.record(context, what: "api.people.unreachable", subjects: page.items.map(\.personalNumber))
            return try APIJSON.response(page)
        }
        routes.get("\(api)/people/{personal_number}", .managePeople) { _, context in
            let person = try apiPerson(context)
            await readLog.record(context, what: "api.person", subjects: [person.personalNumber])
            return try APIJSON.response(PersonDTO(person))
        }
        routes.get("\(api)/departments", .signedIn) { _, context in
            try APIJSON.response(try people.departments().map { DepartmentDTO(code: $0.code.rawValue, name: $0.name(in: context.language)) })
        }
        routes.post("\(api)/people/import", .managePeople, bodyLimit: BodyLimit.upload) { request, context in
            let body = try await APIJSON.body(PeopleImportRequest.self, request, context)
            let actor = try context.actor()
            do {
                let outcome = try await offload {
                    try people.importFile(Data(body.csv.utf8), file: body.fileName ?? "api.csv", dryRun: body.dryRun ?? false, actor: actor)
                }
                return try APIJSON.response(PeopleImportDTO(outcome, dryRun: body.dryRun ?? false))
            } catch let problems as RowProblems {
                let t = context.localizer
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422, detail: problems.items
                    .map { RowProblemText.line($0, file: body.fileName ?? "api.csv", localizer: t) }.joined(separator: "\n")))
            }
        }
        routes.post("\(api)/people/{personal_number}/transfer", .managePeople) { request, context in
            let person = try apiPerson(context)
            let body = try await APIJSON.body(TransferRequest.self, request, context)
            let actor = try context.actor()
            let moved = try await offload { try people.transfer(person.personalNumber, to: DepartmentCode(body.department), actor: actor) }
            return try APIJSON.response(PersonDTO(moved))
        }
        routes.post("\(api)/people/{personal_number}/language", .managePeople) { request, context in
            let person = try apiPerson(context)
            let body = try await APIJSON.body(LanguageRequest.self, request, context)
            let language = try TraineeController.language(body.language ?? "", context), actor = try context.actor()
            _ = try await offload { try people.setPreferredLanguage(person.personalNumber, language, actor: actor) }
            return try APIJSON.response(LanguageDTO(language: language?.rawValue))
        }
        routes.post("\(api)/people/{personal_number}/reminders", .managePeople) { request, context in
            let person = try apiPerson(context)
            let body = try await APIJSON.body(RemindersRequest.self, request, context)
            let actor = try context.actor()
            let enabled = try await offload { try people.setReminders(person.personalNumber, enabled: body.enabled, actor: actor) }
            return try APIJSON.response(["enabled": enabled])
        }
        routes.get("\(api)/people/{personal_number}/progress", .managePeople) { request, context in
            let person = try apiPerson(context)
            let page = try Page(try progress.person(person.personalNumber).map(ProgressDTO.init), request: request, context: context)
            await readLog.record(context, what: "api.person.progress", subjects: [person.personalNumber])
            return try APIJSON.response(page)
        }
        routes.get("\(api)/people/{personal_number}/transcript.pdf", .managePeople) { _, context in
            try await transcript(try apiPerson(context), context)
        }
    }

    struct DepartmentChoice {
        let code, name: String
        let selected: Bool
    }

    private func departmentChoices(_ context: WebContext, selected: String? = nil) throws -> [DepartmentChoice] {
        try people.departments().map { .init(code: $0.code.rawValue, name: $0.name(in: context.language), selected: $0.code.rawValue == selected) }
    }

    struct ListPage {
        struct Row {
            let number, name, department, email, job_title: String
        }
        let people: [Row]
        let departments: [DepartmentChoice]
        let count: String
        let q: String
        let headers: [ListControls.SortHeader]
        let pager: ListControls.Pager
        var add_errors: [String] = []
        var form: [String: String] = [:]
        var import_summary: String?
        var import_changes: [String] = []
        var import_errors: [String] = []
        var import_failed: String?
    }

    private func list(_ request: Request, _ context: WebContext, status: HTTPResponse.Status = .ok,
                      adjust: (inout ListPage) -> Void = { _ in }) throws -> Response {
        let t = context.localizer
        let filter = request.query("department"), search = request.query("q")
        let controls = try ListControls(request, path: "/people", filters: ["q", "department"],
                                        sorts: PeopleListQuery.Sort.allCases.map(\.rawValue), defaultSort: "name",
                                        defaultDescending: false, t)
        let slice = try people.list(PeopleListQuery(
            search: search, department: filter.map(DepartmentCode.init), sort: PeopleListQuery.Sort(rawValue: controls.sort) ?? .name,
            descending: controls.descending, position: controls.position))
        let rows = slice.items.map { person in
            ListPage.Row(number: person.personalNumber, name: t.listName(person), department: person.department.rawValue,
                         email: person.email, job_title: person.jobTitle ?? "")
        }
        var page = ListPage(people: rows, departments: try departmentChoices(context, selected: filter),
                            count: DecimalText.count(slice.total), q: search ?? "",
                            headers: controls.headers([("number", t("people.column.personal_number")), ("name", t("people.column.name")),
                                                       ("department", t("people.column.department"))]),
                            pager: controls.pager(slice, id: { $0.id.rawValue }, t))
        adjust(&page)
        return pages.render("people", page, context: context, status: status, notice: context.localizer.notice(request))
    }

    private func validatedDraft(_ form: Form, number: String) throws -> Result<PersonDraft, ProblemList> {
        try people.draft(personalNumber: number, givenName: form["given_name"] ?? "", familyName: form["family_name"] ?? "",
                         sex: form["sex"], email: form["email"] ?? "", department: form["department"] ?? "", jobTitle: form["job_title"],
                         employedSince: form["employed_since"])
    }

    private func problemTexts(_ problems: ProblemList, _ t: Localizer) -> [String] {
        problems.problems.map { problem in
            var arguments = problem.arguments
            arguments["field"] = problem.field ?? arguments["field"] ?? ""
            let field = problem.field.map { t("people.column.\($0 == "given_name" || $0 == "family_name" ? "name" : $0)") }
            return [field, t(problem.messageKey, arguments)].compactMap { $0 }.joined(separator: ": ")
        }
    }

    private func add(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        switch try validatedDraft(form, number: form["personal_number"] ?? "") {
        case .failure(let problems):
            let errors = problemTexts(problems, context.localizer)
            return try list(request, context, status: .unprocessableContent) { page in
                page.add_errors = errors
                page.form = form.values
            }
        case .success(let draft):
            let actor = try context.actor()
            do {
                _ = try await offload { try people.add(draft, actor: actor) }
            } catch let error as PeopleError {
                guard case .alreadyExists = error else { throw error }
                return try list(request, context, status: .unprocessableContent) { $0.add_errors = [context.localizer.message(for: error)] }
            }
            return .seeOther("/people/\(draft.personalNumber)?notice=person_saved")
        }
    }

    /// A CSV upload: every bad row is listed and nothing is imported while any row is bad.
    private func importFile(_ request: Request, _ context: WebContext) async throws -> Response {
        let parts = try await UploadedParts.read(request, context)
        guard let (fileName, data) = parts.file("file", fallback: "upload.csv") else { throw WebError.badRequest("file") }
        let t = context.localizer
        let dryRun = parts.text("dry_run") == "1"
        let actor = try context.actor()
        do {
            let outcome = try await offload { try people.importFile(data, file: fileName, dryRun: dryRun, actor: actor) }
            let summary = outcome.summary
            let message = t(dryRun ? "people.import.dry_run_summary" : "people.import.summary", [
                "added": String(summary.added.count), "updated": String(summary.updated.count),
                "unchanged": String(summary.unchanged), "encoding": outcome.encoding, "delimiter": String(outcome.delimiter),
            ])
            return try list(request, context) { page in
                page.import_summary = message
                page.import_changes = summary.added.map { "+ \($0)" } + summary.updated.map { "~ \($0.personalNumber): \($0.fields.joined(separator: ", "))" }
            }
        } catch let problems as RowProblems {
            return try list(request, context, status: .unprocessableContent) { page in
                page.import_errors = problems.items.map { RowProblemText.line($0, file: fileName, localizer: t) }
                page.import_failed = t.plural("people.import.nothing_imported", count: problems.items.count)
            }
        } catch let error as any UserFacingError {
            return try list(request, context, status: .unprocessableContent) { page in
                page.import_errors = [t.message(for: error)]
                page.import_failed = t.plural("people.import.nothing_imported", count: 1)
            }
        }
    }

    private func person(_ context: WebContext) throws -> Person {
        let number = try context.parameters.require("number")
        guard let person = try? people.person(number) else { throw WebError.notFound }
        return person
    }

    struct PersonPage {
        struct Enrolment {
            let cohort, name, status: String
        }
        struct Gap {
            let requirement, program, due, state, state_code, detail: String
        }
        let number, given_name, family_name, email, job_title, department, employed_since: String
        let sex_female, sex_male: Bool
        let gaps: [Gap]
        let departments: [DepartmentChoice]
        let enrolments: [Enrolment]
        let errors: [String]
        let languages: [LanguageChoice]
        let reminders: Bool
    }

    struct LanguageChoice {
        let tag, name: String
        let selected: Bool
    }

    private func show(_ context: WebContext, errors: [String] = [], status: HTTPResponse.Status = .ok,
                      notice: String? = nil) throws -> Response {
        let person = try person(context)
        let t = context.localizer
        let page = PersonPage(
            number: person.personalNumber, given_name: person.givenName, family_name: person.familyName, email: person.email,
            job_title: person.jobTitle ?? "", department: person.department.rawValue, employed_since: person.employedSince?.iso ?? "",
            sex_female: person.sex == .female, sex_male: person.sex == .male,
            gaps: try requirements.gaps(person: person.personalNumber).map { gap in
                .init(requirement: gap.requirement.code, program: gap.requirement.programID, due: gap.due.map(t.date) ?? "–",
                      state: RequirementText(localizer: t).state(gap), state_code: gap.state.rawValue,
                      detail: RequirementText(localizer: t).detail(gap))
            }, departments: try departmentChoices(context, selected: person.department.rawValue),
            enrolments: try progress.person(person.personalNumber).map {
                .init(cohort: $0.cohort.code, name: t.script($0.cohort.name), status: t("enrolment.status.\($0.status.rawValue)"))
            },
            errors: errors,
            languages: Language.interfaceLanguages.map {
                .init(tag: $0.rawValue, name: t("language.autonym.\($0.rawValue)"), selected: $0 == person.preferredLanguage)
            },
            reminders: try people.remindersEnabled(person.personalNumber))
        return pages.render("person", page, context: context, status: status, notice: notice)
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
            let actor = try context.actor()
            _ = try await offload { try people.correct(draft, actor: actor) }
            return .seeOther("/people/\(existing.personalNumber)?notice=person_saved")
        }
    }

    private func apiPerson(_ context: WebContext) throws -> Person {
        guard let person = try? people.person(try context.parameters.require("personal_number")) else { throw WebError.notFound }
        return person
    }

    /// A person's transcript for the coordinator (the read is logged, as for their page).
    private func transcript(_ person: Person, _ context: WebContext) async throws -> Response {
        let input = try reports.transcript(person: person.personalNumber)
        await readLog.record(context, what: "person.transcript", subjects: [person.personalNumber])
        let pdf = try ReportPDF().render(ReportBuilder(localizer: context.localizer).transcript(input), created: clock.today)
        return Download.response(pdf, type: "application/pdf", name: "transkript-\(person.personalNumber).pdf")
    }

    private func transfer(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let existing = try person(context)
        let department = DepartmentCode(try form.require("department")), actor = try context.actor()
        let moved = try await offload { try people.transfer(existing.personalNumber, to: department, actor: actor) }
        return .seeOther("/people/\(moved.personalNumber)?notice=person_transferred")
    }
}

struct DepartmentDTO: Encodable { var code, name: String }

/// The people obuka cannot write to, for coordinators.
struct UnreachablePage {
    struct Row {
        let number, name, department, why: String
    }
    let people: [Row]

    init(_ unreachable: [UnreachablePerson], t: Localizer) {
        people = unreachable.map { entry in
            var why = entry.cohorts.isEmpty ? [] : [t("web.unreachable.cohorts", ["cohorts": entry.cohorts.joined(separator: ", ")])]
            if entry.headsDepartment { why.append(t("web.unreachable.head")) }
            return Row(number: entry.person.personalNumber, name: t.listName(entry.person), department: entry.person.department.rawValue,
                       why: why.joined(separator: "; "))
        }
    }
}

/// A person obuka cannot write to, in the API.
struct UnreachableDTO: Encodable {
    let personalNumber: String
    let name: String
    let department: String
    let cohorts: [String]
    let headsDepartment: Bool

    init(_ entry: UnreachablePerson) {
        personalNumber = entry.person.personalNumber
        name = entry.person.fullName
        department = entry.person.department.rawValue
        cohorts = entry.cohorts
        headsDepartment = entry.headsDepartment
    }
}
