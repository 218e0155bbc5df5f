import Foundation
import Localization
import SafeXML
import TrainingCore

/// Reads curriculum XML: hardened parse, XSD validation, then the checks XSD 1.0 cannot express.
///
/// Three schema versions are read: version 1 (`urn:obuka:curriculum:1`), version 2 (`urn:obuka:curriculum:2`), which
/// marks where every statement comes from (`Provenance`), and version 3, which adds evaluation questionnaires (a
/// `questionnaire` root of their own, named by programs and modules). The root element's namespace picks the schema.
public struct CurriculumLoader: Sendable {
    /// A schema version the loader reads.
    public enum SchemaVersion: Int, CaseIterable, Sendable {
        case one = 1, two = 2, three = 3

        /// The namespace of its files.
        public var namespace: String { "urn:obuka:curriculum:\(rawValue)" }
        /// Its XSD's file name inside `Curriculum/schema/`.
        public var schemaFileName: String { "curriculum-\(rawValue).xsd" }
    }

    /// The namespace of version 1 files.
    public static let namespace = SchemaVersion.one.namespace
    /// The version 1 schema's file name inside `Curriculum/schema/`.
    public static let schemaFileName = SchemaVersion.one.schemaFileName

    private let parsers: [SchemaVersion: SafeXMLParser]
    private let localizer: Localizer

    /// A loader validating against the XSDs in `schemaFolder` (normally `Curriculum/schema`), with semantic
    /// messages in the localizer's language.
    public init(schemaFolder: URL, localizer: Localizer = Localizer(.default), maximumBytes: Int = 8 * 1024 * 1024) throws {
        var parsers: [SchemaVersion: SafeXMLParser] = [:]
        for version in SchemaVersion.allCases {
            let file = schemaFolder.appendingPathComponent(version.schemaFileName)
            parsers[version] = SafeXMLParser(schema: try XMLSchema(contentsOf: file),
                                             identityFreeSchema: try XMLSchema(contentsOf: file, omittingIdentityConstraints: true),
                                             maximumBytes: maximumBytes)
        }
        self.parsers = parsers
        self.localizer = localizer
    }

    private var parser: SafeXMLParser { parsers[.one]! }

