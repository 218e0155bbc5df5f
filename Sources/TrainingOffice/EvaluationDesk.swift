import Foundation
import TrainingCore
internal import TrainingStore

/// Reaction questionnaires after a module: what a trainee is asked, their anonymous answer, a round's deadline and its
/// results. Answering writes no audit entry (an entry has a person and a time); setting a deadline is audited.
public struct EvaluationDesk: Sendable {
    let context: OfficeContext

    /// A questionnaire waiting for a trainee: a module of a cohort they attended, over, and open until `deadline`.
    public struct Pending: Hashable, Sendable {
        public var cohort: Cohort
        public var moduleID: String
        public var moduleTitle: LocalizedText
        public var questionnaire: Questionnaire
        public var deadline: LocalDate
    }

    /// A round's results as far as they may be shown.
    public struct Results: Sendable {
        public var cohort: Cohort?
        public var moduleID: String
        public var questionnaire: Questionnaire
        /// The latest deadline of the rounds counted (nil: no round of the module has ended yet).
        public var deadline: LocalDate?
        /// False before the deadline: nothing is shown, not even the number of answers.
        public var visible: Bool
        public var summary: ReactionSummary
    }

    /// The questionnaires waiting for a person now.
    public func pending(personalNumber: String) throws -> [Pending] {
        let now = context.clock.now()
        return try context.read { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else { throw PeopleError.unknownPerson(personalNumber: personalNumber) }
            var result: [Pending] = []
            for (cohort, modules) in try tx.attendedModules(person: person.id) {
                let program = try tx.program(of: cohort)
                let ends = try tx.lastSessionEnds(cohort: cohort.id)
                let answered = try tx.answeredModules(person: person.id, cohort: cohort.id)
                for module in program.modules where modules.contains(module.id) && !answered.contains(module.id) {
                    guard let last = ends[module.id] else { continue }
                    let deadline = ReactionRules.deadline(lastSessionEnds: last, set: try tx.reactionDeadline(cohort: cohort.id, module: module.id))
                    guard ReactionRules.isOpen(lastSessionEnds: last, deadline: deadline, now: now),
                          let questionnaire = try Self.questionnaire(tx, program: program, module: module.id) else { continue }
                    result.append(Pending(cohort: cohort, moduleID: module.id, moduleTitle: module.title, questionnaire: questionnaire,
                                          deadline: deadline))
                }
            }
            return result
        }
    }

    /// Stores a trainee's answers to a module's questionnaire, once: refused when they did not attend the module, when
    /// it is not open, when they answered already, or when an answer breaks the questionnaire's rules.
    public func answer(personalNumber: String, cohort code: String, module: String, answers: [String: ReactionValue]) throws {
        guard let pending = try self.pending(personalNumber: personalNumber).first(where: { $0.cohort.code == code && $0.moduleID == module })
        else {
            try context.read { tx in
                let cohort = try tx.cohort(code: code)
                guard try tx.program(of: cohort).modules.contains(where: { $0.id == module }) else {
                    throw ReactionError.unknownModule(cohort: code, module: module)
                }
                guard let person = try tx.person(personalNumber: personalNumber),
                      try tx.attendedModules(person: person.id).contains(where: { $0.cohort.id == cohort.id && $0.modules.contains(module) })
                else { throw ReactionError.notAsked(cohort: code, module: module) }
                if try tx.answeredModules(person: person.id, cohort: cohort.id).contains(module) {
                    throw ReactionError.alreadyAnswered(cohort: code, module: module)
                }
            }
            throw ReactionError.notOpen(cohort: code, module: module)
        }
        let values = try ReactionRules.validated(answers, for: pending.questionnaire)
        try context.write { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else { throw PeopleError.unknownPerson(personalNumber: personalNumber) }
            guard try tx.insertReaction(person: person.id, cohort: pending.cohort.id, module: module, questionnaire: pending.questionnaire,
                                        values: values) else {
                throw ReactionError.alreadyAnswered(cohort: code, module: module)
            }
        }
    }

    /// Sets the deadline of a cohort's module (audited).
    public func setDeadline(cohort code: String, module: String, deadline: LocalDate, actor: Actor) throws {
        try context.write { tx in
            let cohort = try tx.cohort(code: code)
            guard try tx.program(of: cohort).modules.contains(where: { $0.id == module }) else {
                throw ReactionError.unknownModule(cohort: code, module: module)
            }
            try tx.setReactionDeadline(cohort: cohort.id, module: module, deadline: deadline)
            try tx.appendAudit(AuditEntry(actor: actor, action: "reaction.deadline", entityType: "cohort", entityID: code,
                                          details: AuditDetails([("module", .string(module)), ("deadline", .string(deadline.iso))]).json))
        }
    }

