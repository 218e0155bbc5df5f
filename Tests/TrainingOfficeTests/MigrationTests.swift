import Foundation
import GRDB
import Testing
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

@Suite struct MigrationTests {
    @Test func migratesFromEmptyAndSeedsDepartments() throws {
        let database = try AppDatabase.inMemory()
        let departments = try office(database).administration.departments()
        #expect(departments.count == 17)
        #expect(departments.contains { $0.code == DepartmentCode("EIMS") })
        let applied = try database.writer.read { db in try AppDatabase.migrator.appliedMigrations(db) }
        #expect(applied == AppDatabase.knownMigrations)
    }

    @Test func cyrillicNamesSurviveIntact() throws {
        let database = try AppDatabase.inMemory()
        let eims = try #require(try office(database).administration.department(DepartmentCode("EIMS")))
        #expect(eims.nameSerbianCyrillic == "Одјељење за европске интеграције и међународну сарадњу")
        #expect(eims.nameBosnian == "Odjeljenje za evropske integracije i međunarodnu saradnju")
        let psv = try #require(try office(database).administration.department(DepartmentCode("PSV")))
        #expect(psv.nameSerbianCyrillic == "Одјељење за пољопривреду, шумарство и водопривреду")
    }

    @Test func seedingTwiceChangesNothing() throws {
        let database = try AppDatabase.inMemory()
        let before = try office(database).administration.departments()
        let changed = try database.writer.write { db in try DepartmentSeed.insertAll(db) }
        #expect(changed == 0)
        #expect(try office(database).administration.departments() == before)
    }

    /// v13 keeps every rollup row: the rollups are rebuilt in their keyed (WITHOUT ROWID) tables, with the District's
    /// month and sex rows and the new schedule rollup, so the figures read after the migration are those of before.
    @Test func theReportReadingMigrationKeepsTheRollups() throws {
        let (queue, database) = try smallGeneratedDistrict()
        let current = try database.rollupSnapshot()
        // Back to the v12 shape (through v13's): a rowid cohort_rollup, no '*' month rows, the old session index, no data generation
        // and no schedule rollup.
        try queue.write { db in
            try db.execute(sql: "DROP INDEX enrolment_placed")
            try undoDistrictPlaces(db)
            // (v13 and v36 run again: a binary of v12 made no District tables.)
            try db.execute(sql: """
                DROP TABLE district_rollup;
                DROP TABLE district_month_rollup;
                DROP TABLE district_dated_rollup;
                \(undoHeadcount)
                CREATE TABLE old_rollup AS SELECT * FROM cohort_rollup;
                DROP TABLE cohort_rollup;
                ALTER TABLE old_rollup RENAME TO cohort_rollup;
                DROP INDEX session_schedule;
                CREATE INDEX session_on_cohort_id ON session(cohort_id);
                DROP TABLE data_generation;
                DROP TABLE schedule_rollup;
                DROP INDEX enrolment_placed;
                DELETE FROM grdb_migrations WHERE identifier IN ('v13-report-reading', 'v36-district-rollups');
                """)
        }
        let districtTables = try queue.read { db in try db.tableExists("district_rollup") || db.tableExists("district_month_rollup") }
        #expect(!districtTables)
        let migrated = try AppDatabase(queue)
        #expect(try migrated.rollupSnapshot() == current)
        try migrated.writer.read { db in
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'cohort_rollup'") ?? ""
            #expect(sql.contains("WITHOUT ROWID"))
            for table in ["attendance_rollup", "score_rollup"] {
                let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? ""
                #expect(definition.contains("WITHOUT ROWID"))
                #expect(try db.indexes(on: table).map(\.name).contains("\(table)_on_person_id"))
            }
            #expect(try db.indexes(on: "session").map(\.name).contains("session_schedule"))
        }
        try office(migrated).reports.rebuildRollups(actor: Actor("test:migration")!)
        #expect(try migrated.rollupSnapshot() == current)
    }