    /// The schema version a document declares, read from its root element's start tag before it is parsed (the
    /// streamed validation starts with the parse, so it must know its schema). A document whose root names the
    /// version 2 or 3 namespace is validated against that version, any other against version 1; if this guess is
    /// wrong the document is not in that namespace, and validation refuses it.
    static func declaredVersion(of data: Data) -> SchemaVersion {
        data.withUnsafeBytes { raw -> SchemaVersion in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            let count = min(bytes.count, 64 * 1024)
            // Skip the XML declaration, comments and processing instructions to the first start tag.
            while index < count {
                guard bytes[index] == UInt8(ascii: "<") else { index += 1; continue }
                let next = index + 1 < count ? bytes[index + 1] : 0
                if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") {
                    let closing: [UInt8] = next == UInt8(ascii: "!") && index + 3 < count && bytes[index + 2] == UInt8(ascii: "-")
                        ? Array("-->".utf8) : Array(">".utf8)
                    index += 2
                    while index + closing.count <= count, !closing.indices.allSatisfy({ bytes[index + $0] == closing[$0] }) { index += 1 }
                    index += closing.count
                    continue
                }
                var end = index
                while end < count, bytes[end] != UInt8(ascii: ">") { end += 1 }
                let tag = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                return SchemaVersion.allCases.dropFirst().last { version in
                    tag.contains("\"\(version.namespace)\"") || tag.contains("'\(version.namespace)'")
                } ?? .one
            }
            return .one
        }
    }

    /// Loads one file; throws `XMLDiagnostics` with every validity or semantic problem at once.
    public func load(contentsOf url: URL, displayName: String? = nil,
                     knownDepartments: Set<DepartmentCode>) throws -> ProgramFile {
        let name = displayName ?? url.path
        return try load(parser.read(contentsOf: url, displayName: name), displayName: name, knownDepartments: knownDepartments)
    }

    /// Loads a program file's bytes (at most the loader's size limit); `displayName` names it in diagnostics. A
    /// questionnaire is refused here: `document(_:displayName:knownDepartments:)` reads either.
    public func load(_ data: Data, displayName name: String, knownDepartments: Set<DepartmentCode>) throws -> ProgramFile {
        switch try document(data, displayName: name, knownDepartments: knownDepartments) {
        case .program(let file): return file
        case .questionnaire(let file):
            throw XMLDiagnostics([XMLDiagnostic(file: name, line: file.lines[""] ?? 1, message: localizer("curriculum.error.not_a_program", [:]),
                                                kind: .semantic)])
        }
    }

    /// Reads a file's bytes as whichever curriculum document it is: a program, or (version 3) a questionnaire.
    public func document(contentsOf url: URL, displayName: String? = nil, knownDepartments: Set<DepartmentCode>) throws -> CurriculumDocument {
        let name = displayName ?? url.path
        return try document(parser.read(contentsOf: url, displayName: name), displayName: name, knownDepartments: knownDepartments)
    }

    /// Reads a file's bytes as whichever curriculum document it is; throws `XMLDiagnostics` with every problem at once.
    public func document(_ data: Data, displayName name: String, knownDepartments: Set<DepartmentCode>) throws -> CurriculumDocument {
        // Mapped straight from libxml2's tree (a thousand-module program is not copied twice), on this core
        // while validity is decided on the other: the mapping tolerates invalid trees anyway (below). The
        // schema's identity constraints are checked here, not by libxml2, which compares every value with
        // every other: that was most of the time of validating a thousand-module program.
        let version = Self.declaredVersion(of: data)
        let (mapped, validityProblems) = try parsers[version]!.withDocumentValidatingConcurrently(
            data, displayName: name, identityConstraintsHold: { Self.identityConstraintsHold($0) }
        ) { root -> (Mapped?, [XMLDiagnostic]) in
            if root.name == "questionnaire", version == .three {
                let (questionnaire, lines, problems) = mapQuestionnaire(root, file: name)
                return (questionnaire.map { .questionnaire($0, lines: lines) }, problems)
            }
            let (program, problems) = map(root, version: version, file: name, knownDepartments: knownDepartments)
            return (program.map(Mapped.program), problems)
        }
        // A document in another namespace is not a curriculum at all: its content says nothing.
        let (mappedDocument, mappingProblems) = mapped
        guard let document = mappedDocument else { throw XMLDiagnostics(validityProblems) }
        let problems = validityProblems + mappingProblems
        // Stable sort: problems on one line keep the order they were found in.
        if !problems.isEmpty {
            throw XMLDiagnostics(problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element))
        }
        let source = String(decoding: data, as: UTF8.self)
        switch document {
        case .program(let program): return .program(ProgramFile(program: program, source: source, file: name))
        case .questionnaire(let questionnaire, let lines):
            return .questionnaire(QuestionnaireFile(questionnaire: questionnaire, source: source, file: name, lines: lines))
        }
    }

    /// What a root maps to, before it becomes a file.
    private enum Mapped {
        case program(Program)
        case questionnaire(Questionnaire, lines: [String: Int])
    }

    /// The streamed verdict (with the identity constraints checked here) and the tree's, for tests and the
    /// fuzzer: the first may be a false alarm, never "valid" where the second is not. Nil when the bytes are
    /// not a well-formed, allowed document.
    public func validityVerdicts(_ data: Data) -> (streamed: Bool, tree: Bool)? {
        parsers[Self.declaredVersion(of: data)]!.validityVerdicts(data, identityConstraintsHold: { Self.identityConstraintsHold($0) })
    }

    // MARK: Identity constraints

    /// An identity constraint: where it applies (the path of element names from the root to the scope elements),
    /// which elements it selects (paths from the scope) and their attribute.
    typealias IdentityConstraint = (scope: [String], selectors: [[String]], attribute: String)

    /// The schemas' `xs:key` and `xs:unique` constraints, per version. Kept next to `curriculum-1.xsd`,
    /// `curriculum-2.xsd` and `curriculum-3.xsd`; a test and the fuzzer compare the outcome with libxml2's.
    static let identityConstraints: [SchemaVersion: [IdentityConstraint]] = [
        .one: sharedIdentityConstraints + [
            ([], [["goal"]], "xml:lang"),
            (["module", "case-study"], [["text"]], "xml:lang"),
        ],
        .two: version2Constraints,
        .three: version2Constraints + questionnaireConstraints,
    ]

    private static let version2Constraints: [IdentityConstraint] = sharedIdentityConstraints + [
        ([], [["sources", "source"]], "id"),
        (["goal"], [["text"]], "xml:lang"),
        (["module", "description"], [["text"]], "xml:lang"),
        (["module", "case-study", "paragraph"], [["text"]], "xml:lang"),
        (["module", "case-study"], [["period"]], "id"),
        (["module", "case-study", "period"], [["text"]], "xml:lang"),
        (["module", "case-study", "figure"], [["context"]], "xml:lang"),
    ]

    /// A questionnaire root's: item ids across kinds, option ids per choice, one text per language everywhere.
    private static let questionnaireConstraints: [IdentityConstraint] = [
        ([], [["scale"], ["choice"], ["open"]], "id"),
        (["scale"], [["text"]], "xml:lang"),
        (["scale"], [["low"]], "xml:lang"),
        (["scale"], [["high"]], "xml:lang"),
        (["choice"], [["text"]], "xml:lang"),
        (["choice"], [["option"]], "id"),
        (["choice", "option"], [["text"]], "xml:lang"),
        (["open"], [["text"]], "xml:lang"),
    ]

    private static let sharedIdentityConstraints: [IdentityConstraint] = [
        ([], [["module"]], "id"),
        ([], [["module"]], "order"),
        ([], [["module", "assessment"]], "id"),
        ([], [["module", "topic"], ["module", "outcome"]], "id"),
        ([], [["module", "case-study"]], "id"),
        ([], [["title"]], "xml:lang"),
        (["module"], [["title"]], "xml:lang"),
        (["module", "topic"], [["text"]], "xml:lang"),
        (["module", "outcome"], [["text"]], "xml:lang"),
        (["module", "case-study"], [["title"]], "xml:lang"),
        (["module", "case-study"], [["figure"]], "key"),
        (["module", "assessment"], [["title"]], "xml:lang"),
        (["module", "case-study", "figure"], [["label"]], "xml:lang"),
    ]

    /// Whether every identity constraint holds, decided conservatively so that "true" always agrees with the
    /// schema: elements are matched by local name in any namespace (selecting more, never fewer), and two
    /// values compare equal whenever the schema's typed equality says so (all XML whitespace dropped, then a
    /// leading "+" and zeros, so "01" equals "1" as positive integers do). A false alarm only sends the file
    /// to the full tree validation, which then decides.
    static func identityConstraintsHold<Node: XMLNodeReading>(_ root: Node) -> Bool {
        var found: [[String]: [Node]] = [[]: [root]]
        func elements(_ path: [String]) -> [Node] {
            if let known = found[path] { return known }
            let result = elements(Array(path.dropLast())).flatMap { $0.children(named: path[path.count - 1]) }
            found[path] = result
            return result
        }
        // The root's namespace names the constraints; a root in neither namespace is invalid whatever this says.
        let version = SchemaVersion.allCases.first { $0.namespace == root.namespace } ?? .one
        for constraint in identityConstraints[version]! {
            for scope in elements(constraint.scope) {
                var seen = Set<[UInt8]>()
                for selector in constraint.selectors {
                    let selected = selector.reduce([scope]) { nodes, name in nodes.flatMap { $0.children(named: name) } }
                    for element in selected {
                        guard let value = element[constraint.attribute] else { continue }
                        if !seen.insert(comparable(value)).inserted { return false }
                    }
                }
            }
        }
        return true
    }

    private static func comparable(_ value: String) -> [UInt8] {
        let bytes = value.utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        let unsigned = bytes.drop { $0 == UInt8(ascii: "+") }
        return Array(unsigned.drop { $0 == UInt8(ascii: "0") })
    }

    // MARK: Mapping and semantic checks

    /// Maps the tree and runs the semantic checks whatever the schema finds (it checks the same tree at the
    /// same time), so a file's author sees everything at once; the mapping therefore tolerates missing parts.
    /// The program is nil when the root is not a curriculum's of the version its start tag declared.
    private func map<Node: XMLNodeReading>(_ root: Node, version: SchemaVersion, file: String,
                                           knownDepartments: Set<DepartmentCode>) -> (program: Program?, problems: [XMLDiagnostic]) {
        var problems: [XMLDiagnostic] = []
        guard root.namespace == version.namespace, root.name == "program" else { return (nil, []) }
        func problem(_ element: Node, _ key: String, _ arguments: [String: String]) {
            problems.append(XMLDiagnostic(file: file, line: element.line, message: localizer(key, arguments), kind: .semantic))
        }
        let marked = version != .one
        let sources = marked ? root.child(named: "sources").map { sources in
            sources.children(named: "source").map { source in
                ProgramSource(id: token(source["id"]), citation: source.child(named: "citation")?.collapsedText ?? "",
                              file: source["file"].map(token))
            }
        } ?? [] : nil
        let sourceIDs = Set(sources?.map(\.id) ?? [])
        /// The provenance a version 2 element declares (nil in version 1), checked against the declared sources.
        func provenance(_ element: Node?, _ name: @autoclosure () -> String) -> Provenance? {
            guard marked, let element else { return nil }
            let source = element["source"].map(token)
            switch token(element["provenance"]) {
            case "sourced":
                guard let source else {
                    problem(element, "curriculum.error.sourced_without_source", ["element": name()])
                    return .sourced(source: "")
                }
                if !sourceIDs.contains(source) {
                    problem(element, "curriculum.error.unknown_source", ["element": name(), "source": source])
                }
                return .sourced(source: source)
            case let keyword:
                if source != nil {
                    problem(element, "curriculum.error.source_not_sourced", ["element": name(), "provenance": keyword])
                }
                return keyword == "reconstructed" ? .reconstructed : .illustrative
            }
        }
        func passage(_ element: Node?, _ name: @autoclosure () -> String) -> Passage? {
            guard let element else { return nil }
            return Passage(text: localized(element.children(named: "text")), provenance: provenance(element, name()) ?? .illustrative)
        }

        let providerElement = root.child(named: "provider")
        let provider = DepartmentCode(token(providerElement?["department"]))
        if let providerElement, providerElement["department"] != nil, !knownDepartments.contains(provider) {
            problem(providerElement, "curriculum.error.unknown_department", ["code": provider.rawValue])
        }
        let completionElement = root.child(named: "completion")
        let completion = CompletionRule(
            attendancePercent: number(completionElement?["attendance-percent"]),
            excused: CompletionRule.ExcusedAbsence(rawValue: token(completionElement?["excused"])) ?? .absent,
            finalPass: number(completionElement?["final-pass"]))
        let validityElement = root.child(named: "validity")
        let validYears = marked ? validityElement.flatMap { Int(token($0["years"])) } : root["valid-years"].flatMap { Int(token($0)) }

        let title = localized(root.children(named: "title"))
        if title.values[.bosnian] == nil {
            problem(root, "curriculum.error.missing_bosnian_title", ["element": "program"])
        }
        let goalElements = root.children(named: "goal")
        let goal: Passage? = marked ? passage(goalElements.first, "goal")
            : goalElements.isEmpty ? nil : Passage(text: localized(goalElements), provenance: .illustrative)

        var modules: [Module] = []
        for moduleElement in root.children(named: "module") {
            let moduleID = token(moduleElement["id"])
            let moduleTitle = localized(moduleElement.children(named: "title"))
            if moduleTitle.values[.bosnian] == nil {
                problem(moduleElement, "curriculum.error.missing_bosnian_title", ["element": moduleID])
            }
            var assessments: [AssessmentDefinition] = []
            for assessmentElement in moduleElement.children(named: "assessment") {
                let assessmentID = token(assessmentElement["id"])
                let pretest = assessmentElement["pretest"].map { ["true", "1"].contains(token($0)) } ?? false
                let assessment = AssessmentDefinition(
                    id: assessmentID, moduleID: moduleID,
                    kind: AssessmentDefinition.Kind(rawValue: token(assessmentElement["kind"])) ?? .test,
                    maxScore: number(assessmentElement["max"]), passScore: number(assessmentElement["pass"]),
                    weight: number(assessmentElement["weight"]),
                    attempts: assessmentElement["attempts"].map { Int(token($0)) ?? 1 } ?? 1,
                    // A pre-test is not required unless it says so (and then it is refused below).
                    required: assessmentElement["required"].map { ["true", "1"].contains(token($0)) } ?? !pretest,
                    title: optionalLocalized(assessmentElement.children(named: "title")),
                    provenance: provenance(assessmentElement, assessmentID), pretest: pretest)
                if pretest && (assessment.weight > 0 || assessment.required) {
                    problem(assessmentElement, "curriculum.error.pretest_counts", ["assessment": assessment.id])
                }
                if assessment.passScore > assessment.maxScore {
                    problem(assessmentElement, "curriculum.error.pass_above_max", [
                        "assessment": assessment.id, "pass": format(assessment.passScore), "max": format(assessment.maxScore),
                    ])
                }
                assessments.append(assessment)
            }
            if let pretest = assessments.first(where: \.isPretest), !assessments.contains(where: { !$0.isPretest && $0.kind == .test }) {
                problem(moduleElement, "curriculum.error.pretest_without_test", ["assessment": pretest.id, "module": moduleID])
            }
            func items(_ elements: [Node]) -> [CurriculumItem] {
                elements.map { element in
                    let id = token(element["id"])
                    return CurriculumItem(id: id, text: localized(element.children(named: "text")), provenance: provenance(element, id))
                }
            }
            modules.append(Module(
                id: moduleID, order: Int(token(moduleElement["order"])) ?? 0, hours: number(moduleElement["hours"]),
                title: moduleTitle,
                topics: items(moduleElement.children(named: "topic")),
                outcomes: items(moduleElement.children(named: "outcome")),
                caseStudies: moduleElement.children(named: "case-study").map { element in
                    caseStudy(element, marked: marked, provenance: { provenance($0, $1) }, problem: problem)
                },
                assessments: assessments,
                provenance: provenance(moduleElement, moduleID),
                description: marked ? passage(moduleElement.child(named: "description"), "\(moduleID) description") : nil))
        }

        let weights = modules.flatMap(\.assessments).map(\.weight)
        let total = weights.reduce(0, +)
        if !weights.isEmpty, abs(total - 1) > 1e-9 {
            problem(root, "curriculum.error.weights_sum", ["sum": format(total)])
        }

        let program = Program(
            id: token(root["id"]), version: Int(token(root["version"])) ?? 0, year: Int(token(root["year"])) ?? 0,
            serialCode: token(root["serial-code"]), validYears: validYears,
            title: title, provider: provider, goal: goal?.text,
            completion: completion, modules: modules,
            provenance: provenance(root, "program"), titleQuote: marked ? root["quote"].map(\.trimmingWhitespace) : nil,
            sources: sources, goalProvenance: marked ? goal?.provenance : nil,
            completionProvenance: provenance(completionElement, "completion"),
            validityProvenance: provenance(validityElement, "validity"),
            questionnaires: version == .three ? questionnaires(root) : nil)
        return (program, problems)
    }

    /// The questionnaires a version 3 program and its modules name (nil when none does).
    private func questionnaires<Node: XMLNodeReading>(_ root: Node) -> QuestionnaireChoice? {
        var modules: [String: String] = [:]
        for module in root.children(named: "module") {
            if let named = module["questionnaire"] { modules[token(module["id"])] = token(named) }
        }
        let program = root["questionnaire"].map(token)
        return program == nil && modules.isEmpty ? nil : QuestionnaireChoice(program: program, modules: modules)
    }

    /// Maps a questionnaire root (version 3), with the line of the root (key "") and of each item (its id), so a
    /// later check against the programs naming it can point at the place to fix. Nil when the root is not one.
    private func mapQuestionnaire<Node: XMLNodeReading>(_ root: Node, file: String)
        -> (Questionnaire?, lines: [String: Int], problems: [XMLDiagnostic]) {
        guard root.namespace == SchemaVersion.three.namespace, root.name == "questionnaire" else { return (nil, [:], []) }
        var problems: [XMLDiagnostic] = []
        let title = localized(root.children(named: "title"))
        if title.values[.bosnian] == nil {
            problems.append(XMLDiagnostic(file: file, line: root.line, message: localizer("curriculum.error.missing_bosnian_title",
                                                                                        ["element": "questionnaire"]), kind: .semantic))
        }
        var lines: [String: Int] = ["": root.line]
        // Items in the order written: the three kinds are read apart, then ordered by line.
        let elements = (root.children(named: "scale") + root.children(named: "choice") + root.children(named: "open"))
            .enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        let items = elements.map { element -> Questionnaire.Item in
            let id = token(element["id"])
            lines[id] = element.line
            let text = localized(element.children(named: "text"))
            if text.values[.bosnian] == nil {
                problems.append(XMLDiagnostic(file: file, line: element.line, message: localizer("curriculum.error.missing_bosnian_text",
                                                                                               ["element": id]), kind: .semantic))
            }
            let kind: Questionnaire.Item.Kind = switch element.name {
            case "scale": .scale(low: optionalLocalized(element.children(named: "low")), high: optionalLocalized(element.children(named: "high")))
            case "choice": .choice(options: element.children(named: "option").map { option in
                .init(id: token(option["id"]), text: localized(option.children(named: "text")))
            })
            default: .text
            }
            let required = element["required"].map { ["true", "1"].contains(token($0)) } ?? (element.name != "open")
            return Questionnaire.Item(id: id, text: text, kind: kind, required: required)
        }
        let questionnaire = Questionnaire(id: token(root["id"]), version: Int(token(root["version"])) ?? 0, title: title, items: items)
        return (questionnaire, lines, problems)
    }

    private func caseStudy<Node: XMLNodeReading>(_ element: Node, marked: Bool,
                                                 provenance: (Node?, String) -> Provenance?,
                                                 problem: (Node, String, [String: String]) -> Void) -> CaseStudy {
        let id = token(element["id"])
        let paragraphs = marked ? element.children(named: "paragraph").enumerated().map { index, paragraph in
            Passage(text: localized(paragraph.children(named: "text")),
                    provenance: provenance(paragraph, "\(id) paragraph \(index + 1)") ?? .illustrative)
        } : nil
        let periods = marked ? element.children(named: "period").map { period in
            let periodID = token(period["id"])
            return CaseStudy.Period(id: periodID, year: Int(token(period["year"])) ?? 0,
                                    text: localized(period.children(named: "text")),
                                    provenance: provenance(period, periodID) ?? .illustrative)
        } : nil
        let periodIDs = Set(periods?.map(\.id) ?? [])
        let figures = element.children(named: "figure").map { figure in
            let key = token(figure["key"])
            let period = figure["period"].map(token)
            if let period, !periodIDs.contains(period) {
                problem(figure, "curriculum.error.unknown_period", ["figure": key, "period": period])
            }
            return CaseStudy.Figure(
                key: key, value: Int(token(figure["value"])) ?? 0, label: localized(figure.children(named: "label")),
                context: marked ? optionalLocalized(figure.children(named: "context")) : nil, period: period,
                estimated: marked ? figure["estimated"].map { ["true", "1"].contains(token($0)) } ?? false : nil,
                provenance: provenance(figure, key))
        }
        // Version 2 has no single text: its paragraphs, joined, stand in for readers of version 1's.
        let text = paragraphs.map { Self.joined($0.map(\.text)) } ?? localized(element.children(named: "text"))
        return CaseStudy(id: id, title: localized(element.children(named: "title")), text: text, figures: figures,
                         provenance: provenance(element, id), paragraphs: paragraphs, periods: periods)
    }

    /// Paragraphs joined language by language with a blank line.
    private static func joined(_ texts: [LocalizedText]) -> LocalizedText {
        let languages = Set(texts.flatMap(\.values.keys))
        return LocalizedText(Dictionary(uniqueKeysWithValues: languages.map { language in
            (language, texts.compactMap { $0.values[language] }.joined(separator: "\n\n"))
        }))
    }

    private func localized<Node: XMLNodeReading>(_ elements: [Node]) -> LocalizedText {
        var values: [Language: String] = [:]
        for element in elements {
            if let language = element["xml:lang"].flatMap(Language.init(tag:)) { values[language] = element.collapsedText }
        }
        return LocalizedText(values)
    }

    private func optionalLocalized<Node: XMLNodeReading>(_ elements: [Node]) -> LocalizedText? {
        elements.isEmpty ? nil : localized(elements)
    }

    /// Attribute values are XSD tokens: the schema accepts surrounding whitespace, the model does not keep it.
    private func token(_ value: String?) -> String { value?.trimmingWhitespace ?? "" }

    private func number(_ value: String?) -> Double { Double(token(value)) ?? 0 }

    /// A sum for a message: whole numbers without ".0". The file may be invalid, so the value may be far
    /// outside Int's range (found by fuzzing): those print as Double does.
    private func format(_ value: Double) -> String {
        value == value.rounded() && value.magnitude < 1e15 ? String(Int(value)) : String(value)
    }
}