    /// A cohort's module results: shown after its deadline and from `ReactionRules.minimumAnswers` answers up.
    public func results(cohort code: String, module: String) throws -> Results {
        let now = context.clock.now()
        return try context.read { tx in
            let cohort = try tx.cohort(code: code)
            let program = try tx.program(of: cohort)
            guard program.modules.contains(where: { $0.id == module }) else { throw ReactionError.unknownModule(cohort: code, module: module) }
            guard let questionnaire = try Self.questionnaire(tx, program: program, module: module) else {
                throw ReactionError.unknownModule(cohort: code, module: module)
            }
            let deadline = try tx.lastSessionEnds(cohort: cohort.id)[module].map {
                ReactionRules.deadline(lastSessionEnds: $0, set: try tx.reactionDeadline(cohort: cohort.id, module: module))
            }
            let visible = deadline.map { ReactionRules.resultsVisible(deadline: $0, now: now) } ?? false
            let answers = visible ? try tx.reactionAnswers(cohort: cohort.id, module: module, programID: program.id) : []
            return Results(cohort: cohort, moduleID: module, questionnaire: questionnaire, deadline: deadline, visible: visible,
                           summary: visible ? ReactionSummary.of(answers, questionnaire: questionnaire) : ReactionSummary(answers: 0, items: nil))
        }
    }

    /// The learning gain of each module with a pre-test, over a cohort's place-holders.
    public func learningGain(cohort code: String) throws -> [LearningGain] {
        try context.read { tx in LearningGain.of(try tx.learningScores(cohort: try tx.cohort(code: code).id)) }
    }

    /// What a report shows of evaluation for its scope: learning gain and follow-ups, and with `reaction` (the program
    /// report: never per department) the reaction results per module and per trainer of the rounds whose deadlines
    /// have passed.
    public func figures(_ scope: ReportScope, reaction: Bool) throws -> EvaluationFigures {
        let now = context.clock.now()
        return try context.read { tx in
            var figures = EvaluationFigures(
                gains: LearningGain.of(try tx.learningScores(scope)),
                followUps: try FollowUpDesk.results(tx, department: scope.department, programID: scope.programID, from: scope.from,
                                                    to: scope.to))
            guard reaction else { return figures }
            struct Group {
                var program: Program
                var module: Module
                var trainer: String?
                var questionnaire: Questionnaire
                var rounds = 0, asked = 0
                var answers: [[String: ReactionValue]] = []
            }
            var groups: [String: Group] = [:], order: [String] = []
            // A year has thousands of rounds over a few program versions: each version and its modules' questionnaires
            // are read once, and a round nobody answered reads no answers.
            var programs: [String: Program] = [:], questionnaires: [String: Questionnaire?] = [:]
            for round in try tx.reactionRounds(programID: scope.programID, from: scope.from, to: scope.to, now: now) {
                let deadline = ReactionRules.deadline(lastSessionEnds: round.lastSessionEnds, set: round.deadline)
                guard ReactionRules.resultsVisible(deadline: deadline, now: now) else { continue }
                let version = "\(round.cohort.programID)@\(round.cohort.programVersion)"
                let program = try programs[version] ?? tx.program(of: round.cohort)
                programs[version] = program
                guard let module = program.modules.first(where: { $0.id == round.moduleID }) else { continue }
                let chosen = try questionnaires["\(version)#\(module.id)"] ?? Self.questionnaire(tx, program: program, module: module.id)
                questionnaires["\(version)#\(module.id)"] = chosen
                guard let questionnaire = chosen else { continue }
                let answers = !round.hasAnswers ? []
                    : try tx.reactionAnswers(cohort: round.cohort.id, module: module.id, programID: program.id)
                for trainer in [nil] + round.trainers.map(Optional.some) {
                    // Answers to different questionnaires (or versions) are not summed together.
                    let key = "\(trainer ?? "")#\(program.id)#\(module.id)#\(questionnaire.id)@\(questionnaire.version)"
                    if groups[key] == nil {
                        groups[key] = Group(program: program, module: module, trainer: trainer, questionnaire: questionnaire)
                        order.append(key)
                    }
                    groups[key]!.rounds += 1
                    groups[key]!.asked += round.asked
                    groups[key]!.answers += answers
                }
            }
            let reactions = order.compactMap { groups[$0] }.map { group in
                EvaluationFigures.Reaction(programID: group.program.id, moduleID: group.module.id, moduleOrder: group.module.order,
                                           moduleTitle: group.module.title,
                                           trainer: group.trainer, questionnaire: group.questionnaire, rounds: group.rounds,
                                           asked: group.asked, summary: ReactionSummary.of(group.answers, questionnaire: group.questionnaire))
            }
            let byModule: (EvaluationFigures.Reaction, EvaluationFigures.Reaction) -> Bool = {
                ($0.programID, $0.moduleOrder, $0.trainer ?? "") < ($1.programID, $1.moduleOrder, $1.trainer ?? "")
            }
            figures.modules = reactions.filter { $0.trainer == nil }.sorted(by: byModule)
            figures.trainers = reactions.filter { $0.trainer != nil }.sorted(by: byModule)
            return figures
        }
    }

    /// The questionnaire a program's module is evaluated with, stored newest version (nil when it is not stored).
    static func questionnaire(_ tx: StoreTransaction, program: Program, module: String) throws -> Questionnaire? {
        let id = (program.questionnaires ?? QuestionnaireChoice(program: nil, modules: [:]))
            .questionnaire(forModule: module, districtDefault: QuestionnaireRules.districtDefault)
        return try tx.questionnaire(id: id)
    }
}
