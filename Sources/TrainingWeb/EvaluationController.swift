import Foundation
import HTTPTypes
import Hummingbird
import Localization
import Reports
import TrainingCore
import TrainingOffice

/// Module evaluations: a trainee's questionnaire after a module (a phone-sized form, answered once, anonymously), and
/// a cohort's results for the coordinator (after the deadline, from five answers, free text in random order), with the
/// deadline of each module. Pages and API routes side by side.
struct EvaluationController {
    let evaluation: EvaluationDesk
    let cohorts: CohortPlanning
    let selfService: TraineeSelfService
    let pages: Pages

    func register(on routes: RouteTable) {
        routes.get("/my/evaluations/{code}/{module}", .viewOwnProgress) { _, context in
            try formPage(try pending(context), context)
        }
        routes.post("/my/evaluations/{code}/{module}", .viewOwnProgress) { request, context in try await answer(request, context) }
        routes.get("/cohorts/{code}/evaluation", .viewEvaluationResults) { request, context in
            try resultsPage(try CohortController.cohort(context, cohorts), context, notice: context.localizer.notice(request))
        }
        routes.post("/cohorts/{code}/evaluation/deadline", .viewEvaluationResults) { request, context in
            try await setDeadline(request, context)
        }

        let api = APIController.prefix
        routes.get("\(api)/me/evaluations", .viewOwnProgress) { _, context in
            let number = try ownNumber(context)
            return try APIJSON.response(try evaluation.pending(personalNumber: number).map { PendingEvaluationDTO($0, context.language) })
        }
        routes.post("\(api)/me/evaluations/{code}/{module}", .viewOwnProgress) { request, context in
            let answers = try await APIJSON.body(ReactionRequest.self, request, context).values
            let number = try ownNumber(context), code = try context.parameters.require("code"), module = try context.parameters.require("module")
            let given = answers
            try await offload { try evaluation.answer(personalNumber: number, cohort: code, module: module, answers: given) }
            return try APIJSON.response(["saved": true], status: .created)
        }
        routes.get("\(api)/cohorts/{code}/evaluation", .viewEvaluationResults) { _, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let program = try cohorts.program(of: cohort)
            return try APIJSON.response(try program.modules.map { module in
                ModuleEvaluationDTO(try evaluation.results(cohort: cohort.code, module: module.id))
            })
        }
        routes.get("\(api)/cohorts/{code}/learning-gain", .viewEvaluationResults) { _, context in
            let cohort = try CohortController.cohort(context, cohorts)
            return try APIJSON.response(try evaluation.learningGain(cohort: cohort.code).map(LearningGainDTO.init))
        }
        routes.post("\(api)/cohorts/{code}/evaluation/deadline", .viewEvaluationResults) { request, context in
            let cohort = try CohortController.cohort(context, cohorts)
            let body = try await APIJSON.body(DeadlineRequest.self, request, context)
            let day = try APIDates.day(body.deadline, context), actor = try context.actor()
            try await offload { try evaluation.setDeadline(cohort: cohort.code, module: body.module, deadline: day, actor: actor) }
            return try APIJSON.response(ModuleEvaluationDTO(try evaluation.results(cohort: cohort.code, module: body.module)))
        }
    }

    private func ownNumber(_ context: WebContext) throws -> String { try context.ownPersonalNumber(selfService) }

    /// The questionnaire the path names, if it waits for the signed-in trainee; any other is simply not found.
    private func pending(_ context: WebContext) throws -> EvaluationDesk.Pending {
        let code = try context.parameters.require("code"), module = try context.parameters.require("module")
        guard let pending = try evaluation.pending(personalNumber: try ownNumber(context))
            .first(where: { $0.cohort.code == code && $0.moduleID == module }) else { throw WebError.notFound }
        return pending
    }

    // MARK: The trainee's form

    struct FormPage {
        struct Item {
            struct Choice {
                /// `input_id`, not `id`: the template reads the item's `id` inside a choice for the radio group's name.
                let value, label, input_id: String
                let checked: Bool
            }
            let id, question: String
            let required: Bool
            let scale: Bool, choice: Bool, open: Bool
            let low, high: String?
            let choices: [Choice]
            let text: String
            let error: String?
        }
        let cohort, module_id, module, title, anonymous, action: String
        let items: [Item]
        let errors: [String]

