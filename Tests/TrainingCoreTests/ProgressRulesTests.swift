import Testing
import TrainingCore

@Suite struct ProgressRulesTests {
    /// Two modules of 4 h (two 2-hour sessions each), one test per module; 80 % attendance, final pass 60.
    func program(excused: CompletionRule.ExcusedAbsence = .absent, attempts: Int = 2) -> Program {
        Program(
            id: "p", version: 1, year: 2026, serialCode: "PP", validYears: nil, title: LocalizedText([.bosnian: "P"]),
            provider: DepartmentCode("EIMS"), goal: nil,
            completion: CompletionRule(attendancePercent: 80, excused: excused, finalPass: 60),
            modules: ["M1", "M2"].enumerated().map { index, id in
                Module(id: id, order: index + 1, hours: 4, title: LocalizedText([.bosnian: id]), assessments: [
                    AssessmentDefinition(id: "\(id)-T", moduleID: id, kind: .test, maxScore: 100, passScore: 60,
                                         weight: 0.5, attempts: attempts, required: true),
                ])
            })
    }

    func session(_ module: String, minutes: Int = 120, held: Bool = true, _ status: AttendanceStatus? = .present,
                 present: Int? = nil) -> SessionFact {
        SessionFact(moduleID: module, scheduledMinutes: minutes, held: held,
                    mark: status.map { AttendanceMark(status: $0, minutesPresent: present ?? ($0 == .present ? minutes : 0)) })
    }

    let passing: [String: [Double]] = ["M1-T": [70], "M2-T": [80]]

    func everyoneThere(except changes: [SessionFact] = []) -> [SessionFact] {
        var sessions = [session("M1"), session("M1"), session("M2"), session("M2")]
        for (index, change) in changes.enumerated() { sessions[index] = change }
        return sessions
    }

    @Test func fullAttendanceAndPassedTestsComplete() {
        let result = ProgramProgress.evaluate(program: program(), sessions: everyoneThere(), scores: passing)
        #expect(result.isComplete)
        #expect(result.forecast == .completed)
        #expect(abs(result.finalScore - 75) < 1e-9)
    }