    /// v15 gives every cohort_rollup row its module's scheduled minutes, as the incremental rollups and a rebuild do.
    @Test func theScheduledMinutesMigrationFillsEveryRollupRow() throws {
        // v17's columns go too, so that the columns come back in their order.
        try expectMigrationRestoresTheRollups(undo: """
            ALTER TABLE cohort_rollup DROP COLUMN present_female;
            ALTER TABLE cohort_rollup DROP COLUMN present_male;
            ALTER TABLE cohort_rollup DROP COLUMN scheduled_minutes;
            DELETE FROM grdb_migrations WHERE identifier IN ('v15-scheduled-beside-rollups', 'v17-district-minutes-by-sex');
            """, filled: "SELECT COUNT(*) FROM cohort_rollup WHERE scheduled_minutes > 0")
    }

    /// v34 gives every attendance rollup row the sessions its person attended, as the incremental rollups and a
    /// rebuild count them.
    @Test func theAttendedMigrationFillsEveryAttendanceRollupRow() throws {
        try expectMigrationRestoresTheRollups(undo: """
            ALTER TABLE attendance_rollup DROP COLUMN attended;
            DELETE FROM grdb_migrations WHERE identifier = 'v34-attended-in-rollup';
            """, filled: "SELECT COUNT(*) FROM attendance_rollup WHERE attended > 0")
    }

    /// v17 gives the District's module rows the minutes of women and of men, from its per-sex rows, and drops the
    /// per-sex rows over all modules: the result is what the incremental rollups and a rebuild have.
    @Test func theDistrictMinutesBySexMigrationFillsTheModuleRows() throws {
        try expectMigrationRestoresTheRollups(undo: undoDistrictRollups + """
            ALTER TABLE cohort_rollup DROP COLUMN present_female;
            ALTER TABLE cohort_rollup DROP COLUMN present_male;
            INSERT INTO cohort_rollup (cohort_id, department, sex, module_id, placed, present_minutes, excused_minutes,
                                       attempted, passed, score_sum, scheduled_minutes)
            SELECT cohort_id, '*', sex, '*', MAX(placed), SUM(present_minutes), SUM(excused_minutes), SUM(attempted),
                   SUM(passed), SUM(score_sum), 0
            FROM cohort_rollup WHERE department = '*' AND sex != '*' GROUP BY cohort_id, sex;
            DELETE FROM grdb_migrations WHERE identifier = 'v17-district-minutes-by-sex';
            """, undone: "SELECT COUNT(*) FROM cohort_rollup WHERE module_id = '*'",
            filled: "SELECT COUNT(*) FROM district_rollup WHERE present_female > 0")
    }

    /// v36 moves the District's rows of cohort_rollup and month_rollup to tables of their own and drops its per-sex
    /// rows, and counts each department's people: the result is what the incremental rollups, the headcount's
    /// triggers and a rebuild have.
    @Test func theDistrictRollupMigrationMovesTheDistrictRows() throws {
        try expectMigrationRestoresTheRollups(undo: undoDistrictRollups, undone: "SELECT COUNT(*) FROM cohort_rollup WHERE department = '*'",
                                              filled: "SELECT COUNT(*) FROM district_month_rollup")
    }

