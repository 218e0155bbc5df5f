import Foundation
import HTTPTypes
import Hummingbird
import Localization
import SafeXML
import TrainingCore
import TrainingOffice

/// Programs as they come from the curriculum XML: the coordinators' list and pages (with the confirmation of a version 2
/// program's policy and the public catalogue), the public catalogue, and the API's programs.
struct CurriculumController {
    let curriculum: CurriculumIntake
    let pages: Pages

    struct ListPage {
        struct Program {
            let id, version, year, title, hours, modules: String
            let policy: String
            let in_catalogue: Bool
        }
        let programs: [Program]
        let manage: Bool
        /// The outcome of an upload: each program stored or unchanged, or every problem found (nothing stored then).
        var upload_lines: [String] = []
        var upload_problems: [String] = []
    }

    func register(on routes: RouteTable) {
        routes.get("/programs", .viewCurriculum) { _, context in try listPage(context) }
        routes.post("/programs/upload", .manageCurriculum, bodyLimit: BodyLimit.upload) { request, context in
            try await upload(request, context)
        }
        routes.get("/programs/{id}", .viewCurriculum) { request, context in
            let standing = try standing(request, context)
            let manage = Access.allows(context.principal, .manageCurriculum)
            let page = ProgramPage(standing, localizer: context.localizer, audience: manage ? .manager : .coordinator,
                                   csrf: context.identity?.csrfToken ?? "")
            return pages.render("program", page, context: context, notice: context.localizer.notice(request))
        }
        routes.post("/programs/{id}/versions/{version}/confirm", .manageCurriculum) { _, context in
            let id = try context.parameters.require("id"), version = try versionParameter(context), actor = try context.actor()
            _ = try await offload { try curriculum.confirmPolicy(id, version: version, actor: actor) }
            return .seeOther("/programs/\(id)?version=\(version)&notice=program_confirmed")
        }
        routes.post("/programs/{id}/catalogue", .manageCurriculum) { request, context in
            var request = request
            let form = try await request.form(context)
            let id = try context.parameters.require("id"), actor = try context.actor(), shown = form["shown"] == "1"
            _ = try await offload { try curriculum.setInCatalogue(id, shown: shown, actor: actor) }
            return .seeOther("/programs/\(id)?notice=\(shown ? "program_published" : "program_unpublished")")
        }

        // The public catalogue: programs a coordinator chose to show, as a trainee reads them.
        routes.get("/catalogue", .everyone) { _, context in
            let language = context.language
            let programs = try curriculum.catalogue().map { stored in
                CataloguePage.Program(id: stored.program.id, title: stored.program.title.text(in: language),
                                      goal: stored.program.goal?.text(in: language).nonEmpty)
            }
            return pages.render("catalogue", CataloguePage(programs: programs), context: context)
        }
        routes.get("/catalogue/{id}", .everyone) { _, context in
            let id = try context.parameters.require("id")
            guard let stored = try curriculum.catalogue().first(where: { $0.program.id == id }) else { throw WebError.notFound }
            let page = ProgramPage(try curriculum.standing(id, version: stored.program.version), localizer: context.localizer,
                                   audience: .reader, csrf: "")
            return pages.render("program", page, context: context)
        }

        let api = APIController.prefix
        routes.post("\(api)/programs/validation", .manageCurriculum, bodyLimit: BodyLimit.upload) { request, context in
            let body = try await APIJSON.body(CurriculumFileRequest.self, request, context)
            let reading = try await offload {
                try curriculum.read(uploads: [(body.fileName ?? "upload.xml", Data(body.xml.utf8))], language: context.language)
            }
            return try APIJSON.response(CurriculumCheckDTO(reading))
        }
        routes.post("\(api)/programs", .manageCurriculum, bodyLimit: BodyLimit.upload) { request, context in
            let body = try await APIJSON.body(CurriculumFileRequest.self, request, context)
            let actor = try context.actor()
            let reading = try await offload {
                try curriculum.read(uploads: [(body.fileName ?? "upload.xml", Data(body.xml.utf8))], language: context.language)
            }
            guard reading.problems.isEmpty else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                               detail: reading.problems.map(\.description).joined(separator: "\n")))
            }
            let outcomes = try await offload { try curriculum.load(reading.files, questionnaires: reading.questionnaires, actor: actor) }
            return try APIJSON.response(outcomes.map(CurriculumLoadDTO.init), status: .created)
        }
        routes.get("\(api)/programs", .viewCurriculum) { request, context in
            let items = try curriculum.standings().map { ProgramSummaryDTO($0, language: context.language) }
            return try APIJSON.response(try Page(items, request: request, context: context))
        }
        routes.get("\(api)/programs/{id}", .viewCurriculum) { _, context in
            guard let standing = try? curriculum.standing(try context.parameters.require("id")) else { throw WebError.notFound }
            return try APIJSON.response(ProgramDTO(standing, localizer: context.localizer))
        }
        routes.get("\(api)/programs/{id}/versions/{version}", .viewCurriculum) { _, context in
            let id = try context.parameters.require("id"), version = try versionParameter(context)
            guard let standing = try? curriculum.standing(id, version: version) else { throw WebError.notFound }
            return try APIJSON.response(ProgramDTO(standing, localizer: context.localizer))
        }
        routes.post("\(api)/programs/{id}/versions/{version}/confirmation", .manageCurriculum) { _, context in
            let id = try context.parameters.require("id"), version = try versionParameter(context), actor = try context.actor()
            let confirmed = try await offload { try curriculum.confirmPolicy(id, version: version, actor: actor) }
            let standing = try curriculum.standing(id, version: version)
            return try APIJSON.response(ProgramDTO(standing, localizer: context.localizer), status: confirmed ? .created : .ok)
        }
        routes.post("\(api)/programs/{id}/catalogue", .manageCurriculum) { request, context in
            let id = try context.parameters.require("id"), actor = try context.actor()
            let body = try await APIJSON.body(CatalogueRequest.self, request, context)
            _ = try await offload { try curriculum.setInCatalogue(id, shown: body.shown, actor: actor) }
            return try APIJSON.response(ProgramDTO(try curriculum.standing(id), localizer: context.localizer))
        }
    }

    /// The program version a page's query names (`?version=`, read as every number is), or the newest; not found for
    /// an unknown id or version.
    private func listPage(_ context: WebContext, lines: [String] = [], problems: [String] = [],
                          status: HTTPResponse.Status = .ok) throws -> Response {
        let t = context.localizer
        let programs = try curriculum.standings().map { standing in
            let program = standing.stored.program
            return ListPage.Program(
                id: program.id, version: String(program.version), year: String(program.year),
                title: program.title.text(in: context.language), hours: DecimalText.format(program.totalHours),
                modules: String(program.modules.count), policy: Self.policyWord(standing, t), in_catalogue: standing.inCatalogue)
        }
        return pages.render("programs", ListPage(programs: programs, manage: Access.allows(context.principal, .manageCurriculum),
                                                 upload_lines: lines, upload_problems: problems), context: context, status: status)
    }

    /// Checks an uploaded curriculum file, and stores it unless only a check was asked for.
    private func upload(_ request: Request, _ context: WebContext) async throws -> Response {
        let parts = try await UploadedParts.read(request, context)
        guard let file = parts.file("file", fallback: "upload.xml") else { throw WebError.badRequest("file") }
        let t = context.localizer
        let reading = try await offload { try curriculum.read(uploads: [file], language: context.language) }
        guard reading.problems.isEmpty else {
            return try listPage(context, problems: reading.problems.map(\.description) + [t("curriculum.load.nothing_loaded")],
                                status: .unprocessableContent)
        }
        if parts.text("action") == "check" {
            return try listPage(context, lines: reading.files.map {
                t("curriculum.valid", ["file": $0.file, "program": $0.program.id, "version": String($0.program.version)])
            })
        }
        let actor = try context.actor()
        let outcomes = try await offload { try curriculum.load(reading.files, questionnaires: reading.questionnaires, actor: actor) }
        return try listPage(context, lines: outcomes.map { CurriculumLoadText.line($0, t) })
    }

    private func standing(_ request: Request, _ context: WebContext) throws -> ProgramStanding {
        let id = try context.parameters.require("id")
        let version = try ListControls.number(request, "version", .version, context.localizer)
        guard let standing = try? curriculum.standing(id, version: version) else { throw WebError.notFound }
        return standing
    }

    /// A version in a path names a record: anything but a stored version's number is not found.
    private func versionParameter(_ context: WebContext) throws -> Int {
        guard let version = Int(try context.parameters.require("version")), (1...10_000).contains(version) else {
            throw WebError.notFound
        }
        return version
    }

    /// "potvrđena 5. 12. 2026.", "nije potvrđena", or "–" for a program that needs no confirmation.
    static func policyWord(_ standing: ProgramStanding, _ t: Localizer) -> String {
        guard standing.stored.program.declaresProvenance else { return "–" }
        return standing.confirmedAt.map { t("web.programs.policy_confirmed", ["date": t.day(ofTimestamp: $0)]) }
            ?? t("web.programs.policy_unconfirmed")
    }
}

