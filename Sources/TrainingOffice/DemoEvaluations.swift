import Foundation
import TrainingCore
internal import TrainingStore

/// The demo's module questionnaires: cohort A's trainees who completed answered each module with a spread of views;
/// modules 1 and 2 are past their deadlines (results to read), module 3 stays open a few days more, and the demo trainee
/// has yet to answer it.
extension DemoData {
    func seedEvaluations(_ office: TrainingOffice, actor: Actor) throws {
        let today = context.clock.today
        let cohort = Self.cohortCode
        let sessions = try office.scheduling.sessions(cohort: cohort).filter { !$0.cancelled }
        let completed = try office.enrolment.enrolments(cohort: cohort).filter { $0.status == .completed }.map(\.person.personalNumber)
        let demoTrainee = try office.enrolment.enrolments(cohort: cohort).first { $0.status.occupiesPlace }?.person.personalNumber
        let modules = Dictionary(grouping: sessions, by: \.moduleID).compactMapValues { $0.map(\.ends).max() }
        // A spread of views: each trainee leans one way, each question moves it a little.
        let leanings = [5, 4, 4, 3, 5, 4, 2, 4, 5, 3, 4, 4, 5, 3, 4, 5, 4, 3, 4, 5]
        let useful = ["Primjer iz Ključa i rad s udruženjima.", "Odlični predavači, jasno i konkretno.",
                      "Korisno za svakodnevni rad na šalteru."]
        let improve = ["Više praktičnih primjera iz rada s dijasporom.", "Termini su bili predugi za jedan dan.",
                       "Bilo bi dobro dobiti materijale unaprijed."]
        for (moduleIndex, (module, lastEnds)) in modules.sorted(by: { $0.key < $1.key }).enumerated() {
            let isLast = module == modules.keys.max()
            // Answered over the days after the module; modules 1 and 2 closed a week after, module 3 open three days more.
            let deadline = isLast ? today.adding(days: 3) : min(lastEnds.date.adding(days: 7), today.adding(days: -1))
            guard deadline >= lastEnds.date else { continue }
            try office.evaluation.setDeadline(cohort: cohort, module: module, deadline: deadline, actor: actor)
            let answering = Self.at(LocalDateTime(date: lastEnds.date.adding(days: 1), hour: 10, minute: 0)!, context).evaluation
            for (position, number) in completed.enumerated() where !(isLast && number == demoTrainee) {
                let lean = leanings[position % leanings.count]
                var answers: [String: ReactionValue] = ["Q6": .choice(["dobro", "dobro", "dugo", "kratko", "dobro"][(position + moduleIndex) % 5])]
                for item in 1...5 { answers["Q\(item)"] = .scale(min(5, max(1, lean + (item + position + moduleIndex) % 3 - 1))) }
                if position % 3 == moduleIndex % 3 { answers["Q8"] = .text(improve[(position / 3 + moduleIndex) % improve.count]) }
                if position % 4 == 1 { answers["Q7"] = .text(useful[(position / 4 + moduleIndex) % useful.count]) }
                try answering.answer(personalNumber: number, cohort: cohort, module: module, answers: answers)
            }
        }
    }

