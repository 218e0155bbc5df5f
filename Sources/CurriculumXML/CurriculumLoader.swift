import Foundation
import Localization
import SafeXML
import TrainingCore

/// Reads curriculum XML: hardened parse, XSD validation, then the checks XSD 1.0 cannot express.
public struct CurriculumLoader: Sendable {
    /// The namespace of curriculum files.
    public static let namespace = "urn:obuka:curriculum:1"
    /// The schema file name inside `Curriculum/schema/`.
    public static let schemaFileName = "curriculum-1.xsd"

    private let parser: SafeXMLParser
    private let localizer: Localizer

    /// A loader validating against the XSD in `schemaFolder` (normally `Curriculum/schema`), with semantic
    /// messages in the localizer's language.
    public init(schemaFolder: URL, localizer: Localizer = Localizer(.default), maximumBytes: Int = 8 * 1024 * 1024) throws {
        let file = schemaFolder.appendingPathComponent(Self.schemaFileName)
        parser = SafeXMLParser(schema: try XMLSchema(contentsOf: file),
                               identityFreeSchema: try XMLSchema(contentsOf: file, omittingIdentityConstraints: true),
                               maximumBytes: maximumBytes)
        self.localizer = localizer
    }

    /// Loads one file; throws `XMLDiagnostics` with every validity or semantic problem at once.
    public func load(contentsOf url: URL, displayName: String? = nil,
                     knownDepartments: Set<DepartmentCode>) throws -> ProgramFile {
        let name = displayName ?? url.path
        return try load(parser.read(contentsOf: url, displayName: name), displayName: name, knownDepartments: knownDepartments)
    }

