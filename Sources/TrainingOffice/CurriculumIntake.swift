import CurriculumXML
import Foundation
import Localization
import SafeXML
import TrainingCore
internal import TrainingStore

/// Curricula: programs read from XML files (validated against the bundled schema and the rules the schema cannot say),
/// stored as immutable versions. Loading the same file again changes nothing; a changed file under a stored id and
/// version is refused (a new version needs a new file).
public struct CurriculumIntake: Sendable {
    let context: OfficeContext

    /// Files read and checked, and every problem of every file (files are all read even after one fails).
    public struct Reading: Sendable {
        public var files: [ProgramFile]
        public var problems: [XMLDiagnostic]
        /// Evaluation questionnaires read beside the programs (curriculum schema 3).
        public var questionnaires: [QuestionnaireFile] = []

        /// Adds a document read, or its problems.
        mutating func add(_ read: () throws -> CurriculumDocument, file: String) {
            do {
                switch try read() {
                case .program(let program): files.append(program)
                case .questionnaire(let questionnaire): questionnaires.append(questionnaire)
                }
            } catch let diagnostics as XMLDiagnostics {
                problems += diagnostics.items
            } catch {
                problems.append(XMLDiagnostic(file: file, line: 0, message: "\(error)", kind: .file))
            }
        }

        /// Refuses, at the questionnaire's file and line, a questionnaire read here that lacks a language in which a
        /// program naming it (or any program, for the District default) gives its title.
        mutating func checkQuestionnaireLanguages(_ localizer: Localizer) {
            for questionnaire in questionnaires {
                let id = questionnaire.questionnaire.id
                for program in files.map(\.program) where QuestionnaireRules.names(program, id) {
                    for language in questionnaire.questionnaire.missingLanguages(for: program) {
                        problems.append(XMLDiagnostic(
                            file: questionnaire.file, line: questionnaire.line(lacking: language),
                            message: localizer("curriculum.error.questionnaire_language", [
                                "questionnaire": id, "language": language.rawValue, "program": program.id,
                            ]), kind: .semantic))
                    }
                }
            }
        }
    }

    /// Reads and checks curriculum files (folders stand for their `.xml` files, sorted by name) without storing them;
    /// messages in `language`. Departments are the database's, or before `init` the bundled list.
    public func read(_ urls: [URL], language: Language) throws -> Reading {
        try Self.read(urls, home: try context.home(), language: language, departments: try context.database.departments())
    }

    /// Reads and checks uploaded curriculum files (a name and the bytes each) without storing them, the same hardened
    /// way as files on disk; messages in `language`.
    public func read(uploads: [(name: String, data: Data)], language: Language) throws -> Reading {
        let loader = try CurriculumLoader(schemaFolder: try context.home().curriculumSchemaFolder, localizer: Localizer(language))
        let known = Set(try context.database.departments().map(\.code))
        var reading = Reading(files: [], problems: [])
        for upload in uploads {
            reading.add({ try loader.document(upload.data, displayName: upload.name, knownDepartments: known) }, file: upload.name)
        }
        reading.checkQuestionnaireLanguages(Localizer(language))
        return reading
    }

    /// Reads curriculum files without a database (before `obuka init`), against the bundled list of departments.
    public static func validate(_ urls: [URL], home: HomeDirectory, language: Language) throws -> Reading {
        try read(urls, home: home, language: language, departments: try AppDatabase.bundledDepartments())
    }

    private static func read(_ urls: [URL], home: HomeDirectory, language: Language, departments: [Department]) throws -> Reading {
        let loader = try CurriculumLoader(schemaFolder: home.curriculumSchemaFolder, localizer: Localizer(language))
        let known = Set(departments.map(\.code))
        var reading = Reading(files: [], problems: [])
        for url in try expand(urls) {
            reading.add({ try loader.document(contentsOf: url, displayName: url.relativePath, knownDepartments: known) }, file: url.relativePath)
        }
        reading.checkQuestionnaireLanguages(Localizer(language))
        return reading
    }

    /// Stores program and questionnaire versions in one transaction: all files or none, each new version audited. A
    /// questionnaire a program names must be among them or stored already.
    public func load(_ files: [ProgramFile], questionnaires: [QuestionnaireFile] = [], actor: Actor) throws -> [CurriculumLoadOutcome] {
        var seen: [String: ProgramFile] = [:]
        for file in files {
            let key = "\(file.program.id)@\(file.program.version)"
            if let other = seen[key], other.source != file.source {
                throw CurriculumStoreError.duplicateInBatch(file: file.file, otherFile: other.file, programID: file.program.id,
                                                            version: file.program.version)
            }
            seen[key] = file
        }
        return try context.write { tx in
            var outcomes: [CurriculumLoadOutcome] = []
            for file in questionnaires {
                let questionnaire = file.questionnaire, key = "\(questionnaire.id)@\(questionnaire.version)"
                let sha256 = sha256Hex(Data(file.source.utf8))
                if let existing = try tx.storedDigest(questionnaire: questionnaire.id, version: questionnaire.version) {
                    guard existing == sha256 else {
                        throw CurriculumStoreError.changedVersion(file: file.file, programID: questionnaire.id, version: questionnaire.version)
                    }
                    continue
                }
                try tx.insertQuestionnaire(file, sha256: sha256)
                try tx.appendAudit(AuditEntry(actor: actor, action: "questionnaire.load", entityType: "questionnaire", entityID: key,
                                              details: AuditDetails([("file", .string(file.file)), ("sha256", .string(sha256)),
                                                                     ("items", .int(questionnaire.items.count))]).json))
            }
            let known = Set(try tx.newestQuestionnaires().keys)
            for file in files {
                for named in (file.program.questionnaires?.named ?? []).sorted() where !known.contains(named) {
                    throw CurriculumStoreError.unknownQuestionnaire(file: file.file, programID: file.program.id, questionnaire: named)
                }
            }
            var stored: Set<String> = []
            for file in files {
                let program = file.program
                let key = "\(program.id)@\(program.version)"
                // The file's fingerprint is what makes a stored program version immutable.
                let sha256 = sha256Hex(Data(file.source.utf8))
                if let existing = try tx.storedDigest(program: program.id, version: program.version) {
                    guard existing == sha256 else {
                        throw CurriculumStoreError.changedVersion(file: file.file, programID: program.id, version: program.version)
                    }
                    if !stored.contains(key) { outcomes.append(.unchanged(programID: program.id, version: program.version)) }
                    continue
                }
                try tx.insertProgram(file, sha256: sha256)
                stored.insert(key)
                try tx.appendAudit(AuditEntry(
                    actor: actor, action: "curriculum.load", entityType: "program", entityID: key,
                    details: AuditDetails([("file", .string(file.file)), ("sha256", .string(sha256)),
                                           ("modules", .int(program.modules.count))]).json))
                outcomes.append(.added(programID: program.id, version: program.version))
            }
            return outcomes
        }
    }

