import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

@Suite struct DataGenerationTests {
    /// Every write of training data changes the generation in its own transaction; a rolled-back import, the
    /// read-access log and session expiry do not.
    @Test func onlyWritesOfDataChangeTheGeneration() throws {
        let database = try AppDatabase.inMemory()
        let actor = Actor("test:generation")!
        let start = try database.dataGeneration()
        let draft = PersonDraft(personalNumber: "77", givenName: "Ena", familyName: "Begić", sex: .female,
                                email: "77@uprava.example", department: DepartmentCode("EIMS"), jobTitle: nil)
        _ = try office(database).people.importDrafts([draft], file: "p.csv", sha256: String(repeating: "7", count: 64), actor: actor, dryRun: true)
        #expect(try database.dataGeneration() == start, "a dry run is rolled back")
        _ = try office(database).people.importDrafts([draft], file: "p.csv", sha256: String(repeating: "7", count: 64), actor: actor)
        let imported = try database.dataGeneration()
        #expect(imported != start)
        try database.recordReadAccesses([ReadAccess(at: "2026-11-25T10:00:00Z", actor: "web:sef", what: "progress", subject: "77")])
        #expect(try database.dataGeneration() == imported)
        try database.refreshSession(tokenSHA256: String(repeating: "a", count: 64), now: 1, idleExpiresAt: 2)
        #expect(try database.dataGeneration() == imported)
        _ = try office(database).people.transfer("77", to: DepartmentCode("DF"), actor: actor)
        #expect(try database.dataGeneration() != imported)
        // A write that fails leaves it as it was.
        let before = try database.dataGeneration()
        #expect(throws: (any Error).self) { try office(database).people.transfer("nema", to: DepartmentCode("DF"), actor: actor) }
        #expect(try database.dataGeneration() == before)
    }
}
