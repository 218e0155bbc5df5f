/// What the progress rules need to know about one session of a cohort, for one participant.
public struct SessionFact: Hashable, Sendable {
    /// The module taught.
    public var moduleID: String
    /// Scheduled length in minutes.
    public var scheduledMinutes: Int
    /// Held: not cancelled and its end has passed.
    public var held: Bool
    /// The participant's current attendance record, if any (a held session without one counts as absent).
    public var mark: AttendanceMark?

    public init(moduleID: String, scheduledMinutes: Int, held: Bool, mark: AttendanceMark?) {
        self.moduleID = moduleID
        self.scheduledMinutes = scheduledMinutes
        self.held = held
        self.mark = mark
    }
}

/// One participant's minutes in one module: what completion is decided from.
public struct ModuleTotals: Hashable, Sendable {
    public var moduleID: String
    /// Scheduled minutes of held sessions.
    public var heldMinutes: Int
    /// Minutes present in held sessions.
    public var presentMinutes: Int
    /// Scheduled minutes of held sessions the participant was excused from.
    public var excusedMinutes: Int
    /// Lengths of the sessions still to come.
    public var upcomingSessions: [Int]
    /// Whether any session of the module is scheduled at all.
    public var hasSessions: Bool

    public init(moduleID: String, heldMinutes: Int, presentMinutes: Int, excusedMinutes: Int, upcomingSessions: [Int],
                hasSessions: Bool) {
        self.moduleID = moduleID
        self.heldMinutes = heldMinutes
        self.presentMinutes = presentMinutes
        self.excusedMinutes = excusedMinutes
        self.upcomingSessions = upcomingSessions
        self.hasSessions = hasSessions
    }

    /// Totals of one module from a participant's sessions.
    public static func from(_ sessions: [SessionFact], moduleID: String) -> ModuleTotals {
        let own = sessions.filter { $0.moduleID == moduleID }
        let held = own.filter(\.held)
        return ModuleTotals(
            moduleID: moduleID, heldMinutes: held.reduce(0) { $0 + $1.scheduledMinutes },
            presentMinutes: held.reduce(0) { $0 + min($1.mark?.minutesPresent ?? 0, $1.scheduledMinutes) },
            excusedMinutes: held.filter { $0.mark?.status == .excused }.reduce(0) { $0 + $1.scheduledMinutes },
            upcomingSessions: own.filter { !$0.held }.map(\.scheduledMinutes), hasSessions: !own.isEmpty)
    }
}

/// One participant's progress in one module.
public struct ModuleProgress: Hashable, Sendable {
    public var moduleID: String
    /// Scheduled minutes of held sessions.
    public var heldMinutes: Int
    /// Minutes present in held sessions.
    public var presentMinutes: Int
    /// Scheduled minutes of held sessions excused (left out of the denominator under `excused="exempt"`).
    public var excusedMinutes: Int
    /// Scheduled minutes of sessions still to come.
    public var remainingMinutes: Int
    /// Sessions still to come.
    public var remainingSessions: Int
    /// The smallest remaining session, in minutes (0 when none remain).
    public var smallestRemainingSession: Int
    /// The denominator of the attendance percentage.
    public var countedMinutes: Int
    /// Attendance in percent of counted minutes; nil before any session counts.
    public var attendancePercent: Double?
    /// Minutes of the remaining sessions the participant must still attend to reach the threshold
    /// (0 when already secured; more than `remainingMinutes` when out of reach).
    public var minutesNeeded: Int
}

/// One participant's standing in one assessment.
public struct AssessmentProgress: Hashable, Sendable {
    public var definition: AssessmentDefinition
    /// Scores by attempt, in attempt order.
    public var scores: [Double]
    /// The best score, if any attempt was made.
    public var best: Double? { scores.max() }
    /// Whether the best attempt reaches the pass mark.
    public var passed: Bool { best.map(definition.isPassed) ?? false }
    /// Attempts still allowed.
    public var attemptsLeft: Int { max(0, definition.attempts - scores.count) }
}

