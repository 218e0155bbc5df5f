import Foundation
import GRDB
import Synchronization
import TrainingCore

extension StoreTransaction {
    /// The SHA-256 of the file a stored program version came from, if it is stored.
    public func storedDigest(program id: String, version: Int) throws -> String? {
        try String.fetchOne(db, sql: "SELECT xml_sha256 FROM program WHERE id = ? AND version = ?", arguments: [id, version])
    }

    /// The fingerprint of a stored questionnaire version's file, if stored.
    public func storedDigest(questionnaire id: String, version: Int) throws -> String? {
        try String.fetchOne(db, sql: "SELECT xml_sha256 FROM questionnaire WHERE id = ? AND version = ?", arguments: [id, version])
    }

    /// Stores a questionnaire version (immutable from then on: triggers refuse changes).
    public func insertQuestionnaire(_ file: QuestionnaireFile, sha256: String) throws {
        let questionnaire = file.questionnaire
        try db.execute(sql: """
            INSERT INTO questionnaire (id, version, title_bs, definition, source_xml, xml_sha256, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [questionnaire.id, questionnaire.version, questionnaire.title.text(in: .bosnian),
                             String(decoding: try JSONEncoder.sorted.encode(questionnaire), as: UTF8.self), file.source, sha256, timestamp])
    }

    /// The newest stored version of each questionnaire, by id.
    public func newestQuestionnaires() throws -> [String: Questionnaire] {
        var result: [String: Questionnaire] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, definition FROM questionnaire ORDER BY id, version") {
            result[row["id"]] = try JSONDecoder().decode(Questionnaire.self, from: Data((row["definition"] as String).utf8))
        }
        return result
    }

    /// Stores a program version with its modules and assessments (immutable from then on: triggers refuse changes).
    public func insertProgram(_ file: ProgramFile, sha256: String) throws {
        let program = file.program
        let definition = String(decoding: try JSONEncoder.sorted.encode(program), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO program (id, version, year, serial_code, valid_years, provider, attendance_percent, excused,
                                 final_pass, title_bs, definition, source_xml, xml_sha256, loaded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                program.id, program.version, program.year, program.serialCode, program.validYears,
                program.provider.rawValue, program.completion.attendancePercent, program.completion.excused.rawValue,
                program.completion.finalPass, program.title.text(in: .bosnian), definition, file.source, sha256, timestamp,
            ])
        for module in program.modules {
            try db.execute(sql: """
                INSERT INTO module (program_id, program_version, id, position, hours, title_bs)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [program.id, program.version, module.id, module.order, module.hours, module.title.text(in: .bosnian)])
            for assessment in module.assessments {
                try db.execute(sql: """
                    INSERT INTO assessment_def (program_id, program_version, id, module_id, kind, max_score, pass_score,
                                                weight, attempts, required, pretest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        program.id, program.version, assessment.id, module.id, assessment.kind.rawValue,
                        assessment.maxScore, assessment.passScore, assessment.weight, assessment.attempts, assessment.required,
                        assessment.isPretest,
                    ])
            }
        }
    }
}

extension AppDatabase {
    /// Every stored program version, newest version first within each id.
    public func programs() throws -> [StoredProgram] {
        try readDB { db in
            try Row.fetchAll(db, sql: "SELECT definition, xml_sha256, loaded_at FROM program ORDER BY id, version DESC")
                .map(StoredProgram.init(row:))
        }
    }

    /// The identifier of every stored program, once, in order (a list's filter: no definition is decoded).
    public func programIDs() throws -> [String] {
        try readDB { db in try String.fetchAll(db, sql: "SELECT DISTINCT id FROM program ORDER BY id") }
    }

    /// A stored program: the given version, or the newest one.
    public func program(id: String, version: Int? = nil) throws -> StoredProgram {
        try readDB { db in try Self.program(id: id, version: version, db) }
    }

    static func program(id: String, version: Int?, _ db: Database) throws -> StoredProgram {
        let row = try Row.fetchOne(db, sql: """
            SELECT definition, xml_sha256, loaded_at FROM program
            WHERE id = ? AND (? IS NULL OR version = ?) ORDER BY version DESC LIMIT 1
            """, arguments: [id, version, version])
        guard let row else { throw CurriculumStoreError.unknownProgram(programID: id) }
        return try StoredProgram(row: row)
    }

    /// Runs a write transaction, turning SQLite's disk-full and constraint errors into `StoreError`. It also
    /// changes the data generation (see `dataGeneration`), in the same transaction.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try write(changingData: true, updates)
    }

    /// A write that changes no training data (the read-access log, session expiry): the data generation stays,
    /// so caches of figures derived from the data survive it.
    func writeBookkeeping<T>(_ updates: (Database) throws -> T) throws -> T {
        try write(changingData: false, updates)
    }

    /// `writeBookkeeping`, awaiting the writer.
    func writeBookkeeping<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try DamageMarker.refuseWrite(database: writer.path)
        do {
            return try await writer.write(updates)
        } catch let error as DatabaseError {
            throw StoreError(error, path: writer.path)
        }
    }

    private func write<T>(changingData: Bool, _ updates: (Database) throws -> T) throws -> T {
        try DamageMarker.refuseWrite(database: writer.path)
        do {
            return try writer.write { db in
                let result = try updates(db)
                if changingData { try Self.changeDataGeneration(db) }
                return result
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: writer.path)
        }
    }

    /// A new random token, not a counter: a restored backup then never carries the token of a later state.
    static func changeDataGeneration(_ db: Database) throws {
        try db.execute(sql: "UPDATE data_generation SET token = random() WHERE id = 1")
    }

    /// The token of the data's current state: it changes with every write of training data, in that write's
    /// transaction, so a value derived from the data in one read is current while the token is the same.
    public func dataGeneration() throws -> Int64 {
        try readDB { db in try Self.dataGeneration(db) }
    }

    static func dataGeneration(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT token FROM data_generation WHERE id = 1") ?? 0
    }
}

extension StoredProgram {
    init(row: Row) throws {
        self.init(program: try DecodedPrograms.program(definition: row["definition"]), sha256: row["xml_sha256"],
                  loadedAt: row["loaded_at"])
    }
}

/// Programs decoded from their stored definitions (JSON), by the definition's text: the same text decodes to
/// the same program, and decoding it cost more than a report's figures of that program, on every reading.
enum DecodedPrograms {
    private static let decoded = Mutex<[String: Program]>([:])

    static func program(definition: String) throws -> Program {
        if let known = decoded.withLock({ $0[definition] }) { return known }
        let program = try JSONDecoder().decode(Program.self, from: Data(definition.utf8))
        decoded.withLock { decoded in
            // A District has a few dozen program versions; a long-running process that saw more starts over.
            if decoded.count >= 256 { decoded.removeAll(keepingCapacity: true) }
            decoded[definition] = program
        }
        return program
    }
}

extension JSONEncoder {
    /// Deterministic JSON (sorted keys), so stored definitions compare byte for byte.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// A JSON string literal for `value` (quotes and escapes included).
func jsonString(_ value: String) -> String {
    String(decoding: (try? JSONEncoder.sorted.encode(value)) ?? Data("\"\"".utf8), as: UTF8.self)
}