        /// A questionnaire's items as the form shows them, with what was typed and the problems found.
        static func items(_ questionnaire: Questionnaire, _ language: Language, typed: [String: String],
                          problems: [String: String]) -> [Item] {
            questionnaire.items.map { item -> Item in
                var low: String?, high: String?, choices: [Item.Choice] = []
                switch item.kind {
                case .scale(let lowText, let highText):
                    low = lowText?.text(in: language)
                    high = highText?.text(in: language)
                    choices = (1...5).map { .init(value: String($0), label: String($0), input_id: "\(item.id)-\($0)", checked: typed[item.id] == String($0)) }
                case .choice(let options):
                    choices = options.map { .init(value: $0.id, label: $0.text.text(in: language), input_id: "\(item.id)-\($0.id)", checked: typed[item.id] == $0.id) }
                case .text: break
                }
                let kind: (Bool, Bool, Bool) = switch item.kind {
                case .scale: (true, false, false)
                case .choice: (false, true, false)
                case .text: (false, false, true)
                }
                return .init(id: item.id, question: item.text.text(in: language), required: item.required, scale: kind.0, choice: kind.1,
                             open: kind.2, low: low, high: high, choices: choices, text: typed[item.id] ?? "", error: problems[item.id])
            }
        }

        /// The answers a posted form gives to a questionnaire, and the numbers it could not read (by item).
        static func answers(_ form: Form, _ questionnaire: Questionnaire, _ t: Localizer)
            -> (answers: [String: ReactionValue], problems: [String: String]) {
            var answers: [String: ReactionValue] = [:], problems: [String: String] = [:]
            for item in questionnaire.items {
                guard let value = form[item.id] else { continue }
                switch item.kind {
                case .scale:
                    do throws(NumberInputError) {
                        answers[item.id] = .scale(try NumberField.reactionScale.readWhole(value, field: item.id))
                    } catch { problems[item.id] = t.message(for: error) }
                case .choice: answers[item.id] = .choice(value)
                case .text: answers[item.id] = .text(form.raw(item.id))
                }
            }
            return (answers, problems)
        }
    }

    private func formPage(_ pending: EvaluationDesk.Pending, _ context: WebContext, typed: [String: String] = [:],
                          problems: [String: String] = [:], status: HTTPResponse.Status = .ok) throws -> Response {
        let t = context.localizer
        let module = pending.moduleTitle.text(in: context.language)
        let page = FormPage(
            cohort: t.script(pending.cohort.name), module_id: pending.moduleID, module: module,
            title: t("web.evaluation.title", ["module": module]),
            anonymous: t("web.evaluation.anonymous", ["date": t.date(pending.deadline)]),
            action: "/my/evaluations/\(pending.cohort.code)/\(pending.moduleID)",
            items: FormPage.items(pending.questionnaire, context.language, typed: typed, problems: problems),
            errors: problems["form"].map { [$0] } ?? [])
        return pages.render("evaluation_form", page, context: context, status: status)
    }

    private func answer(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let pending = try pending(context)
        let t = context.localizer
        let (given, read) = FormPage.answers(form, pending.questionnaire, t)
        var problems = read
        if problems.isEmpty {
            let number = try ownNumber(context)
            do {
                try await offload {
                    try evaluation.answer(personalNumber: number, cohort: pending.cohort.code, module: pending.moduleID, answers: given)
                }
                return .seeOther("/my?notice=evaluation_saved")
            } catch let error as ReactionError {
                problems[error.field ?? "form"] = t.message(for: error)
            }
        }
        return try formPage(pending, context, typed: form.values, problems: problems, status: .unprocessableContent)
    }

    // MARK: The coordinator's results

    struct ResultsPage {
        struct Module {
            struct Row {
                let id, question, mean, distribution: String
            }
            let id, title, deadline, deadline_iso, state: String
            let shown: Bool
            struct Comments {
                let question: String
                let texts: [String]
            }
            let rows: [Row]
            let comments: [Comments]
            let answers: String?
        }
        struct Gain {
            let module, pairs, before, after, gain: String
        }
        let code, name: String
        let modules: [Module]
        let gains: [Gain]
    }