    @Test func exactlyEightyPercentIsEnough() {
        // 5 sessions of 60 minutes, one missed: 240 / 300 = 80 %.
        let sessions = (0..<5).map { session("M1", minutes: 60, $0 == 0 ? .absent : .present) } + [session("M2"), session("M2")]
        let result = ProgramProgress.evaluate(program: program(), sessions: sessions, scores: passing)
        #expect(result.modules[0].attendancePercent == 80)
        #expect(result.isComplete)
        // One minute less is not.
        var short = sessions
        short[1] = session("M1", minutes: 60, .late, present: 59)
        #expect(ProgramProgress.evaluate(program: program(), sessions: short, scores: passing).forecast
                == .cannotComplete([.attendanceOutOfReach(moduleID: "M1", percent: 239.0 * 100 / 300, threshold: 80)]))
    }

    @Test func aLateArrivalCountsItsMinutes() {
        let result = ProgramProgress.evaluate(
            program: program(), sessions: everyoneThere(except: [session("M1", .late, present: 90)]), scores: passing)
        #expect(result.modules[0].presentMinutes == 210)
        #expect(result.modules[0].attendancePercent == 87.5)
        #expect(result.isComplete)
    }

    @Test func excusedAbsenceCountsAsAbsentUnlessExempt() {
        let sessions = everyoneThere(except: [session("M1", .excused)])
        let absent = ProgramProgress.evaluate(program: program(excused: .absent), sessions: sessions, scores: passing)
        #expect(absent.modules[0].attendancePercent == 50)
        #expect(absent.forecast.code == "cannot_complete")
        let exempt = ProgramProgress.evaluate(program: program(excused: .exempt), sessions: sessions, scores: passing)
        #expect(exempt.modules[0].countedMinutes == 120)
        #expect(exempt.modules[0].attendancePercent == 100)
        #expect(exempt.isComplete)
    }

    @Test func needingEveryRemainingSessionIsAtRiskWithTheHoursInTheReason() {
        // M2: first session missed, the next two (4 h) still to come: 480 of 600 needs all 480 remaining.
        let sessions = [session("M1"), session("M1"), session("M2", .absent),
                        session("M2", minutes: 240, held: false, nil), session("M2", minutes: 240, held: false, nil)]
        let result = ProgramProgress.evaluate(program: program(), sessions: sessions, scores: passing)
        #expect(result.forecast == .atRisk([.needsRemainingAttendance(moduleID: "M2", neededMinutes: 480, remainingMinutes: 480)]))
        #expect(!result.isComplete)
    }

    @Test func slackInTheRemainingSessionsIsOnTrack() {
        // 3 of 5 M2 sessions attended, 2 to come: needs 120 of the 240 minutes left, so one may be missed.
        let sessions = [session("M1"), session("M1"), session("M2"), session("M2"), session("M2"),
                        session("M2", held: false, nil), session("M2", held: false, nil)]
        let result = ProgramProgress.evaluate(program: program(), sessions: sessions, scores: [:])
        #expect(result.forecast == .onTrack)
        #expect(result.modules[1].minutesNeeded == 120)
    }

    @Test func aFailedTestWithAnAttemptLeftIsAtRiskAndWithoutIsCannotComplete() {
        let withAttempt = ProgramProgress.evaluate(program: program(), sessions: everyoneThere(),
                                                   scores: ["M1-T": [50], "M2-T": [90]])
        #expect(withAttempt.forecast == .atRisk([.attemptsLeft(assessmentID: "M1-T", moduleID: "M1", attemptsLeft: 1)]))
        let exhausted = ProgramProgress.evaluate(program: program(), sessions: everyoneThere(),
                                                 scores: ["M1-T": [50, 55], "M2-T": [90]])
        #expect(exhausted.forecast.reasons.contains(.assessmentFailed(assessmentID: "M1-T", moduleID: "M1")))
        #expect(exhausted.forecast.code == "cannot_complete")
    }

    @Test func theLastAllowedAttemptCountsWithItsBestScore() {
        let result = ProgramProgress.evaluate(program: program(), sessions: everyoneThere(),
                                              scores: ["M1-T": [40, 65], "M2-T": [90]])
        #expect(result.assessments[0].best == 65)
        #expect(result.assessments[0].attemptsLeft == 0)
        #expect(result.isComplete)
    }

    @Test func passingEveryTestButMissingTheFinalMarkCannotComplete() {
        var lenient = program(attempts: 1)
        lenient.completion.finalPass = 90
        let result = ProgramProgress.evaluate(program: lenient, sessions: everyoneThere(), scores: passing)
        #expect(result.forecast == .cannotComplete([.finalScoreOutOfReach(best: 75, finalPass: 90)]))
    }

    @Test func heldSessionsWithoutARecordCountAsAbsent() {
        let result = ProgramProgress.evaluate(program: program(), sessions: everyoneThere(except: [session("M1", nil)]),
                                              scores: passing)
        #expect(result.modules[0].attendancePercent == 50)
    }

    @Test func attendanceMarksFollowTheStatus() {
        #expect(AttendanceMark.make(status: .present, minutes: nil, sessionMinutes: 240)?.minutesPresent == 240)
        #expect(AttendanceMark.make(status: .late, minutes: nil, sessionMinutes: 240) == nil)
        #expect(AttendanceMark.make(status: .late, minutes: 240, sessionMinutes: 240) == nil)
        #expect(AttendanceMark.make(status: .late, minutes: 200, sessionMinutes: 240)?.minutesPresent == 200)
        #expect(AttendanceMark.make(status: .absent, minutes: 30, sessionMinutes: 240) == nil)
    }
}