/// Why a participant is at risk or cannot complete, in terms a message can be built from.
public enum ProgressReason: Hashable, Sendable {
    /// Needs `neededMinutes` of the `remainingMinutes` still scheduled in a module.
    case needsRemainingAttendance(moduleID: String, neededMinutes: Int, remainingMinutes: Int)
    /// Attendance in a module can no longer reach the threshold.
    case attendanceOutOfReach(moduleID: String, percent: Double?, threshold: Double)
    /// A required assessment not yet passed, after a failed attempt, with attempts left.
    case attemptsLeft(assessmentID: String, moduleID: String, attemptsLeft: Int)
    /// A required assessment failed with no attempts left.
    case assessmentFailed(assessmentID: String, moduleID: String)
    /// The weighted final score can no longer reach the pass mark.
    case finalScoreOutOfReach(best: Double, finalPass: Double)
    /// The weighted final score needs better results in the attempts still open.
    case finalScoreNeedsAttempts(current: Double, finalPass: Double)
}

/// The forecast: will the participant complete the program in this cohort?
public enum Forecast: Hashable, Sendable {
    /// Every rule is met and nothing remains.
    case completed
    /// Nothing stands in the way.
    case onTrack
    /// Completion is still possible but needs every remaining session or a remaining attempt.
    case atRisk([ProgressReason])
    /// Completion is no longer possible.
    case cannotComplete([ProgressReason])

    /// A short code: `completed`, `on_track`, `at_risk`, `cannot_complete`.
    public var code: String {
        switch self {
        case .completed: "completed"
        case .onTrack: "on_track"
        case .atRisk: "at_risk"
        case .cannotComplete: "cannot_complete"
        }
    }

    /// The reasons behind an at-risk or cannot-complete forecast.
    public var reasons: [ProgressReason] {
        switch self {
        case .atRisk(let reasons), .cannotComplete(let reasons): reasons
        case .completed, .onTrack: []
        }
    }
}

/// One participant's progress in one cohort: the single place completion is decided.
public struct ProgramProgress: Hashable, Sendable {
    public var modules: [ModuleProgress]
    /// Every assessment with its scores, pre-tests included (they are shown, not counted).
    public var assessments: [AssessmentProgress]
    /// Weighted final score, 0…100, from the best attempts (an assessment not taken counts 0).
    public var finalScore: Double
    /// Whether the program's completion rule is met (all sessions held, attendance, required
    /// assessments passed, final score).
    public var isComplete: Bool
    public var forecast: Forecast

    /// Evaluates the program's rules over a participant's sessions and scores.
    public static func evaluate(program: Program, sessions: [SessionFact], scores: [String: [Double]]) -> ProgramProgress {
        evaluate(program: program, totals: program.modules.map { ModuleTotals.from(sessions, moduleID: $0.id) }, scores: scores)
    }

