import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// The annual plan: the year's versions, the draft's items beside the departments' proposals, approval with its
/// decision, amendments and their difference; a cohort's link to an item. Pages and API routes side by side.
struct PlanController {
    let plan: PlanDesk
    let needs: NeedsDesk
    let cohorts: CohortPlanning
    let pages: Pages

    static let cohortsField = NumberFormField(path: "/plan/items", name: "cohorts", field: .plannedCohorts, labelKey: "plan.column.cohorts")
    static let hoursField = NumberFormField(path: "/plan/items", name: "participant_hours", field: .participantHours, labelKey: "plan.column.hours")
    static let costField = NumberFormField(path: "/plan/items", name: "cost", field: .costKM, labelKey: "plan.column.cost")

    func register(on routes: RouteTable) {
        routes.get("/plan", .manageRequiredTraining) { request, context in
            try page(year: try year(request, context), context, notice: context.localizer.notice(request))
        }
        routes.post("/plan/items", .manageRequiredTraining) { request, context in try await addItem(request, context) }
        routes.post("/plan/items/{id}/remove", .manageRequiredTraining) { request, context in
            var request = request
            let form = try await request.form(context)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let actor = try context.actor()
            do {
                try await offload { try plan.removeItem(id, actor: actor) }
            } catch let error as PlanError where error.kind == .notFound {
                throw WebError.notFound
            }
            return .seeOther("/plan?year=\(form["year"] ?? "")&notice=plan_item_removed")
        }
        routes.post("/plan/approval", .manageRequiredTraining) { request, context in try await approve(request, context) }
        routes.post("/plan/amendment", .manageRequiredTraining) { request, context in
            var request = request
            let form = try await request.form(context)
            let year = try form.whole(Self.yearField, context.localizer), actor = try context.actor()
            _ = try await offload { try plan.draft(year: year, actor: actor) }
            return .seeOther("/plan?year=\(year)&notice=plan_amended")
        }
        routes.post("/cohorts/{code}/plan-item", .manageRequiredTraining) { request, context in
            var request = request
            let form = try await request.form(context)
            let cohort = try CohortController.cohort(context, cohorts), actor = try context.actor()
            let item = form["item"].flatMap(Int64.init)
            try await offload { try plan.link(cohort: cohort.code, item: item, actor: actor) }
            return .seeOther("/cohorts/\(cohort.code)?notice=plan_linked")
        }

        routes.get("/reports/plan", .viewProgramReports) { request, context in
            let year = try year(request, context, default: plan.today.year)
            let document = ReportBuilder(localizer: context.localizer).realisation(try plan.realisation(year: year))
            return try report(document, request, name: "realizacija-plana-\(year)", path: "/reports/plan?year=\(year)", context)
        }
        routes.get("/reports/plan/department/{department}", .viewDepartmentReports, departmentScoped: true) { request, context in
            let year = try year(request, context, default: plan.today.year)
            let department = DepartmentCode(try context.parameters.require("department"))
            let document = ReportBuilder(localizer: context.localizer).realisation(try plan.realisation(year: year), department: department)
            return try report(document, request, name: "realizacija-plana-\(year)-\(department.rawValue)",
                                   path: "/reports/plan/department/\(department.rawValue)?year=\(year)", context)
        }

        let api = APIController.prefix
        routes.get("\(api)/reports/plan", .viewProgramReports) { request, context in
            let year = try Page<RealisationDTO>.integer(request, "year", .year, default: plan.today.year, context)
            return try APIJSON.response(RealisationDTO(try plan.realisation(year: year), department: nil))
        }
        routes.get("\(api)/reports/plan/department/{department}", .viewDepartmentReports, departmentScoped: true) { request, context in
            let year = try Page<RealisationDTO>.integer(request, "year", .year, default: plan.today.year, context)
            let department = DepartmentCode(try context.parameters.require("department"))
            return try APIJSON.response(RealisationDTO(try plan.realisation(year: year), department: department))
        }
        routes.post("\(api)/cohorts/{code}/cost", .manageRequiredTraining) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let body = try await APIJSON.body(CostRequest.self, request, context)
            let actor = try context.actor()
            try await offload { try plan.setActualCost(cohort: cohort.code, km: body.costKm?.value, actor: actor) }
            return try APIJSON.response(PlanLinkDTO(cohort: cohort.code, itemId: nil))
        }
        routes.get("\(api)/plans/{year}", .manageRequiredTraining) { _, context in
            try APIJSON.response(try plan.versions(year: try apiYear(context)).map(PlanVersionDTO.init))
        }
        routes.post("\(api)/plans/{year}/items", .manageRequiredTraining) { request, context in
            let year = try apiYear(context)
            let body = try await APIJSON.body(PlanItemRequest.self, request, context)
            var places: [DepartmentCode: Int] = [:]
            for (code, count) in body.places { places[DepartmentCode(code.uppercased()), default: 0] += Int(count.value) }
            let draft = PlanDesk.ItemDraft(programID: body.programId, quarter: Int(body.quarter.value), cohorts: Int(body.cohorts?.value ?? 1),
                                           places: places, participantHours: body.participantHours.value, costKM: body.costKm.value,
                                           funding: body.donor.map(Funding.donor) ?? .budget)
            let actor = try context.actor()
            let item = try await offload { try plan.addItem(year: year, draft, actor: actor) }
            return try APIJSON.response(PlanItemDTO(item), status: .created)
        }
        routes.post("\(api)/plans/items/{id}/removal", .manageRequiredTraining) { _, context in
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let actor = try context.actor()
            try await offload { try plan.removeItem(id, actor: actor) }
            return try APIJSON.response(RemovedDTO(removed: true))
        }
        routes.post("\(api)/plans/{year}/approval", .manageRequiredTraining) { request, context in
            let year = try apiYear(context)
            let body = try await APIJSON.body(PlanApprovalRequest.self, request, context)
            let date = try APIDates.day(body.decisionDate, context), actor = try context.actor()
            let approved = try await offload { try plan.approve(year: year, decisionNumber: body.decisionNumber, decisionDate: date, actor: actor) }
            return try APIJSON.response(PlanVersionDTO(approved))
        }
        routes.post("\(api)/plans/{year}/amendment", .manageRequiredTraining) { _, context in
            let year = try apiYear(context), actor = try context.actor()
            return try APIJSON.response(PlanVersionDTO(try await offload { try plan.draft(year: year, actor: actor) }), status: .created)
        }
        routes.get("\(api)/plans/{year}/versions/{version}/difference", .manageRequiredTraining) { _, context in
            let year = try apiYear(context)
            guard let version = Int(try context.parameters.require("version")) else { throw WebError.notFound }
            let difference: PlanDifference?
            do {
                difference = try plan.difference(year: year, version: version)
            } catch let error as PlanError where error.kind == .notFound {
                throw WebError.notFound
            }
            return try APIJSON.response(PlanDifferenceDTO(difference))
        }
        routes.post("\(api)/cohorts/{code}/plan-item", .manageRequiredTraining) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let body = try await APIJSON.body(PlanLinkRequest.self, request, context)
            let actor = try context.actor()
            try await offload { try plan.link(cohort: cohort.code, item: body.itemId.map { Int64($0.value) }, actor: actor) }
            return try APIJSON.response(PlanLinkDTO(cohort: cohort.code, itemId: body.itemId.map { Int64($0.value) }))
        }
    }

    static let yearField = NumberFormField(path: "/plan/items", name: "year", field: .year, labelKey: "web.list.year")
    static let actualCostField = NumberFormField(path: "/cohorts/{code}/cost", name: "cost", field: .costKM, labelKey: "web.cohort.cost")

    private func year(_ request: Request, _ context: WebContext, default value: Int? = nil) throws -> Int {
        try ListControls.number(request, "year", .year, context.localizer) ?? value ?? plan.today.year + 1
    }

    /// The report as HTML with links to its CSV and PDF, or as either of them (`format=`).
    private func report(_ document: ReportDocument, _ request: Request, name: String, path: String, _ context: WebContext) throws -> Response {
        let t = context.localizer
        let links: [ReportHTML.Link] = [.init(href: "/reports", label: t("web.report.back")),
                                        .init(href: "\(path)&format=csv", label: t("web.report.csv")),
                                        .init(href: "\(path)&format=pdf", label: t("web.report.pdf"))]
        let rendered = try ReportController.render(document, format: request.query("format") ?? "html", name: name,
                                                   today: plan.today, links: links)
        return Response(status: .ok, headers: rendered.headers, body: .init(byteBuffer: rendered.body))
    }

    /// The year in an API path: a number the year reader takes, else "not found" (a path names a record).
    private func apiYear(_ context: WebContext) throws -> Int {
        guard let year = try? NumberField.year.readWhole(try context.parameters.require("year"), field: "year") else { throw WebError.notFound }
        return year
    }

    struct PlanPage {
        struct Item {
            let id, program, quarter, cohorts, places, hours, cost, funding: String
        }
        struct Version {
            let number, heading: String
            let approved, current: Bool
        }
        struct Need {
            let department, program, places, priority: String
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let year, previous_year, next_year, heading, totals: String
        let has_plan, draft, approved: Bool
        let versions: [Version]
        let items: [Item]
        let difference: [String]
        let needs: [Need]
        let programs, quarters: [Choice]
        let form: [String: String]
        let field_errors: [String: String]
        let errors: [String]
    }

    private func page(year: Int, _ context: WebContext, form: [String: String] = [:], fieldErrors: [String: String] = [:], errors: [String] = [],
                      status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let t = context.localizer, text = PlanText(localizer: t)
        let versions = try plan.versions(year: year)
        let newest = versions.last
        let hours = newest?.items.reduce(0) { $0 + $1.participantHours } ?? 0
        let cost = newest?.items.reduce(0) { $0 + $1.costFenings } ?? 0
        let page = PlanPage(
            year: String(year), previous_year: String(year - 1), next_year: String(year + 1),
            heading: newest.map(text.heading) ?? t("web.plan.none"),
            totals: t("web.plan.totals", ["places": DecimalText.count(newest?.items.reduce(0) { $0 + $1.totalPlaces } ?? 0),
                                          "hours": DecimalText.format(hours, decimals: 1),
                                          "cost": t("plan.km", ["amount": DecimalText.money(hundredths: cost)])]),
            has_plan: newest != nil, draft: newest.map { !$0.isApproved } ?? true, approved: newest?.isApproved ?? false,
            versions: versions.map { .init(number: String($0.version), heading: text.heading($0), approved: $0.isApproved, current: $0 == newest) },
            items: (newest?.items ?? []).map { item in
                let row = text.row(item)
                return .init(id: row[0], program: row[1], quarter: row[2], cohorts: row[3], places: row[4], hours: row[5], cost: row[6], funding: row[7])
            },
            difference: try newest.flatMap { try plan.difference(year: year, version: $0.version) }.map(text.lines) ?? [],
            needs: Dictionary(grouping: try needs.needs(year: year).filter { !$0.withdrawn }, by: { "\($0.programID)#\($0.department.rawValue)" })
                .sorted { $0.key < $1.key }.map { _, group in
                    .init(department: group[0].department.rawValue, program: group[0].programID,
                          places: DecimalText.count(group.reduce(0) { $0 + $1.places }),
                          priority: group.map { t("needs.priority.\($0.priority.rawValue)") }.joined(separator: ", "))
                },
            programs: try cohorts.programIDs().map { .init(value: $0, label: $0, selected: $0 == form["program"]) },
            quarters: (1...4).map { .init(value: String($0), label: "Q\($0)", selected: String($0) == (form["quarter"] ?? "1")) },
            form: form, field_errors: fieldErrors, errors: errors)
        return pages.render("plan", page, context: context, status: status, notice: notice)
    }

    /// Adds an item to the draft; a refused form comes back with what was typed and each problem beside its field.
    private func addItem(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        let names = ["year", "program", "quarter", "cohorts", "places", "participant_hours", "cost", "donor"]
        let typed = Dictionary(names.map { ($0, form[$0] ?? "") }, uniquingKeysWith: { first, _ in first })
        var problems: [String: String] = [:]
        var year: Int?, cohortCount: Int?, hours: Double?, cost: Double?
        do { year = try form.whole(Self.yearField, t) } catch { problems["year"] = t.message(for: error) }
        do { cohortCount = try form.number(Self.cohortsField, t).map { Int($0) } ?? 1 } catch { problems["cohorts"] = t.message(for: error) }
        do { hours = try form.number(Self.hoursField, t) ?? 0 } catch { problems["participant_hours"] = t.message(for: error) }
        do { cost = try form.number(Self.costField, t) ?? 0 } catch { problems["cost"] = t.message(for: error) }
        var places: [DepartmentCode: Int] = [:]
        do { places = try PlannedPlaces.parse([form["places"] ?? ""]) } catch { problems["places"] = (error as? any UserFacingError).map(t.message(for:)) }
        let quarter = Int(form["quarter"] ?? "") ?? 0
        if problems.isEmpty, let year, let cohortCount, let hours, let cost {
            let draft = PlanDesk.ItemDraft(programID: form["program"] ?? "", quarter: quarter, cohorts: cohortCount, places: places,
                                           participantHours: hours, costKM: cost, funding: form["donor"].map(Funding.donor) ?? .budget)
            let actor = try context.actor()
            do {
                _ = try await offload { try plan.addItem(year: year, draft, actor: actor) }
                return .seeOther("/plan?year=\(year)&notice=plan_item_added")
            } catch let error as any UserFacingError {
                if let field = error.field { problems[field] = t.message(for: error) } else { problems["form"] = t.message(for: error) }
            }
        }
        return try page(year: year ?? plan.today.year + 1, context, form: typed, fieldErrors: problems, errors: problems["form"].map { [$0] } ?? [],
                        status: .unprocessableContent)
    }

    private func approve(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        let year = try form.whole(Self.yearField, t)
        var problems: [String: String] = [:]
        let date = form["decision_date"].flatMap { LocalDate(typed: $0) }
        if date == nil { problems["decision_date"] = t("web.form.bad_date", ["value": form["decision_date"] ?? ""]) }
        if form["confirm"] != "1" { problems["confirm"] = t("web.plan.approve_unconfirmed") }
        if problems.isEmpty, let date {
            let actor = try context.actor()
            do {
                _ = try await offload { try plan.approve(year: year, decisionNumber: form["decision_number"] ?? "", decisionDate: date, actor: actor) }
                return .seeOther("/plan?year=\(year)&notice=plan_approved")
            } catch let error as any UserFacingError {
                problems[error.field ?? "decision_number"] = t.message(for: error)
            }
        }
        return try page(year: year, context, form: ["decision_number": form["decision_number"] ?? "", "decision_date": form["decision_date"] ?? ""],
                        fieldErrors: problems, status: .unprocessableContent)
    }
}

