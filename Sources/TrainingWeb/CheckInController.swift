import Certificates
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// QR self check-in: the coordinator's screen shows a code that changes every window; a signed-in trainee who opens it
/// is marked present (or late) with the minutes counted from arrival.
struct CheckInController {
    let checkIn: CheckInRecording
    let pages: Pages
    let clock: OfficeClock

    func register(on routes: RouteTable) {
        routes.get("/sessions/{id}/checkin", .recordAttendance) { _, context in try display(context) }
        routes.get("/sessions/{id}/checkin.svg", .recordAttendance) { _, context in
            guard let url = try? checkIn.url(session: try sessionID(context)) else { throw WebError.notFound }
            return try Self.image(url)
        }
        routes.get("/sessions/{id}/evaluation.svg", .recordAttendance) { _, context in
            guard let url = try? checkIn.evaluationURL(session: try sessionID(context)) else { throw WebError.notFound }
            return try Self.image(url)
        }
        routes.get("/checkin/{id}/{code}", .viewOwnProgress) { _, context in try await record(context) }
    }

    private func sessionID(_ context: WebContext) throws -> SessionID {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw WebError.notFound }
        return SessionID(rawValue: id)
    }

    struct DisplayPage {
        let id, name, code, when, url, opens, stamp, window: String
        /// At a module's last session, its questionnaire's address (shown as a second code).
        let evaluation_url: String?
    }

    private func display(_ context: WebContext) throws -> Response {
        guard let screen = try? checkIn.display(session: try sessionID(context)) else { throw WebError.notFound }
        let t = context.localizer
        let page = DisplayPage(
            id: String(screen.session.id.rawValue), name: t.script(screen.cohort.name), code: screen.cohort.code,
            when: "\(t.dateTime(screen.session.starts))–\(screen.session.ends.timeOfDay)", url: screen.url, opens: t.dateTime(screen.opens),
            stamp: String(screen.window), window: String(screen.windowSeconds), evaluation_url: screen.evaluationURL)
        var response = pages.render("checkin_display", page, context: context)
        // The page (and with it the QR code) is renewed with every window, without JavaScript.
        response.headers[HTTPField.Name("Refresh")!] = String(screen.windowSeconds)
        return response
    }

    /// A QR code as SVG: one path of dark modules (numbers only, nothing from users).
    private static func image(_ url: String) throws -> Response {
        guard let qr = QRCode(url) else { throw WebError.notFound }
        let border = 4, size = qr.size + 2 * border
        var path = ""
        for row in 0..<qr.size {
            for column in 0..<qr.size where qr.isDark(row: row, column: column) {
                path += "M\(column + border) \(row + border)h1v1h-1z"
            }
        }
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" shape-rendering="crispEdges">\
            <rect width="\(size)" height="\(size)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: svg)))
    }

    struct ResultPage {
        let message: String
        let ok: Bool
    }

    private func record(_ context: WebContext) async throws -> Response {
        let t = context.localizer
        guard let number = context.principal?.personalNumber else { throw WebError.forbidden }
        let code = try context.parameters.require("code"), id = try sessionID(context), actor = try context.actor()
        func result(_ key: String, _ arguments: [String: String] = [:], ok: Bool, status: HTTPResponse.Status) -> Response {
            pages.render("checkin_result", ResultPage(message: t(key, arguments), ok: ok), context: context, status: status)
        }
        switch try await offload({ try checkIn.checkIn(session: id, code: code, personalNumber: number, actor: actor) }) {
        case .notYourSession: throw WebError.notFound
        case .expired: return result("web.checkin.expired", ok: false, status: .gone)
        case .notYetOpen(let opens): return result("web.checkin.not_open", ["opens": t.dateTime(opens)], ok: false, status: .conflict)
        case .closed: return result("web.checkin.closed", ok: false, status: .gone)
        case .already(let status): return result("web.checkin.already", ["status": t("attendance.status.\(status.rawValue)")], ok: true, status: .ok)
        case .recorded(let late, let at):
            return result(late ? "web.checkin.late" : "web.checkin.present", ["time": at.timeOfDay], ok: true, status: .ok)
        }
    }
}
