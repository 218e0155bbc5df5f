import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// Department reports as HTML, CSV and PDF (a department head sees only their own department), the program report for
/// coordinators, and the reports API.
struct ReportController {
    let reports: Reporting
    let curriculum: CurriculumIntake
    let administration: DataAdministration
    let cache: ReportCache
    let pages: Pages
    let readLog: ReadAccessLog

    func register(on routes: RouteTable) {
        routes.get("/reports", .viewDepartmentReports) { _, context in try index(context) }
        routes.get("/reports/go", .viewDepartmentReports) { request, context in
            // The form's GET lands here and goes on to the department's own URL, where the scope is checked.
            let department = try request.query("department").map(DepartmentCode.init) ?? { throw WebError.badRequest("department") }()
            var query: [String] = []
            for name in ["from", "to", "program", "format"] {
                if let value = request.query(name)?.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_"])) {
                    query.append("\(name)=\(value)")
                }
            }
            let path = department.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return .seeOther("/reports/department/\(path)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        }
        routes.get("/reports/department/{department}", .viewDepartmentReports, departmentScoped: true) { request, context in
            try await report(request, context)
        }
        routes.get("/reports/program", .viewProgramReports) { request, context in try await programReport(request, context) }

        let api = APIController.prefix
        routes.get("\(api)/reports/department/{department}", .viewDepartmentReports, departmentScoped: true) { request, context in
            let scope = try apiScope(request, department: try department(context))
            let reading = try reports.figures(scope)
            return try APIJSON.response(DepartmentReportDTO(department: scope.department!.rawValue, from: scope.from.iso, to: scope.to.iso,
                                                            programId: scope.programID, figures: FiguresDTO(reading.figures),
                                                            district: FiguresDTO(reading.districtFigures)))
        }
        routes.get("\(api)/reports/program", .viewProgramReports) { request, _ in
            let scope = try apiScope(request, department: nil)
            let reading = try await reports.programReading(scope, now: reports.now())
            return try APIJSON.response(ProgramReportDTO(
                from: scope.from.iso, to: scope.to.iso, programId: scope.programID,
                departments: reading.departmentFigures.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                    .init(department: $0.key.rawValue, figures: FiguresDTO($0.value))
                },
                district: FiguresDTO(reading.districtFigures)))
        }
    }

    /// The department named in the path; one the District lacks is not found.
    private func department(_ context: WebContext) throws -> DepartmentCode {
        let code = DepartmentCode(try context.parameters.require("department"))
        guard try administration.department(code) != nil else { throw WebError.notFound }
        return code
    }

    /// What a report form asks for: the period (this year so far unless given, as the CLI and the API have it), a
    /// program that exists or all, and html, csv or pdf.
    private func reportQuery(_ request: Request, department: DepartmentCode?) throws -> (scope: ReportScope, format: String) {
        let program = request.query("program")
        if let program, (try? curriculum.program(program)) == nil { throw WebError.notFound }
        let scope = try reports.scope(department: department, from: request.query("from").flatMap(LocalDate.init(iso:)),
                                      to: request.query("to").flatMap(LocalDate.init(iso:)), program: program)
        let format = ["csv", "pdf"].contains(request.query("format") ?? "") ? request.query("format")! : "html"
        return (scope, format)
    }

    /// The API's period and program: a malformed day is a 400 problem, an unknown program a 404.
    private func apiScope(_ request: Request, department: DepartmentCode?) throws -> ReportScope {
        let program = request.query("program")
        if let program, (try? curriculum.program(program)) == nil { throw WebError.notFound }
        return try reports.scope(department: department, from: try Self.date(request, "from"), to: try Self.date(request, "to"),
                                 program: program)
    }

    private static func date(_ request: Request, _ name: String) throws -> LocalDate? {
        guard let text = request.query(name) else { return nil }
        guard let date = LocalDate(iso: text) else {
            throw APIError.problem(Problem(title: "Bad Request", status: 400, detail: "\(name) must be a date YYYY-MM-DD"))
        }
        return date
    }

    struct IndexPage {
        struct DepartmentChoice {
            let code, name: String
        }
        struct ProgramChoice {
            let id, title: String
        }
        let departments: [DepartmentChoice]
        let programs: [ProgramChoice]
        struct YearChoice {
            let value: String
            let selected: Bool
        }
        let programReport: Bool
        let from, to: String
        /// Years of the plan's realisation report, this one chosen.
        let years: [YearChoice]
    }