// MARK: Transfer objects

struct PlanItemDTO: Encodable {
    var id: Int64
    var programId: String
    var quarter, cohorts: Int
    var places: [String: Int]
    var participantHours: Double
    var costKm: String
    var donor: String?

    init(_ item: PlanItem) {
        id = item.id; programId = item.programID; quarter = item.quarter; cohorts = item.cohorts
        places = Dictionary(uniqueKeysWithValues: item.places.map { ($0.key.rawValue, $0.value) }); participantHours = item.participantHours
        costKm = DecimalText.money(hundredths: item.costFenings).replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
        if case .donor(let name) = item.funding { donor = name }
    }
}

struct PlanVersionDTO: Encodable {
    var year, version: Int
    var approved: Bool
    var approvedBy, approvedAt, decisionNumber, decisionDate: String?
    var items: [PlanItemDTO]

    init(_ plan: PlanVersion) {
        year = plan.year; version = plan.version; approved = plan.isApproved; items = plan.items.map(PlanItemDTO.init)
        approvedBy = plan.approval?.by; approvedAt = plan.approval?.at; decisionNumber = plan.approval?.decisionNumber
        decisionDate = plan.approval?.decisionDate.iso
    }
}

struct PlanDifferenceDTO: Encodable {
    struct Change: Encodable {
        var change, programId: String
        var quarter: Int
        var fields: [String]
    }
    var changes: [Change]

