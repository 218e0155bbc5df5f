import CSVImport
import Foundation
import TrainingCore
internal import TrainingStore

/// People: the District's civil servants who take part in training. Imported from a spreadsheet, added and corrected
/// by hand, moved between departments; every change audited.
public struct PeopleRegistry: Sendable {
    let context: OfficeContext

    /// What an import did (or, in a dry run, would do), and how the file was read.
    public struct ImportOutcome: Sendable {
        public var summary: PeopleImportSummary
        public var encoding: String
        public var delimiter: Character
    }

    /// Imports a participants CSV (UTF-8 or Windows-1250, `,` or `;`; the delimiter detected unless given): people are
    /// added or updated by personal number, all rows or none, with one audit entry. Every row's problems are reported
    /// at once (`RowProblems`), checked before the database is opened for writing. A dry run does the same work and
    /// rolls it back, so it says exactly what a real run would do.
    public func importFile(_ data: Data, file: String, delimiter: Character? = nil, dryRun: Bool = false,
                           actor: Actor) throws -> ImportOutcome {
        let table = try CSVTable.decode(data, file: file, delimiter: delimiter)
        let drafts = try PeopleCSV.drafts(from: table, file: file, knownDepartments: try departmentCodes()).map(\.draft)
        let summary = try importDrafts(drafts, file: URL(fileURLWithPath: file).lastPathComponent, sha256: sha256Hex(data),
                                       actor: actor, dryRun: dryRun)
        return ImportOutcome(summary: summary, encoding: table.encoding.rawValue, delimiter: table.delimiter)
    }

    /// Imports checked drafts (what `importFile` does after reading the file).
    func importDrafts(_ drafts: [PersonDraft], file: String, sha256: String, actor: Actor, dryRun: Bool = false) throws -> PeopleImportSummary {
        let drafts = drafts.map { $0.composed() }
        let database = try context.writableDatabase()
        let work = { (tx: StoreTransaction) throws -> PeopleImportSummary in
            var summary = PeopleImportSummary()
            let stored = try tx.peopleByPersonalNumber()
            var added: [PersonDraft] = []
            for var draft in drafts {
                guard let person = stored[draft.personalNumber] else {
                    added.append(draft)
                    summary.added.append(draft.personalNumber)
                    continue
                }
                // A file without the start day (or an empty cell) keeps the one on record: most exports lack it.
                if draft.employedSince == nil { draft.employedSince = person.employedSince }
                let changed = draft.changedFields(from: person)
                if changed.isEmpty {
                    summary.unchanged += 1
                } else {
                    try tx.updatePerson(draft, sexChanged: changed.contains("sex"))
                    summary.updated.append((draft.personalNumber, changed))
                }
            }
            try tx.insertPeople(added)
            try tx.appendAudit(AuditEntry(
                actor: actor, action: "people.import", entityType: "import", entityID: file,
                details: AuditDetails([("sha256", .string(sha256)), ("rows", .int(drafts.count)), ("added", .int(summary.added.count)),
                                       ("updated", .int(summary.updated.count)), ("unchanged", .int(summary.unchanged))]).json))
            return summary
        }
        let date = context.clock.date()
        return dryRun ? try database.dryRun(at: date, work) : try database.write(at: date, work)
    }

    /// Checks a person's fields as a form has them (the same rules as an import row).
    public func draft(personalNumber: String, givenName: String, familyName: String, sex: String?, email: String,
                      department: String, jobTitle: String?, employedSince: String? = nil) throws -> Result<PersonDraft, ProblemList> {
        PersonValidation.draft(personalNumber: personalNumber, givenName: givenName, familyName: familyName, sex: sex, email: email,
                               department: department, jobTitle: jobTitle, employedSince: employedSince, knownDepartments: try departmentCodes())
    }

    /// Adds one person, audited; a personal number already stored is refused.
    public func add(_ draft: PersonDraft, actor: Actor) throws -> Person {
        let draft = draft.composed()
        return try context.write { tx in
            if try tx.person(personalNumber: draft.personalNumber) != nil {
                throw PeopleError.alreadyExists(personalNumber: draft.personalNumber)
            }
            let person = try tx.insertPerson(draft)
            try tx.appendAudit(AuditEntry(actor: actor, action: "person.add", entityType: "person", entityID: draft.personalNumber))
            return person
        }
    }

