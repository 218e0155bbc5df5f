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
}