    init(_ difference: PlanDifference?) {
        changes = (difference?.changes ?? []).map { change in
            switch change {
            case .added(let item): Change(change: "added", programId: item.programID, quarter: item.quarter, fields: [])
            case .removed(let item): Change(change: "removed", programId: item.programID, quarter: item.quarter, fields: [])
            case .changed(_, let item, let fields): Change(change: "changed", programId: item.programID, quarter: item.quarter, fields: fields)
            }
        }
    }
}

struct PlanLinkDTO: Encodable { var cohort: String; var itemId: Int64? }

/// A cohort's actual cost in KM (null clears it).
struct CostRequest: Decodable { var costKm: JSONNumber<CostKind>? }

struct RealisationDTO: Encodable {
    struct Line: Encodable {
        var programId: String
        var quarter, plannedPlaces, deliveredPlaces, completions: Int
        var plannedHours, deliveredHours: Double
        var plannedCostFenings, actualCostFenings: Int
        var cohorts: [String]
        /// Module ratings of its cohorts after their deadlines: answers, and the mean only from five.
        var ratingAnswers: Int
        var meanRating: Double?
        /// Learning gain in percentage points over the trainees with a pre-test and a test.
        var gainPairs: Int
        var meanGain: Double?
    }
    struct Department: Encodable {
        var department: String
        var plannedPlaces, deliveredPlaces, completions, nominated, nominatedServed: Int
    }
    var year: Int
    var planVersion: Int?
    var lines: [Line]
    var unplannedCohorts: [String]
    var departments: [Department]