    /// v14 gives every enrolment its person's sex, and the triggers keep it so on every write that changes it.
    @Test func theDistrictPlacesMigrationCopiesEachPersonsSex() throws {
        let (queue, _) = try smallGeneratedDistrict()
        try queue.write { db in
            try db.execute(sql: "DROP INDEX enrolment_placed")
            try undoDistrictPlaces(db)
        }
        let migrated = try AppDatabase(queue)
        func mismatches() throws -> Int {
            try queue.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM enrolment e JOIN person p ON p.id = e.person_id WHERE e.person_sex IS NOT p.sex
                    """) ?? -1
            }
        }
        let enrolled = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment WHERE person_sex IS NOT NULL") }
        #expect(enrolled ?? 0 > 0)
        #expect(try mismatches() == 0)
        let placedIndex = try queue.read { db in try db.indexes(on: "enrolment").first { $0.name == "enrolment_placed" } }
        #expect(placedIndex?.columns == ["cohort_id", "status", "person_id", "person_sex"])
        // A correction, an import and an erasure change a person's sex; an enrolment takes it when made.
        let someone = try #require(try office(migrated).people.list().first { $0.sex != nil })
        var corrected = try correctSex(of: someone, migrated)
        #expect(try mismatches() == 0)
        corrected.sex = nil
        _ = try office(migrated).people.importDrafts([corrected], file: "p.csv", sha256: String(repeating: "5", count: 64), actor: testActor)
        #expect(try mismatches() == 0)
        try eraseSomeoneElse(than: someone, migrated)
        #expect(try mismatches() == 0)
        try queue.write { db in try enrolSomeoneNew(db) }
        #expect(try mismatches() == 0)
    }

    /// v16 fills place_rollup from the enrolments, and its triggers keep it equal to them on every write of one.
    @Test func thePlaceRollupFollowsTheEnrolments() throws {
        let (queue, database) = try smallGeneratedDistrict()
        let current = try database.rollupSnapshot()
        try queue.write { db in try undoPlaceRollup(db) }
        let migrated = try AppDatabase(queue)
        #expect(try migrated.rollupSnapshot() == current)
        // The places as the enrolments have them, against the rollup, both ways.
        func mismatches() throws -> Int {
            try queue.read { db in
                try Int.fetchOne(db, sql: """
                    WITH expected AS (
                        SELECT cohort_id, person_id,
                               CASE person_sex WHEN 'female' THEN 2 WHEN 'male' THEN 3 ELSE 1 END + 4 * (status = 'completed') AS place
                        FROM enrolment WHERE status IN ('approved', 'completed'))
                    SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM place_rollup))
                         + (SELECT COUNT(*) FROM (SELECT * FROM place_rollup EXCEPT SELECT * FROM expected))
                    """) ?? -1
            }
        }
        func places() throws -> Int { try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM place_rollup") ?? 0 } }
        let before = try places()
        #expect(before > 0)
        #expect(try mismatches() == 0)
        // A withdrawal, a correction of sex, an erasure, a completion, a new enrolment and a deleted one.
        let approved = try #require(try queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.code, p.personal_number FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
                JOIN person p ON p.id = e.person_id WHERE e.status = 'approved' LIMIT 1
                """)
        })
        let cohort: String = approved[0], number: String = approved[1]
        _ = try office(migrated).enrolment.withdraw(cohort: cohort, person: number, reason: nil, actor: testActor)
        #expect(try places() == before - 1)
        #expect(try mismatches() == 0)
        let someone = try #require(try office(migrated).people.list().first { $0.sex != nil })
        _ = try correctSex(of: someone, migrated)
        #expect(try mismatches() == 0)
        try eraseSomeoneElse(than: someone, migrated)
        #expect(try mismatches() == 0)
        try queue.write { db in
            try db.execute(sql: "UPDATE enrolment SET status = 'completed' WHERE id = (SELECT MIN(id) FROM enrolment WHERE status = 'approved')")
            try enrolSomeoneNew(db)
        }
        #expect(try mismatches() == 0)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM enrolment WHERE id = (SELECT MAX(id) FROM enrolment)")
        }
        #expect(try mismatches() == 0)
        #expect(try places() == before - 1)
    }

    @Test func foreignKeysAreEnforced() throws {
        let database = try AppDatabase.inMemory()
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                try db.execute(sql: "INSERT INTO audit_detail (seq, details) VALUES (999, 'orphan')")
            }
        }
    }
}

@Suite struct DataDirectoryTests {
    @Test func initCreatesThenReopensWithoutChange() throws {
        let temporary = try TemporaryDirectory()
        let directory = DataDirectory(path: temporary.url.appendingPathComponent("var").path)
        let (database, created) = try directory.initialize()
        #expect(created)
        try appendEvents(database, count: 1)
        let (_, createdAgain) = try directory.initialize()
        #expect(!createdAgain)
        let reopened = try directory.open()
        #expect(try office(reopened).administration.auditEvents().count == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.url.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let journal = try reopened.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let synchronous = try reopened.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)
    }

