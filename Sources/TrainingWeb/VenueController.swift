import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// What scheduling needs around sessions: the venues with their seats and the year's holiday calendar (the District's
/// own holidays, computed, and the table of religious holidays and one-off non-working days). Pages and API routes.
struct VenueController {
    let scheduling: Scheduling
    let pages: Pages

    static let seatsField = NumberFormField(path: "/venues", name: "capacity", field: .capacity, labelKey: "venue.column.capacity")

    func register(on routes: RouteTable) {
        routes.get("/venues", .manageSchedule) { request, context in try venuesPage(context, notice: context.localizer.notice(request)) }
        routes.post("/venues", .manageSchedule) { request, context in try await addVenue(request, context) }
        routes.get("/holidays", .manageSchedule) { request, context in
            try holidaysPage(year: try year(request, context), context, notice: context.localizer.notice(request))
        }
        routes.post("/holidays", .manageSchedule) { request, context in try await addHoliday(request, context) }
        routes.post("/holidays/remove", .manageSchedule) { request, context in try await removeHoliday(request, context) }

        let api = APIController.prefix
        routes.get("\(api)/venues", .manageSchedule) { request, context in
            try APIJSON.response(try Page(try scheduling.venues().map(VenueDTO.init), request: request, context: context))
        }
        routes.post("\(api)/venues", .manageSchedule) { request, context in
            let body = try await APIJSON.body(VenueRequest.self, request, context)
            let actor = try context.actor()
            try await offload { try scheduling.addVenue(name: body.name, capacity: Int(body.capacity.value), actor: actor) }
            return try APIJSON.response(VenueDTO(Venue(name: body.name, capacity: Int(body.capacity.value))), status: .created)
        }
        routes.get("\(api)/holidays", .manageSchedule) { request, context in
            let year = try Page<HolidayDTO>.integer(request, "year", .year, default: scheduling.today.year, context)
            return try APIJSON.response(try Page(try scheduling.holidays(year: year).map { HolidayDTO($0, context.localizer) },
                                                 request: request, context: context))
        }
        routes.post("\(api)/holidays", .manageSchedule) { request, context in
            let body = try await APIJSON.body(HolidayRequest.self, request, context)
            guard let kind = ScheduleContext.HolidayEntry.Kind(rawValue: body.kind) else {
                throw APIError.problem(Problem(title: "Unprocessable Content", status: 422,
                                               detail: context.localizer("web.holidays.bad_kind", ["value": body.kind])))
            }
            let entry = ScheduleContext.HolidayEntry(date: try APIDates.day(body.date, context), name: body.name, kind: kind)
            let actor = try context.actor()
            try await offload { try scheduling.addHoliday(entry, actor: actor) }
            return try APIJSON.response(HolidayDTO(.init(entry), context.localizer), status: .created)
        }
        routes.post("\(api)/holidays/removal", .manageSchedule) { request, context in
            let body = try await APIJSON.body(HolidayRemovalRequest.self, request, context)
            let day = try APIDates.day(body.date, context), actor = try context.actor()
            guard try await offload({ try scheduling.removeHoliday(date: day, name: body.name, actor: actor) }) else {
                throw APIError.problem(Problem(title: "Not Found", status: 404, detail: nil))
            }
            return try APIJSON.response(RemovedDTO(removed: true))
        }
    }

    // MARK: Venues

    struct VenuesPage {
        struct Row { let name, capacity: String }
        let venues: [Row]
        let form: [String: String]
        let field_errors: [String: String]
    }

    private func venuesPage(_ context: WebContext, form: [String: String] = [:], fieldErrors: [String: String] = [:],
                            status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let t = context.localizer
        let page = VenuesPage(venues: try scheduling.venues().map { .init(name: t.script($0.name), capacity: String($0.capacity)) },
                              form: form, field_errors: fieldErrors)
        return pages.render("venues", page, context: context, status: status, notice: notice)
    }

    private func addVenue(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        var problems: [String: String] = [:]
        if form["name"] == nil { problems["name"] = t("web.form.required") }
        var seats: Int?
        do { seats = try form.whole(Self.seatsField, t) } catch { problems["capacity"] = t.message(for: error) }
        if problems.isEmpty, let name = form["name"], let seats {
            let actor = try context.actor()
            do {
                try await offload { try scheduling.addVenue(name: name, capacity: seats, actor: actor) }
                return .seeOther("/venues?notice=venue_added")
            } catch let error as any UserFacingError {
                problems[error.field ?? "name"] = t.message(for: error)
            }
        }
        return try venuesPage(context, form: ["name": form["name"] ?? "", "capacity": form["capacity"] ?? ""], fieldErrors: problems,
                              status: .unprocessableContent)
    }