    /// Loads a file's bytes (at most the loader's size limit); `displayName` names it in diagnostics.
    public func load(_ data: Data, displayName name: String, knownDepartments: Set<DepartmentCode>) throws -> ProgramFile {
        // Mapped straight from libxml2's tree (a thousand-module program is not copied twice), on this core
        // while validity is decided on the other: the mapping tolerates invalid trees anyway (below). The
        // schema's identity constraints are checked here, not by libxml2, which compares every value with
        // every other: that was most of the time of validating a thousand-module program.
        let (mapped, validityProblems) = try parser.withDocumentValidatingConcurrently(
            data, displayName: name, identityConstraintsHold: { Self.identityConstraintsHold($0) }
        ) { root in
            map(root, file: name, knownDepartments: knownDepartments)
        }
        // A document in another namespace is not a curriculum at all: its content says nothing.
        guard let program = mapped.program else { throw XMLDiagnostics(validityProblems) }
        let problems = validityProblems + mapped.problems
        // Stable sort: problems on one line keep the order they were found in.
        if !problems.isEmpty {
            throw XMLDiagnostics(problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element))
        }
        return ProgramFile(program: program, source: String(decoding: data, as: UTF8.self), file: name)
    }

    /// The streamed verdict (with the identity constraints checked here) and the tree's, for tests and the
    /// fuzzer: the first may be a false alarm, never "valid" where the second is not. Nil when the bytes are
    /// not a well-formed, allowed document.
    public func validityVerdicts(_ data: Data) -> (streamed: Bool, tree: Bool)? {
        parser.validityVerdicts(data, identityConstraintsHold: { Self.identityConstraintsHold($0) })
    }

    // MARK: Identity constraints

    /// The schema's `xs:key` and `xs:unique` constraints: where each applies (the path of element names from
    /// the root to the scope elements), which elements it selects (paths from the scope) and their attribute.
    /// Kept next to `curriculum-1.xsd`; a test and the fuzzer compare the outcome with libxml2's.
    static let identityConstraints: [(scope: [String], selectors: [[String]], attribute: String)] = [
        ([], [["module"]], "id"),
        ([], [["module"]], "order"),
        ([], [["module", "assessment"]], "id"),
        ([], [["module", "topic"], ["module", "outcome"]], "id"),
        ([], [["module", "case-study"]], "id"),
        ([], [["title"]], "xml:lang"),
        ([], [["goal"]], "xml:lang"),
        (["module"], [["title"]], "xml:lang"),
        (["module", "topic"], [["text"]], "xml:lang"),
        (["module", "outcome"], [["text"]], "xml:lang"),
        (["module", "case-study"], [["title"]], "xml:lang"),
        (["module", "case-study"], [["text"]], "xml:lang"),
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
        for constraint in identityConstraints {
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
    /// The program is nil when the root is not a curriculum's.
    private func map<Node: XMLNodeReading>(_ root: Node, file: String,
                                           knownDepartments: Set<DepartmentCode>) -> (program: Program?, problems: [XMLDiagnostic]) {
        var problems: [XMLDiagnostic] = []
        guard root.namespace == Self.namespace, root.name == "program" else { return (nil, []) }
        func problem(_ element: Node, _ key: String, _ arguments: [String: String]) {
            problems.append(XMLDiagnostic(file: file, line: element.line, message: localizer(key, arguments), kind: .semantic))
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

        let title = localized(root.children(named: "title"))
        if title.values[.bosnian] == nil {
            problem(root, "curriculum.error.missing_bosnian_title", ["element": "program"])
        }

        var modules: [Module] = []
        for moduleElement in root.children(named: "module") {
            let moduleID = token(moduleElement["id"])
            let moduleTitle = localized(moduleElement.children(named: "title"))
            if moduleTitle.values[.bosnian] == nil {
                problem(moduleElement, "curriculum.error.missing_bosnian_title", ["element": moduleID])
            }
            var assessments: [AssessmentDefinition] = []
            for assessmentElement in moduleElement.children(named: "assessment") {
                let assessment = AssessmentDefinition(
                    id: token(assessmentElement["id"]), moduleID: moduleID,
                    kind: AssessmentDefinition.Kind(rawValue: token(assessmentElement["kind"])) ?? .test,
                    maxScore: number(assessmentElement["max"]), passScore: number(assessmentElement["pass"]),
                    weight: number(assessmentElement["weight"]),
                    attempts: assessmentElement["attempts"].map { Int(token($0)) ?? 1 } ?? 1,
                    required: assessmentElement["required"].map { ["true", "1"].contains(token($0)) } ?? true,
                    title: optionalLocalized(assessmentElement.children(named: "title")))
                if assessment.passScore > assessment.maxScore {
                    problem(assessmentElement, "curriculum.error.pass_above_max", [
                        "assessment": assessment.id, "pass": format(assessment.passScore), "max": format(assessment.maxScore),
                    ])
                }
                assessments.append(assessment)
            }
            modules.append(Module(
                id: moduleID, order: Int(token(moduleElement["order"])) ?? 0, hours: number(moduleElement["hours"]),
                title: moduleTitle,
                topics: items(moduleElement.children(named: "topic")),
                outcomes: items(moduleElement.children(named: "outcome")),
                caseStudies: moduleElement.children(named: "case-study").map(caseStudy),
                assessments: assessments))
        }

        let weights = modules.flatMap(\.assessments).map(\.weight)
        let total = weights.reduce(0, +)
        if !weights.isEmpty, abs(total - 1) > 1e-9 {
            problem(root, "curriculum.error.weights_sum", ["sum": format(total)])
        }

        let program = Program(
            id: token(root["id"]), version: Int(token(root["version"])) ?? 0, year: Int(token(root["year"])) ?? 0,
            serialCode: token(root["serial-code"]), validYears: root["valid-years"].flatMap { Int(token($0)) },
            title: title, provider: provider, goal: optionalLocalized(root.children(named: "goal")),
            completion: completion, modules: modules)
        return (program, problems)
    }

    private func caseStudy<Node: XMLNodeReading>(_ element: Node) -> CaseStudy {
        CaseStudy(
            id: token(element["id"]), title: localized(element.children(named: "title")),
            text: localized(element.children(named: "text")),
            figures: element.children(named: "figure").map { figure in
                CaseStudy.Figure(key: token(figure["key"]), value: Int(token(figure["value"])) ?? 0,
                                 label: localized(figure.children(named: "label")))
            })
    }

    private func items<Node: XMLNodeReading>(_ elements: [Node]) -> [CurriculumItem] {
        elements.map { CurriculumItem(id: token($0["id"]), text: localized($0.children(named: "text"))) }
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
