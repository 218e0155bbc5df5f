import CurriculumXML
import Foundation
import SafeXML
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

@Suite struct ShippedProgramTests {
    let file: ProgramFile

    init() throws {
        file = try makeLoader().load(contentsOf: Paths.shippedProgram, knownDepartments: departments)
    }

    @Test func declaresTheDiasporaProgramWithThreeModules() {
        let program = file.program
        #expect(program.id == "dijaspora-2022")
        #expect(program.year == 2022)
        #expect(program.serialCode == "DIJ")
        #expect(program.provider == DepartmentCode("EIMS"))
        #expect(program.modules.map(\.order) == [1, 2, 3])
        #expect(program.completion == CompletionRule(attendancePercent: 80, excused: .absent, finalPass: 60))
        #expect(abs(program.assessments.map(\.weight).reduce(0, +) - 1) < 1e-9)
    }

    @Test func moduleThreeIsUslugeDijasporiWithAllSevenTopics() throws {
        let module = try #require(file.program.modules.last)
        #expect(module.title.text(in: .bosnian) == "Usluge dijaspori")
        #expect(module.title.text(in: .serbianCyrillic) == "Услуге дијаспори")
        #expect(module.topics.count == 7)
        let topics = module.topics.map { $0.text.text(in: .bosnian).lowercased() }
        for fragment in ["lokalnom nivou", "zemlji porijekla", "maternjem jeziku", "online platform", "interes",
                         "udruženjima migranata", "identiteta"] {
            #expect(topics.contains { $0.contains(fragment) }, "no topic about \(fragment)")
        }
    }

    @Test func kljucCaseStudyCarriesItsReportedFigures() throws {
        let caseStudy = try #require(file.program.modules.last?.caseStudies.first)
        #expect(caseStudy.title.text(in: .bosnian).contains("Ključ"))
        #expect(Set(caseStudy.figures.map(\.value)) == [9_680, 256, 785, 27, 10_171, 9])
    }

    @Test func everyTextIsInFiveLanguages() {
        var texts: [LocalizedText] = [file.program.title]
        for module in file.program.modules {
            texts.append(module.title)
            texts += module.topics.map(\.text) + module.outcomes.map(\.text)
            for caseStudy in module.caseStudies { texts += [caseStudy.title, caseStudy.text] + caseStudy.figures.map(\.label) }
        }
        for text in texts { #expect(Set(text.values.keys) == Set(Language.allCases), "\(text)") }
    }

    @Test func cyrillicIsTheTransliterationOfSerbianLatinEverywhere() throws {
        let parser = SafeXMLParser(schema: try XMLSchema(contentsOf: Paths.schemaFolder.appendingPathComponent("curriculum-1.xsd")))
        let root = try parser.parse(contentsOf: Paths.shippedProgram, displayName: "dijaspora-2022.xml")
        var pairs = 0
        func walk(_ element: XMLElement) {
            let byLanguage = Dictionary(grouping: element.children.filter { $0["xml:lang"] != nil }) { "\($0.name)|\($0["xml:lang"]!)" }
            for (key, latin) in byLanguage where key.hasSuffix("|sr-Latn") {
                let name = String(key.dropLast("|sr-Latn".count))
                let cyrillic = byLanguage["\(name)|sr-Cyrl"]?.first?.collapsedText
                #expect(cyrillic == SerbianTransliteration.latinToCyrillic(latin[0].collapsedText), "line \(latin[0].line)")
                pairs += 1
            }
            element.children.forEach(walk)
        }
        walk(root)
        #expect(pairs > 30)
    }

    @Test func roundTripsThroughTheStore() throws {
        let database = try AppDatabase.inMemory()
        let outcome = try office(database).curriculum.load([file], actor: Actor("test:runner")!)
        #expect(outcome == [.added(programID: "dijaspora-2022", version: 1)])
        let stored = try office(database).curriculum.program("dijaspora-2022")
        #expect(stored.program == file.program)
        #expect(stored.sha256 == sha256Hex(try Data(contentsOf: Paths.shippedProgram)))
    }
}

@Suite struct ProgramStoreTests {
    @Test func theSameFileAgainIsANoOp() throws {
        let database = try AppDatabase.inMemory()
        let file = try makeLoader().load(contentsOf: Paths.shippedProgram, knownDepartments: departments)
        _ = try office(database).curriculum.load([file], actor: Actor("test:runner")!)
        let again = try office(database).curriculum.load([file], actor: Actor("test:runner")!)
        #expect(again == [.unchanged(programID: "dijaspora-2022", version: 1)])
        #expect(try office(database).administration.auditEvents().count == 1)
    }

    @Test func aChangedFileWithTheSameVersionIsRefused() throws {
        let database = try AppDatabase.inMemory()
        let loader = try makeLoader()
        _ = try office(database).curriculum.load([try loader.load(contentsOf: Paths.shippedProgram, knownDepartments: departments)], actor: Actor("test:runner")!)
        let changed = TemporaryFile()
        let text = try String(contentsOf: Paths.shippedProgram, encoding: .utf8)
            .replacingOccurrences(of: #"hours="8""#, with: #"hours="6""#)
        try text.write(to: changed.url, atomically: true, encoding: .utf8)
        let file = try loader.load(contentsOf: changed.url, displayName: "changed.xml", knownDepartments: departments)
        #expect(throws: CurriculumStoreError.changedVersion(file: "changed.xml", programID: "dijaspora-2022", version: 1)) {
            try office(database).curriculum.load([file], actor: Actor("test:runner")!)
        }
        #expect(try office(database).curriculum.program("dijaspora-2022").program.modules.allSatisfy { $0.hours == 8 })
    }

    @Test func aLoadIsAllOrNothing() throws {
        let database = try AppDatabase.inMemory()
        let loader = try makeLoader()
        let minimal = try loader.load(contentsOf: Paths.good("minimal.xml"), knownDepartments: departments)
        var clash = minimal
        clash.source += "\n<!-- another file with the same id and version -->"
        clash.file = "other.xml"
        #expect(throws: CurriculumStoreError.self) {
            try office(database).curriculum.load([minimal, clash], actor: Actor("test:runner")!)
        }
        #expect(try office(database).curriculum.programs().isEmpty)
        #expect(try office(database).administration.auditEvents().isEmpty)
    }

    @Test func storedProgramsCannotBeEdited() throws {
        let database = try AppDatabase.inMemory()
        let file = try makeLoader().load(contentsOf: Paths.good("minimal.xml"), knownDepartments: departments)
        _ = try office(database).curriculum.load([file], actor: Actor("test:runner")!)
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "UPDATE module SET hours = 1") }
        }
    }
}