    // MARK: Holidays

    struct HolidaysPage {
        struct Row {
            let date, iso, name, kind: String
            let removable: Bool
        }
        struct Choice {
            let value, label: String
            let selected: Bool
        }
        let year: String
        let previous_year, next_year: String
        let days: [Row]
        let kinds: [Choice]
        let form: [String: String]
        let field_errors: [String: String]
    }

    private func year(_ request: Request, _ context: WebContext) throws -> Int {
        try ListControls.number(request, "year", .year, context.localizer) ?? scheduling.today.year
    }

    private func holidaysPage(year: Int, _ context: WebContext, form: [String: String] = [:], fieldErrors: [String: String] = [:],
                              status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let t = context.localizer
        let page = HolidaysPage(
            year: String(year), previous_year: String(year - 1), next_year: String(year + 1),
            days: try scheduling.holidays(year: year).map {
                .init(date: t.date($0.date), iso: $0.date.iso, name: HolidayText.name($0, t), kind: t("holiday.kind.\($0.kind.rawValue)"),
                      removable: $0.removable)
            },
            kinds: ScheduleContext.HolidayEntry.Kind.allCases.map {
                .init(value: $0.rawValue, label: t("holiday.kind.\($0.rawValue)"), selected: $0.rawValue == form["kind"])
            },
            form: form, field_errors: fieldErrors)
        return pages.render("holidays", page, context: context, status: status, notice: notice)
    }

    private func addHoliday(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let t = context.localizer
        var problems: [String: String] = [:]
        let day = form["date"].flatMap(LocalDate.init(typed:))
        if day == nil { problems["date"] = form["date"].map { t("web.form.bad_date", ["value": $0]) } ?? t("web.form.required") }
        if form["name"] == nil { problems["name"] = t("web.form.required") }
        let kind = form["kind"].flatMap(ScheduleContext.HolidayEntry.Kind.init(rawValue:))
        if kind == nil { problems["kind"] = t("web.form.required") }
        let typed = ["date": form["date"] ?? "", "name": form["name"] ?? "", "kind": form["kind"] ?? ""]
        if problems.isEmpty, let day, let kind, let name = form["name"] {
            let actor = try context.actor()
            do {
                try await offload { try scheduling.addHoliday(.init(date: day, name: name, kind: kind), actor: actor) }
                return .seeOther("/holidays?year=\(day.year)&notice=holiday_added")
            } catch let error as any UserFacingError {
                problems[error.field ?? "name"] = t.message(for: error)
            }
        }
        return try holidaysPage(year: day?.year ?? scheduling.today.year, context, form: typed, fieldErrors: problems,
                                status: .unprocessableContent)
    }

    private func removeHoliday(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        guard let day = form["date"].flatMap(LocalDate.init(iso:)), let name = form["name"] else { throw WebError.badRequest("date") }
        let actor = try context.actor()
        let removed = try await offload { try scheduling.removeHoliday(date: day, name: name, actor: actor) }
        return .seeOther("/holidays?year=\(day.year)&notice=\(removed ? "holiday_removed" : "holiday_not_found")")
    }
}

struct VenueDTO: Encodable {
    var name: String
    var capacity: Int
    init(_ venue: Venue) { name = venue.name; capacity = venue.capacity }
}

struct HolidayDTO: Encodable {
    var date, name, kind: String
    var carriedOver, removable: Bool
    init(_ day: Scheduling.HolidayDay, _ t: Localizer) {
        date = day.date.iso; name = HolidayText.name(day, t); kind = day.kind.rawValue; carriedOver = day.carriedOver; removable = day.removable
    }
}

struct RemovedDTO: Encodable { var removed: Bool }

/// A venue and its seats.
struct VenueRequest: Decodable { var name: String; var capacity: JSONNumber<CapacityKind> }
/// A table entry: `religious` (warns) or `one_off` (refuses sessions).
struct HolidayRequest: Decodable { var date, name, kind: String }
struct HolidayRemovalRequest: Decodable { var date, name: String }
