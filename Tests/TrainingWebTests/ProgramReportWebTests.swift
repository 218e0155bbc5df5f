import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrainingCore
import TrainingStore
@testable import TrainingWeb

@Suite(.serialized) struct ProgramReportWebTests {
    /// The cells of a report CSV's rows (its cells hold no `";"`).
    static func rows(_ csv: String) -> [[String]] {
        csv.components(separatedBy: "\r\n").map { line in
            line.split(separator: ";", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}"))
            }
        }
    }

    /// Coordinators read every department side by side, each with the figures of its own department report;
    /// department heads, who read their own department only, are refused and are not offered the form.
    @Test func coordinatorsReadEveryDepartmentSideBySide() async throws {
        let fixture = try WebFixture()
        try await withLiveApp(fixture) { client in
            var coordinator = WebClient(client)
            _ = try await coordinator.signIn("koordinator")
            #expect(String(buffer: try await coordinator.get("/reports").body).contains("id=\"program-report-form\""))
            let period = "from=2026-01-01&to=2026-11-25&lang=en"
            let csv = try await coordinator.get("/reports/program?\(period)&format=csv")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.contains("izvjestaj-program-svi-2026-01-01-2026-11-25.csv") == true)
            let rows = Self.rows(String(buffer: csv.body))
            #expect(rows.first { $0.first == "Department" } == ["Department", "Headcount", "Enrolled", "Completed",
                                                                "Completion rate", "Average attendance",
                                                                "Training hours delivered"])
            // Every department has its row, those that trained no one too, with the figures of its own report.
            for department in try fixture.office().administration.departments() {
                let code = department.code.rawValue
                let row = try #require(rows.first { $0.first?.hasPrefix("\(code) – ") == true }, "\(code)")
                let own = Self.rows(String(buffer: try await coordinator.get("/reports/department/\(code)?\(period)&format=csv").body))
                func figure(_ name: String) -> String? { own.first { $0.first == name }?[1] }
                #expect(Array(row[1...3]) == [figure("Headcount"), figure("Enrolled"), figure("Completed")], "\(code)")
                #expect(row[6] == figure("Training hours delivered"), "\(code)")
            }
            let eims = try #require(rows.first { $0.first?.hasPrefix("EIMS – ") == true })
            #expect(Int(eims[2]) ?? 0 > 0, "EIMS has people in training")
            #expect(rows.contains { $0.count > 2 && $0[2] == "0" }, "a department without training is listed")

            let html = try await coordinator.get("/reports/program?\(period)")
            #expect(html.status == .ok && String(buffer: html.body).contains("<html lang=\"en\""))
            #expect(html.headers[.contentSecurityPolicy]?.contains("'sha256-") == true)
            let pdf = try await coordinator.get("/reports/program?\(period)&format=pdf&program=web-probni")
            #expect(pdf.headers[.contentType] == "application/pdf" && String(buffer: pdf.body).hasPrefix("%PDF"))
            #expect(try await coordinator.get("/reports/program?program=nema").status == .notFound)

            var head = WebClient(client)
            _ = try await head.signIn("sef")
            #expect(try await head.get("/reports/program?\(period)").status == .forbidden)
            #expect(!String(buffer: try await head.get("/reports").body).contains("program-report-form"))
        }
    }
}
