import Testing
import TrainingCore

/// The required-training rule alone: where a person stands for each combination of due day, certificates and places.
@Suite struct RequiredTrainingRulesTests {
    let today = LocalDate(iso: "2026-11-25")!
    let person = Person(id: PersonID(rawValue: 1), personalNumber: "1", givenName: "Amra", familyName: "Hadžić", sex: .female,
                        email: "a@uprava.example", department: DepartmentCode("EIMS"), jobTitle: "Stručni saradnik",
                        employedSince: LocalDate(iso: "2026-10-01"))

    func rule(_ due: TrainingRequirement.Due, renew: Int? = nil) -> TrainingRequirement {
        TrainingRequirement(code: "R", version: 1, programID: "p", scope: .everyone, due: due, renewYears: renew,
                            effectiveFrom: LocalDate(iso: "2026-01-01")!)
    }

    func certificate(_ issued: String, expires: String? = nil, revoked: Bool = false) -> HeldCertificate {
        HeldCertificate(serial: "S-\(issued)", issued: LocalDate(iso: issued)!, expires: expires.flatMap(LocalDate.init(iso:)), revoked: revoked)
    }

    func state(_ rule: TrainingRequirement, _ certificates: [HeldCertificate] = [], places: [HeldPlace] = [],
               person: Person? = nil) -> GapState {
        RequiredTraining.gap(rule, person: person ?? self.person, certificates: certificates, places: places, today: today).state
    }

    @Test func beforeTheDueDay() {
        let byJune = rule(.by(LocalDate(iso: "2027-06-30")!))
        #expect(state(byJune) == .missing)
        #expect(state(byJune, [certificate("2026-05-01")]) == .met, "no expiry, no renewal: for good")
        #expect(state(byJune, [certificate("2026-05-01", expires: "2027-06-29")]) == .missing, "expires the day before it is due")
        #expect(state(byJune, [certificate("2026-05-01", expires: "2027-06-30")]) == .met, "valid through its last day")
        #expect(state(byJune, [certificate("2026-05-01", revoked: true)]) == .missing)
        #expect(state(rule(.by(LocalDate(iso: "2027-06-30")!), renew: 1), [certificate("2026-05-01")]) == .missing,
                "renewed yearly: the certificate of May 2026 lasts until 30. 4. 2027.")
        // A place counts in a cohort that has not ended and ends by the due day.
        #expect(state(byJune, places: [HeldPlace(cohortCode: "B", ends: LocalDate(iso: "2027-03-01")!)]) == .inProgress)
        #expect(state(byJune, places: [HeldPlace(cohortCode: "B", ends: LocalDate(iso: "2027-07-01")!)]) == .missing)
        #expect(state(byJune, places: [HeldPlace(cohortCode: "A", ends: LocalDate(iso: "2026-06-30")!)]) == .missing)
        // A certificate outranks a place.
        #expect(state(byJune, [certificate("2026-05-01")], places: [HeldPlace(cohortCode: "B", ends: LocalDate(iso: "2027-03-01")!)]) == .met)
    }

    @Test func afterTheDueDay() {
        let due = rule(.afterStart(days: 30))
        #expect(due.dueDate(for: person) == LocalDate(iso: "2026-10-31"))
        #expect(state(due) == .overdue)
        #expect(state(due, places: [HeldPlace(cohortCode: "B", ends: LocalDate(iso: "2026-12-01")!)]) == .overdue)
        #expect(state(due, [certificate("2026-11-20")]) == .met, "met late is met")
        #expect(state(due, [certificate("2020-01-01", expires: "2024-12-31")]) == .overdue, "expired before today")
        var unknown = person
        unknown.employedSince = nil
        #expect(state(due, person: unknown) == .startDateUnknown)
        #expect(state(rule(.by(LocalDate(iso: "2026-12-31")!)), person: unknown) == .missing, "a fixed day needs no start day")
    }

    @Test func theLongestValidCertificateIsTheOneShown() {
        let gap = RequiredTraining.gap(rule(.by(LocalDate(iso: "2027-01-01")!), renew: 3), person: person,
                                       certificates: [certificate("2025-01-01"), certificate("2026-02-01"), certificate("2026-03-01", revoked: true)],
                                       places: [], today: today)
        #expect(gap.certificate == "S-2026-02-01" && gap.validUntil == LocalDate(iso: "2029-01-31"))
    }

    @Test func scopes() {
        var other = person
        other.department = DepartmentCode("OBR")
        other.jobTitle = nil
        let department = TrainingRequirement(code: "D", version: 1, programID: "p", scope: .department(DepartmentCode("EIMS")),
                                             due: .afterStart(days: 1), renewYears: nil, effectiveFrom: today)
        let title = TrainingRequirement(code: "T", version: 1, programID: "p", scope: .jobTitle("STRUCNI saradnik"),
                                        due: .afterStart(days: 1), renewYears: nil, effectiveFrom: today)
        #expect(department.applies(to: person) && !department.applies(to: other))
        #expect(title.applies(to: person) && !title.applies(to: other))
    }

    @Test func theVersionInEffectOnADay() {
        func version(_ number: Int, _ from: String, retired: Bool = false) -> TrainingRequirement {
            TrainingRequirement(code: "R", version: number, programID: "p", scope: .everyone, due: .afterStart(days: number),
                                renewYears: nil, effectiveFrom: LocalDate(iso: from)!, retired: retired)
        }
        let versions = [version(1, "2026-01-01"), version(2, "2027-01-01"), version(3, "2027-06-01", retired: true)]
        #expect(RequiredTraining.inEffect(versions, on: LocalDate(iso: "2025-12-31")!).isEmpty)
        #expect(RequiredTraining.inEffect(versions, on: LocalDate(iso: "2026-12-31")!).map(\.version) == [1])
        #expect(RequiredTraining.inEffect(versions, on: LocalDate(iso: "2027-01-01")!).map(\.version) == [2])
        #expect(RequiredTraining.inEffect(versions, on: LocalDate(iso: "2027-06-01")!).isEmpty)
        #expect(versions.map { RequiredTraining.standing(of: $0, among: versions, on: LocalDate(iso: "2027-02-01")!) }
                == [.superseded, .inEffect, .pending])
    }
}