    @Test func missingDirectoryIsRefusedAndNothingIsCreated() throws {
        let temporary = try TemporaryDirectory()
        let path = temporary.url.appendingPathComponent("nowhere").path
        #expect(throws: StoreError.dataDirectoryMissing(path: path)) { try DataDirectory(path: path).open() }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func missingDatabaseIsRefusedAndNotCreated() throws {
        let temporary = try TemporaryDirectory()
        let directory = DataDirectory(path: temporary.url.path)
        #expect(throws: StoreError.databaseMissing(path: directory.databaseURL.path)) { try directory.open() }
        #expect(!FileManager.default.fileExists(atPath: directory.databaseURL.path))
    }

    @Test func garbageFileIsNotADatabase() throws {
        let temporary = try TemporaryDirectory()
        let directory = DataDirectory(path: temporary.url.path)
        try Data("this is not sqlite".utf8).write(to: directory.databaseURL)
        #expect(throws: StoreError.notADatabase(path: directory.databaseURL.path)) { try directory.open() }
    }

    @Test func foreignSQLiteFileIsRefusedUntouched() throws {
        let temporary = try TemporaryDirectory()
        let directory = DataDirectory(path: temporary.url.path)
        let foreign = try DatabaseQueue(path: directory.databaseURL.path)
        try foreign.write { db in try db.execute(sql: "CREATE TABLE notes(x); INSERT INTO notes VALUES (1)") }
        try foreign.close()
        let before = try Data(contentsOf: directory.databaseURL)
        #expect(throws: StoreError.foreignDatabase(path: directory.databaseURL.path)) { try directory.open() }
        #expect(try Data(contentsOf: directory.databaseURL) == before)
        #expect(!FileManager.default.fileExists(atPath: directory.databaseURL.path + "-wal"))
    }

    @Test func newerSchemaIsRefused() throws {
        let temporary = try TemporaryDirectory()
        let directory = DataDirectory(path: temporary.url.path)
        let (database, _) = try directory.initialize()
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')")
        }
        #expect(throws: StoreError.newerSchema(path: directory.databaseURL.path,
                                              unknownMigrations: ["v999-from-the-future"])) {
            try directory.open()
        }
    }
}

/// Takes v36's headcount back.
private let undoHeadcount = """
    DROP TRIGGER headcount_insert; DROP TRIGGER headcount_delete; DROP TRIGGER headcount_update; DROP TABLE headcount;
    """

/// Takes v36 back: the District's rows in cohort_rollup (per sex, and over all with the minutes of women and of men)
/// and month_rollup (department '*'), no tables of their own, no dated sums, no index of open modules, no headcount.
private let undoDistrictRollups = """
    INSERT INTO cohort_rollup (cohort_id, department, sex, module_id, placed, present_minutes, excused_minutes, attempted,
                               passed, score_sum, scheduled_minutes, present_female, present_male)
    SELECT cohort_id, '*', sex, module_id, SUM(placed), SUM(present_minutes), SUM(excused_minutes), SUM(attempted),
           SUM(passed), SUM(score_sum), MAX(scheduled_minutes), 0, 0
    FROM cohort_rollup GROUP BY cohort_id, sex, module_id;
    INSERT INTO cohort_rollup (cohort_id, department, sex, module_id, placed, present_minutes, excused_minutes, attempted,
                               passed, score_sum, scheduled_minutes, present_female, present_male)
    SELECT cohort_id, '*', '*', module_id, placed, present_minutes, excused_minutes, attempted, passed, score_sum,
           scheduled_minutes, present_female, present_male
    FROM district_rollup;
    INSERT INTO month_rollup (cohort_id, department, month, present_minutes)
    SELECT cohort_id, '*', month, present_minutes FROM district_month_rollup;
    DROP TABLE district_rollup;
    DROP TABLE district_month_rollup;
    DROP TABLE district_dated_rollup;
    DROP INDEX schedule_rollup_open;
    \(undoHeadcount)
    DELETE FROM grdb_migrations WHERE identifier = 'v36-district-rollups';
    """

