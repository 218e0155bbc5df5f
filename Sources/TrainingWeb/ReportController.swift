import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Reports
import TrainingCore
import TrainingOffice
import TrainingStore

/// Department reports as HTML, CSV and PDF; a department head sees only their own department.
struct ReportController {
    let services: WebServices
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/reports", .viewDepartmentReports) { request, context in try index(request, context) }
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
    }

    /// What a report form asks for: the period (this year so far unless given, as the CLI and the API have it),
    /// a program that exists or all, and html, csv or pdf.
    private func reportQuery(_ request: Request, now: LocalDateTime) throws -> (from: LocalDate, to: LocalDate, program: String?, format: String) {
        let from = request.query("from").flatMap(LocalDate.init(iso:)) ?? LocalDate(year: now.date.year, month: 1, day: 1)!
        let to = request.query("to").flatMap(LocalDate.init(iso:)) ?? now.date
        let program = request.query("program")
        if let program, (try? database.program(id: program)) == nil { throw WebError.notFound }
        let format = ["csv", "pdf"].contains(request.query("format") ?? "") ? request.query("format")! : "html"
        return (from, to, program, format)
    }

    private func index(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = context.principal
        let departments = try database.departments()
            .filter { Access.allows(principal, .viewDepartmentReports, department: $0.code) }
            .map { ["code": $0.code.rawValue, "name": $0.name(in: context.language)] }
        let programs = try database.programs().map { ["id": $0.program.id, "title": $0.program.title.text(in: context.language)] }
        let today = services.now().date
        return services.pages.render("reports", [
            "departments": departments, "programs": programs, "programReport": Access.allows(principal, .viewProgramReports),
            "from": LocalDate(year: today.year, month: 1, day: 1)!.iso, "to": today.iso,
        ], context: context)
    }

    private func report(_ request: Request, _ context: WebContext) async throws -> Response {
        let code = DepartmentCode(try context.parameters.require("department"))
        guard try database.department(code) != nil else { throw WebError.notFound }
        let now = services.now()
        let (from, to, program, format) = try reportQuery(request, now: now)
        let fresh = request.headers[.cacheControl]?.contains("no-cache") ?? false
        let (reading, rendered) = try await services.reportCache.report(
            .init(department: code, from: from, to: to, programID: program), now: now, fresh: fresh,
            rendition: .init(format: format, language: context.language, today: now.date),
            read: { district in
                try await database.reportReadingSideBySide(ReportScope(department: code, from: from, to: to, programID: program),
                                                           now: now, known: district)
            },
            render: { reading in
                let input = try ReportGathering.input(database, reading: reading, department: code, from: from, to: to,
                                                      programID: program, now: now)
                return try Self.render(ReportBuilder(localizer: context.localizer).department(input), format: format,
                                       name: "izvjestaj-\(code.rawValue)-\(from.iso)-\(to.iso)", today: now.date)
            })
        // Every view is logged, whether or not it was rendered anew.
        await services.logReads(context, what: "report.department", subjects: reading.entries.map(\.person.personalNumber))
        return Response(status: .ok, headers: rendered.headers, body: .init(byteBuffer: rendered.body))
    }

    /// Every department's figures side by side, for coordinators: read anew at each request (it names no one,
    /// so there is no read to log).
    private func programReport(_ request: Request, _ context: WebContext) async throws -> Response {
        let now = services.now()
        let (from, to, program, format) = try reportQuery(request, now: now)
        let reading = try await database.programReportReading(ReportScope(department: nil, from: from, to: to, programID: program),
                                                              now: now)
        let input = try ReportGathering.input(database, reading: reading, department: nil, from: from, to: to,
                                              programID: program, now: now)
        let rendered = try Self.render(ReportBuilder(localizer: context.localizer).program(input), format: format,
                                       name: "izvjestaj-program-\(program ?? "svi")-\(from.iso)-\(to.iso)", today: now.date)
        return Response(status: .ok, headers: rendered.headers, body: .init(byteBuffer: rendered.body))
    }

    /// A report document as HTML (with a content security policy allowing exactly its style block), CSV or PDF.
    static func render(_ document: ReportDocument, format: String, name: String, today: LocalDate) throws -> ReportCache.Rendered {
        switch format {
        case "csv":
            return download(try ReportCSV.render(document, delimiter: ";"), type: "text/csv; charset=utf-8", name: "\(name).csv")
        case "pdf":
            return download(try ReportPDF().render(document, created: today), type: "application/pdf", name: "\(name).pdf")
        default:
            let html = ReportHTML.render(document)
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
