import Certificates
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingStore

/// Check-in codes: an HMAC of the session and the current time window, so the QR code on the screen changes
/// every window; the previous window still counts (a slow phone), anything older does not (a forwarded photo).
struct CheckInCodes: Sendable {
    /// The HMAC key's bytes (SymmetricKey itself is not Sendable).
    let keyData: Data
    /// Seconds per window (30; `OBUKA_CHECKIN_WINDOW` shortens it for tests).
    let window: Int64

    /// The key lives in the data directory (`keys/checkin.key`), made at first use and readable only by its owner.
    static func load(dataDirectory: URL, window: Int64) throws -> CheckInCodes {
        let folder = dataDirectory.appendingPathComponent("keys", isDirectory: true)
        let file = folder.appendingPathComponent("checkin.key")
        if let data = FileManager.default.contents(atPath: file.path), data.count == 32 {
            return CheckInCodes(keyData: data, window: window)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return CheckInCodes(keyData: data, window: window)
    }

    func code(session: Int64, at date: Date) -> String { code(session: session, window: windowIndex(date)) }

    func windowIndex(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970) / window }

    private func code(session: Int64, window: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("checkin:\(session):\(window)".utf8), using: SymmetricKey(data: keyData))
        return hexString(Data(mac).prefix(10))
    }

    /// Whether a code is the current window's or the previous one's.
    func isValid(_ code: String, session: Int64, at date: Date) -> Bool {
        let current = windowIndex(date)
        return [current, current - 1].contains { self.code(session: session, window: $0) == code }
    }
}

/// QR self check-in: the coordinator shows a changing code; a signed-in trainee who opens it is marked
/// present (or late) with the minutes counted from arrival.
struct CheckInController {
    let services: WebServices
    let codes: CheckInCodes
    var database: AppDatabase { services.database }

    func register(on routes: RouteTable) {
        routes.get("/sessions/{id}/checkin", .recordAttendance) { _, context in try display(context) }
        routes.get("/sessions/{id}/checkin.svg", .recordAttendance) { _, context in try image(context) }
        routes.get("/checkin/{id}/{code}", .viewOwnProgress) { _, context in try checkIn(context) }
    }

    private func session(_ context: WebContext) throws -> ScheduledSession {
        guard let id = context.parameters.get("id").flatMap(Int64.init), let session = try? database.session(SessionID(rawValue: id)),
              !session.cancelled else { throw WebError.notFound }
        return session
    }

    private func url(_ session: ScheduledSession) -> String {
        "\(services.office.publicURL)/checkin/\(session.id.rawValue)/\(codes.code(session: session.id.rawValue, at: services.clock()))"
    }

    private func display(_ context: WebContext) throws -> Response {
        let session = try session(context)
        let t = context.localizer
        let cohort = try database.cohort(code: session.cohortCode)
        let opens = session.starts.adding(minutes: -CheckInRule.opensBefore)
        var response = services.pages.render("checkin_display", [
            "id": String(session.id.rawValue), "name": cohort.name, "code": cohort.code,
            "when": "\(t.dateTime(session.starts))–\(session.ends.timeOfDay)", "url": url(session),
            "opens": t.dateTime(opens), "stamp": String(codes.windowIndex(services.clock())), "window": String(codes.window),
        ], context: context)
        // The page (and with it the QR code) is renewed with every window, without JavaScript.
        response.headers[HTTPField.Name("Refresh")!] = String(codes.window)
        return response
    }

    /// The QR code as SVG: one path of dark modules (numbers only, nothing from users).
    private func image(_ context: WebContext) throws -> Response {
        let session = try session(context)
        guard let qr = QRCode(url(session)) else { throw WebError.notFound }
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

    private func checkIn(_ context: WebContext) throws -> Response {
        let t = context.localizer
        guard let number = context.principal?.personalNumber else { throw WebError.forbidden }
        let code = try context.parameters.require("code")
        let session = try session(context)
        guard try database.participants(session: session.id).contains(where: { $0.personalNumber == number }) else {
            throw WebError.notFound
        }
        func result(_ key: String, _ arguments: [String: String] = [:], ok: Bool, status: HTTPResponse.Status) -> Response {
            services.pages.render("checkin_result", ["message": t(key, arguments), "ok": ok], context: context, status: status)
        }
        guard codes.isValid(code, session: session.id.rawValue, at: services.clock()) else {
            return result("web.checkin.expired", ok: false, status: .gone)
        }
        let now = services.now()
        switch CheckInRule.outcome(arrival: now, starts: session.starts, ends: session.ends) {
        case .notYetOpen(let opens):
            return result("web.checkin.not_open", ["opens": t.dateTime(opens)], ok: false, status: .conflict)
        case .closed:
            return result("web.checkin.closed", ok: false, status: .gone)
        case .present(let minutes), .late(let minutes):
            if let existing = try database.attendance(session: session.id).first(where: { $0.person.personalNumber == number }),
               existing.status == .present || existing.status == .late {
                return result("web.checkin.already", ["status": t("attendance.status.\(existing.status.rawValue)")], ok: true, status: .ok)
            }
            let late: Bool
            if case .late = CheckInRule.outcome(arrival: now, starts: session.starts, ends: session.ends) { late = true } else { late = false }
            try database.recordAttendance(
                session: session.id,
                entries: [AttendanceEntry(personalNumber: number, status: late ? .late : .present, minutes: late ? minutes : nil,
                                          note: "QR \(now.timeOfDay)")],
                source: "qr", actor: try context.actor(), now: max(now, session.starts))
            return result(late ? "web.checkin.late" : "web.checkin.present", ["time": now.timeOfDay], ok: true, status: .ok)
        }
    }
}
