/// Learning (Kirkpatrick level 2): what trainees knew before a module, by its pre-test, against what they showed in the
/// module's test. Scores are compared as percentages of each assessment's maximum, so tests marked out of different
/// maxima compare.
public struct LearningGain: Hashable, Sendable {
    /// The program and module the figures are for.
    public var programID: String
    public var moduleID: String
    public var moduleOrder: Int
    public var moduleTitle: LocalizedText
    /// The pre-test and the test it is compared with.
    public var pretestID: String
    public var testID: String
    /// Trainees with a score in both.
    public var pairs: Int
    /// Mean pre-test and test scores, in percent of their maxima (nil without pairs).
    public var meanBefore: Double?
    public var meanAfter: Double?

    /// The mean gain in percentage points: the mean test score less the mean pre-test score of the same trainees.
    public var meanGain: Double? {
        guard let meanBefore, let meanAfter else { return nil }
        return meanAfter - meanBefore
    }

    /// The pre-test of a module and the test it is compared with: the module's first pre-test and its first test that
    /// is not one (the loader refuses a pre-test without such a test). Nil when the module has no pre-test.
    public static func comparison(in module: Module) -> (pretest: AssessmentDefinition, test: AssessmentDefinition)? {
        guard let pretest = module.assessments.first(where: \.isPretest),
              let test = module.assessments.first(where: { !$0.isPretest && $0.kind == .test }) else { return nil }
        return (pretest, test)
    }

    /// One trainee's best scores in a cohort, by assessment id.
    public typealias Scores = [String: Double]

    /// The gain of every module with a pre-test, over trainees' best scores in programs: a trainee counts in a module
    /// when they have a score in both its pre-test and its test. Modules in the programs' order; a module with a
    /// pre-test but no pairs yet is listed with no means.
    public static func of(_ trainees: [(program: Program, scores: Scores)]) -> [LearningGain] {
        var programs: [String: Program] = [:]
        var order: [String] = []
        var sums: [String: (pairs: Int, before: Double, after: Double)] = [:]
        for (program, scores) in trainees {
            if programs[program.id] == nil { order.append(program.id) }
            programs[program.id] = programs[program.id] ?? program
            for module in program.modules {
                guard let (pretest, test) = comparison(in: module),
                      let before = scores[pretest.id], let after = scores[test.id] else { continue }
                let key = "\(program.id)#\(module.id)"
                var sum = sums[key] ?? (0, 0, 0)
                sum.pairs += 1
                sum.before += before / pretest.maxScore * 100
                sum.after += after / test.maxScore * 100
                sums[key] = sum
            }
        }
        return order.flatMap { id -> [LearningGain] in
            let program = programs[id]!
            return program.modules.compactMap { module in
                guard let (pretest, test) = comparison(in: module) else { return nil }
                let sum = sums["\(id)#\(module.id)"]
                let pairs = sum?.pairs ?? 0
                return LearningGain(programID: id, moduleID: module.id, moduleOrder: module.order, moduleTitle: module.title, pretestID: pretest.id, testID: test.id, pairs: pairs,
                                    meanBefore: sum.map { $0.before / Double(pairs) }, meanAfter: sum.map { $0.after / Double(pairs) })
            }
        }
    }

    /// The mean gain over several modules, each weighted by its pairs (nil without any pair).
    public static func overall(_ gains: [LearningGain]) -> (gain: Double, pairs: Int)? {
        let pairs = gains.reduce(0) { $0 + $1.pairs }
        guard pairs > 0 else { return nil }
        return (gains.reduce(0) { $0 + ($1.meanGain ?? 0) * Double($1.pairs) } / Double(pairs), pairs)
    }
}