/// The public catalogue's list.
struct CataloguePage {
    struct Program {
        let id, title: String
        let goal: String?
    }
    let programs: [Program]
}

/// A program's page, for a coordinator (who may also confirm and publish it), a trainee or the public: every part with
/// its provenance mark, the case study's figures with their period and estimates.
struct ProgramPage {
    /// Who reads the page: what it offers depends on it.
    enum Audience { case reader, coordinator, manager }

    struct Text {
        let text: String
        let mark: String?
        let source: String?
    }
    struct Figure {
        let value, label: String
        let context, period, source: String?
        let estimated: Bool
    }
    struct CaseStudy {
        let title: Text
        let paragraphs: [Text]
        let figures: [Figure]
    }
    struct Module {
        let order, id, hours: String
        let title: Text
        let description: Text?
        let topics, outcomes, assessments: [Text]
        let case_studies: [CaseStudy]
    }
    struct Source {
        let id, citation: String
    }
    struct Manage {
        let confirm_action: String?
        let catalogue_action: String
        let in_catalogue: Bool
    }
    let title: Text
    let id, version, year, total: String
    let goal: Text?
    let completion: Text
    let validity: Text?
    let modules: [Module]
    let sources: [Source]
    let marks_provenance: Bool
    /// The policy's confirmation in words (coordinators only).
    let policy: String?
    /// Assessments and ids are for coordinators; readers see the program as taught.
    let details: Bool
    let manage: Manage?
    let csrf: String

