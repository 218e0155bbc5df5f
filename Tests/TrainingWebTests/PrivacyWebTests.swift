import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
import TrainingStore
@testable import TrainingWeb

@Suite(.serialized) struct PrivacyWebTests {
    @Test func readsOfAnotherPersonAreLoggedInBatchesButATraineesOwnAreNot() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            try await coordinator.signIn("koordinator")
            #expect(try await coordinator.get("/people/1001").status == .ok)
            #expect(try await coordinator.get("/cohorts/W1/progress").status == .ok)
            // The same page read again before the batch is written is written once.
            #expect(try await coordinator.get("/people/1001").status == .ok)
            // Not written per view: nothing yet (the batch waits two seconds; checked before the slow sign-ins below, which
            // under load took longer than that); the admin's export flushes the batch and lists it.
            #expect(try fixture.database.readAccesses(subject: "1001").isEmpty)
            var trainee = WebClient(client)
            try await trainee.signIn("polaznik")
            #expect(try await trainee.get("/my").status == .ok)
            var admin = WebClient(client)
            try await admin.signIn("admin")
            let export = try await admin.get("/admin/privacy/1001/export.json")
            #expect(export.status == .ok && export.headers[.contentType] == "application/json")
            let document = try JSONSerialization.jsonObject(with: Data(buffer: export.body)) as! [String: Any]
            let reads = (document["read_accesses"] as! [[String: Any]]).map { "\($0["actor"]!) \($0["what"]!)" }
            #expect(reads.contains("account:koordinator person") && reads.contains("account:koordinator cohort.progress"))
            #expect(reads.filter { $0 == "account:koordinator person" }.count == 1)
            #expect(!reads.contains { $0.hasPrefix("account:polaznik") })
            #expect(try fixture.database.readAccesses(subject: "1001").contains { $0.actor == "account:admin" && $0.what == "privacy.export" })
            // Read again after the batch was written: written again.
            #expect(try await coordinator.get("/people/1001").status == .ok)
            let again = try await admin.get("/admin/privacy/1001/export.json")
            let readsAgain = (try JSONSerialization.jsonObject(with: Data(buffer: again.body)) as! [String: Any])["read_accesses"] as! [[String: Any]]
            #expect(readsAgain.filter { "\($0["actor"]!) \($0["what"]!)" == "account:koordinator person" }.count == 2)
            // The trainee exports their own data (not logged as a read of another person).
            let own = try await trainee.get("/my/export.pdf")
            #expect(own.status == .ok && own.headers[.contentType] == "application/pdf")
            #expect(try await trainee.get("/admin/privacy/2002/export.json").status == .forbidden)
        }
    }
}
