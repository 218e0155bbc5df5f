import Foundation
import TrainingCore
internal import TrainingStore

/// Follow-ups on use at work: some months after a completion (`FollowUpRules`, created by the clock tick) the trainee
/// and the head of their department each answer a short questionnaire about it. An answer names its person and is
/// audited; results are shown per department and program only from `ReactionRules.minimumAnswers` answers up.
public struct FollowUpDesk: Sendable {
    let context: OfficeContext

    /// A follow-up waiting for its respondent, with its questionnaire.
    public struct Pending: Sendable {
        public var followUp: FollowUp
        public var questionnaire: Questionnaire
    }

    /// The follow-ups a trainee may answer today.
    public func pending(personalNumber: String) throws -> [Pending] {
        let today = context.clock.today
        return try context.read { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else { throw PeopleError.unknownPerson(personalNumber: personalNumber) }
            return try Self.open(tx, try tx.followUps(person: person.id), today: today)
        }
    }

    /// The follow-ups a department's head may answer today, about the department's trainees.
    public func headPending(department: DepartmentCode) throws -> [Pending] {
        let today = context.clock.today
        return try context.read { tx in
            guard try tx.department(department) != nil else { throw PeopleError.unknownDepartment(code: department.rawValue) }
            return try Self.open(tx, try tx.headFollowUps(department: department), today: today)
        }
    }

    private static func open(_ tx: StoreTransaction, _ followUps: [FollowUp], today: LocalDate) throws -> [Pending] {
        try followUps.filter { $0.isOpen(today: today) }.compactMap { followUp in
            try tx.questionnaire(id: followUp.questionnaireID, version: followUp.questionnaireVersion).map { Pending(followUp: followUp, questionnaire: $0) }
        }
    }

    /// Who answers: a trainee (their own follow-ups) or the head of a department (that department's).
    public enum Respondent: Sendable {
        case trainee(personalNumber: String)
        case head(department: DepartmentCode)
    }

    /// Whether a follow-up exists for this respondent (answered, open or closed): any other is, to them, not there.
    public func belongs(id: Int64, to respondent: Respondent) throws -> Bool {
        try context.read { tx in try tx.followUp(id: id).map { Self.belongs($0, to: respondent) } ?? false }
    }

    private static func belongs(_ followUp: FollowUp, to respondent: Respondent) -> Bool {
        switch respondent {
        case .trainee(let number): followUp.respondent == .trainee && followUp.person.personalNumber == number
        case .head(let department): followUp.respondent == .head && followUp.department == department
        }
    }

    /// Stores the answers to a follow-up, once, with an audit entry: refused when it is not the respondent's, not open
    /// today, answered already, or when an answer breaks the questionnaire's rules.
    public func answer(id: Int64, as respondent: Respondent, answers: [String: ReactionValue], actor: Actor) throws {
        let today = context.clock.today
        try context.write { tx in
            guard let followUp = try tx.followUp(id: id), Self.belongs(followUp, to: respondent) else { throw FollowUpError.unknown(id: id) }
            if followUp.answers != nil { throw FollowUpError.alreadyAnswered(id: id) }
            guard followUp.isOpen(today: today),
                  let questionnaire = try tx.questionnaire(id: followUp.questionnaireID, version: followUp.questionnaireVersion)
            else { throw FollowUpError.notOpen(id: id) }
            let values = try ReactionRules.validated(answers, for: questionnaire)
            guard try tx.answerFollowUp(id: id, answers: values, by: actor) else { throw FollowUpError.alreadyAnswered(id: id) }
            try tx.appendAudit(AuditEntry(actor: actor, action: "follow_up.answer", entityType: "person",
                                          entityID: followUp.person.personalNumber,
                                          details: AuditDetails([("cohort", .string(followUp.cohort.code)),
                                                                 ("respondent", .string(followUp.respondent.rawValue))]).json))
        }
    }

    /// Each respondent's results for a department (nil: every department) and program (nil: all) in a period: cohorts
    /// running in it whose completed trainees were asked.
    public func results(department: DepartmentCode?, programID: String?, from: LocalDate, to: LocalDate) throws
        -> [EvaluationFigures.FollowUps] {
        try context.read { tx in
            if let department, try tx.department(department) == nil { throw PeopleError.unknownDepartment(code: department.rawValue) }
            return try Self.results(tx, department: department, programID: programID, from: from, to: to)
        }
    }

    static func results(_ tx: StoreTransaction, department: DepartmentCode?, programID: String?, from: LocalDate,
                        to: LocalDate) throws -> [EvaluationFigures.FollowUps] {
        try FollowUpRespondent.allCases.map { respondent in
            let (asked, answers) = try tx.followUpAnswers(respondent: respondent, department: department, programID: programID,
                                                          from: from, to: to)
            // Nobody asked: nothing to summarise, and no questionnaire to decode (a report reads this on every view).
            let questionnaire = asked == 0 ? nil : try tx.questionnaire(id: FollowUpRules.questionnaire(for: respondent))
            return EvaluationFigures.FollowUps(respondent: respondent, questionnaire: questionnaire, asked: asked,
                                               summary: questionnaire.map { ReactionSummary.of(answers, questionnaire: $0) }
                                                   ?? ReactionSummary(answers: answers.count, items: nil))
        }
    }
}
