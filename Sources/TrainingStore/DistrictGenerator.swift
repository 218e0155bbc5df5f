import Foundation
import GRDB
import TrainingCore

/// Why generation was refused.
public enum GeneratorError: UserFacingError, Equatable {
    case alreadyGenerated

    public var messageKey: String { "demo.generate.already" }
    public var messageArguments: [String: String] { [:] }
}

extension StoreTransaction {
    /// Whether generated data exists already.
    public func hasGeneratedData() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cohort WHERE code LIKE 'GEN-%')") ?? false
    }

    /// The District's own departments (the bundled ones), and for `district` 2, 3, … a copy of each under the code
    /// `CODE-N` and the name with `(N)` after it, made when missing: the departments of the N-th District of a scaled run.
    public func generatedDepartments(district: Int) throws -> [String] {
        let own = try DepartmentSeed.bundledDepartments()
        guard district > 1 else { return own.map(\.code.rawValue).sorted() }
        for department in own {
            try db.execute(sql: """
                INSERT INTO department (code, name_bs, name_sr_cyrl, name_en) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING
                """, arguments: ["\(department.code.rawValue)-\(district)", "\(department.nameBosnian) (\(district))",
                                 "\(department.nameSerbianCyrillic) (\(district))", "\(department.nameEnglish) (\(district))"])
        }
        return own.map { "\($0.code.rawValue)-\(district)" }.sorted()
    }

    /// Generates District-scale data, deterministic per seed: `people` civil servants in the 17 departments, one cohort
    /// of 25 a year for each of them from 2022 to the current year in `program` (stored already: ten modules, twenty
    /// two-hour sessions), attendance for every held session and scores for finished modules. Completion is left to
    /// the decisions that come due (`completion_due`), as for any cohort. `district` 2, 3, … of a scaled run has the
    /// departments of `generatedDepartments(district:)`, personal numbers `GN-…` and cohorts `GEN-YEAR-DN-…`; the first
    /// is the District as a run of one makes it. Refused when generated data exists (for the first district).
    public func generateDistrict(people count: Int, seed: UInt64, program: Program, actor: Actor, now: LocalDateTime,
                                 district: Int = 1) throws -> GeneratedCounts {
        var random = SeededGenerator(seed: district == 1 ? seed : seed &+ UInt64(district) &* 0x9E37_79B9)
        if district == 1, try hasGeneratedData() {
            throw GeneratorError.alreadyGenerated
        }
        var counts = GeneratedCounts()
        let stamp = timestamp
        let departments = try generatedDepartments(district: district)
        let numberPrefix = district == 1 ? "G" : "G\(district)-", cohortPrefix = district == 1 ? "GEN-" : "GEN-D\(district)-"
        let given: [(String, Sex)] = [("Amra", .female), ("Lejla", .female), ("Jelena", .female), ("Ljiljana", .female),
                                      ("Džana", .female), ("Šejla", .female), ("Ivana", .female), ("Milica", .female),
                                      ("Emir", .male), ("Haris", .male), ("Zoran", .male), ("Đorđe", .male), ("Njegoš", .male),
                                      ("Mirza", .male), ("Čedomir", .male), ("Nikola", .male)]
        let family = ["Hadžić", "Begović", "Petrović", "Đukić", "Kovačević", "Hasanović", "Jovanović", "Šarić", "Lukić",
                      "Mujkić", "Babić", "Stanić", "Žigić", "Omerović", "Ćosić", "Nikolić", "Popović", "Tomić"]
        let insertPerson = try db.cachedStatement(sql: """
            INSERT INTO person (personal_number, given_name, family_name, sex, email, department, job_title, employed_since,
                                created_at, updated_at, search_key, sort_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Start dates and job titles come from a stream of their own, so the training data stays as it was for a seed.
        var careers = SeededGenerator(seed: (district == 1 ? seed : seed &+ UInt64(district) &* 0x9E37_79B9) &+ 0x6A6F62)
        let longAgo = LocalDate(year: 1998, month: 1, day: 1)!
        let careerDays = max(1, now.date.daysSinceEpoch - longAgo.daysSinceEpoch - 30)
        var personIDs: [(id: Int64, department: String)] = []
        for index in 1...count {
            let (first, sex) = given.randomElement(using: &random)!
            let last = family.randomElement(using: &random)!
            // Departments differ in size: a skewed pick gives some many staff and some few.
            let weight = Int(random.next(upperBound: UInt64(departments.count * departments.count)))
            let department = departments[Int(Double(weight).squareRoot()) % departments.count]
            let number = numberPrefix + LocalDate.pad(index, 6)
            let email = "\(number.lowercased())@uprava.example"
            let keys = ListKeys.person(givenName: first, familyName: last, personalNumber: number, email: email)
            // One in twelve heads a unit; one in ten has no start date on record; one in twelve started within the last year.
            let title = careers.next(upperBound: UInt64(12)) == 0 ? "šef odsjeka" : "službenik"
            let startRoll = careers.next(upperBound: UInt64(120))
            let started: LocalDate? = startRoll < 12 ? nil
                : startRoll < 22 ? now.date.adding(days: -30 - Int(careers.next(upperBound: UInt64(335))))
                : longAgo.adding(days: Int(careers.next(upperBound: UInt64(careerDays))))
            try insertPerson.execute(arguments: [number, first, last, sex.rawValue, email, department, title, started?.iso,
                                                 stamp, stamp, keys.search, keys.sort])
            personIDs.append((db.lastInsertedRowID, department))
        }
        counts.people = count

        let insertCohort = try db.cachedStatement(sql: """
            INSERT INTO cohort (code, name, program_id, program_version, starts, ends, capacity, created_at, search_key, sort_key)
            VALUES (?, ?, ?, ?, ?, ?, 25, ?, ?, ?)
            """)
        let insertEnrolment = try db.cachedStatement(sql: """
            INSERT INTO enrolment (cohort_id, person_id, department_at_enrolment, status, position, requested_at, updated_at)
            VALUES (?, ?, ?, 'approved', ?, ?, ?)
            """)
        let insertSession = try db.cachedStatement(sql: """
            INSERT INTO session (cohort_id, program_id, program_version, module_id, starts_at, ends_at, status, sequence, uid,
                                 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?, ?)
            """)
        let insertAttendance = try db.cachedStatement(sql: """
            INSERT INTO attendance (session_id, person_id, status, minutes_present, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let insertScore = try db.cachedStatement(sql: """
            INSERT INTO assessment_result (cohort_id, assessment_id, person_id, attempt, score, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for year in 2022...now.date.year {
            var order = personIDs
            order.shuffle(using: &random)
            for (chunkIndex, start) in stride(from: 0, to: order.count, by: 25).enumerated() {
                let members = order[start..<min(start + 25, order.count)]
                // Cohorts start on Mondays between February and September, two sessions a week.
                let monday = AppDatabase.monday(onOrAfter: LocalDate(year: year, month: 2, day: 1)!.adding(days: (chunkIndex % 32) * 7))
                let code = district == 1 ? "GEN-\(year)-\(LocalDate.pad(chunkIndex + 1, 3))"
                    : "\(cohortPrefix)\(year)-\(LocalDate.pad(chunkIndex + 1, 3))"
                let name = "Generisana grupa \(code)", keys = ListKeys.cohort(code: code, name: name)
                try insertCohort.execute(arguments: [code, name, program.id, program.version, monday.iso,
                                                     monday.adding(days: 70).iso, stamp, keys.search, keys.sort])
                let cohortID = db.lastInsertedRowID
                counts.cohorts += 1
                for (position, member) in members.enumerated() {
                    try insertEnrolment.execute(arguments: [cohortID, member.id, member.department, position + 1, stamp, stamp])
                }
                for (index, module) in program.modules.flatMap({ [$0, $0] }).enumerated() {
                    // Tuesdays and Thursdays, 09:00–11:00.
                    let day = monday.adding(days: (index / 2) * 7 + (index % 2 == 0 ? 1 : 3))
                    let starts = LocalDateTime(date: day, hour: 9, minute: 0)!, ends = LocalDateTime(date: day, hour: 11, minute: 0)!
                    try insertSession.execute(arguments: [cohortID, program.id, program.version, module.id, starts.iso, ends.iso,
                                                          "\(code)-\(index)@obuka", stamp, stamp])
                    let sessionID = db.lastInsertedRowID
                    counts.sessions += 1
                    guard ends <= now else { continue }
                    for member in members {
                        let roll = random.next(upperBound: UInt64(100))
                        let (status, minutes): (String, Int) = roll < 95 ? ("present", 120)
                            : roll < 97 ? ("late", 30 + Int(random.next(upperBound: UInt64(80))))
                            : roll < 99 ? ("excused", 0) : ("absent", 0)
                        try insertAttendance.execute(arguments: [sessionID, member.id, status, minutes, actor.rawValue, stamp])
                        counts.attendance += 1
                    }
                }
                // Scores for modules whose last session is over.
                for (moduleIndex, module) in program.modules.enumerated() {
                    let lastDay = monday.adding(days: moduleIndex * 7 + 3)
                    guard LocalDateTime(date: lastDay, hour: 11, minute: 0)! <= now else { continue }
                    for member in members {
                        let score = Double(35 + random.next(upperBound: UInt64(66)))
                        try insertScore.execute(arguments: [cohortID, module.assessments[0].id, member.id, 1, score, actor.rawValue, stamp])
                        counts.scores += 1
                        if score < 60 && random.next(upperBound: UInt64(2)) == 0 {
                            try insertScore.execute(arguments: [cohortID, module.assessments[0].id, member.id, 2,
                                                                Double(50 + random.next(upperBound: UInt64(51))), actor.rawValue, stamp])
                            counts.scores += 1
                        }
                    }
                }
                // The District's dated sums once at the end: cohorts here share their days by the dozen.
                try AppDatabase.refreshRollups(cohortID: cohortID, personIDs: nil, datedSums: false, db)
                try AppDatabase.refreshCompletionDue(cohortID: cohortID, db)
            }
        }
        try AppDatabase.rebuildDatedSums(db)
        // A few people change department after their training: it still counts where they enrolled.
        for member in personIDs.prefix(max(1, count / 50)) {
            let target = departments.randomElement(using: &random)!
            try db.execute(sql: "UPDATE person SET department = ? WHERE id = ?", arguments: [target, member.id])
        }
        return counts
    }
}

extension AppDatabase {
    static func monday(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        while day.weekday != 1 { day = day.adding(days: 1) }
        return day
    }

    /// A ten-module program of the District's general civil-service training, for generated data (stored before
    /// `generateDistrict` runs).
    public static var generatedProgram: Program {
        let titles = ["Upravni postupak", "Etika u javnoj upravi", "Zaštita ličnih podataka", "Javne nabavke", "Upravljanje projektima",
                      "Komunikacija s građanima", "Digitalne usluge", "Budžet i finansije", "Evropske integracije", "Rodna ravnopravnost"]
        return Program(
            id: "uprava-osnove", version: 1, year: 2022, serialCode: "UPR", validYears: 3,
            title: LocalizedText([.bosnian: "Osnovna obuka državnih službenika Brčko distrikta BiH"]),
            provider: DepartmentCode("SAP"), goal: nil,
            completion: CompletionRule(attendancePercent: 80, excused: .exempt, finalPass: 60),
            modules: titles.enumerated().map { index, title in
                Module(id: "U\(index + 1)", order: index + 1, hours: 4, title: LocalizedText([.bosnian: title]), assessments: [
                    AssessmentDefinition(id: "U\(index + 1)-T", moduleID: "U\(index + 1)", kind: .test, maxScore: 100, passScore: 50,
                                         weight: 0.1, attempts: 2, required: true),
                ])
            })
    }
}
