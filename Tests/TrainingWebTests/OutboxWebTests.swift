import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore
@testable import TrainingWeb

/// The administrator's outbox: the messages queued by the fixture's enrolments, metadata only, a failed one retried;
/// the read logged; nobody else may see it.
@Suite(.serialized) struct OutboxWebTests {
    @Test func anAdministratorSeesTheOutboxAndRetriesAFailedMessage() async throws {
        let fixture = try WebFixture()
        // The fixture enrolled 1001 and 2002: each was told. One message failed for good at the relay.
        try await fixture.database.writer.write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'failed', attempts = 8, last_error = '550 5.1.1 <a@uprava.example>: mailbox unknown'
                WHERE id = (SELECT MIN(id) FROM outbox)
                """)
        }
        let failed = try #require(try await fixture.database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM outbox") })
        try await withLiveApp(fixture) { client in
            var admin = WebClient(client)
            _ = try await admin.signIn("admin")
            let page = String(buffer: try await admin.get("/admin/outbox").body)
            #expect(page.contains("id=\"outbox\"") && page.contains("a@uprava.example") && page.contains("m@uprava.example"))
            #expect(page.contains("550 5.1.1") && page.contains("id=\"retry-\(failed)\""))
            #expect(page.contains("E-pošta nije podešena"))
            // Metadata only: never a message's text.
            #expect(!page.contains("Poštovani"))
            let retried = try await admin.post("/admin/outbox/\(failed)/retry", [])
            #expect(retried.status == .seeOther)
            #expect(try fixture.office().mail.outbox().first { $0.id == failed }?.state == .queued)
            #expect(try await admin.post("/admin/outbox/999999/retry", []).status == .notFound)
            // The view was logged as a read of the recipients' data.
            try await Task.sleep(for: .seconds(2.5))
            #expect(try fixture.office().privacy.export(person: "1001", reader: Actor("test:web")!).readAccesses
                .contains { $0.what == "outbox" && $0.actor == "account:admin" })
            // The API says the same.
            admin.bearer = try fixture.office().accounts.createToken(login: "admin", name: "t", actor: Actor("test:web")!).token
            let api = String(buffer: try await admin.get("/api/v1/outbox?limit=1").body)
            #expect(api.contains(#""total":2"#) && api.contains(#""limit":1"#) && !api.contains("Poštovani"))

            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            #expect(try await coordinator.get("/admin/outbox").status == .forbidden)
        }
    }
}