    init(_ standing: ProgramStanding, localizer t: Localizer, audience: Audience, csrf: String) {
        let outline = ProgramPresentation(standing.stored.program, localizer: t)
        func text(_ marked: ProgramPresentation.Marked) -> Text {
            Text(text: marked.text, mark: marked.mark, source: marked.provenance)
        }
        title = text(outline.title)
        id = outline.id
        version = String(outline.version)
        year = String(outline.year)
        total = outline.total
        goal = outline.goal.map(text)
        completion = text(outline.completion)
        validity = outline.validity.map(text)
        details = audience != .reader
        modules = outline.modules.map { module in
            Module(order: String(module.order), id: module.id, hours: module.hours, title: text(module.title),
                   description: module.description.map(text), topics: module.topics.map(text), outcomes: module.outcomes.map(text),
                   assessments: audience == .reader ? [] : module.assessments.map(text),
                   case_studies: module.caseStudies.map { study in
                       CaseStudy(title: text(study.title), paragraphs: study.paragraphs.map(text), figures: study.figures.map { figure in
                           Figure(value: figure.value, label: figure.label, context: figure.context, period: figure.period,
                                  source: figure.provenance, estimated: figure.estimated)
                       })
                   })
        }
        sources = outline.sources.map { Source(id: $0.id, citation: $0.citation) }
        marks_provenance = outline.marksProvenance
        policy = audience == .reader ? nil : CurriculumController.policyWord(standing, t).nonEmpty
        let program = standing.stored.program
        manage = audience == .manager ? Manage(
            confirm_action: program.declaresProvenance && standing.confirmedAt == nil
                ? "/programs/\(program.id)/versions/\(program.version)/confirm" : nil,
            catalogue_action: "/programs/\(program.id)/catalogue", in_catalogue: standing.inCatalogue) : nil
        self.csrf = csrf
    }
}

// MARK: API

struct CatalogueRequest: Decodable { var shown: Bool }

/// A program version in a list.
struct ProgramSummaryDTO: Encodable {
    var id: String
    var version: Int
    var year: Int
    var title: String
    var marksProvenance: Bool
    var policyConfirmedAt: String?
    var inCatalogue: Bool

    init(_ standing: ProgramStanding, language: Language) {
        let program = standing.stored.program
        id = program.id
        version = program.version
        year = program.year
        title = program.title.text(in: language)
        marksProvenance = program.declaresProvenance
        policyConfirmedAt = standing.confirmedAt
        inCatalogue = standing.inCatalogue
    }
}