    /// Every stored program version, newest version first within each id.
    public func programs() throws -> [StoredProgram] { try context.database.programs() }

    /// A stored program: the given version, or the newest.
    public func program(_ id: String, version: Int? = nil) throws -> StoredProgram { try context.database.program(id: id, version: version) }

    // MARK: What the District decides about a program

    /// A stored program version with its confirmation and catalogue state: the given version, or the newest.
    public func standing(_ id: String, version: Int? = nil) throws -> ProgramStanding {
        let stored = try context.database.program(id: id, version: version)
        return try context.database.read { tx in
            ProgramStanding(stored: stored, confirmedAt: try tx.policyConfirmation(program: id, version: stored.program.version),
                            inCatalogue: try tx.catalogue().contains(id))
        }
    }

    /// Every stored program version with its confirmation and catalogue state, newest version first within each id:
    /// one read, whatever the number of programs.
    public func standings() throws -> [ProgramStanding] {
        let programs = try context.database.programs()
        return try context.database.read { tx in
            let confirmations = try tx.policyConfirmations(), catalogue = try tx.catalogue()
            return programs.map { stored in
                ProgramStanding(stored: stored, confirmedAt: confirmations[stored.program.id]?[stored.program.version],
                                inCatalogue: catalogue.contains(stored.program.id))
            }
        }
    }

    /// Confirms a version 2 program's policy (its completion rule, validity and reconstructed parts, `policyParts`) as
    /// the District's decision, audited with each part; until then its cohorts cannot issue certificates. Returns false
    /// if it was already confirmed.
    public func confirmPolicy(_ id: String, version: Int, actor: Actor) throws -> Bool {
        let program = try context.database.program(id: id, version: version).program
        guard program.declaresProvenance else { throw ProgramPolicyError.nothingToConfirm(program: id, version: version) }
        return try context.write { tx in
            guard try tx.confirmPolicy(program: id, version: version) else { return false }
            let rule = program.completion
            try tx.appendAudit(AuditEntry(
                actor: actor, action: "curriculum.confirm", entityType: "program", entityID: "\(id)@\(version)",
                details: AuditDetails([
                    ("attendance_percent", .string(DecimalText.format(rule.attendancePercent))),
                    ("excused", .string(rule.excused.rawValue)),
                    ("final_pass", .string(DecimalText.format(rule.finalPass))),
                    ("valid_years", .string(program.validYears.map(String.init) ?? "-")),
                    ("parts", .strings(program.policyParts.map { [$0.kind.rawValue, $0.id, $0.provenance.keyword].compactMap { $0 }
                        .joined(separator: ":") })),
                ]).json))
            return true
        }
    }

    /// Shows a program (all its versions' texts, the newest first) in the public catalogue, or takes it out; audited.
    /// Returns false if nothing changed.
    public func setInCatalogue(_ id: String, shown: Bool, actor: Actor) throws -> Bool {
        _ = try context.database.program(id: id)
        return try context.write { tx in
            guard try tx.setInCatalogue(program: id, shown) else { return false }
            try tx.appendAudit(AuditEntry(actor: actor, action: shown ? "curriculum.publish" : "curriculum.unpublish",
                                          entityType: "program", entityID: id))
            return true
        }
    }

    /// The newest version of every program in the public catalogue.
    public func catalogue() throws -> [StoredProgram] {
        let shown = try context.database.read { tx in try tx.catalogue() }
        var newest: [String: StoredProgram] = [:]
        for stored in try context.database.programs() where shown.contains(stored.program.id) {
            if (newest[stored.program.id]?.program.version ?? 0) < stored.program.version { newest[stored.program.id] = stored }
        }
        return newest.values.sorted { $0.program.id < $1.program.id }
    }

    /// Files as given, and for a folder its `.xml` files (not its `schema/` subfolder), sorted by name.
    public static func expand(_ urls: [URL]) throws -> [URL] {
        try urls.flatMap { url -> [URL] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [url]
            }
            // Relative to the folder as a directory: a URL made before its folder existed lacks the final slash, and
            // its files would resolve beside it.
            let folder = URL(fileURLWithPath: url.path, isDirectory: true)
            return try FileManager.default.contentsOfDirectory(atPath: url.path)
                .filter { $0.hasSuffix(".xml") }.sorted()
                .map { URL(fileURLWithPath: $0, relativeTo: folder) }
        }
    }
}
