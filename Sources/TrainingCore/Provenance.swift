/// Where a curriculum statement comes from. Version 2 curriculum files mark every goal, module, topic, outcome,
/// case-study passage, figure, assessment and rule with one; version 1 files carry none (`nil` in the model).
public enum Provenance: Hashable, Codable, Sendable {
    /// Quoted verbatim from a published source (the Bosnian text; other languages translate it).
    case sourced(source: String)
    /// Inferred from the sources to fill a gap of the real program, e.g. the titles of modules 1 and 2.
    case reconstructed
    /// Set for obuka, not found in any source: hours, assessments, pass marks, the completion rule, validity.
    case illustrative

    /// The attribute value in a curriculum file: `sourced`, `reconstructed` or `illustrative`.
    public var keyword: String {
        switch self {
        case .sourced: "sourced"
        case .reconstructed: "reconstructed"
        case .illustrative: "illustrative"
        }
    }

    /// The id of the cited source, for a sourced statement.
    public var sourceID: String? {
        if case .sourced(let source) = self { return source }
        return nil
    }

    /// Whether the statement is a fact of the sources (as opposed to one the District must decide).
    public var isSourced: Bool { sourceID != nil }
}

/// A published text a curriculum quotes, declared once per program and cited by id.
public struct ProgramSource: Hashable, Codable, Sendable {
    /// Id cited by `Provenance.sourced`, e.g. `kljuc-2019`.
    public var id: String
    /// The citation as published (Bosnian).
    public var citation: String
    /// The file name of the source's text in `Curriculum/sources/`, if shipped.
    public var file: String?

    /// Creates a source.
    public init(id: String, citation: String, file: String?) {
        self.id = id
        self.citation = citation
        self.file = file
    }
}

/// A passage of text in several languages with its provenance, e.g. a paragraph of a case study.
public struct Passage: Hashable, Codable, Sendable {
    /// The text.
    public var text: LocalizedText
    /// Where it comes from.
    public var provenance: Provenance

    /// Creates a passage.
    public init(text: LocalizedText, provenance: Provenance) {
        self.text = text
        self.provenance = provenance
    }
}

/// A part of a program that is not a fact of its sources and that a certificate or transcript would state: the
/// coordinator confirms these as the District's decisions before a version-2 cohort can issue certificates.
public struct PolicyPart: Hashable, Sendable {
    /// What the part is.
    public enum Kind: String, Hashable, Sendable {
        /// The completion rule (attendance percent, excused absences, final pass mark).
        case completionRule = "completion"
        /// How many years a certificate stays valid.
        case validity
        /// A module's title (printed on the certificate).
        case moduleTitle = "module"
        /// An assessment (its pass mark and weight decide completion).
        case assessment
    }

    /// What the part is.
    public var kind: Kind
    /// The module or assessment id, if any.
    public var id: String?
    /// Its provenance (never `sourced`).
    public var provenance: Provenance

    /// Creates a part.
    public init(kind: Kind, id: String?, provenance: Provenance) {
        self.kind = kind
        self.id = id
        self.provenance = provenance
    }
}

extension Program {
    /// Whether the file marks where each statement comes from (schema version 2). Such programs state only sourced
    /// or confirmed facts: certificates print held hours, and District policy must be confirmed before issue.
    public var declaresProvenance: Bool { provenance != nil }

    /// The parts a coordinator must confirm before certificates are issued: every non-sourced part a certificate
    /// or the completion decision rests on. Empty for version 1 programs, which predate provenance.
    public var policyParts: [PolicyPart] {
        guard declaresProvenance else { return [] }
        var parts: [PolicyPart] = []
        if let provenance = completionProvenance, !provenance.isSourced {
            parts.append(PolicyPart(kind: .completionRule, id: nil, provenance: provenance))
        }
        if validYears != nil, let provenance = validityProvenance, !provenance.isSourced {
            parts.append(PolicyPart(kind: .validity, id: nil, provenance: provenance))
        }
        for module in modules {
            if let provenance = module.provenance, !provenance.isSourced {
                parts.append(PolicyPart(kind: .moduleTitle, id: module.id, provenance: provenance))
            }
            for assessment in module.assessments {
                if let provenance = assessment.provenance, !provenance.isSourced {
                    parts.append(PolicyPart(kind: .assessment, id: assessment.id, provenance: provenance))
                }
            }
        }
        return parts
    }

    /// The declared source with this id.
    public func source(_ id: String) -> ProgramSource? { sources?.first { $0.id == id } }
}

/// Why a program's policy or catalogue entry could not be changed.
public enum ProgramPolicyError: UserFacingError, Equatable {
    /// A version 1 program marks no provenance: there is nothing to confirm.
    case nothingToConfirm(program: String, version: Int)

    public var messageKey: String {
        switch self {
        case .nothingToConfirm: "curriculum.error.nothing_to_confirm"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .nothingToConfirm(let program, let version): ["program": program, "version": String(version)]
        }
    }
}

/// A stored program version with what the District decided about it.
public struct ProgramStanding: Sendable {
    /// The program version.
    public var stored: StoredProgram
    /// When its policy was confirmed (ISO 8601 UTC); nil if not, or if it needs none.
    public var confirmedAt: String?
    /// Whether the program is in the public catalogue.
    public var inCatalogue: Bool

    /// Creates a value from its fields.
    public init(stored: StoredProgram, confirmedAt: String?, inCatalogue: Bool) {
        self.stored = stored
        self.confirmedAt = confirmedAt
        self.inCatalogue = inCatalogue
    }

    /// Whether certificates may state its policy: it needs no confirmation or has it.
    public var policyConfirmed: Bool { !stored.program.declaresProvenance || confirmedAt != nil }
}
