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
    }

    private func index(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = context.principal
        let departments = try database.departments()
            .filter { Access.allows(principal, .viewDepartmentReports, department: $0.code) }
            .map { ["code": $0.code.rawValue, "name": $0.name(in: context.language)] }
        let programs = try database.programs().map { ["id": $0.program.id, "title": $0.program.title.text(in: context.language)] }
        let today = services.now().date
        return services.pages.render("reports", [
            "departments": departments, "programs": programs,
            "from": LocalDate(year: today.year, month: 1, day: 1)!.iso, "to": today.iso,
        ], context: context)
    }

    private func report(_ request: Request, _ context: WebContext) async throws -> Response {
        let code = DepartmentCode(try context.parameters.require("department"))
        guard try database.department(code) != nil else { throw WebError.notFound }
        let now = services.now()
        let from = request.query("from").flatMap(LocalDate.init(iso:)) ?? LocalDate(year: now.date.year - 5, month: 1, day: 1)!
        let to = request.query("to").flatMap(LocalDate.init(iso:)) ?? now.date
        let program = request.query("program")
        if let program, (try? database.program(id: program)) == nil { throw WebError.notFound }
        let fresh = request.headers[.cacheControl]?.contains("no-cache") ?? false
        let reading = try services.reportCache.reading(.init(department: code, from: from, to: to, programID: program),
                                                       now: now, fresh: fresh) {
            try database.reportReading(ReportScope(department: code, from: from, to: to, programID: program), now: now)
        }
        let input = try ReportGathering.input(database, reading: reading, department: code, from: from, to: to,
                                              programID: program, now: now)
        await services.logReads(context, what: "report.department", subjects: input.entries.map(\.person.personalNumber))
        let document = ReportBuilder(localizer: context.localizer).department(input)
        let name = "izvjestaj-\(code.rawValue)-\(from.iso)-\(to.iso)"
        switch request.query("format") {
        case "csv":
            return Download.response(try ReportCSV.render(document, delimiter: ";"), type: "text/csv; charset=utf-8", name: "\(name).csv")
        case "pdf":
            return Download.response(try ReportPDF().render(document, created: now.date), type: "application/pdf", name: "\(name).pdf")
        default:
            let html = ReportHTML.render(document)
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.cacheControl] = "private, no-store"
            var response = Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
            // The report is a standalone document with one <style> block: allow exactly that block by its hash.
            response.headers[.contentSecurityPolicy] = Self.policy(for: html)
            return response
        }
    }

    static func policy(for html: String) -> String {
        var styles: [String] = []
        var rest = Substring(html)
        while let open = rest.range(of: "<style>"), let close = rest[open.upperBound...].range(of: "</style>") {
            let digest = SHA256.hash(data: Data(rest[open.upperBound..<close.lowerBound].utf8))
            styles.append("'sha256-\(Data(digest).base64EncodedString())'")
            rest = rest[close.upperBound...]
        }
        return "default-src 'none'; style-src 'self' \(styles.joined(separator: " ")); img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    }
}
