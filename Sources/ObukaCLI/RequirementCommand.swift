import ArgumentParser
import Localization
import TrainingCore
import TrainingOffice

/// `obuka requirement define|list|retire|gaps`: required training and who lacks it.
struct RequirementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requirement", abstract: helpText("cli.help.requirement.abstract"),
        subcommands: [Define.self, List.self, Retire.self, Gaps.self])

    struct Define: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "define", abstract: helpText("cli.help.requirement.define.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.requirement.code")) var code: String
        @Option(help: .catalog("cli.help.common.program_id")) var program: String
        @Flag(help: .catalog("cli.help.requirement.define.everyone")) var everyone = false
        @Option(help: .catalog("cli.help.requirement.define.department")) var department: String?
        @Option(help: .catalog("cli.help.requirement.define.job_title")) var jobTitle: String?
        @Option(help: .catalog("cli.help.requirement.define.days")) var days: NumberArgument?
        @Option(help: .catalog("cli.help.requirement.define.by")) var by: String?
        @Option(help: .catalog("cli.help.requirement.define.renew_years")) var renewYears: NumberArgument?
        @Option(help: .catalog("cli.help.requirement.effective")) var from: String?

        func validate() throws {
            let t = Localizer.commandLine
            guard [everyone, department != nil, jobTitle != nil].filter({ $0 }).count == 1 else {
                throw ValidationError(t("requirement.error.scope"))
            }
            guard (days == nil) != (by == nil) else { throw ValidationError(t("requirement.error.due")) }
            _ = try dayArgument(by, "--by")
            _ = try dayArgument(from, "--from")
        }

        func run() throws {
            let scope: TrainingRequirement.Scope = if let department { .department(DepartmentCode(department.uppercased())) }
                else if let jobTitle { .jobTitle(jobTitle) } else { .everyone }
            let due: TrainingRequirement.Due = if let days { .afterStart(days: try days.whole(.dueDays, "--days")) }
                else { .by(try dayArgument(by, "--by")!) }
            let draft = RequiredTrainingDesk.RuleDraft(
                code: code, programID: program, scope: scope, due: due,
                renewYears: try renewYears.map { try $0.whole(.renewYears, "--renew-years") }, effectiveFrom: try dayArgument(from, "--from"))
            let rule = try global.office().requiredTraining.define(draft, actor: global.resolvedActor)
            Console.line(RequirementCommand.defined(rule, global.localizer))
        }
    }

    /// `Pravilo ZNR, verzija 2: …; važi od 1. 1. 2027.`
    static func defined(_ rule: TrainingRequirement, _ t: Localizer) -> String {
        let text = RequirementText(localizer: t)
        return t("requirement.defined", ["code": rule.code, "version": String(rule.version), "program": rule.programID,
                                         "scope": text.scope(rule), "due": text.due(rule), "renew": text.renewal(rule),
                                         "date": t.date(rule.effectiveFrom)])
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.requirement.list.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer, text = RequirementText(localizer: t)
            let rules = try global.readingOffice().requiredTraining.rules()
            guard !rules.isEmpty else { return Console.line(t("requirement.none")) }
            Console.table(
                [t("requirement.column.code"), t("requirement.column.version"), t("requirement.column.program"), t("requirement.column.scope"),
                 t("requirement.column.due"), t("requirement.column.renew"), t("requirement.column.effective"), t("requirement.column.state")],
                rules.flatMap { history in
                    history.versions.map { rule, standing in
                        [rule.code, String(rule.version), rule.programID, text.scope(rule), text.due(rule), text.renewal(rule),
                         t.date(rule.effectiveFrom), t("requirement.state.\(standing.rawValue)")]
                    }
                })
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retire", abstract: helpText("cli.help.requirement.retire.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.requirement.code")) var code: String
        @Option(help: .catalog("cli.help.requirement.effective")) var from: String?

        func validate() throws { _ = try dayArgument(from, "--from") }

        func run() throws {
            let rule = try global.office().requiredTraining.retire(code: code, effectiveFrom: try dayArgument(from, "--from"),
                                                                   actor: global.resolvedActor)
            Console.line(global.localizer("requirement.retired_from", ["code": rule.code, "date": global.localizer.date(rule.effectiveFrom)]))
        }
    }

    struct Gaps: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "gaps", abstract: helpText("cli.help.requirement.gaps.abstract"))
        @OptionGroup var global: GlobalOptions
        @Option(help: .catalog("cli.help.requirement.gaps.department")) var department: String?
        @Option(help: .catalog("cli.help.common.personal_number")) var person: String?

        func validate() throws {
            guard (department == nil) != (person == nil) else { throw ValidationError(Localizer.commandLine("cli.error.person_or_department")) }
        }

        func run() throws {
            let t = global.localizer, text = RequirementText(localizer: t)
            let desk = try global.currentOffice().requiredTraining
            let gaps = try department.map { try desk.gaps(department: DepartmentCode($0.uppercased())) } ?? desk.gaps(person: person ?? "")
            guard !gaps.isEmpty else { return Console.line(t("gap.none")) }
            Console.table(
                [t("people.column.personal_number"), t("gap.column.person"), t("gap.column.requirement"), t("requirement.column.program"),
                 t("gap.column.due"), t("gap.column.state"), t("gap.column.detail")],
                gaps.map { gap in
                    [gap.person.personalNumber, t.listName(gap.person), gap.requirement.code, gap.requirement.programID,
                     gap.due.map(t.date) ?? "–", text.state(gap), text.detail(gap)]
                })
            Console.line(text.summary(gaps))
        }
    }
}