/// A program version as people read it, in the request's language, with each part's provenance.
struct ProgramDTO: Encodable {
    struct Text: Encodable {
        var text: String
        /// `sourced`, `reconstructed`, `illustrative`, or absent for a version 1 program.
        var provenance: String?
        var source: String?
    }
    struct Figure: Encodable {
        var key: String
        var value: Int
        var label: String
        var context: String?
        var period: String?
        var periodYear: Int?
        var estimated: Bool
        var provenance: String?
        var source: String?
    }
    struct CaseStudy: Encodable {
        var id: String
        var title: Text
        var paragraphs: [Text]
        var figures: [Figure]
    }
    struct Module: Encodable {
        var id: String
        var order: Int
        var plannedHours: Double
        var title: Text
        var description: Text?
        var topics: [Text]
        var outcomes: [Text]
        var caseStudies: [CaseStudy]
    }
    struct Source: Encodable {
        var id: String
        var citation: String
    }
    var id: String
    var version: Int
    var year: Int
    var language: String
    var title: Text
    var goal: Text?
    var modules: [Module]
    var sources: [Source]
    var marksProvenance: Bool
    var policyConfirmedAt: String?
    var inCatalogue: Bool

    init(_ standing: ProgramStanding, localizer t: Localizer) {
        let program = standing.stored.program, language = t.language
        func text(_ value: LocalizedText, _ provenance: Provenance?) -> Text {
            Text(text: value.text(in: language), provenance: provenance?.keyword, source: provenance?.sourceID)
        }
        id = program.id
        version = program.version
        year = program.year
        self.language = language.rawValue
        title = text(program.title, program.provenance)
        goal = program.goal.map { text($0, program.goalProvenance) }
        modules = program.modules.map { module in
            Module(id: module.id, order: module.order, plannedHours: module.hours, title: text(module.title, module.provenance),
                   description: module.description.map { text($0.text, $0.provenance) },
                   topics: module.topics.map { text($0.text, $0.provenance) },
                   outcomes: module.outcomes.map { text($0.text, $0.provenance) },
                   caseStudies: module.caseStudies.map { study in
                       CaseStudy(id: study.id, title: text(study.title, study.provenance),
                                 // A version 1 case study has one text and no provenance.
                                 paragraphs: study.paragraphs?.map { text($0.text, $0.provenance) }
                                     ?? [Text(text: study.text.text(in: language))],
                                 figures: study.figures.map { figure in
                                     let period = study.period(of: figure)
                                     return Figure(key: figure.key, value: figure.value, label: figure.label.text(in: language),
                                                   context: figure.context?.text(in: language), period: period?.text.text(in: language),
                                                   periodYear: period?.year, estimated: figure.isEstimate,
                                                   provenance: figure.provenance?.keyword, source: figure.provenance?.sourceID)
                                 })
                   })
        }
        sources = (program.sources ?? []).map { Source(id: $0.id, citation: $0.citation) }
        marksProvenance = program.declaresProvenance
        policyConfirmedAt = standing.confirmedAt
        inCatalogue = standing.inCatalogue
    }
}

/// A stored or unchanged program version in words.
enum CurriculumLoadText {
    static func line(_ outcome: CurriculumLoadOutcome, _ t: Localizer) -> String {
        switch outcome {
        case .added(let id, let version): t("curriculum.load.added", ["program": id, "version": String(version)])
        case .unchanged(let id, let version): t("curriculum.load.unchanged", ["program": id, "version": String(version)])
        }
    }
}

struct CurriculumLoadDTO: Encodable {
    var programId, outcome: String
    var version: Int
    init(_ outcome: CurriculumLoadOutcome) {
        switch outcome {
        case .added(let id, let version): programId = id; self.version = version; self.outcome = "added"
        case .unchanged(let id, let version): programId = id; self.version = version; self.outcome = "unchanged"
        }
    }
}

/// What checking a curriculum file found.
struct CurriculumCheckDTO: Encodable {
    struct ProblemDTO: Encodable { var file: String; var line: Int; var message: String }
    struct FoundDTO: Encodable { var programId: String; var version: Int }
    var valid: Bool
    var problems: [ProblemDTO]
    var programs: [FoundDTO]
    init(_ reading: CurriculumIntake.Reading) {
        valid = reading.problems.isEmpty
        problems = reading.problems.map { ProblemDTO(file: $0.file, line: $0.line, message: $0.message) }
        programs = reading.files.map { FoundDTO(programId: $0.program.id, version: $0.program.version) }
    }
}

/// A curriculum XML file as text.
struct CurriculumFileRequest: Decodable { var xml: String; var fileName: String? }