    /// Corrects a person's name, sex, e-mail and job title (the department changes only by transfer), audited with the
    /// fields that changed.
    public func correct(_ draft: PersonDraft, actor: Actor) throws -> Person {
        let draft = draft.composed()
        return try context.write { tx in
            guard let stored = try tx.person(personalNumber: draft.personalNumber) else {
                throw PeopleError.unknownPerson(personalNumber: draft.personalNumber)
            }
            var corrected = draft
            corrected.department = stored.department
            let changed = corrected.changedFields(from: stored)
            guard !changed.isEmpty else { return stored }
            try tx.updatePerson(corrected, sexChanged: changed.contains("sex"))
            try tx.appendAudit(AuditEntry(actor: actor, action: "person.correct", entityType: "person",
                                          entityID: draft.personalNumber, details: changed.joined(separator: ",")))
            return try tx.person(personalNumber: draft.personalNumber) ?? stored
        }
    }

    /// Moves a person to another department; training already done counts where it was enrolled.
    public func transfer(_ personalNumber: String, to department: DepartmentCode, actor: Actor) throws -> Person {
        try context.write { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            guard try tx.department(department) != nil else { throw PeopleError.unknownDepartment(code: department.rawValue) }
            guard person.department != department else {
                throw PeopleError.alreadyInDepartment(personalNumber: personalNumber, department: department.rawValue)
            }
            try tx.transfer(person.id, to: department)
            try tx.appendAudit(AuditEntry(actor: actor, action: "person.transfer", entityType: "person", entityID: personalNumber,
                                          details: AuditDetails([("from", .string(person.department.rawValue)),
                                                                 ("to", .string(department.rawValue))]).json))
            return try tx.person(personalNumber: personalNumber) ?? person
        }
    }

    /// Sets the language a person reads obuka in (their pages and certificates default to it), or clears it; audited.
    public func setPreferredLanguage(_ personalNumber: String, _ language: Language?, actor: Actor) throws -> Person {
        try context.write { tx in
            guard let person = try tx.person(personalNumber: personalNumber), try tx.setPreferredLanguage(person: person.id, language) else {
                throw PeopleError.unknownPerson(personalNumber: personalNumber)
            }
            try tx.appendAudit(AuditEntry(actor: actor, action: "person.language", entityType: "person", entityID: personalNumber,
                                          details: AuditDetails([("language", .string(language?.rawValue ?? "-"))]).json))
            return try tx.person(personalNumber: personalNumber) ?? person
        }
    }

    /// Switches a person's reminders (`MessageKind.isReminder`) on or off; decisions, changes to their sessions and
    /// warnings about their completion still reach them. Audited; returns whether reminders are now on.
    @discardableResult
    public func setReminders(_ personalNumber: String, enabled: Bool, actor: Actor) throws -> Bool {
        try context.write { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else { throw PeopleError.unknownPerson(personalNumber: personalNumber) }
            try tx.setRemindersOff(!enabled, person: person.id)
            try tx.appendAudit(AuditEntry(actor: actor, action: "person.reminders", entityType: "person", entityID: personalNumber,
                                          details: AuditDetails([("enabled", .json(enabled ? "true" : "false"))]).json))
            return enabled
        }
    }

    /// Whether a person gets reminders.
    public func remindersEnabled(_ personalNumber: String) throws -> Bool {
        try context.read { tx in
            guard let person = try tx.person(personalNumber: personalNumber) else { throw PeopleError.unknownPerson(personalNumber: personalNumber) }
            return try !tx.remindersOff(person: person.id)
        }
    }

    /// A page of the people list: searched, filtered, ordered (Bosnian alphabet for names) and found by keyset.
    public func list(_ query: PeopleListQuery) throws -> ListSlice<Person> { try context.database.people(query) }

    /// People (not erased), optionally of one department, by name.
    public func list(department: DepartmentCode? = nil) throws -> [Person] { try context.database.people(department: department) }

    /// The person with a personal number.
    public func person(_ personalNumber: String) throws -> Person { try context.database.person(personalNumber: personalNumber) }

    /// The District's departments, by code.
    public func departments() throws -> [Department] { try context.database.departments() }

    /// A department, if the District has it.
    public func department(_ code: DepartmentCode) throws -> Department? { try context.database.department(code) }

    private func departmentCodes() throws -> Set<DepartmentCode> { Set(try departments().map(\.code)) }
}
