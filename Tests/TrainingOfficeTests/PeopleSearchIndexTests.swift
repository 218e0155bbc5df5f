import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// The people search answers from a trigram index (v33) where it can: it must find exactly whom reading every key
/// finds, after every kind of write to a person.
@Suite struct PeopleSearchIndexTests {
    @Test func theIndexedSearchFindsWhomEveryKeyRead() throws {
        let database = try AppDatabase.inMemory()
        let desk = office(database)
        _ = try desk.demo.generate(people: 150, seed: 23, actor: testActor)
        // Every write path to a person: a correction of the name, a transfer, an addition and an erasure.
        let people = try desk.people.list()
        let renamed = people[3]
        _ = try desk.people.correct(PersonDraft(personalNumber: renamed.personalNumber, givenName: renamed.givenName,
                                                familyName: "Đurđević-Hadžić", sex: renamed.sex, email: renamed.email,
                                                department: renamed.department, jobTitle: renamed.jobTitle), actor: testActor)
        _ = try desk.people.transfer(people[4].personalNumber, to: people[9].department, actor: testActor)
        _ = try desk.people.add(PersonDraft(personalNumber: "0909999", givenName: "Ana_Marija", familyName: "Stojanović 100%",
                                            sex: .female, email: "ana@uprava.example", department: people[0].department,
                                            jobTitle: nil), actor: testActor)
        let erased = people[5]
        _ = try desk.privacy.erase(person: erased.personalNumber, actor: testActor)

        // Pieces of stored keys of every length, and what a user types: another script, case, marks, LIKE's own
        // characters, a space, nothing found.
        var random = SystemRandomNumberGenerator()
        let keys = try database.writer.read { db in try String.fetchAll(db, sql: "SELECT search_key FROM person WHERE search_key <> ''") }
        var queries = ["hadzic", "ХАЏИЋ", "Đurđ", "ana_", "_m", "100%", "%", "\\", "ić st", "zz9q", "ana", "an", erased.familyName,
                       "a\"b", "\"\"\"", "ana OR ic", "NEAR(ana)", "ana*", "-ic", "ana:"]
        for _ in 0..<60 {
            let key = Array(try #require(keys.randomElement(using: &random)))
            let length = Int.random(in: 1...min(8, key.count), using: &random)
            let start = Int.random(in: 0...(key.count - length), using: &random)
            queries.append(String(key[start..<(start + length)]))
        }
        var indexedQueries = 0
        for query in queries {
            if AppDatabase.trigramPhrase(query) != nil { indexedQueries += 1 }
            let folded = BosnianCollation.searchKey(query)
            let expected = try database.writer.read { db in
                try Int64.fetchAll(db, sql: """
                    SELECT id FROM person WHERE erased_at IS NULL AND instr(search_key, ?) > 0 ORDER BY sort_key, id
                    """, arguments: [folded])
            }
            let found = try desk.people.list(PeopleListQuery(search: query, limit: 100))
            #expect(found.total == expected.count, "\(query)")
            #expect(found.items.map(\.id.rawValue) == Array(expected.prefix(100)), "\(query)")
        }
        #expect(indexedQueries > 30)
        #expect(try desk.people.list(PeopleListQuery(search: "Đurđević-Hadžić")).items.map(\.personalNumber) == [renamed.personalNumber])
        #expect(try desk.people.list(PeopleListQuery(search: erased.familyName)).items.allSatisfy { $0.personalNumber != erased.personalNumber })
        // The index holds what the table holds ('integrity-check' with rank 1 compares it with its content).
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO person_search (person_search, rank) VALUES ('integrity-check', 1)")
        }
    }
}