    init(_ figures: RealisationFigures, department: DepartmentCode?) {
        year = figures.year; planVersion = figures.plan?.version
        lines = department == nil ? figures.lines.map {
            Line(programId: $0.item.programID, quarter: $0.item.quarter, plannedPlaces: $0.item.totalPlaces, deliveredPlaces: $0.deliveredPlaces,
                 completions: $0.completions, plannedHours: $0.item.participantHours, deliveredHours: $0.deliveredHours,
                 plannedCostFenings: $0.item.costFenings, actualCostFenings: $0.actualCostFenings, cohorts: $0.cohorts,
                 ratingAnswers: $0.ratings.answers, meanRating: $0.ratings.mean, gainPairs: $0.gainPairs, meanGain: $0.gain)
        } : []
        unplannedCohorts = department == nil ? figures.unplanned.map(\.code) : []
        departments = figures.departments.filter { department == nil || $0.department == department }.map {
            Department(department: $0.department.rawValue, plannedPlaces: $0.plannedPlaces, deliveredPlaces: $0.deliveredPlaces,
                       completions: $0.completions, nominated: $0.nominated, nominatedServed: $0.nominatedServed)
        }
    }
}

/// A plan item: places per department code, cost in KM (decimals are fenings), a donor project or the budget.
struct PlanItemRequest: Decodable {
    var programId: String
    var quarter: JSONNumber<QuarterKind>
    var cohorts: JSONNumber<PlannedCohortsKind>?
    var places: [String: JSONNumber<PlannedPlacesKind>]
    var participantHours: JSONNumber<ParticipantHoursKind>
    var costKm: JSONNumber<CostKind>
    var donor: String?
}
struct PlanApprovalRequest: Decodable { var decisionNumber, decisionDate: String }
/// The item a cohort delivers (null unlinks it).
struct PlanLinkRequest: Decodable { var itemId: JSONNumber<RecordNumberKind>? }

enum QuarterKind: NumberKind { static var field: NumberField { .quarter } }
enum PlannedCohortsKind: NumberKind { static var field: NumberField { .plannedCohorts } }
enum PlannedPlacesKind: NumberKind { static var field: NumberField { .plannedPlaces } }
enum ParticipantHoursKind: NumberKind { static var field: NumberField { .participantHours } }
enum CostKind: NumberKind { static var field: NumberField { .costKM } }
enum RecordNumberKind: NumberKind { static var field: NumberField { .recordNumber } }