    /// Learning gain and use at work in the demo. `ZLP-1` ran on the data-protection program's version 2, with a pre-test
    /// before each module, and ended seven weeks ago: its modules show the gain from about half marks to about four
    /// fifths. `ETI-1` (ethics) ended a hundred days ago, so its trainees' follow-ups and their heads' are due: most
    /// trainees answered; the heads answered about their people, the demo head about all but one, and the demo trainee has
    /// yet to answer their own.
    func seedLearningAndFollowUps(_ office: TrainingOffice, actor: Actor) throws {
        let today = context.clock.today
        let people = try office.people.list()
        let demoTrainee = try office.enrolment.enrolments(cohort: Self.cohortCode).first { $0.status.occupiesPlace }?.person
        // Pre-tests: twelve people, three modules a week apart.
        let zlp = Array(people.dropFirst(8).prefix(12).map(\.personalNumber))
        let zlpStart = Self.workingDay(onOrAfter: today.adding(days: -70))
        _ = try office.cohorts.create(code: "ZLP-1", name: "Zaštita podataka – grupa 1", program: "zastita-podataka-2026", version: 2,
                                      starts: zlpStart, ends: zlpStart.adding(days: 21), capacity: 15, actor: actor)
        try runCohort(office, "ZLP-1", people: zlp, modules: ["M1", "M2", "M3"], from: zlpStart, actor: actor) { position, module in
            let moduleIndex = Int(module.dropFirst()) ?? 1
            let before = Double(35 + (position * 11 + moduleIndex * 7) % 30)
            return [("\(module)-P", before), ("\(module)-T", min(100, before + Double(20 + (position * 5 + moduleIndex) % 20)))]
        }
        // Follow-ups: the demo head's department first, then others, fourteen in all; the cohort ended 100 days ago.
        let headDepartment = demoTrainee?.department
        let eti = Array((people.filter { $0.department == headDepartment } + people.filter { $0.department != headDepartment })
            .prefix(14).map(\.personalNumber))
        let etiStart = Self.workingDay(onOrAfter: today.adding(days: -130))
        let etiEnds = today.adding(days: -(FollowUpRules.defaultDaysAfterCompletion + 10))
        _ = try office.cohorts.create(code: "ETI-1", name: "Etika i integritet – grupa 1", program: "etika-integritet-2026",
                                      starts: etiStart, ends: etiEnds, capacity: 15, actor: actor)
        try runCohort(office, "ETI-1", people: eti, modules: ["M1", "M2"], from: etiStart, actor: actor) { position, module in
            [("\(module)-T", Double(65 + (position * 9 + module.count) % 30))]
        }
        try office.clockTick.run()
        let answering = Self.at(LocalDateTime(date: etiEnds.adding(days: FollowUpRules.defaultDaysAfterCompletion + 2), hour: 11, minute: 0)!,
                                context).followUps
        let frequencies = ["svakodnevno", "sedmicno", "sedmicno", "mjesecno", "rijetko"]
        for (position, number) in eti.enumerated() where number != demoTrainee?.personalNumber && position % 5 != 4 {
            guard let pending = try answering.pending(personalNumber: number).first(where: { $0.followUp.cohort.code == "ETI-1" }) else { continue }
            var answers: [String: ReactionValue] = ["F1": .scale(3 + position % 3), "F2": .scale(2 + (position + 1) % 4),
                                                    "F3": .choice(frequencies[position % frequencies.count])]
            if position % 3 == 0 { answers["F4"] = .text(["Nedostaje vremena za nove procedure.", "Pravilnik još nije usvojen u odjeljenju."][position % 2]) }
            try answering.answer(id: pending.followUp.id, as: .trainee(personalNumber: number), answers: answers,
                                 actor: actor)
        }
        // The heads answered about their people, the demo head about all but one of theirs (it waits on their page).
        var position = 0
        for department in Set(people.filter { eti.contains($0.personalNumber) }.map(\.department)).sorted(by: { $0.rawValue < $1.rawValue }) {
            let waiting = try answering.headPending(department: department).filter { $0.followUp.cohort.code == "ETI-1" }
            for pending in department == headDepartment ? Array(waiting.dropLast()) : waiting {
                try answering.answer(id: pending.followUp.id, as: .head(department: department),
                                     answers: ["R1": .scale(3 + position % 3), "R2": .scale(3 + (position + 2) % 3),
                                               "R3": .choice(["da", "da", "mozda"][position % 3])],
                                     actor: actor)
                position += 1
            }
        }
    }

    /// A cohort that has run: one four-hour session per module a week apart, everyone present, the scores `scores`
    /// gives each participant for each module recorded the day after the last session, completion decided, and five in
    /// six of them answered each module's questionnaire.
    private func runCohort(_ office: TrainingOffice, _ code: String, people: [String], modules: [String], from start: LocalDate,
                           actor: Actor, scores: (Int, String) -> [(String, Double)]) throws {
        _ = try office.enrolment.enrol(cohort: code, people: people, actor: actor)
        let sessions = try scheduleWeekly(office, code, modules: modules, from: start, actor: actor)
        let last = try office.scheduling.sessions(cohort: code).map(\.ends).max() ?? LocalDateTime(date: start, hour: 13, minute: 0)!
        let recording = Self.at(LocalDateTime(date: last.date.adding(days: 1), hour: 10, minute: 0)!, context)
        for session in sessions {
            try recording.attendance.record(session: session, entries: people.map { AttendanceEntry(personalNumber: $0, status: .present) },
                                            source: "demo", actor: actor)
        }
        for (position, number) in people.enumerated() {
            for module in modules {
                for (assessment, score) in scores(position, module) {
                    try recording.scores.record(cohort: code, person: number, assessment: assessment, score: score, actor: actor)
                }
            }
        }
        try recording.clockTick.run()
        // Most answered each module's questionnaire the day after it (its default deadline long past).
        let leanings = [4, 5, 3, 4, 4, 5, 2, 4, 3, 5, 4, 4, 3, 5]
        for session in try office.scheduling.sessions(cohort: code) where !session.cancelled {
            let answering = Self.at(LocalDateTime(date: session.ends.date.adding(days: 1), hour: 9, minute: 0)!, context).evaluation
            let shift = Int(session.moduleID.dropFirst()) ?? 0
            for (position, number) in people.enumerated() where position % 6 != 5 {
                var answers: [String: ReactionValue] = ["Q6": .choice(["dobro", "dobro", "kratko"][(position + shift) % 3])]
                for item in 1...5 {
                    answers["Q\(item)"] = .scale(min(5, max(1, leanings[(position + shift) % leanings.count] + (item + position + shift) % 3 - 1)))
                }
                try answering.answer(personalNumber: number, cohort: code, module: session.moduleID, answers: answers)
            }
        }
    }
}
