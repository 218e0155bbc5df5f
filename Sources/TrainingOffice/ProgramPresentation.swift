import Localization
import TrainingCore

/// A program as people read it, in one language: every text with a mark saying where it comes from (for programs that
/// declare it), figures in the District's number style with their period and whether they are estimates. The CLI's
/// outline and the web's program pages both show this one value.
public struct ProgramPresentation: Sendable {
    /// A text with its provenance mark.
    public struct Marked: Sendable {
        /// The text.
        public var text: String
        /// A short mark such as "rekonstruisano", for what is not quoted from a source; nil for sourced or unmarked text.
        public var mark: String?
        /// The full provenance, e.g. "izvor: „Treći modul …“" (nil for a version 1 program).
        public var provenance: String?
    }

    /// A reported figure.
    public struct Figure: Sendable {
        /// The value as the District writes it, e.g. `9.680`.
        public var value: String
        /// What it counts.
        public var label: String
        /// Where or how it was counted.
        public var context: String?
        /// The period it covers, e.g. "U prethodnih 12 mjeseci (2019.)".
        public var period: String?
        /// Whether the source gives it as an estimate.
        public var estimated: Bool
        /// The full provenance.
        public var provenance: String?
    }

    /// A case study.
    public struct CaseStudy: Sendable {
        public var title: Marked
        public var paragraphs: [Marked]
        public var figures: [Figure]
    }

    /// A module.
    public struct Module: Sendable {
        public var order: Int
        public var id: String
        public var title: Marked
        /// Its hours, as planned (version 2) or nominal (version 1), e.g. "8 h".
        public var hours: String
        public var description: Marked?
        public var topics: [Marked]
        public var outcomes: [Marked]
        public var caseStudies: [CaseStudy]
        public var assessments: [Marked]
    }

    /// A cited source.
    public struct Source: Sendable {
        public var id: String
        public var citation: String
    }

    public var id: String
    public var version: Int
    public var year: Int
    public var title: Marked
    public var goal: Marked?
    /// The completion rule in words.
    public var completion: Marked
    /// The validity in words, if the program sets one.
    public var validity: Marked?
    /// Modules and hours in total, e.g. "3 modula, 24 h".
    public var total: String
    public var modules: [Module]
    public var sources: [Source]
    /// Whether the program marks provenance (schema version 2).
    public var marksProvenance: Bool

    /// The presentation of `program` in the localizer's language.
    public init(_ program: Program, localizer t: Localizer) {
        let language = t.language
        func marked(_ text: String, _ provenance: Provenance?) -> Marked {
            Marked(text: text, mark: provenance.flatMap { $0.isSourced ? nil : t("provenance.mark.\($0.keyword)") },
                   provenance: provenance.map { Self.describe($0, in: program, t) })
        }
        func marked(_ text: LocalizedText, _ provenance: Provenance?) -> Marked {
            marked(Self.quoted(text.text(in: language), provenance), provenance)
        }
        id = program.id
        version = program.version
        year = program.year
        marksProvenance = program.declaresProvenance
        title = marked(program.title.text(in: language), program.provenance)
        goal = program.goal.map { marked($0, program.goalProvenance) }
        completion = marked(t("curriculum.show.completion", [
            "attendance": DecimalText.format(program.completion.attendancePercent),
            "excused": t("curriculum.excused.\(program.completion.excused.rawValue)"),
            "final": DecimalText.format(program.completion.finalPass),
        ]), program.completionProvenance)
        validity = program.validYears.map { marked(t.plural("curriculum.show.validity", count: $0), program.validityProvenance) }
        total = t("curriculum.show.total", [
            "modules": t.plural("curriculum.modules", count: program.modules.count),
            "hours": program.declaresProvenance ? t("curriculum.show.planned", ["hours": Self.hours(program.totalHours)])
                : Self.hours(program.totalHours),
        ])
        modules = program.modules.map { module in
            Module(
                order: module.order, id: module.id, title: marked(module.title, module.provenance),
                hours: program.declaresProvenance ? t("curriculum.show.planned", ["hours": Self.hours(module.hours)])
                    : Self.hours(module.hours),
                description: module.description.map { marked($0.text, $0.provenance) },
                topics: module.topics.map { marked($0.text, $0.provenance) },
                outcomes: module.outcomes.map { marked($0.text, $0.provenance) },
                caseStudies: module.caseStudies.map { study in
                    CaseStudy(
                        title: marked(study.title, study.provenance),
                        paragraphs: study.paragraphs.map { $0.map { marked($0.text, $0.provenance) } }
                            ?? [marked(study.text, nil)],
                        figures: study.figures.map { figure in
                            Figure(value: DecimalText.count(figure.value), label: figure.label.text(in: language),
                                   context: figure.context?.text(in: language),
                                   period: study.period(of: figure).map { period in
                                       t("curriculum.show.period", ["period": period.text.text(in: language), "year": String(period.year)])
                                   },
                                   estimated: figure.isEstimate,
                                   provenance: figure.provenance.map { Self.describe($0, in: program, t) })
                        })
                },
                assessments: module.assessments.map { assessment in
                    marked(t("curriculum.show.assessment", [
                        "id": assessment.id, "kind": t("assessment.kind.\(assessment.kind.rawValue)"),
                        "title": assessment.title?.text(in: language) ?? t("assessment.kind.\(assessment.kind.rawValue)"),
                        "pass": DecimalText.format(assessment.passScore), "max": DecimalText.format(assessment.maxScore),
                        "weight": DecimalText.format(assessment.weight * 100),
                        "attempts": t.plural("curriculum.attempts", count: assessment.attempts),
                        "required": assessment.required ? t("curriculum.required") : t("curriculum.optional"),
                    ]), assessment.provenance)
                })
        }
        sources = (program.sources ?? []).map { Source(id: $0.id, citation: $0.citation) }
    }

    /// A quoted source passage starts with a capital in a list, as a quotation may; any other text is as written.
    static func quoted(_ text: String, _ provenance: Provenance?) -> String {
        guard provenance?.isSourced == true, let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// "izvor: „…“", "rekonstruisano", "ilustrativno".
    static func describe(_ provenance: Provenance, in program: Program, _ t: Localizer) -> String {
        switch provenance {
        case .sourced(let id):
            t("provenance.sourced", ["source": program.source(id)?.citation ?? id])
        case .reconstructed, .illustrative:
            t("provenance.\(provenance.keyword)")
        }
    }

    /// Hours as the outline writes them: `8 h`, `7,5 h`.
    public static func hours(_ value: Double) -> String { DecimalText.format(value) + " h" }
}