    private func resultsPage(_ cohort: Cohort, _ context: WebContext, notice: String? = nil) throws -> Response {
        let t = context.localizer, language = context.language
        let program = try cohorts.program(of: cohort)
        let text = EvaluationText(localizer: t, language: language)
        let modules = try program.modules.map { module -> ResultsPage.Module in
            let results = try evaluation.results(cohort: cohort.code, module: module.id)
            let state = text.state(results)
            return .init(id: module.id, title: "\(module.order). \(module.title.text(in: language))",
                         deadline: results.deadline.map(t.date) ?? "–", deadline_iso: results.deadline?.iso ?? "", state: state ?? "",
                         shown: state == nil,
                         rows: text.rows(results).map { .init(id: $0.itemID, question: $0.question, mean: $0.mean, distribution: $0.distribution) },
                         comments: text.comments(results).map { .init(question: $0.question, texts: $0.texts) }, answers: text.answers(results))
        }
        let gains = text.gainRows(try evaluation.learningGain(cohort: cohort.code)).map {
            ResultsPage.Gain(module: $0.module, pairs: $0.pairs, before: $0.before, after: $0.after, gain: $0.gain)
        }
        return pages.render("evaluation_results", ResultsPage(code: cohort.code, name: t.script(cohort.name), modules: modules, gains: gains),
                            context: context, notice: notice)
    }

    private func setDeadline(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await request.form(context)
        let cohort = try CohortController.cohort(context, cohorts)
        let t = context.localizer
        guard let module = form["module"], let text = form["deadline"], let day = LocalDate(typed: text) else {
            throw WebError.badRequest(t("web.form.bad_date", ["value": form.raw("deadline")]))
        }
        let actor = try context.actor()
        do {
            try await offload { try evaluation.setDeadline(cohort: cohort.code, module: module, deadline: day, actor: actor) }
        } catch let error as ReactionError where error.kind == .notFound {
            throw WebError.notFound
        }
        return .seeOther("/cohorts/\(cohort.code)/evaluation?notice=evaluation_deadline_saved")
    }
}

// MARK: Transfer objects

struct PendingEvaluationDTO: Encodable {
    var cohort, module, moduleTitle, questionnaireId, deadline: String
    var questionnaireVersion: Int

    init(_ pending: EvaluationDesk.Pending, _ language: Language) {
        cohort = pending.cohort.code; module = pending.moduleID; moduleTitle = pending.moduleTitle.text(in: language)
        questionnaireId = pending.questionnaire.id; questionnaireVersion = pending.questionnaire.version; deadline = pending.deadline.iso
    }
}

/// A trainee's answers: each item by id with a scale point, an option id or free text.
struct ReactionRequest: Decodable {
    struct Answer: Decodable {
        var item: String
        var scale: JSONNumber<ReactionScaleKind>?
        var choice: String?
        var text: String?
    }
    var answers: [Answer]

    /// The answers by item.
    var values: [String: ReactionValue] {
        var values: [String: ReactionValue] = [:]
        for answer in answers {
            values[answer.item] = if let point = answer.scale { .scale(Int(point.value)) }
                else if let option = answer.choice { .choice(option) } else { .text(answer.text ?? "") }
        }
        return values
    }
}

/// A module's learning gain: the mean pre-test and test scores (percent of their maxima) of the trainees with both.
struct LearningGainDTO: Encodable {
    var programId, module, pretest, test: String
    var pairs: Int
    var meanBefore, meanAfter, meanGain: Double?

    init(_ gain: LearningGain) {
        programId = gain.programID; module = gain.moduleID; pretest = gain.pretestID; test = gain.testID; pairs = gain.pairs
        meanBefore = gain.meanBefore; meanAfter = gain.meanAfter; meanGain = gain.meanGain
    }
}

enum ReactionScaleKind: NumberKind { static var field: NumberField { .reactionScale } }

struct DeadlineRequest: Decodable { var module: String; var deadline: String }

/// A cohort's module results: nothing before the deadline, no figures below five answers, free text in random order.
struct ModuleEvaluationDTO: Encodable {
    struct ItemDTO: Encodable {
        var item: String
        var answered: Int
        var mean: Double?
        var counts: [String: Int]?
        var texts: [String]?
    }
    var cohort, module, questionnaireId: String
    var deadline: String?
    var visible: Bool
    var answers: Int?
    var items: [ItemDTO]?

    init(_ results: EvaluationDesk.Results) {
        cohort = results.cohort?.code ?? ""; module = results.moduleID; questionnaireId = results.questionnaire.id
        deadline = results.deadline?.iso; visible = results.visible
        answers = results.summary.items != nil ? results.summary.answers : nil
        items = results.summary.items?.map { item in
            ItemDTO(item: item.itemID, answered: item.answered, mean: item.mean,
                    counts: item.counts.isEmpty ? nil : Dictionary(uniqueKeysWithValues: item.counts.map { ($0.key, $0.count) }),
                    texts: item.texts.isEmpty ? nil : item.texts.shuffled())
        }
    }
}
