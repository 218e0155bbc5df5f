/// What a report shows of evaluation: reaction per module and per trainer (program report only: per department it would
/// identify the one or two people a department sends), learning gain, and follow-ups on use at work.
public struct EvaluationFigures: Sendable {
    /// The reaction answers of a group of rounds (a module's across cohorts, or a trainer's module) whose deadlines have
    /// passed.
    public struct Reaction: Sendable {
        public var programID: String
        public var moduleID: String
        public var moduleOrder: Int
        public var moduleTitle: LocalizedText
        /// The trainer the group is for (nil: every round of the module).
        public var trainer: String?
        public var questionnaire: Questionnaire
        /// Rounds counted, trainees asked in them (who attended) and the summary of the answers.
        public var rounds: Int
        public var asked: Int
        public var summary: ReactionSummary

        public init(programID: String, moduleID: String, moduleOrder: Int, moduleTitle: LocalizedText, trainer: String?,
                    questionnaire: Questionnaire, rounds: Int, asked: Int, summary: ReactionSummary) {
            self.programID = programID
            self.moduleID = moduleID
            self.moduleOrder = moduleOrder
            self.moduleTitle = moduleTitle
            self.trainer = trainer
            self.questionnaire = questionnaire
            self.rounds = rounds
            self.asked = asked
            self.summary = summary
        }

        /// Share of those asked who answered, in percent (nil when nobody was asked).
        public var responseRate: Double? { asked > 0 ? Double(summary.answers) * 100 / Double(asked) : nil }

        /// The mean of every scale answer of the group (nil below the threshold or without scale items).
        public var overallMean: Double? { summary.overallMean }
    }

    /// One respondent's follow-ups.
    public struct FollowUps: Sendable {
        public var respondent: FollowUpRespondent
        public var questionnaire: Questionnaire?
        /// How many were asked; the summary counts those who answered.
        public var asked: Int
        public var summary: ReactionSummary

        public init(respondent: FollowUpRespondent, questionnaire: Questionnaire?, asked: Int, summary: ReactionSummary) {
            self.respondent = respondent
            self.questionnaire = questionnaire
            self.asked = asked
            self.summary = summary
        }

        public var responseRate: Double? { asked > 0 ? Double(summary.answers) * 100 / Double(asked) : nil }
    }

    public var modules: [Reaction]
    public var trainers: [Reaction]
    public var gains: [LearningGain]
    public var followUps: [FollowUps]

    public init(modules: [Reaction] = [], trainers: [Reaction] = [], gains: [LearningGain] = [], followUps: [FollowUps] = []) {
        self.modules = modules
        self.trainers = trainers
        self.gains = gains
        self.followUps = followUps
    }
}

extension ReactionSummary {
    /// Every scale point given in the summary: how many answers gave 1, 2, … 5, over all scale items (nil below the
    /// threshold).
    public var scaleDistribution: [Int]? {
        guard let items else { return nil }
        var counts = Array(repeating: 0, count: 5)
        for item in items where item.mean != nil {
            for count in item.counts { if let point = Int(count.key), (1...5).contains(point) { counts[point - 1] += count.count } }
        }
        return counts
    }

    /// The mean of every scale point given (nil below the threshold or with none).
    public var overallMean: Double? {
        guard let distribution = scaleDistribution else { return nil }
        let total = distribution.reduce(0, +)
        guard total > 0 else { return nil }
        return Double(distribution.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(total)
    }
}
