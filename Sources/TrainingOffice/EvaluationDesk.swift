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

    /// The questionnaire a program's module is evaluated with, stored newest version (nil when it is not stored).
    static func questionnaire(_ tx: StoreTransaction, program: Program, module: String) throws -> Questionnaire? {
        let id = (program.questionnaires ?? QuestionnaireChoice(program: nil, modules: [:]))
            .questionnaire(forModule: module, districtDefault: QuestionnaireRules.districtDefault)
        return try tx.questionnaire(id: id)
    }
}
