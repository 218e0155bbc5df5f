/// Reaction (Kirkpatrick level 1): a trainee's anonymous answers to a module's questionnaire, and what may be shown of
/// them. The rules live here once; the store keeps answers with no person and no time, apart from the marker that a
/// person answered.
public enum ReactionRules {
    /// Results of a group (a module, a cohort's module, a trainer) show from this many answers up; fewer would let a
    /// reader guess who said what.
    public static let minimumAnswers = 5
    /// Days a questionnaire stays open after the module's last session, unless the coordinator sets a deadline.
    public static let defaultOpenDays = 14
    /// The longest free-text answer, in characters.
    public static let maximumTextLength = 2_000

    /// The deadline of a round: the coordinator's, else `defaultOpenDays` after the module's last session.
    public static func deadline(lastSessionEnds: LocalDateTime, set: LocalDate?) -> LocalDate {
        set ?? lastSessionEnds.date.adding(days: defaultOpenDays)
    }

    /// Whether a trainee may answer now: the module's last session has ended and the deadline (inclusive) has not passed.
    public static func isOpen(lastSessionEnds: LocalDateTime, deadline: LocalDate, now: LocalDateTime) -> Bool {
        now >= lastSessionEnds && now.date <= deadline
    }

    /// Whether a round's results may be shown: its deadline has passed.
    public static func resultsVisible(deadline: LocalDate, now: LocalDateTime) -> Bool { now.date > deadline }

    /// Checks a trainee's answers against the questionnaire: every required item given, a scale from 1 to 5, a known
    /// option, free text within the limit; unknown items refused. Free text is trimmed; empty text counts as not given.
    public static func validated(_ answers: [String: ReactionValue], for questionnaire: Questionnaire) throws(ReactionError)
        -> [String: ReactionValue] {
        let known = Set(questionnaire.items.map(\.id))
        if let unknown = answers.keys.sorted().first(where: { !known.contains($0) }) { throw .unknownItem(item: unknown) }
        var result: [String: ReactionValue] = [:]
        for item in questionnaire.items {
            var value = answers[item.id]
            if case .text(let text)? = value {
                let trimmed = text.trimmingWhitespace
                value = trimmed.isEmpty ? nil : .text(trimmed)
            }
            guard let value else {
                if item.required { throw .missing(item: item.id) }
                continue
            }
            switch (item.kind, value) {
            case (.scale, .scale(let point)) where NumberField.reactionScale.range.contains(Double(point)): break
            case (.choice(let options), .choice(let option)) where options.contains(where: { $0.id == option }): break
            case (.text, .text(let text)) where text.count <= maximumTextLength: break
            case (.text, .text): throw .tooLong(item: item.id, limit: maximumTextLength)
            default: throw .invalid(item: item.id)
            }
            result[item.id] = value
        }
        return result
    }
}

/// One item's answer.
public enum ReactionValue: Hashable, Codable, Sendable {
    case scale(Int)
    case choice(String)
    case text(String)
}

/// What a group's answers show, item by item: for a scale its mean and how many gave each point, for a choice how many
/// chose each option, for free text the texts (the caller orders them at random). Nil figures when the group has fewer
/// than `ReactionRules.minimumAnswers` answers.
public struct ReactionSummary: Hashable, Sendable {
    public struct ItemSummary: Hashable, Sendable {
        /// How many answers give a point of the scale or an option.
        public struct Count: Hashable, Sendable {
            public var key: String
            public var count: Int
        }

        public var itemID: String
        /// How many answers give the item.
        public var answered: Int
        /// Scale: the mean of the points given.
        public var mean: Double?
        /// Scale: answers per point 1...5; choice: answers per option, in the questionnaire's order.
        public var counts: [Count]
        public var texts: [String]
    }

    /// How many trainees answered.
    public var answers: Int
    /// The items' figures; nil below the threshold.
    public var items: [ItemSummary]?

    /// A summary from its parts (`of(_:questionnaire:)` computes one).
    public init(answers: Int, items: [ItemSummary]?) {
        self.answers = answers
        self.items = items
    }

    /// Summarises the answers of one group to `questionnaire`.
    public static func of(_ answers: [[String: ReactionValue]], questionnaire: Questionnaire) -> ReactionSummary {
        guard answers.count >= ReactionRules.minimumAnswers else { return ReactionSummary(answers: answers.count, items: nil) }
        let items = questionnaire.items.map { item -> ItemSummary in
            let given = answers.compactMap { $0[item.id] }
            switch item.kind {
            case .scale:
                let points = given.compactMap { if case .scale(let point) = $0 { point } else { nil } }
                return ItemSummary(itemID: item.id, answered: points.count,
                                   mean: points.isEmpty ? nil : Double(points.reduce(0, +)) / Double(points.count),
                                   counts: (1...5).map { point in .init(key: String(point), count: points.filter { $0 == point }.count) }, texts: [])
            case .choice(let options):
                let chosen = given.compactMap { if case .choice(let option) = $0 { option } else { nil } }
                return ItemSummary(itemID: item.id, answered: chosen.count, mean: nil,
                                   counts: options.map { option in .init(key: option.id, count: chosen.filter { $0 == option.id }.count) }, texts: [])
            case .text:
                let texts = given.compactMap { if case .text(let text) = $0 { text } else { nil } }
                return ItemSummary(itemID: item.id, answered: texts.count, mean: nil, counts: [], texts: texts)
            }
        }
        return ReactionSummary(answers: answers.count, items: items)
    }
}

/// Why answers or a round were refused.
public enum ReactionError: UserFacingError, Equatable {
    case missing(item: String)
    case invalid(item: String)
    case tooLong(item: String, limit: Int)
    case unknownItem(item: String)
    /// The person held no place or attended none of the module's sessions.
    case notAsked(cohort: String, module: String)
    case notOpen(cohort: String, module: String)
    case alreadyAnswered(cohort: String, module: String)
    case unknownModule(cohort: String, module: String)

    public var messageKey: String {
        switch self {
        case .missing: "reaction.error.missing"
        case .invalid: "reaction.error.invalid"
        case .tooLong: "reaction.error.too_long"
        case .unknownItem: "reaction.error.unknown_item"
        case .notAsked: "reaction.error.not_asked"
        case .notOpen: "reaction.error.not_open"
        case .alreadyAnswered: "reaction.error.already"
        case .unknownModule: "reaction.error.unknown_module"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .notAsked, .unknownModule: .notFound
        default: .refused
        }
    }

    /// The item the problem is about: a form shows the message beside it.
    public var field: String? {
        switch self {
        case .missing(let item), .invalid(let item), .unknownItem(let item), .tooLong(let item, _): item
        default: nil
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .missing(let item), .invalid(let item), .unknownItem(let item): ["item": item]
        case .tooLong(let item, let limit): ["item": item, "limit": String(limit)]
        case .notAsked(let cohort, let module), .notOpen(let cohort, let module), .alreadyAnswered(let cohort, let module),
             .unknownModule(let cohort, let module): ["cohort": cohort, "module": module]
        }
    }
}
