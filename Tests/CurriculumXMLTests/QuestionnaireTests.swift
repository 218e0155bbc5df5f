import CurriculumXML
import Foundation
import Localization
import SafeXML
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

/// Questionnaires in curriculum schema 3: the District default as shipped, what the loader refuses (with file and
/// line), and a program naming one that is not there.
@Suite struct QuestionnaireTests {
    static let shipped = Paths.repositoryRoot.appendingPathComponent("Curriculum/upitnik-reakcija-modul.xml")
    static let etika = Paths.repositoryRoot.appendingPathComponent("Curriculum/etika-integritet-2026.xml")

    /// A version 3 copy of a shipped version 2 program, naming `questionnaire` on the program.
    static func programNaming(_ questionnaire: String?) throws -> String {
        var text = try String(contentsOf: etika, encoding: .utf8).replacingOccurrences(of: "urn:obuka:curriculum:2", with: "urn:obuka:curriculum:3")
        if let questionnaire {
            text = text.replacingOccurrences(of: #"serial-code="EIN""#, with: #"serial-code="EIN" questionnaire="\#(questionnaire)""#)
        }
        return text
    }

    /// A short questionnaire: a scale item and a choice, with the texts of `languages` only (the scale's question
    /// in `scaleLanguages` when given).
    static func questionnaire(id: String = "kratki", languages: [String] = ["bs", "hr", "sr-Latn", "sr-Cyrl", "en"],
                              scaleLanguages: [String]? = nil, secondID: String = "Q2") -> String {
        func texts(_ tag: String, _ words: String, _ langs: [String]) -> String {
            langs.map { "<\(tag) xml:lang=\"\($0)\">\(words) \($0)</\(tag)>" }.joined(separator: "\n")
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <questionnaire xmlns="urn:obuka:curriculum:3" id="\(id)" version="1">
            \(texts("title", "Kratki upitnik", languages))
            <scale id="Q1">
            \(texts("text", "Modul je bio koristan", scaleLanguages ?? languages))
            </scale>
            <choice id="\(secondID)">
            \(texts("text", "Trajanje", languages))
            <option id="a">\(texts("text", "kratko", languages))</option>
            <option id="b">\(texts("text", "dugo", languages))</option>
            </choice>
            <open id="Q3">\(texts("text", "Prijedlozi", languages))</open>
            </questionnaire>
            """
    }

    @Test func theDistrictDefaultReadsInEveryLanguageWithItsItemsInOrder() throws {
        guard case .questionnaire(let file) = try makeLoader().document(contentsOf: Self.shipped, knownDepartments: departments) else {
            Issue.record("the shipped questionnaire read as a program")
            return
        }
        let questionnaire = file.questionnaire
        #expect(questionnaire.id == QuestionnaireRules.districtDefault && questionnaire.version == 1)
        #expect(questionnaire.items.map(\.id) == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"])
        #expect(questionnaire.completeLanguages == Set(Language.allCases))
        #expect(questionnaire.items[0].required && !questionnaire.items[7].required)
        guard case .choice(let options) = questionnaire.items[5].kind else { Issue.record("Q6 is not a choice"); return }
        #expect(options.map(\.id) == ["kratko", "dobro", "dugo"])
        guard case .scale(let low, let high) = questionnaire.items[0].kind else { Issue.record("Q1 is not a scale"); return }
        #expect(low?.text(in: .serbianCyrillic) == "Уопште се не слажем" && high?.text(in: .english) == "Strongly agree")
        #expect(questionnaire.title.text(in: .serbianCyrillic) == "Оцјена модула")
        // Through the program reader it is refused as not a program, at its root's line.
        #expect(throws: XMLDiagnostics.self) {
            _ = try makeLoader().load(contentsOf: Self.shipped, knownDepartments: departments)
        }
    }

    @Test func aQuestionnaireLackingALanguageOfTheProgramsTitleIsRefusedAtItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-q-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.programNaming("kratki").write(to: folder.appendingPathComponent("etika.xml"), atomically: true, encoding: .utf8)
        // The scale's question (line 5) lacks English, in which the program's title is given.
        let text = Self.questionnaire(scaleLanguages: ["bs", "hr", "sr-Latn", "sr-Cyrl"])
        try text.write(to: folder.appendingPathComponent("kratki.xml"), atomically: true, encoding: .utf8)
        let reading = try CurriculumIntake.validate([folder], home: HomeDirectory(url: Paths.repositoryRoot), language: .english)
        let problem = try #require(reading.problems.first)
        #expect(reading.problems.count == 1, "\(reading.problems.map(\.description))")
        let scaleLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(#"<scale id="Q1">"#) }! + 1
        #expect(problem.file.hasSuffix("kratki.xml") && problem.line == scaleLine)
        #expect(problem.message.contains("en") && problem.message.contains("etika-integritet-2026") && problem.message.contains("kratki"))
        // With English the two read cleanly, and the program names its questionnaire.
        try Self.questionnaire().write(to: folder.appendingPathComponent("kratki.xml"), atomically: true, encoding: .utf8)
        let clean = try CurriculumIntake.validate([folder], home: HomeDirectory(url: Paths.repositoryRoot), language: .english)
        #expect(clean.problems.isEmpty && clean.questionnaires.count == 1)
        #expect(clean.files.first?.program.questionnaires?.program == "kratki")
    }

    @Test func anItemIdTwiceIsRefusedByTheSchemaConstraints() throws {
        let file = TemporaryFile()
        try Self.questionnaire(secondID: "Q1").write(to: file.url, atomically: true, encoding: .utf8)
        #expect(throws: XMLDiagnostics.self) {
            _ = try makeLoader().document(contentsOf: file.url, knownDepartments: departments)
        }
        let verdicts = try makeLoader().validityVerdicts(Data(contentsOf: file.url))
        #expect(verdicts.map { [$0.streamed, $0.tree] } == [false, false])
    }

    @Test func aProgramNamingAnUnknownQuestionnaireIsNotStoredAndAKnownOneIs() throws {
        let database = try AppDatabase.inMemory()
        let loader = try makeLoader()
        guard case .program(let program) = try loader.document(Data(try Self.programNaming("nepoznati").utf8), displayName: "etika.xml",
                                                               knownDepartments: departments) else { Issue.record("not a program"); return }
        #expect(throws: CurriculumStoreError.unknownQuestionnaire(file: "etika.xml", programID: "etika-integritet-2026",
                                                                  questionnaire: "nepoznati")) {
            _ = try office(database).curriculum.load([program], actor: Actor("test:q")!)
        }
        #expect(try database.programs().isEmpty)
        guard case .questionnaire(let questionnaire) = try loader.document(Data(Self.questionnaire(id: "nepoznati").utf8), displayName: "q.xml",
                                                                           knownDepartments: departments) else { Issue.record("not a questionnaire"); return }
        _ = try office(database).curriculum.load([program], questionnaires: [questionnaire], actor: Actor("test:q")!)
        #expect(try database.programs().map(\.program.id) == ["etika-integritet-2026"])
        // Stored questionnaire versions never change.
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "UPDATE questionnaire SET title_bs = 'x'") }
        }
    }

    // MARK: Pre-tests

    static let pretestProgram = Paths.repositoryRoot.appendingPathComponent("Curriculum/zastita-podataka-2026-v2.xml")

    @Test func theShippedPretestVersionMarksAPretestBeforeEachModuleWithNoWeight() throws {
        let program = try makeLoader().load(contentsOf: Self.pretestProgram, knownDepartments: departments).program
        #expect(program.version == 2)
        #expect(program.assessments.filter(\.isPretest).map(\.id) == ["M1-P", "M2-P", "M3-P"])
        #expect(program.assessments.filter(\.isPretest).allSatisfy { $0.weight == 0 && !$0.required })
        #expect(program.countedAssessments.map(\.id) == ["M1-T", "M2-T", "M3-T"])
        #expect(program.modules.compactMap { LearningGain.comparison(in: $0).map { "\($0.pretest.id)>\($0.test.id)" } }
            == ["M1-P>M1-T", "M2-P>M2-T", "M3-P>M3-T"])
    }

    @Test func aPretestThatWouldCountOrHasNoTestToCompareWithIsRefusedAtItsLine() throws {
        let text = try String(contentsOf: Self.pretestProgram, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(_ marker: String) -> Int { lines.firstIndex { $0.contains(marker) }! + 1 }
        // Required, the M1 pre-test would decide completion.
        let required = text.replacingOccurrences(of: #"weight="0" pretest="true""#, with: #"weight="0" required="true" pretest="true""#)
        let first = try #require(Self.problems(required).first)
        #expect(first.line == line(#"<assessment id="M1-P""#) && first.message.contains("M1-P"))
        #expect(try Self.problems(required).count == 3)
        // Module 3's test made oral: its pre-test has nothing to be compared with.
        let oral = text.replacingOccurrences(of: #"<assessment id="M3-T" kind="test""#, with: #"<assessment id="M3-T" kind="oral""#)
        let problems = try Self.problems(oral)
        #expect(problems.count == 1 && problems[0].line == line(#"<module id="M3""#) && problems[0].message.contains("M3-P"))
    }

    /// What the loader refuses in a program's text.
    static func problems(_ text: String) throws -> [XMLDiagnostic] {
        do {
            _ = try makeLoader().load(Data(text.utf8), displayName: "zastita-2.xml", knownDepartments: departments)
            return []
        } catch let diagnostics as XMLDiagnostics {
            return diagnostics.items
        }
    }
}
