import Foundation
import HTTPTypes
import Hummingbird
import Localization
import TrainingCore
import TrainingOffice

/// The administrator's outbox: what was queued for whom, its state and the relay's answer (never the text), a retry;
/// every view logged as a read of the recipients' data. Page and API routes side by side.
struct OutboxController {
    let mail: MailDesk
    let pages: Pages
    let readLog: ReadAccessLog

    static let limit = 100

    func register(on routes: RouteTable) {
        routes.get("/admin/outbox", .administer) { request, context in
            let offset = try Page<OutboxDTO>.integer(request, "offset", Paging.offset, default: 0, context)
            let rows = try mail.outbox(limit: Self.limit, offset: offset)
            await readLog.record(context, what: "outbox", subjects: rows.compactMap(\.personalNumber))
            return try page(rows, offset: offset, context, notice: context.localizer.notice(request))
        }
        routes.post("/admin/outbox/{id}/retry", .administer) { _, context in
            try await retry(context)
            return .seeOther("/admin/outbox?notice=mail_retried")
        }
        let api = APIController.prefix
        routes.get("\(api)/outbox", .administer) { request, context in
            let limit = try Page<OutboxDTO>.integer(request, "limit", Paging.limit, default: 50, context)
            let offset = try Page<OutboxDTO>.integer(request, "offset", Paging.offset, default: 0, context)
            let rows = try mail.outbox(limit: limit, offset: offset)
            await readLog.record(context, what: "api.outbox", subjects: rows.compactMap(\.personalNumber))
            let counts = try mail.counts()
            return try APIJSON.response(OutboxPageDTO(items: rows.map(OutboxDTO.init), total: counts.queued + counts.sent + counts.failed,
                                                      limit: limit, offset: offset))
        }
        routes.post("\(api)/outbox/{id}/retry", .administer) { _, context in
            try await retry(context)
            return try APIJSON.response(["queued": true])
        }
    }

    private func retry(_ context: WebContext) async throws {
        guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
        let actor = try context.actor()
        try await offload { try mail.retry(id: id, actor: actor) }
    }

    struct OutboxPage {
        struct Row {
            let id, queued, recipient, kind, state, state_code, attempts, answer: String
            let retry: Bool
        }
        let rows: [Row]
        let summary: String
        let configured: Bool
        let next: String?
    }

    private func page(_ rows: [OutboxRow], offset: Int, _ context: WebContext, notice: String?) throws -> Response {
        let t = context.localizer
        let counts = try mail.counts()
        let configured = (try? mail.settings()) != nil
        let page = OutboxPage(
            rows: rows.map { row in
                .init(id: String(row.id), queued: AuditTimestamp.date(row.createdAt).map { t.dateTime(Clock.district($0)) } ?? row.createdAt,
                      recipient: "\(t.script(row.recipientName)) <\(row.recipientEmail)>", kind: t("mail.kind.\(row.kind)"),
                      state: t("mail.state.\(row.state.rawValue)"), state_code: row.state.rawValue, attempts: String(row.attempts),
                      answer: row.lastError ?? "–", retry: row.state != .sent)
            },
            summary: t(configured ? "status.mail" : "status.mail.not_configured", [
                "queued": DecimalText.count(counts.queued), "retrying": DecimalText.count(counts.retrying),
                "failed": DecimalText.count(counts.failed), "sent": DecimalText.count(counts.sent),
            ]),
            configured: configured,
            next: rows.count == Self.limit ? "/admin/outbox?offset=\(offset + Self.limit)" : nil)
        return pages.render("admin_outbox", page, context: context, notice: notice)
    }
}

/// A queued message's metadata: never its text.
struct OutboxDTO: Encodable {
    var id: Int64
    var kind, recipientName, recipientEmail, state, queuedAt: String
    var attempts: Int
    var lastError, sentAt: String?

    init(_ row: OutboxRow) {
        id = row.id; kind = row.kind; recipientName = row.recipientName; recipientEmail = row.recipientEmail; state = row.state.rawValue
        queuedAt = row.createdAt; attempts = row.attempts; lastError = row.lastError; sentAt = row.sentAt
    }
}

struct OutboxPageDTO: Encodable {
    var items: [OutboxDTO]
    var total, limit, offset: Int
}
