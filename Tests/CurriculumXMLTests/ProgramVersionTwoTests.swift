import CurriculumXML
import Foundation
import SafeXML
import Testing
import TrainingCore
import TrainingStore

/// Version 2 of the diaspora program holds to its two public sources: what it marks as sourced is quoted verbatim from
/// the texts in `Curriculum/sources/`, everything else says it is reconstructed or illustrative.
@Suite struct ProgramVersionTwoTests {
    let program: Program

    init() throws {
        program = try makeLoader().load(contentsOf: Paths.programVersionTwo, knownDepartments: departments).program
    }

    /// A source's text as the test compares it: whitespace runs collapsed to one space, as XML tokens are.
    static func sourceText(_ source: ProgramSource) throws -> String {
        let file = try #require(source.file, "source \(source.id) names no file")
        #expect(!file.contains("/"), "a source file is a name in Curriculum/sources/")
        let text = try String(contentsOf: Paths.sources.appendingPathComponent(file), encoding: .utf8)
        return collapsed(text)
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `quote` is a verbatim passage of `text`; a quotation may capitalise its first letter.
    static func isQuoted(_ quote: String, in text: String) -> Bool {
        let quote = collapsed(quote)
        guard let first = quote.first else { return false }
        let rest = quote.dropFirst()
        return [first.lowercased() + rest, first.uppercased() + rest].contains { text.contains($0) }
    }

    /// Every sourced text of the program (its Bosnian text or, for a title in the nominative, its declared quote), each
    /// with the source it cites and where it sits.
    func sourcedTexts() -> [(element: String, source: String, text: String)] {
        var texts: [(String, String, String)] = []
        func add(_ element: String, _ provenance: Provenance?, _ text: String?) {
            guard let source = provenance?.sourceID, let text else { return }
            texts.append((element, source, text))
        }
        add("program", program.provenance, program.titleQuote)
        add("goal", program.goalProvenance, program.goal?.values[.bosnian])
        for module in program.modules {
            add(module.id, module.provenance, module.title.values[.bosnian])
            add("\(module.id) description", module.description?.provenance, module.description?.text.values[.bosnian])
            for item in module.topics + module.outcomes { add(item.id, item.provenance, item.text.values[.bosnian]) }
            for study in module.caseStudies {
                add(study.id, study.provenance, study.title.values[.bosnian])
                for (index, paragraph) in (study.paragraphs ?? []).enumerated() {
                    add("\(study.id) paragraph \(index + 1)", paragraph.provenance, paragraph.text.values[.bosnian])
                }
                for period in study.periods ?? [] { add(period.id, period.provenance, period.text.values[.bosnian]) }
                for figure in study.figures {
                    add(figure.key, figure.provenance, figure.label.values[.bosnian].map { "\(DecimalText.count(figure.value)) \($0)" })
                    add("\(figure.key) context", figure.provenance, figure.context?.values[.bosnian])
                }
            }
        }
        return texts
    }

    @Test func everySourcedTextIsAVerbatimPassageOfTheSourceItCites() throws {
        let texts = sourcedTexts()
        #expect(texts.count >= 30, "\(texts.count) sourced texts")
        var sources: [String: String] = [:]
        for source in program.sources ?? [] { sources[source.id] = try Self.sourceText(source) }
        for (element, sourceID, text) in texts {
            let source = try #require(sources[sourceID], "\(element) cites an undeclared source \(sourceID)")
            #expect(Self.isQuoted(text, in: source), "\(element) is not verbatim in \(sourceID): \(text)")
        }
    }

    @Test func theCheckCatchesAChangedWord() throws {
        // The comparison itself can fail: the old paraphrase of the office's name and a topic missing its word do.
        let kljuc = try Self.sourceText(try #require(program.source("kljuc-2019")))
        let brcko = try Self.sourceText(try #require(program.source("brcko-2022")))
        #expect(!Self.isQuoted("Kancelarija za dijasporu", in: kljuc))
        #expect(Self.isQuoted("Ured za dijasporu", in: kljuc))
        #expect(!Self.isQuoted("Identifikovanje i implementaciju usluga dijaspori na lokalnom nivou", in: brcko))
        #expect(Self.isQuoted("Identifikovanje i implementaciju potrebnih usluga dijaspori na lokalnom nivou", in: brcko))
    }

    @Test func everyStatementCarriesAProvenance() {
        #expect(program.declaresProvenance)
        #expect(program.goalProvenance != nil && program.completionProvenance != nil && program.validityProvenance != nil)
        for module in program.modules {
            #expect(module.provenance != nil, "\(module.id)")
            for item in module.topics + module.outcomes { #expect(item.provenance != nil, "\(item.id)") }
            for assessment in module.assessments { #expect(assessment.provenance != nil, "\(assessment.id)") }
            for study in module.caseStudies {
                #expect(study.provenance != nil)
                for figure in study.figures { #expect(figure.provenance != nil, "\(figure.key)") }
            }
        }
        // What the sources do not give is never passed off as theirs.
        #expect(program.completionProvenance?.isSourced == false)
        #expect(program.validityProvenance?.isSourced == false)
        #expect(program.modules.filter { $0.provenance?.isSourced == true }.map(\.id) == ["M3"])
        #expect(program.modules.flatMap(\.outcomes).allSatisfy { $0.provenance?.isSourced == false })
        #expect(program.assessments.allSatisfy { $0.provenance == .illustrative })
    }

    @Test func theSixKljucFiguresCarryTheirPeriodAndWhetherTheyAreEstimates() throws {
        let study = try #require(program.modules.last?.caseStudies.first)
        let kljuc = try Self.sourceText(try #require(program.source("kljuc-2019")))
        let figures = Dictionary(uniqueKeysWithValues: study.figures.map { ($0.value, $0) })
        #expect(Set(figures.keys) == [9680, 256, 785, 27, 10171, 9])
        for (value, figure) in figures {
            let written = DecimalText.count(value)
            #expect(kljuc.contains(written + " "), "\(written) is not in the source")
            let period = try #require(study.period(of: figure), "\(written) has no period")
            #expect(period.year == 2019)
            #expect(Self.isQuoted(try #require(period.text.values[.bosnian]), in: kljuc))
            // The source says "procijenjeno je da 10.171 član dijaspore sluša": an estimate; the others are counts.
            #expect(figure.isEstimate == (value == 10171), "\(written)")
        }
        #expect(study.period(of: figures[9680]!)?.text.values[.bosnian] == "U prethodnih 12 mjeseci")
        #expect(DecimalText.count(9680) == "9.680" && DecimalText.count(10171) == "10.171" && DecimalText.count(256) == "256")
    }

    @Test func theOfficeIsTheUredZaDijasporuInEveryLatinLanguage() throws {
        let study = try #require(program.modules.last?.caseStudies.first)
        let texts = [study.title] + (study.paragraphs ?? []).map(\.text) + study.figures.compactMap(\.context)
            + program.modules.flatMap(\.outcomes).map(\.text)
        for text in texts {
            for language in [Language.bosnian, .croatian, .serbianLatin] {
                #expect(!(text.values[language] ?? "").lowercased().contains("kancelarij"), "\(language): \(text.values[language] ?? "")")
            }
        }
        let description = try #require(program.modules.last?.description)
        #expect(description.text.values[.bosnian]?.hasPrefix("Ovo je ključni modul razvoja komunikacije i saradnje sa dijasporom") == true)
        let topics = program.modules.last!.topics.compactMap { $0.text.values[.bosnian] }.joined(separator: " ")
        #expect(topics.contains("potrebnih") && topics.contains("specifičnih"))
    }

    @Test func everyTextIsInFiveLanguagesAndItsCyrillicIsTheLatinTransliterated() throws {
        let parser = SafeXMLParser(schema: try XMLSchema(contentsOf: Paths.schemaFolder.appendingPathComponent("curriculum-2.xsd")))
        let root = try parser.parse(contentsOf: Paths.programVersionTwo, displayName: "dijaspora-2022-v2.xml")
        var groups = 0
        func walk(_ element: XMLElement) {
            let localized = Dictionary(grouping: element.children.filter { $0["xml:lang"] != nil }, by: \.name)
            for (name, texts) in localized {
                let byLanguage = Dictionary(uniqueKeysWithValues: texts.map { ($0["xml:lang"]!, $0.collapsedText) })
                #expect(Set(byLanguage.keys) == Set(Language.allCases.map(\.rawValue)), "\(name) at line \(texts[0].line)")
                #expect(byLanguage["sr-Cyrl"] == byLanguage["sr-Latn"].map(SerbianTransliteration.latinToCyrillic),
                        "\(name) at line \(texts[0].line)")
                groups += 1
            }
            element.children.forEach(walk)
        }
        walk(root)
        #expect(groups > 40, "\(groups) texts")
    }

    @Test func versionOneStaysAsItWasStored() throws {
        // A stored version never changes: its file is the one stored (this digest) and it loads without provenance.
        let data = try Data(contentsOf: Paths.shippedProgram)
        #expect(sha256Hex(data) == "f430b168e8022c1448a32e739430201653b4c4e1952adc14ec444c5b64e7491b")
        let one = try makeLoader().load(contentsOf: Paths.shippedProgram, knownDepartments: departments).program
        #expect(one.version == 1 && !one.declaresProvenance && one.policyParts.isEmpty && one.validYears == 5)
        #expect(one.modules.allSatisfy { $0.provenance == nil && $0.description == nil })
    }

    @Test func theCoordinatorConfirmsExactlyWhatTheSourcesDoNotGive() {
        let parts = program.policyParts.map { [$0.kind.rawValue, $0.id ?? ""].joined(separator: ":") }
        #expect(parts.contains("completion:") && parts.contains("validity:"))
        #expect(parts.contains("module:M1") && parts.contains("module:M2") && !parts.contains("module:M3"))
        #expect(parts.filter { $0.hasPrefix("assessment:") }.count == 3)
    }
}