    private func index(_ context: WebContext) throws -> Response {
        let principal = context.principal
        let period = reports.defaultPeriod()
        let page = IndexPage(
            departments: try administration.departments()
                .filter { Access.allows(principal, .viewDepartmentReports, department: $0.code) }
                .map { .init(code: $0.code.rawValue, name: $0.name(in: context.language)) },
            programs: try curriculum.programs().map { .init(id: $0.program.id, title: $0.program.title.text(in: context.language)) },
            programReport: Access.allows(principal, .viewProgramReports), from: period.from.iso, to: period.to.iso,
            years: (period.to.year - 5 ... period.to.year + 1).reversed().map { .init(value: String($0), selected: $0 == period.to.year) })
        return pages.render("reports", page, context: context)
    }

    private func report(_ request: Request, _ context: WebContext) async throws -> Response {
        let code = try department(context)
        let now = reports.now()
        let (scope, format) = try reportQuery(request, department: code)
        let fresh = request.headers[.cacheControl]?.contains("no-cache") ?? false
        let (reading, rendered) = try await cache.report(
            .init(department: code, from: scope.from, to: scope.to, programID: scope.programID), now: now, fresh: fresh,
            rendition: .init(format: format, language: context.language, today: now.date),
            read: { district in try await reports.reading(scope, now: now, known: district) },
            render: { reading in
                try Self.render(ReportBuilder(localizer: context.localizer).department(try reports.input(reading, scope: scope)), format: format,
                                name: "izvjestaj-\(code.rawValue)-\(scope.from.iso)-\(scope.to.iso)", today: now.date,
                                links: Self.links(path: request.uri.path, scope: scope, context.localizer))
            })
        // Every view is logged, whether or not it was rendered anew.
        await readLog.record(context, what: "report.department", subjects: reading.entries.map(\.person.personalNumber))
        return Response(status: .ok, headers: rendered.headers, body: .init(byteBuffer: rendered.body))
    }

    /// Every department's figures side by side, for coordinators: read anew at each request (it names no one,
    /// so there is no read to log).
    private func programReport(_ request: Request, _ context: WebContext) async throws -> Response {
        let now = reports.now()
        let (scope, format) = try reportQuery(request, department: nil)
        let reading = try await reports.programReading(scope, now: now)
        let rendered = try Self.render(ReportBuilder(localizer: context.localizer).program(try reports.input(reading, scope: scope, reaction: true)),
                                       format: format, name: "izvjestaj-program-\(scope.programID ?? "svi")-\(scope.from.iso)-\(scope.to.iso)",
                                       today: now.date, links: Self.links(path: "/reports/program", scope: scope, context.localizer))
        return Response(status: .ok, headers: rendered.headers, body: .init(byteBuffer: rendered.body))
    }

    /// A report document as HTML (with a content security policy allowing exactly its style block), CSV or PDF.
    /// Back to the reports, and the same report (period and program kept) as CSV and as PDF.
    static func links(path: String, scope: ReportScope, _ t: Localizer) -> [ReportHTML.Link] {
        let query = "from=\(scope.from.iso)&to=\(scope.to.iso)"
            + (scope.programID.map { "&program=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } ?? "")
        return [.init(href: "/reports", label: t("web.report.back")), .init(href: "\(path)?\(query)&format=csv", label: t("web.report.csv")),
                .init(href: "\(path)?\(query)&format=pdf", label: t("web.report.pdf"))]
    }

    static func render(_ document: ReportDocument, format: String, name: String, today: LocalDate,
                       links: [ReportHTML.Link] = []) throws -> ReportCache.Rendered {
        switch format {
        case "csv":
            return download(try ReportCSV.render(document, delimiter: ";"), type: "text/csv; charset=utf-8", name: "\(name).csv")
        case "pdf":
            return download(try ReportPDF().render(document, created: today), type: "application/pdf", name: "\(name).pdf")
        default:
            let html = ReportHTML.render(document, links: links)
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.cacheControl] = "private, no-store"
            // The report is a standalone document with one <style> block: allow exactly that block by its hash.
            headers[.contentSecurityPolicy] = policy(for: html)
            return .init(headers: headers, body: ByteBuffer(string: html))
        }
    }

    private static func download(_ data: Data, type: String, name: String) -> ReportCache.Rendered {
        .init(headers: Download.headers(type: type, name: name), body: ByteBuffer(bytes: data))
    }

    static func policy(for html: String) -> String {
        // Searched as bytes: Foundation's range(of:) converted the whole page, and the generic firstRange(of:)
        // walked it through String indices.
        var page = html
        let styles = page.withUTF8 { bytes -> [String] in
            var styles: [String] = []
            var start = 0
            while let open = find("<style>", in: bytes, from: start), let close = find("</style>", in: bytes, from: open + 7) {
                let digest = SHA256.hash(data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(open + 7)..<close])))
                styles.append("'sha256-\(Data(digest).base64EncodedString())'")
                start = close + 8
            }
            return styles
        }
        return "default-src 'none'; style-src 'self' \(styles.joined(separator: " ")); img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    }

    /// Where `needle` next occurs in `bytes` at or after `start`.
    private static func find(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first, start >= 0 else { return nil }
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}
