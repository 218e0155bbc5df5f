import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrainingCore
import TrainingStore
@testable import TrainingWeb

/// Hostile requests are refused cleanly: nothing crashes, nothing partial is stored, nothing injected runs.
@Suite(.serialized) struct HostileHTTPTests {
    @Test func injectedTextIsStoredLiterallyAndRenderedEscaped() async throws {
        let fixture = try WebFixture()
        let script = "<script>alert('x')</script>"
        let sql = "Robert'); DROP TABLE person;--"
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            _ = try await web.get("/people")
            let added = try await web.post("/people", [("personal_number", "3003"), ("given_name", script), ("family_name", sql),
                                                       ("email", "x@uprava.example"), ("department", "EIMS"), ("job_title", "\"><img src=x onerror=alert(1)>")])
            #expect(added.status == .seeOther)
            let page = String(buffer: try await web.get("/people/3003").body)
            #expect(!page.contains(script) && page.contains("&lt;script&gt;"))
            #expect(!page.contains("<img src=x"))
            // A quote followed by a combining mark is one Swift Character: it is escaped all the same, so it cannot
            // end the attribute value it is shown in.
            let acute = "\u{301}", combining = "\"\(acute) autofocus onfocus=alert(2) x=\"\(acute)"
            let corrected = try await web.post("/people/3003", [("given_name", script), ("family_name", sql),
                                                                ("email", "x@uprava.example"), ("job_title", combining)])
            #expect(corrected.status == .seeOther)
            let correctedPage = String(buffer: try await web.get("/people/3003").body)
            let escaped = "value=\"&quot;\(acute) autofocus onfocus=alert(2) x=&quot;\(acute)\"", raw = "\"\(acute) autofocus"
            #expect(correctedPage.contains(escaped))
            #expect(!correctedPage.contains(raw))
            let list = String(buffer: try await web.get("/people").body)
            #expect(!list.contains(script) && list.contains("DROP TABLE"))
        }
        let stored = try fixture.office().people.person("3003")
        #expect(stored.givenName == script && stored.familyName == sql)
        #expect(try fixture.office().people.list().count == 3)
    }

    /// Every template, the web app's and the report's, names the byte-by-byte escaping on its first line: one
    /// without it would fall back to Mustache's own, which misses a quote before a combining mark.
    @Test func everyTemplateEscapesByteByByte() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources")
        let folder = sources.appendingPathComponent("TrainingWeb/Resources/templates")
        let templates = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "mustache" } + [sources.appendingPathComponent("Reports/Resources/report.mustache")]
        #expect(templates.count > 20)
        for template in templates {
            let text = try String(contentsOf: template, encoding: .utf8)
            #expect(text.hasPrefix("{{% CONTENT_TYPE: HTML_BYTES}}\n"), "\(template.lastPathComponent)")
        }
    }

    @Test func oversizedMalformedAndTraversingUploadsAreRefusedWithNothingStored() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var web = WebClient(client)
            try await web.signIn("koordinator")
            _ = try await web.get("/people")
            let cookie = web.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            func upload(_ body: String, boundary: String = "XyZ") async throws -> HTTPTestResponse {
                var headers = HTTPFields()
                headers[.cookie] = cookie
                headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                return try await client.executeRequest(uri: "/people/import", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            // Malformed multipart: no closing boundary, garbage parts.
            #expect(try await upload("--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(web.csrf)\r\n--XyZ\r\ngarbage").status.code < 500)
            #expect(try await upload("not multipart at all").status == .forbidden)
            // A path-traversing file name is reduced to its last part; a bad row stores nothing.
            let csv = "personal_number;given_name;family_name;sex;email;department;job_title\r\n4004;Ana;Anić;Ž;a@uprava.example;NEMA;\r\n"
            let traversal = try await upload("""
                --XyZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n\(web.csrf)\r\n\
                --XyZ\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n\
                --XyZ--\r\n
                """)
            #expect(traversal.status == .unprocessableContent)
            let page = String(buffer: traversal.body)
            #expect(page.contains("passwd") && !page.contains("../"))
            // Over the 10 MB upload limit: refused before anything is read into the store.
            var headers = HTTPFields()
            headers[.cookie] = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 11 * 1024 * 1024)
            #expect(try await client.executeRequest(uri: "/people", method: .post, headers: headers, body: huge).status == .contentTooLarge)
            // An overlong header does not crash the server; the next request is served.
            var long = HTTPFields()
            long[HTTPField.Name("X-Long")!] = String(repeating: "x", count: 64 * 1024)
            _ = try? await client.executeRequest(uri: "/login", method: .get, headers: long, body: nil)
        }
        // A fresh server on the same data: nothing of the above was stored.
        try await withLiveApp(fixture) { client in
            let response = try await client.executeRequest(uri: "/login", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
        }
        #expect(try fixture.office().people.list().count == 2)
        let recent = try fixture.office().administration.auditEvents(limit: 5).map(\.action)
        #expect(!recent.contains("people.import"))
    }
}