    /// Evaluates the program's rules over per-module minute totals (from sessions or from the report rollups).
    public static func evaluate(program: Program, totals: [ModuleTotals], scores: [String: [Double]]) -> ProgramProgress {
        let rule = program.completion
        var modules: [ModuleProgress] = []
        var risks: [ProgressReason] = []
        var failures: [ProgressReason] = []
        var sessionsRemain = false

        for module in program.modules {
            let total = totals.first { $0.moduleID == module.id }
                ?? ModuleTotals(moduleID: module.id, heldMinutes: 0, presentMinutes: 0, excusedMinutes: 0, upcomingSessions: [],
                                hasSessions: false)
            let present = min(total.presentMinutes, total.heldMinutes)
            let remaining = total.upcomingSessions.reduce(0, +)
            let counted = rule.countedMinutes(held: total.heldMinutes, excused: total.excusedMinutes)
            // Least x of the remaining minutes with (present + x) / (counted + remaining) ≥ threshold,
            // in integer arithmetic so exactly 80 % passes.
            let denominator = counted + remaining
            let needed = max(0, Self.ceilDiv(Int((rule.attendancePercent * 100).rounded()) * denominator, 10_000) - present)
            let progress = ModuleProgress(
                moduleID: module.id, heldMinutes: total.heldMinutes, presentMinutes: present, excusedMinutes: total.excusedMinutes,
                remainingMinutes: remaining, remainingSessions: total.upcomingSessions.count,
                smallestRemainingSession: total.upcomingSessions.min() ?? 0, countedMinutes: counted,
                attendancePercent: counted > 0 ? min(100, Double(present) * 100 / Double(counted)) : nil, minutesNeeded: needed)
            modules.append(progress)
            if !total.upcomingSessions.isEmpty || !total.hasSessions { sessionsRemain = true }
            if needed > remaining {
                failures.append(.attendanceOutOfReach(moduleID: module.id, percent: progress.attendancePercent,
                                                      threshold: rule.attendancePercent))
            } else if needed > 0 && needed > remaining - progress.smallestRemainingSession {
                // Missing any one remaining session would fail the module.
                risks.append(.needsRemainingAttendance(moduleID: module.id, neededMinutes: needed, remainingMinutes: remaining))
            }
        }

        let shown = program.assessments.map { AssessmentProgress(definition: $0, scores: scores[$0.id] ?? []) }
        // A pre-test is shown with its score but never counts toward completion.
        let assessments = shown.filter { !$0.definition.isPretest }
        for assessment in assessments where assessment.definition.required && !assessment.passed && !assessment.scores.isEmpty {
            if assessment.attemptsLeft > 0 {
                risks.append(.attemptsLeft(assessmentID: assessment.definition.id, moduleID: assessment.definition.moduleID,
                                           attemptsLeft: assessment.attemptsLeft))
            } else {
                failures.append(.assessmentFailed(assessmentID: assessment.definition.id, moduleID: assessment.definition.moduleID))
            }
        }
        let finalScore = assessments.reduce(0.0) { $0 + Self.weighted($1, best: $1.best ?? 0) }
        // The best still reachable: full marks wherever an attempt remains.
        let reachable = assessments.reduce(0.0) { $0 + Self.weighted($1, best: $1.attemptsLeft > 0 ? $1.definition.maxScore : ($1.best ?? 0)) }
        let scoresComplete = assessments.allSatisfy { $0.attemptsLeft == 0 || $0.passed }
        if reachable + 1e-9 < rule.finalPass {
            failures.append(.finalScoreOutOfReach(best: reachable, finalPass: rule.finalPass))
        } else if finalScore + 1e-9 < rule.finalPass && scoresComplete == false
                    && assessments.contains(where: { !$0.scores.isEmpty && !$0.passed && $0.attemptsLeft > 0 }) {
            risks.append(.finalScoreNeedsAttempts(current: finalScore, finalPass: rule.finalPass))
        }

        let attendanceMet = modules.allSatisfy { $0.countedMinutes > 0 && $0.minutesNeeded == 0 } || modules.isEmpty
        let requiredPassed = assessments.allSatisfy { !$0.definition.required || $0.passed }
        let complete = !sessionsRemain && attendanceMet && requiredPassed && finalScore + 1e-9 >= rule.finalPass

        let forecast: Forecast
        if complete {
            forecast = .completed
        } else if !failures.isEmpty {
            forecast = .cannotComplete(failures)
        } else if !risks.isEmpty {
            forecast = .atRisk(risks)
        } else {
            forecast = .onTrack
        }
        return ProgramProgress(modules: modules, assessments: shown, finalScore: finalScore,
                               isComplete: complete, forecast: forecast)
    }

    private static func weighted(_ assessment: AssessmentProgress, best: Double) -> Double {
        best / assessment.definition.maxScore * 100 * assessment.definition.weight
    }

    private static func ceilDiv(_ numerator: Int, _ denominator: Int) -> Int {
        numerator <= 0 ? 0 : (numerator + denominator - 1) / denominator
    }
}

/// A participant's progress in a cohort.
public struct CohortProgress: Sendable {
    public var cohort: Cohort
    public var program: Program
    public var person: Person
    public var status: EnrolmentStatus
    public var progress: ProgramProgress

    /// Creates a value from its fields.
    public init(cohort: Cohort, program: Program, person: Person, status: EnrolmentStatus, progress: ProgramProgress) {
        self.cohort = cohort
        self.program = program
        self.person = person
        self.status = status
        self.progress = progress
    }
}

/// What the progress rules read about one enrolment: the person and their status, each of the cohort's sessions with
/// their mark, and their scores by assessment in attempt order.
public struct EnrolmentFacts: Sendable {
    public var person: Person
    public var status: EnrolmentStatus
    public var sessions: [SessionFact]
    public var scores: [String: [Double]]

    /// Creates the facts of one enrolment.
    public init(person: Person, status: EnrolmentStatus, sessions: [SessionFact], scores: [String: [Double]]) {
        self.person = person
        self.status = status
        self.sessions = sessions
        self.scores = scores
    }

    /// The person's progress under `program`'s rules (`ProgramProgress.evaluate`).
    public func progress(in program: Program) -> ProgramProgress {
        ProgramProgress.evaluate(program: program, sessions: sessions, scores: scores)
    }
}