/// A generated District of 40 people in memory, with the queue under it (for taking migrations back).
private func smallGeneratedDistrict() throws -> (DatabaseQueue, AppDatabase) {
    let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
    let database = try AppDatabase(queue)
    _ = try office(database, at: LocalDateTime(iso: "2026-11-25 12:00")!).demo.generate(people: 40, seed: 7, actor: Actor("test:migration")!)
    return (queue, database)
}

/// Takes a migration back on a small generated District with `undo`, after which `undone` (a count) must find rows,
/// then opens the database again: the migration must give back the rollups there were, with rows `filled` counts.
private func expectMigrationRestoresTheRollups(undo: String, undone: String? = nil, filled: String) throws {
    let (queue, database) = try smallGeneratedDistrict()
    let current = try database.rollupSnapshot()
    try queue.write { db in try db.execute(sql: undo) }
    if let undone {
        #expect(try queue.read { db in try Int.fetchOne(db, sql: undone) } ?? 0 > 0)
    }
    let migrated = try AppDatabase(queue)
    #expect(try migrated.rollupSnapshot() == current)
    #expect(try queue.read { db in try Int.fetchOne(db, sql: filled) } ?? 0 > 0)
}

/// Corrects a person's recorded sex to the other one; returns the correction made.
private func correctSex(of someone: Person, _ database: AppDatabase) throws -> PersonDraft {
    let corrected = PersonDraft(personalNumber: someone.personalNumber, givenName: someone.givenName,
                                familyName: someone.familyName, sex: someone.sex == .female ? .male : .female,
                                email: someone.email, department: someone.department, jobTitle: someone.jobTitle)
    _ = try office(database).people.correct(corrected, actor: testActor)
    return corrected
}

/// Erases a person with a recorded sex other than `someone`.
private func eraseSomeoneElse(than someone: Person, _ database: AppDatabase) throws {
    let other = try #require(try office(database).people.list().first { $0.sex != nil && $0.personalNumber != someone.personalNumber })
    _ = try office(database).privacy.erase(person: other.personalNumber, actor: testActor)
}

/// Enrols, as approved, a person with a recorded sex in a cohort they were not in.
private func enrolSomeoneNew(_ db: Database) throws {
    try db.execute(sql: """
        INSERT INTO enrolment (cohort_id, person_id, department_at_enrolment, status, position, requested_at, updated_at)
        SELECT c.id, p.id, p.department, 'approved', 0, '2026-01-01', '2026-01-01' FROM cohort c, person p
        WHERE p.sex IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.cohort_id = c.id AND e.person_id = p.id)
        LIMIT 1
        """)
}

/// Back to the shape before v16: no place_rollup nor its triggers.
private func undoPlaceRollup(_ db: Database) throws {
    try db.execute(sql: """
        DROP TRIGGER place_rollup_insert;
        DROP TRIGGER place_rollup_update;
        DROP TRIGGER place_rollup_delete;
        DROP TABLE place_rollup;
        DELETE FROM grdb_migrations WHERE identifier = 'v16-place-rollup';
        """)
}

/// Back to the shape before v14 (enrolment_placed must be dropped first; v16's triggers, which read person_sex, go
/// too): no person_sex, triggers, person_current or cohort_period.
private func undoDistrictPlaces(_ db: Database) throws {
    try undoPlaceRollup(db)
    try db.execute(sql: """
        DROP TRIGGER enrolment_person_sex;
        DROP TRIGGER enrolment_person_sex_moved;
        DROP TRIGGER person_sex_to_enrolments;
        DROP INDEX person_current;
        DROP INDEX cohort_period;
        ALTER TABLE enrolment DROP COLUMN person_sex;
        CREATE INDEX enrolment_placed ON enrolment(cohort_id, status, person_id);
        DELETE FROM grdb_migrations WHERE identifier = 'v14-district-places';
        """)
}
