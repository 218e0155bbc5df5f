import GRDB
import TrainingCore

extension AppDatabase {
    /// The schema's history. A migration, once shipped, is never edited: add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-departments-audit") { db in
            try db.execute(sql: "PRAGMA application_id = \(AppDatabase.applicationID)")

            try db.create(table: "department") { t in
                t.primaryKey("code", .text).check { length($0) >= 1 && length($0) <= 10 }
                t.column("name_bs", .text).notNull().check { length($0) > 0 }
                t.column("name_sr_cyrl", .text).notNull().check { length($0) > 0 }
                t.column("name_en", .text).notNull().check { length($0) > 0 }
            }

            // The audit chain: each row hashes its own fields and the previous row's hash.
            try db.create(table: "audit_event") { t in
                t.primaryKey("seq", .integer)
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("entity_type", .text).notNull()
                t.column("entity_id", .text).notNull()
                t.column("details_digest", .text)
                t.column("prev_hash", .text).notNull().check { length($0) == 64 }
                t.column("hash", .text).notNull().unique().check { length($0) == 64 }
            }
            try db.create(index: "audit_event_entity", on: "audit_event", columns: ["entity_type", "entity_id"])
            // Details may name people, so they live apart and privacy erasure may delete them;
            // only their digest is in the chain.
            try db.create(table: "audit_detail") { t in
                t.primaryKey("seq", .integer).references("audit_event", onDelete: .restrict)
                t.column("details", .text).notNull()
            }
            try db.execute(sql: """
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
                """)
            try DepartmentSeed.insertAll(db)
        }

        migrator.registerMigration("v2-curriculum") { db in
            // A stored program version is immutable: a changed curriculum is a new version.
            try db.create(table: "program") { t in
                t.column("id", .text).notNull()
                t.column("version", .integer).notNull().check { $0 >= 1 }
                t.primaryKey(["id", "version"])
                t.column("year", .integer).notNull().check { $0 >= 2000 && $0 <= 2100 }
                t.column("serial_code", .text).notNull().check { length($0) >= 2 && length($0) <= 6 }
                t.column("valid_years", .integer).check { $0 == nil || $0 >= 1 }
                t.column("provider", .text).notNull().references("department", onDelete: .restrict)
                t.column("attendance_percent", .double).notNull().check { $0 >= 0 && $0 <= 100 }
                t.column("excused", .text).notNull().check { ["absent", "exempt"].contains($0) }
                t.column("final_pass", .double).notNull().check { $0 >= 0 && $0 <= 100 }
                t.column("title_bs", .text).notNull()
                t.column("definition", .jsonText).notNull()
                t.column("source_xml", .text).notNull()
                t.column("xml_sha256", .text).notNull().check { length($0) == 64 }
                t.column("loaded_at", .text).notNull()
            }
            try db.create(table: "module") { t in
                t.column("program_id", .text).notNull()
                t.column("program_version", .integer).notNull()
                t.column("id", .text).notNull()
                t.primaryKey(["program_id", "program_version", "id"])
                t.foreignKey(["program_id", "program_version"], references: "program", onDelete: .restrict)
                t.column("position", .integer).notNull().check { $0 >= 1 }
                t.uniqueKey(["program_id", "program_version", "position"])
                t.column("hours", .double).notNull().check { $0 > 0 }
                t.column("title_bs", .text).notNull()
            }
            try db.create(table: "assessment_def") { t in
                t.column("program_id", .text).notNull()
                t.column("program_version", .integer).notNull()
                t.column("id", .text).notNull()
                t.primaryKey(["program_id", "program_version", "id"])
                t.column("module_id", .text).notNull()
                t.foreignKey(["program_id", "program_version", "module_id"], references: "module", onDelete: .restrict)
                t.column("kind", .text).notNull()
                    .check { ["test", "project", "oral", "practical", "participation"].contains($0) }
                t.column("max_score", .double).notNull().check { $0 > 0 }
                t.column("pass_score", .double).notNull()
                t.check(sql: "pass_score >= 0 AND pass_score <= max_score")
                t.column("weight", .double).notNull().check { $0 >= 0 && $0 <= 1 }
                t.column("attempts", .integer).notNull().check { $0 >= 1 }
                t.column("required", .boolean).notNull()
            }
            for table in ["program", "module", "assessment_def"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_immutable BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'a stored program version is immutable'); END;
                    """)
            }
        }

        migrator.registerMigration("v3-people-scheduling") { db in
            try db.create(table: "person") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("personal_number", .text).notNull().unique()
                    .check { length($0) >= 1 && length($0) <= 20 }
                t.column("given_name", .text).notNull()
                t.column("family_name", .text).notNull()
                t.column("sex", .text).check { $0 == nil || ["female", "male"].contains($0) }
                t.column("email", .text).notNull()
                t.column("department", .text).notNull().indexed().references("department", onDelete: .restrict)
                t.column("job_title", .text)
                t.column("erased_at", .text)
                t.column("created_at", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            try db.create(table: "cohort") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("code", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                    .check { length($0) >= 1 && length($0) <= 40 }
                t.column("name", .text).notNull()
                t.column("program_id", .text).notNull()
                t.column("program_version", .integer).notNull()
                t.foreignKey(["program_id", "program_version"], references: "program", onDelete: .restrict)
                t.column("starts", .text).notNull()
                t.column("ends", .text).notNull()
                t.check(sql: "ends >= starts")
                t.column("capacity", .integer).notNull().check { $0 > 0 }
                t.column("created_at", .text).notNull()
            }
            try db.create(table: "enrolment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("cohort_id", .integer).notNull().references("cohort", onDelete: .restrict)
                t.column("person_id", .integer).notNull().indexed().references("person", onDelete: .restrict)
                t.uniqueKey(["cohort_id", "person_id"])
                // Training counts for the department the person belonged to when enrolled.
                t.column("department_at_enrolment", .text).notNull().references("department", onDelete: .restrict)
                t.column("status", .text).notNull()
                    .check { ["requested", "approved", "declined", "waitlisted", "withdrawn", "completed"].contains($0) }
                // Arrival order: the waitlist is first come, first served.
                t.column("position", .integer).notNull()
                t.column("reason", .text)
                t.column("requested_at", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            try db.create(table: "venue") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique().collate(.nocase).check { length($0) > 0 }
                t.column("capacity", .integer).notNull().check { $0 > 0 }
            }
            try db.create(table: "trainer") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique().collate(.nocase).check { length($0) > 0 }
            }
            // Only what the law's rule cannot compute: religious holidays (warnings) and one-off days.
            try db.create(table: "holiday") { t in
                t.column("date", .text).notNull()
                t.column("name", .text).notNull()
                t.primaryKey(["date", "name"])
                t.column("kind", .text).notNull().check { ["religious", "one_off"].contains($0) }
            }
            try db.create(table: "session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("cohort_id", .integer).notNull().indexed().references("cohort", onDelete: .restrict)
                t.column("program_id", .text).notNull()
                t.column("program_version", .integer).notNull()
                t.column("module_id", .text).notNull()
                t.foreignKey(["program_id", "program_version", "module_id"], references: "module", onDelete: .restrict)
                t.column("starts_at", .text).notNull().indexed()
                t.column("ends_at", .text).notNull()
                t.check(sql: "ends_at > starts_at")
                t.column("venue_id", .integer).references("venue", onDelete: .restrict)
                t.column("trainer_id", .integer).references("trainer", onDelete: .restrict)
                t.column("status", .text).notNull().check { ["scheduled", "cancelled"].contains($0) }
                t.column("sequence", .integer).notNull().check { $0 >= 0 }
                t.column("uid", .text).notNull().unique()
                t.column("created_at", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            // Every version of a session, so a move or cancellation keeps its history.
            try db.create(table: "session_change") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session_id", .integer).notNull().indexed().references("session", onDelete: .restrict)
                t.column("sequence", .integer).notNull()
                t.column("kind", .text).notNull().check { ["created", "moved", "cancelled"].contains($0) }
                t.column("starts_at", .text).notNull()
                t.column("ends_at", .text).notNull()
                t.column("venue_id", .integer)
                t.column("trainer_id", .integer)
                t.column("reason", .text)
                t.column("overridden", .text)
                t.column("actor", .text).notNull()
                t.column("changed_at", .text).notNull()
            }
        }

        migrator.registerMigration("v4-attendance-assessment") { db in
            // The attendance ledger: a correction is a new row; the old one stays, marked not current.
            try db.create(table: "attendance") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session_id", .integer).notNull().references("session", onDelete: .restrict)
                t.column("person_id", .integer).notNull().indexed().references("person", onDelete: .restrict)
                t.column("status", .text).notNull().check { ["present", "late", "excused", "absent"].contains($0) }
                t.column("minutes_present", .integer).notNull().check { $0 >= 0 }
                t.column("note", .text)
                t.column("recorded_by", .text).notNull()
                t.column("recorded_at", .text).notNull()
                t.column("supersedes", .integer).references("attendance", onDelete: .restrict)
                t.column("current", .boolean).notNull().defaults(to: true)
            }
            try db.execute(sql: """
                CREATE UNIQUE INDEX attendance_current ON attendance(session_id, person_id) WHERE current;
                CREATE INDEX attendance_session ON attendance(session_id, person_id);
                """)
            try db.create(table: "assessment_result") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("cohort_id", .integer).notNull().references("cohort", onDelete: .restrict)
                t.column("assessment_id", .text).notNull()
                t.column("person_id", .integer).notNull().indexed().references("person", onDelete: .restrict)
                t.column("attempt", .integer).notNull().check { $0 >= 1 }
                t.column("score", .double).notNull().check { $0 >= 0 }
                t.column("recorded_by", .text).notNull()
                t.column("recorded_at", .text).notNull()
                t.column("supersedes", .integer).references("assessment_result", onDelete: .restrict)
                t.column("current", .boolean).notNull().defaults(to: true)
            }
            try db.execute(sql: """
                CREATE UNIQUE INDEX assessment_result_current
                ON assessment_result(cohort_id, assessment_id, person_id, attempt) WHERE current;
                """)
        }

        migrator.registerMigration("v5-certificates") { db in
            // Public halves of the District's signing keys; private keys stay 0600 files in the data directory.
            try db.create(table: "signing_key") { t in
                t.primaryKey("key_id", .text)
                t.column("public_key", .text).notNull()
                t.column("created_at", .text).notNull()
                t.column("retired_at", .text)
            }
            // Serials restart each year per serial code and are never reused.
            try db.create(table: "serial_counter") { t in
                t.column("serial_code", .text).notNull()
                t.column("year", .integer).notNull()
                t.primaryKey(["serial_code", "year"])
                t.column("last", .integer).notNull().check { $0 >= 1 }
            }
            try db.create(table: "cohort_certificate_settings") { t in
                t.primaryKey("cohort_id", .integer).references("cohort", onDelete: .restrict)
                t.column("signatory_name", .text).notNull()
                t.column("signatory_title", .text).notNull()
                t.column("place", .text).notNull()
            }
            // Everything printed is stored, so a reprint is identical.
            try db.create(table: "certificate") { t in
                t.primaryKey("serial", .text)
                t.column("check_code", .text).notNull()
                t.column("person_id", .integer).notNull().indexed().references("person", onDelete: .restrict)
                t.column("cohort_id", .integer).notNull().references("cohort", onDelete: .restrict)
                t.column("language", .text).notNull()
                t.column("template_id", .text).notNull()
                t.column("key_id", .text).notNull().references("signing_key", onDelete: .restrict)
                t.column("issued_at", .text).notNull()
                t.column("expires_at", .text)
                t.column("registry_number", .text)
                t.column("signatory_name", .text).notNull()
                t.column("signatory_title", .text).notNull()
                t.column("place", .text).notNull()
                t.column("fields", .jsonText).notNull()
                t.column("payload", .jsonText).notNull()
                t.column("token", .text).notNull()
                t.column("revoked_at", .text)
                t.column("revocation_reason", .text)
                t.column("created_at", .text).notNull()
            }
            // One valid certificate per person and cohort; a revoked one can be replaced.
            try db.execute(sql: """
                CREATE UNIQUE INDEX certificate_one_valid ON certificate(person_id, cohort_id) WHERE revoked_at IS NULL
                """)
        }

        migrator.registerMigration("v6-rollups") { db in
            // Per person × module totals kept in step with the attendance ledger (same transaction), so a
            // report reads hundreds of rows, not the ledger. Minutes are summed over current records.
            try db.create(table: "attendance_rollup") { t in
                t.column("cohort_id", .integer).notNull().references("cohort", onDelete: .restrict)
                t.column("person_id", .integer).notNull().indexed().references("person", onDelete: .restrict)
                t.column("module_id", .text).notNull()
                t.primaryKey(["cohort_id", "person_id", "module_id"])
                t.column("present_minutes", .integer).notNull()
                t.column("excused_minutes", .integer).notNull()
                // Added by v34: the rebuild below writes it (see there).
                t.column("attended", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
            }
            try db.create(table: "score_rollup") { t in
                t.column("cohort_id", .integer).notNull().references("cohort", onDelete: .restrict)
                t.column("person_id", .integer).notNull().indexed().references("person", onDelete: .restrict)
                t.column("assessment_id", .text).notNull()
                t.primaryKey(["cohort_id", "person_id", "assessment_id"])
                t.column("best_score", .double).notNull()
                t.column("attempts", .integer).notNull()
            }
            // Minutes present per cohort, department at enrolment and month: the hours-per-month chart.
            try db.create(table: "month_rollup") { t in
                t.column("cohort_id", .integer).notNull().references("cohort", onDelete: .restrict)
                t.column("department", .text).notNull()
                t.column("month", .text).notNull()
                t.primaryKey(["cohort_id", "department", "month"])
                t.column("present_minutes", .integer).notNull()
            }
            try AppDatabase.rebuildRollupsInMigration(db)
        }

        migrator.registerMigration("v7-cohort-rollup") { db in
            // Per cohort × department at enrolment (and '*' for all) × sex × module: the sums a District-wide
            // report needs, a few thousand rows a year instead of every enrolment. Sex '' is not recorded.
            try db.create(table: "cohort_rollup") { t in
                t.column("cohort_id", .integer).notNull().references("cohort", onDelete: .restrict)
                t.column("department", .text).notNull()
                t.column("sex", .text).notNull()
                t.column("module_id", .text).notNull()
                t.primaryKey(["cohort_id", "department", "sex", "module_id"])
                t.column("placed", .integer).notNull()
                t.column("present_minutes", .integer).notNull()
                t.column("excused_minutes", .integer).notNull()
                t.column("attempted", .integer).notNull()
                t.column("passed", .integer).notNull()
                t.column("score_sum", .double).notNull()
            }
            try db.create(index: "cohort_rollup_department", on: "cohort_rollup", columns: ["department", "cohort_id"])
            try AppDatabase.rebuildRollupsInMigration(db)
        }

        migrator.registerMigration("v8-report-indexes") { db in
            // A department's report reaches its enrolments without scanning the District's.
            try db.create(index: "enrolment_department", on: "enrolment", columns: ["department_at_enrolment", "cohort_id"])
        }

        migrator.registerMigration("v9-accounts-sessions") { db in
            // Web accounts. Roles are a comma-separated set; a department head is scoped to one department,
            // a trainee account belongs to one person.
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("login", .text).notNull().unique().collate(.nocase).check { length($0) >= 1 && length($0) <= 64 }
                t.column("display_name", .text).notNull()
                t.column("password_hash", .text).notNull()
                t.column("roles", .text).notNull()
                t.column("department", .text).references("department", onDelete: .restrict)
                t.column("person_id", .integer).references("person", onDelete: .restrict)
                t.column("disabled_at", .text)
                // Bumped by a password change or disabling: every session made before is void.
                t.column("session_generation", .integer).notNull().defaults(to: 1)
                t.column("created_at", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            // Signed-in sessions survive a restart. Only the token's SHA-256 is stored; times are Unix seconds.
            try db.create(table: "web_session") { t in
                t.primaryKey("token_sha256", .text)
                t.column("account_id", .integer).notNull().indexed().references("account", onDelete: .cascade)
                t.column("generation", .integer).notNull()
                t.column("csrf_token", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("refreshed_at", .integer).notNull()
                t.column("idle_expires_at", .integer).notNull()
                t.column("absolute_expires_at", .integer).notNull()
            }
        }

        migrator.registerMigration("v10-trainee-admin") { db in
            // A trainee's calendar subscription: the URL's secret token, stored only as its SHA-256.
            try db.create(table: "calendar_feed") { t in
                t.primaryKey("person_id", .integer).references("person", onDelete: .cascade)
                t.column("token_sha256", .text).notNull().unique()
                t.column("created_at", .text).notNull()
            }
            // An absence reported in advance by the trainee; the coordinator decides whether it is excused.
            try db.create(table: "absence_notice") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session_id", .integer).notNull().references("session", onDelete: .cascade)
                t.column("person_id", .integer).notNull().references("person", onDelete: .cascade)
                t.column("reason", .text).notNull()
                t.column("created_at", .text).notNull()
                t.uniqueKey(["session_id", "person_id"])
            }
            // One-time password-reset links made by an administrator; the token is stored as its SHA-256.
            try db.create(table: "password_reset") { t in
                t.primaryKey("token_sha256", .text)
                t.column("account_id", .integer).notNull().references("account", onDelete: .cascade)
                t.column("expires_at", .integer).notNull()
                t.column("used_at", .integer)
            }
        }

        migrator.registerMigration("v11-api-tokens") { db in
            // Personal API tokens for scripts: stored as SHA-256, scoped like their owner, revocable.
            try db.create(table: "api_token") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("account_id", .integer).notNull().indexed().references("account", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("token_sha256", .text).notNull().unique()
                t.column("created_at", .text).notNull()
                // Written at most once a minute per token, not on every request.
                t.column("last_used_at", .integer)
                t.column("revoked_at", .text)
            }
        }

        migrator.registerMigration("v12-privacy") { db in
            // Privacy erasure keeps a certificate checkable without its holder's data.
            try db.alter(table: "certificate") { t in t.add(column: "holder_erased_at", .text) }
            // Who read another person's data (progress, transcript, export); trainees' own views are not logged.
            // Kept apart from the audit chain so the retention purge can delete old rows.
            try db.create(table: "read_access") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull().indexed()
                t.column("actor", .text).notNull()
                t.column("what", .text).notNull()
                t.column("subject", .text).notNull().indexed()
            }
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }

        migrator.registerMigration("v13-report-reading") { db in
            // A report sums its cohorts' sessions per module from this index alone (it also serves the foreign key).
            try db.create(index: "session_schedule", on: "session",
                          columns: ["cohort_id", "status", "module_id", "ends_at", "starts_at"])
            try db.drop(index: "session_on_cohort_id")
            // The places taken in a period's cohorts, from this index alone (enrolled and completed people).
            try db.create(index: "enrolment_placed", on: "enrolment", columns: ["cohort_id", "status", "person_id"])
            // The data generation (AppDatabase.dataGeneration): one row, a new random token at every write of data.
            try db.execute(sql: """
                CREATE TABLE data_generation (id INTEGER PRIMARY KEY CHECK (id = 1), token INTEGER NOT NULL);
                INSERT INTO data_generation (id, token) VALUES (1, random());
                """)
            // (cohort_rollup's last columns are v15's and v17's: the rebuild below is today's code, which fills them. A
            // database past v13 gains them in v15 and v17, in the same places.)
            // The rollups a report reads by key become WITHOUT ROWID, so the rows of a cohort (and of a person in it)
            // lie together in key order; schedule_rollup is new (refreshScheduleRollup); month_rollup and
            // cohort_rollup gain District rows ('*'). All are then rebuilt from the ledgers, as v6 and v7 did.
            try db.execute(sql: """
                DROP TABLE attendance_rollup;
                CREATE TABLE attendance_rollup (
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT,
                    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT, module_id TEXT NOT NULL,
                    present_minutes INTEGER NOT NULL, excused_minutes INTEGER NOT NULL,
                    attended INTEGER NOT NULL DEFAULT 0 CHECK (attended >= 0),
                    PRIMARY KEY (cohort_id, person_id, module_id)) WITHOUT ROWID;
                CREATE INDEX attendance_rollup_on_person_id ON attendance_rollup(person_id);
                DROP TABLE score_rollup;
                CREATE TABLE score_rollup (
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT,
                    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT, assessment_id TEXT NOT NULL,
                    best_score DOUBLE NOT NULL, attempts INTEGER NOT NULL,
                    PRIMARY KEY (cohort_id, person_id, assessment_id)) WITHOUT ROWID;
                CREATE INDEX score_rollup_on_person_id ON score_rollup(person_id);
                DROP TABLE cohort_rollup;
                CREATE TABLE cohort_rollup (
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT, department TEXT NOT NULL,
                    sex TEXT NOT NULL, module_id TEXT NOT NULL, placed INTEGER NOT NULL, present_minutes INTEGER NOT NULL,
                    excused_minutes INTEGER NOT NULL, attempted INTEGER NOT NULL, passed INTEGER NOT NULL, score_sum DOUBLE NOT NULL,
                    scheduled_minutes INTEGER NOT NULL DEFAULT 0, present_female INTEGER NOT NULL DEFAULT 0,
                    present_male INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (cohort_id, department, sex, module_id)) WITHOUT ROWID;
                CREATE TABLE schedule_rollup (
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT, module_id TEXT NOT NULL,
                    minutes INTEGER NOT NULL, last_ends_at TEXT NOT NULL, PRIMARY KEY (cohort_id, module_id)) WITHOUT ROWID;
                DELETE FROM month_rollup;
                """)
            try AppDatabase.rebuildRollupsInMigration(db)
        }
        migrator.registerMigration("v14-district-places") { db in
            // A District's places by sex come from the enrolment index alone: each enrolment carries its person's
            // sex, copied by triggers on every write path (enrolment, a person's correction, an import, erasure),
            // instead of thousands of look-ups in person per report. (The per-sex rollup rows are refreshed by
            // those paths themselves: refreshCohortRollups.)
            try db.execute(sql: """
                ALTER TABLE enrolment ADD COLUMN person_sex TEXT;
                UPDATE enrolment SET person_sex = (SELECT sex FROM person WHERE person.id = enrolment.person_id);
                CREATE TRIGGER enrolment_person_sex AFTER INSERT ON enrolment BEGIN
                    UPDATE enrolment SET person_sex = (SELECT sex FROM person WHERE id = NEW.person_id) WHERE id = NEW.id;
                END;
                CREATE TRIGGER enrolment_person_sex_moved AFTER UPDATE OF person_id ON enrolment BEGIN
                    UPDATE enrolment SET person_sex = (SELECT sex FROM person WHERE id = NEW.person_id) WHERE id = NEW.id;
                END;
                CREATE TRIGGER person_sex_to_enrolments AFTER UPDATE OF sex ON person WHEN OLD.sex IS NOT NEW.sex BEGIN
                    UPDATE enrolment SET person_sex = NEW.sex WHERE person_id = NEW.id;
                END;
                DROP INDEX enrolment_placed;
                CREATE INDEX enrolment_placed ON enrolment(cohort_id, status, person_id, person_sex);
                -- The headcount (people not erased) from a small index, not the person table.
                CREATE INDEX person_current ON person(department) WHERE erased_at IS NULL;
                -- A period's cohorts (those ending in or after it, then starting before its end) from an index, not
                -- every cohort of every year: each query of a report starts with them.
                CREATE INDEX cohort_period ON cohort(ends, starts, program_id, program_version);
                """)
            // cohort_rollup gains the District's rows per sex over all modules (module '*').
            try AppDatabase.rebuildRollupsInMigration(db)
        }
        migrator.registerMigration("v15-scheduled-beside-rollups") { db in
            // Each cohort_rollup row carries its module's scheduled minutes in the cohort (0 for the rows over all
            // modules), kept by refreshScheduleRollup: a report read them by a join to schedule_rollup per row,
            // which cost more than the rows themselves.
            // (A database that ran v13 with this binary has it already.)
            if try !db.columns(in: "cohort_rollup").contains(where: { $0.name == "scheduled_minutes" }) {
                try db.execute(sql: "ALTER TABLE cohort_rollup ADD COLUMN scheduled_minutes INTEGER NOT NULL DEFAULT 0")
                try db.execute(sql: "UPDATE cohort_rollup SET scheduled_minutes = \(AppDatabase.scheduledMinutes(ofRowIn: "cohort_rollup"))")
            }
        }
        migrator.registerMigration("v16-place-rollup") { db in
            // Who holds a place in each cohort, one row of integers per place (place: the person's sex code, 1 not
            // recorded, 2 female, 3 male, plus 4 once completed), kept by triggers on every write of an enrolment: a
            // District's places read from here cost a third of reading them from the enrolment index, whose entries
            // carry the status and the sex as text.
            try db.execute(sql: """
                CREATE TABLE place_rollup (
                    cohort_id INTEGER NOT NULL, person_id INTEGER NOT NULL, place INTEGER NOT NULL,
                    PRIMARY KEY (cohort_id, person_id)) WITHOUT ROWID;
                CREATE TRIGGER place_rollup_insert AFTER INSERT ON enrolment WHEN NEW.status IN ('approved', 'completed') BEGIN
                    INSERT OR REPLACE INTO place_rollup (cohort_id, person_id, place)
                    VALUES (NEW.cohort_id, NEW.person_id, \(AppDatabase.placeCode("NEW")));
                END;
                CREATE TRIGGER place_rollup_update AFTER UPDATE OF cohort_id, person_id, status, person_sex ON enrolment BEGIN
                    DELETE FROM place_rollup WHERE cohort_id = OLD.cohort_id AND person_id = OLD.person_id;
                    INSERT OR REPLACE INTO place_rollup (cohort_id, person_id, place)
                    SELECT NEW.cohort_id, NEW.person_id, \(AppDatabase.placeCode("NEW")) WHERE NEW.status IN ('approved', 'completed');
                END;
                CREATE TRIGGER place_rollup_delete AFTER DELETE ON enrolment BEGIN
                    DELETE FROM place_rollup WHERE cohort_id = OLD.cohort_id AND person_id = OLD.person_id;
                END;
                """)
            try AppDatabase.rebuildPlaceRollup(db)
        }
        migrator.registerMigration("v17-district-minutes-by-sex") { db in
            // The District's rows of a module (department and sex '*') carry the minutes of women and of men apart,
            // so its minutes by sex are summed from the rows it reads anyway. The per-sex rows over all modules
            // (module '*', v14), three keyed look-ups per cohort for the same figure, are no longer kept.
            if try !db.columns(in: "cohort_rollup").contains(where: { $0.name == "present_female" }) {
                try db.execute(sql: """
                    ALTER TABLE cohort_rollup ADD COLUMN present_female INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE cohort_rollup ADD COLUMN present_male INTEGER NOT NULL DEFAULT 0;
                    UPDATE cohort_rollup SET
                        present_female = COALESCE((SELECT s.present_minutes FROM cohort_rollup s WHERE s.cohort_id = cohort_rollup.cohort_id
                            AND s.department = '*' AND s.sex = 'female' AND s.module_id = cohort_rollup.module_id), 0),
                        present_male = COALESCE((SELECT s.present_minutes FROM cohort_rollup s WHERE s.cohort_id = cohort_rollup.cohort_id
                            AND s.department = '*' AND s.sex = 'male' AND s.module_id = cohort_rollup.module_id), 0)
                    WHERE department = '*' AND sex = '*';
                    """)
            }
            try db.execute(sql: "DELETE FROM cohort_rollup WHERE module_id = '*'")
        }
        migrator.registerMigration("v18-completion-due") { db in
            // Completion is decided when attendance or a score is written, and again when a cohort's last session
            // ends (the clock tick): a cohort's row says when, and goes once its decisions are made. Existing cohorts
            // are all due at their last session's end, so the first tick also decides what went stale before.
            try db.execute(sql: """
                CREATE TABLE completion_due (
                    cohort_id INTEGER PRIMARY KEY REFERENCES cohort(id) ON DELETE CASCADE,
                    due_at TEXT NOT NULL);
                CREATE INDEX completion_due_at ON completion_due(due_at);
                INSERT INTO completion_due (cohort_id, due_at)
                SELECT cohort_id, MAX(last_ends_at) FROM schedule_rollup GROUP BY cohort_id;
                """)
        }

        migrator.registerMigration("v19-api-token-expiry") { db in
            // A token ends at its expiry, and with its account's sessions: a password change, a role change or disabling
            // bumps the account's session generation, and a token is good only at the generation it was made at.
            // Tokens made before this migration expire 90 days after they were made.
            try db.execute(sql: """
                ALTER TABLE api_token ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE api_token ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
                UPDATE api_token SET expires_at = unixepoch(created_at) + 90 * 86400,
                    session_generation = (SELECT session_generation FROM account WHERE account.id = api_token.account_id);
                """)
        }

        migrator.registerMigration("v20-audit-references") { db in
            // The chain names people and accounts by reference; the names live in audit_name (erasure clears a
            // person's), the people each event concerns in audit_subject. Existing events are stored again by reference
            // and the chain is computed anew over them; its last event records the head of the old chain.
            try db.execute(sql: """
                CREATE TABLE audit_name (ref TEXT PRIMARY KEY, name TEXT NOT NULL, person_id INTEGER) WITHOUT ROWID;
                CREATE INDEX audit_name_person ON audit_name(person_id);
                CREATE TABLE audit_subject (person_id INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (person_id, seq))
                    WITHOUT ROWID;
                """)
            try AuditLog.rechainByReference(db)
        }

        migrator.registerMigration("v21-program-provenance") { db in
            // A version 2 program states District policy (its completion rule, validity, reconstructed module titles)
            // only once a coordinator has confirmed it; who confirmed is in the audit chain. A program listed in
            // program_catalogue is shown to the public; a person may prefer one of the five languages.
            try db.execute(sql: """
                CREATE TABLE program_confirmation (
                    program_id TEXT NOT NULL, program_version INTEGER NOT NULL, confirmed_at TEXT NOT NULL,
                    PRIMARY KEY (program_id, program_version),
                    FOREIGN KEY (program_id, program_version) REFERENCES program(id, version) ON DELETE RESTRICT
                ) WITHOUT ROWID;
                CREATE TABLE program_catalogue (program_id TEXT PRIMARY KEY, published_at TEXT NOT NULL) WITHOUT ROWID;
                ALTER TABLE person ADD COLUMN preferred_language TEXT
                    CHECK (preferred_language IS NULL OR preferred_language IN ('bs', 'hr', 'sr-Latn', 'sr-Cyrl', 'en'));
                """)
        }

        migrator.registerMigration("v22-list-keys") { db in
            // Lists search and sort by keys stored beside the text (TrainingCore.ListKeys): SQLite compares them with its
            // binary collation, so no custom collation is needed that the sqlite3 CLI and integrity_check would lack.
            try db.execute(sql: """
                ALTER TABLE person ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
                ALTER TABLE person ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
                ALTER TABLE cohort ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
                ALTER TABLE cohort ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
                """)
            try AppDatabase.refreshListKeys(db)
            try db.execute(sql: """
                CREATE INDEX person_by_sort_key ON person(sort_key, id) WHERE erased_at IS NULL;
                CREATE INDEX cohort_by_sort_key ON cohort(sort_key, id);
                CREATE INDEX cohort_by_starts ON cohort(starts, id);
                """)
        }

        migrator.registerMigration("v23-required-training") { db in
            // Training required within days of starting counts from this day.
            try db.execute(sql: """
                ALTER TABLE person ADD COLUMN employed_since TEXT
                    CHECK (employed_since IS NULL OR employed_since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
                """)
            // A rule's versions (TrainingCore.TrainingRequirement): a change is a new version from its effective day, so a
            // stored version never changes and is never removed.
            try db.execute(sql: """
                CREATE TABLE training_requirement (
                    code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    program_id TEXT NOT NULL,
                    scope TEXT NOT NULL CHECK (scope IN ('everyone', 'department', 'job_title')),
                    scope_value TEXT CHECK ((scope = 'everyone') = (scope_value IS NULL)),
                    due_days INTEGER CHECK (due_days IS NULL OR due_days BETWEEN 0 AND 3650),
                    due_date TEXT,
                    renew_years INTEGER CHECK (renew_years IS NULL OR renew_years BETWEEN 1 AND 50),
                    effective_from TEXT NOT NULL,
                    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
                    actor TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (code, version),
                    CHECK ((due_days IS NULL) <> (due_date IS NULL))
                );
                CREATE TRIGGER training_requirement_never_changes BEFORE UPDATE ON training_requirement
                BEGIN SELECT RAISE(ABORT, 'a requirement version never changes: store a new version'); END;
                CREATE TRIGGER training_requirement_never_removed BEFORE DELETE ON training_requirement
                BEGIN SELECT RAISE(ABORT, 'a requirement version is never removed: retire the rule'); END;
                """)
        }

        migrator.registerMigration("v24-training-needs") { db in
            // The window in which department heads propose needs for a year, and their proposals. Nominees are personal
            // data: erasure deletes their rows, the export lists them.
            try db.execute(sql: """
                CREATE TABLE nomination_window (
                    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2100),
                    opens TEXT NOT NULL,
                    deadline TEXT NOT NULL CHECK (deadline >= opens),
                    opened_by TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE training_need (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    year INTEGER NOT NULL REFERENCES nomination_window(year) ON DELETE RESTRICT,
                    department TEXT NOT NULL REFERENCES department(code) ON DELETE RESTRICT,
                    program_id TEXT NOT NULL,
                    head_count INTEGER CHECK (head_count IS NULL OR head_count BETWEEN 1 AND 10000),
                    priority TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
                    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
                    proposed_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    withdrawn_at TEXT
                );
                CREATE INDEX training_need_by_year ON training_need(year, department);
                CREATE TABLE training_need_person (
                    need_id INTEGER NOT NULL REFERENCES training_need(id) ON DELETE CASCADE,
                    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
                    PRIMARY KEY (need_id, person_id)
                ) WITHOUT ROWID;
                CREATE INDEX training_need_person_by_person ON training_need_person(person_id);
                """)
        }

        migrator.registerMigration("v25-annual-plan") { db in
            // A year's plan in versions (TrainingCore.PlanVersion). An approved version never changes: the triggers refuse
            // any change to it or its items; an amendment is a new version.
            try db.execute(sql: """
                CREATE TABLE training_plan (
                    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2100),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    approved_by TEXT,
                    approved_at TEXT,
                    decision_number TEXT,
                    decision_date TEXT,
                    PRIMARY KEY (year, version),
                    CHECK ((approved_at IS NULL) = (decision_number IS NULL) AND (approved_at IS NULL) = (decision_date IS NULL))
                );
                CREATE TABLE plan_item (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    year INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    program_id TEXT NOT NULL,
                    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
                    cohorts INTEGER NOT NULL CHECK (cohorts BETWEEN 1 AND 1000),
                    participant_hours REAL NOT NULL CHECK (participant_hours >= 0),
                    cost_fenings INTEGER NOT NULL CHECK (cost_fenings >= 0),
                    donor TEXT,
                    FOREIGN KEY (year, version) REFERENCES training_plan(year, version) ON DELETE RESTRICT,
                    UNIQUE (year, version, program_id, quarter)
                );
                CREATE TABLE plan_item_places (
                    item_id INTEGER NOT NULL REFERENCES plan_item(id) ON DELETE CASCADE,
                    department TEXT NOT NULL REFERENCES department(code) ON DELETE RESTRICT,
                    places INTEGER NOT NULL CHECK (places BETWEEN 1 AND 100000),
                    PRIMARY KEY (item_id, department)
                ) WITHOUT ROWID;
                CREATE TRIGGER training_plan_approved_stays BEFORE UPDATE ON training_plan WHEN OLD.approved_at IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan never changes: amend it with a new version'); END;
                CREATE TRIGGER training_plan_never_removed BEFORE DELETE ON training_plan WHEN OLD.approved_at IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan is never removed'); END;
                CREATE TRIGGER plan_item_insert_draft_only BEFORE INSERT ON plan_item
                WHEN (SELECT approved_at FROM training_plan WHERE year = NEW.year AND version = NEW.version) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan never changes: amend it with a new version'); END;
                CREATE TRIGGER plan_item_update_draft_only BEFORE UPDATE ON plan_item
                WHEN (SELECT approved_at FROM training_plan WHERE year = OLD.year AND version = OLD.version) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan never changes: amend it with a new version'); END;
                CREATE TRIGGER plan_item_delete_draft_only BEFORE DELETE ON plan_item
                WHEN (SELECT approved_at FROM training_plan WHERE year = OLD.year AND version = OLD.version) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan never changes: amend it with a new version'); END;
                CREATE TRIGGER plan_item_places_insert_draft_only BEFORE INSERT ON plan_item_places
                WHEN (SELECT p.approved_at FROM plan_item i JOIN training_plan p ON p.year = i.year AND p.version = i.version
                      WHERE i.id = NEW.item_id) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan never changes: amend it with a new version'); END;
                CREATE TRIGGER plan_item_places_change_draft_only BEFORE UPDATE ON plan_item_places
                WHEN (SELECT p.approved_at FROM plan_item i JOIN training_plan p ON p.year = i.year AND p.version = i.version
                      WHERE i.id = OLD.item_id) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan never changes: amend it with a new version'); END;
                CREATE TRIGGER plan_item_places_delete_draft_only BEFORE DELETE ON plan_item_places
                WHEN (SELECT p.approved_at FROM plan_item i JOIN training_plan p ON p.year = i.year AND p.version = i.version
                      WHERE i.id = OLD.item_id) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'an approved plan never changes: amend it with a new version'); END;
                ALTER TABLE cohort ADD COLUMN plan_item_id INTEGER REFERENCES plan_item(id) ON DELETE RESTRICT;
                """)
        }

        migrator.registerMigration("v26-cohort-cost") { db in
            // What a cohort actually cost, in fenings, for the plan's realisation report.
            try db.execute(sql: "ALTER TABLE cohort ADD COLUMN actual_cost_fenings INTEGER CHECK (actual_cost_fenings IS NULL OR actual_cost_fenings >= 0)")
        }

        migrator.registerMigration("v27-questionnaires") { db in
            // Evaluation questionnaires read from XML beside the programs (curriculum schema 3), immutable per version
            // as programs are: an answer keeps the version it answered.
            try db.execute(sql: """
                CREATE TABLE questionnaire (
                    id TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    title_bs TEXT NOT NULL,
                    definition TEXT NOT NULL,
                    source_xml TEXT NOT NULL,
                    xml_sha256 TEXT NOT NULL,
                    loaded_at TEXT NOT NULL,
                    PRIMARY KEY (id, version)
                ) WITHOUT ROWID;
                CREATE TRIGGER questionnaire_never_changes BEFORE UPDATE ON questionnaire
                BEGIN SELECT RAISE(ABORT, 'a stored questionnaire version never changes: load a new version'); END;
                CREATE TRIGGER questionnaire_never_removed BEFORE DELETE ON questionnaire
                BEGIN SELECT RAISE(ABORT, 'a stored questionnaire version is never removed'); END;
                """)
        }

        migrator.registerMigration("v28-reaction") { db in
            // Reaction questionnaires after a module. A round is a cohort's module, with the deadline a coordinator set.
            // The answers carry no person, account or time, under random keys in a table without rowid, so neither a
            // column nor the order of rows can tie them to anyone; the marker that a person answered holds only
            // (person, cohort, module), also without rowid, and shares nothing with an answer but the round.
            try db.execute(sql: """
                CREATE TABLE reaction_round (
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT,
                    module_id TEXT NOT NULL,
                    deadline TEXT NOT NULL,
                    PRIMARY KEY (cohort_id, module_id)
                ) WITHOUT ROWID;
                CREATE TABLE reaction_answer (
                    answer_key BLOB NOT NULL CHECK (length(answer_key) = 16),
                    item_id TEXT NOT NULL,
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT,
                    module_id TEXT NOT NULL,
                    questionnaire_id TEXT NOT NULL,
                    questionnaire_version INTEGER NOT NULL,
                    scale INTEGER CHECK (scale IS NULL OR scale BETWEEN 1 AND 5),
                    choice TEXT,
                    text TEXT CHECK (text IS NULL OR length(text) <= 2000),
                    PRIMARY KEY (answer_key, item_id),
                    FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES questionnaire(id, version) ON DELETE RESTRICT,
                    CHECK ((scale IS NOT NULL) + (choice IS NOT NULL) + (text IS NOT NULL) = 1)
                ) WITHOUT ROWID;
                CREATE TABLE reaction_marker (
                    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT,
                    module_id TEXT NOT NULL,
                    PRIMARY KEY (person_id, cohort_id, module_id)
                ) WITHOUT ROWID;
                CREATE INDEX reaction_answer_by_round ON reaction_answer(cohort_id, module_id);
                """)
        }
        migrator.registerMigration("v29-pretest") { db in
            // A pre-test (curriculum version 3) is recorded like any assessment but never counts toward completion:
            // the rollups leave it out, and it can have no weight and not be required.
            try db.execute(sql: """
                ALTER TABLE assessment_def ADD COLUMN pretest BOOLEAN NOT NULL DEFAULT 0
                    CHECK (pretest IN (0, 1) AND (NOT pretest OR (weight = 0 AND NOT required)));
                """)
        }
        migrator.registerMigration("v30-follow-up") { db in
            // Follow-ups on use at work, some months after a completion: one for the trainee, one for the head of their
            // department. They are about a named person (personal data: exported, erased with the person), so unlike a
            // module's reaction they carry the person and who answered when.
            try db.execute(sql: """
                CREATE TABLE follow_up (
                    id INTEGER PRIMARY KEY,
                    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT,
                    respondent TEXT NOT NULL CHECK (respondent IN ('trainee', 'head')),
                    department TEXT NOT NULL REFERENCES department(code) ON DELETE RESTRICT ON UPDATE CASCADE,
                    due TEXT NOT NULL CHECK (date(due) = due),
                    closes TEXT NOT NULL CHECK (date(closes) = closes AND closes >= due),
                    questionnaire_id TEXT NOT NULL,
                    questionnaire_version INTEGER NOT NULL,
                    answers TEXT CHECK (answers IS NULL OR json_valid(answers)),
                    answered_at TEXT,
                    answered_by TEXT,
                    UNIQUE (person_id, cohort_id, respondent),
                    FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES questionnaire(id, version) ON DELETE RESTRICT,
                    CHECK ((answers IS NULL) = (answered_at IS NULL) AND (answers IS NULL) = (answered_by IS NULL))
                );
                CREATE INDEX follow_up_by_department ON follow_up(department, respondent);
                CREATE INDEX follow_up_by_cohort ON follow_up(cohort_id);
                """)
        }
        migrator.registerMigration("v31-outbox") { db in
            // Messages to send, written in the transaction of the event that causes them (or by the clock tick for
            // time-driven ones), unique per (kind, subject, recipient, due day) so a repeated event or tick queues
            // nothing twice. A sender claims a row with a lease; a row is `sent` only once the relay accepted it.
            // The text is kept as written (the recipient's language), so a message handed over again after a crash
            // is the same message under the same Message-ID. Personal data: in the recipient's export, redacted on
            // erasure, purged by the retention rule once sent.
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    subject_key TEXT NOT NULL,
                    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
                    due_day TEXT NOT NULL CHECK (date(due_day) = due_day),
                    recipient_name TEXT NOT NULL,
                    recipient_email TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    text_body TEXT NOT NULL,
                    html_body TEXT NOT NULL,
                    calendar TEXT,
                    created_at TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    next_attempt_at INTEGER NOT NULL DEFAULT 0,
                    lease_owner TEXT,
                    lease_until INTEGER,
                    last_error TEXT,
                    sent_at TEXT,
                    UNIQUE (kind, subject_key, person_id, due_day)
                );
                CREATE INDEX outbox_due ON outbox(state, next_attempt_at) WHERE state = 'queued';
                CREATE INDEX outbox_by_person ON outbox(person_id);
                """)
        }

        migrator.registerMigration("v32-reminders") { db in
            // A person may switch reminders off (never decisions or warnings). The day's reminder pass is recorded so
            // the clock tick runs it once a day; the last forecast told to each trainee is kept so a forecast that
            // goes back and forth sends one message per change, not one per write; `changes` numbers the changes, so
            // each one is a subject of its own in the outbox.
            try db.execute(sql: """
                ALTER TABLE person ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0 CHECK (reminders_off IN (0, 1));
                CREATE TABLE reminder_pass (
                    day TEXT PRIMARY KEY CHECK (date(day) = day),
                    ran_at TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE forecast_notice (
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE CASCADE,
                    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                    forecast TEXT NOT NULL CHECK (forecast IN ('completed', 'on_track', 'at_risk', 'cannot_complete')),
                    changes INTEGER NOT NULL DEFAULT 0 CHECK (changes >= 0),
                    PRIMARY KEY (cohort_id, person_id)
                ) WITHOUT ROWID;
                CREATE INDEX forecast_notice_by_person ON forecast_notice(person_id);
                """)
        }

        migrator.registerMigration("v33-person-search") { db in
            // A people search read every person's search key (LIKE '%…%' uses no index): 260 ms at twenty Districts.
            // A trigram index over the keys (FTS5, external content: the keys stay in person) answers the same LIKE
            // from the index; detail 'none' is enough for LIKE and keeps it small. Triggers keep it on every write
            // path; a 'delete' must name the key as it was indexed, so an update removes OLD's and adds NEW's.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE person_search USING fts5(
                    search_key, content = 'person', content_rowid = 'id', tokenize = 'trigram', detail = 'none');
                INSERT INTO person_search (person_search) VALUES ('rebuild');
                CREATE TRIGGER person_search_insert AFTER INSERT ON person BEGIN
                    INSERT INTO person_search (rowid, search_key) VALUES (NEW.id, NEW.search_key);
                END;
                CREATE TRIGGER person_search_delete AFTER DELETE ON person BEGIN
                    INSERT INTO person_search (person_search, rowid, search_key) VALUES ('delete', OLD.id, OLD.search_key);
                END;
                CREATE TRIGGER person_search_update AFTER UPDATE OF id, search_key ON person BEGIN
                    INSERT INTO person_search (person_search, rowid, search_key) VALUES ('delete', OLD.id, OLD.search_key);
                    INSERT INTO person_search (rowid, search_key) VALUES (NEW.id, NEW.search_key);
                END;
                """)
        }

        migrator.registerMigration("v34-attended-in-rollup") { db in
            // Who is asked a module's questionnaire (attended a session of it: present or late) was counted over the
            // attendance ledger, a row per session: 3 s for a year at twenty Districts. Each person's row of the
            // attendance rollup now counts their sessions attended, so it is counted over a row per module.
            // (A database that ran v6 or v13 with this binary has it already: their rebuilds write it.)
            guard try !db.columns(in: "attendance_rollup").contains(where: { $0.name == "attended" }) else { return }
            try db.execute(sql: """
                ALTER TABLE attendance_rollup ADD COLUMN attended INTEGER NOT NULL DEFAULT 0 CHECK (attended >= 0);
                UPDATE attendance_rollup SET attended = counted.sessions FROM (
                    SELECT s.cohort_id, a.person_id, s.module_id, COUNT(*) AS sessions
                    FROM attendance a JOIN session s ON s.id = a.session_id
                    WHERE a.current AND s.status = 'scheduled' AND \(RuleSQL.attended())
                    GROUP BY s.cohort_id, a.person_id, s.module_id) AS counted
                WHERE attendance_rollup.cohort_id = counted.cohort_id AND attendance_rollup.person_id = counted.person_id
                  AND attendance_rollup.module_id = counted.module_id;
                """)
        }

        migrator.registerMigration("v35-person-search-phrases") { db in
            // v33's index kept no positions (detail 'none'), so each candidate of a search was checked against its
            // person row: 60 ms for a common surname at twenty Districts. With positions a search is a phrase of
            // trigrams, answered from the index alone (three times the index's size: 14 MB at 100,000 people).
            try db.execute(sql: """
                DROP TABLE person_search;
                CREATE VIRTUAL TABLE person_search USING fts5(
                    search_key, content = 'person', content_rowid = 'id', tokenize = 'trigram');
                INSERT INTO person_search (person_search) VALUES ('rebuild');
                """)
        }

        migrator.registerMigration("v36-district-rollups") { db in
            // A District's report read its rows of cohort_rollup and month_rollup (department '*') among every
            // department's: at twenty Districts, a page per cohort for ten rows. They move to tables of their own,
            // in cohort order (WITHOUT ROWID; month_rollup has a rowid, so each of its rows cost two look-ups). The
            // District's per-sex rows (department '*', a sex) are read by nothing since v17 and are dropped.
            // (A database that ran a rebuild of v6, v7, v13 or v14 with this binary has the tables already, and no '*'
            // rows to move.)
            try db.execute(sql: AppDatabase.districtRollupTable)
            try db.execute(sql: AppDatabase.districtMonthRollupTable)
            try db.execute(sql: AppDatabase.districtDatedRollupTable)
            try db.execute(sql: """
                INSERT OR REPLACE INTO district_rollup (cohort_id, module_id, placed, present_minutes, excused_minutes, attempted,
                                                        passed, score_sum, scheduled_minutes, present_female, present_male)
                SELECT cohort_id, module_id, placed, present_minutes, excused_minutes, attempted, passed, score_sum,
                       scheduled_minutes, present_female, present_male
                FROM cohort_rollup WHERE department = '*' AND sex = '*';
                DELETE FROM cohort_rollup WHERE department = '*';
                INSERT OR REPLACE INTO district_month_rollup (cohort_id, month, present_minutes)
                SELECT cohort_id, month, present_minutes FROM month_rollup WHERE department = '*';
                DELETE FROM month_rollup WHERE department = '*';
                """)
            // Its rows summed per day a cohort starts or ends (see refreshDatedSums): a District report's module
            // figures read a row per day and module of the period instead of a row per cohort and module.
            try AppDatabase.rebuildDatedSums(db)
            // The modules with a session still to come, by the end of their last: a District report looks at those
            // (few) instead of every module of the period's cohorts (40,000 at twenty Districts).
            try db.execute(sql: "CREATE INDEX schedule_rollup_open ON schedule_rollup(last_ends_at)")
            // Each department's people not erased, counted on every write of a person: the District's headcount
            // counted the index of 100,000 people per report at twenty Districts.
            try db.execute(sql: """
                CREATE TABLE headcount (
                    department TEXT PRIMARY KEY NOT NULL, people INTEGER NOT NULL CHECK (people >= 0)) WITHOUT ROWID;
                CREATE TRIGGER headcount_insert AFTER INSERT ON person WHEN NEW.erased_at IS NULL BEGIN
                    INSERT INTO headcount (department, people) VALUES (NEW.department, 1)
                    ON CONFLICT (department) DO UPDATE SET people = people + 1;
                END;
                CREATE TRIGGER headcount_delete AFTER DELETE ON person WHEN OLD.erased_at IS NULL BEGIN
                    UPDATE headcount SET people = people - 1 WHERE department = OLD.department;
                END;
                CREATE TRIGGER headcount_update AFTER UPDATE OF department, erased_at ON person
                WHEN OLD.department IS NOT NEW.department OR (OLD.erased_at IS NULL) IS NOT (NEW.erased_at IS NULL) BEGIN
                    UPDATE headcount SET people = people - 1 WHERE department = OLD.department AND OLD.erased_at IS NULL;
                    INSERT INTO headcount (department, people) SELECT NEW.department, 1 WHERE NEW.erased_at IS NULL
                    ON CONFLICT (department) DO UPDATE SET people = people + 1;
                END;
                """)
            try AppDatabase.rebuildHeadcount(db)
        }

        return migrator
    }()

    /// A migration before v36 rebuilds the rollups with today's code, which writes the District's rows to v36's tables:
    /// they are made first where this database has none yet (v36 then finds them, and no District rows to move).
    static func rebuildRollupsInMigration(_ db: Database) throws {
        try db.execute(sql: districtRollupTable)
        try db.execute(sql: districtMonthRollupTable)
        try db.execute(sql: districtDatedRollupTable)
        try rebuildRollups(db)
    }

    /// The District's rows of each cohort and module (v36; see `refreshCohortRollup`).
    static let districtRollupTable = """
        CREATE TABLE IF NOT EXISTS district_rollup (
            cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT, module_id TEXT NOT NULL,
            placed INTEGER NOT NULL, present_minutes INTEGER NOT NULL, excused_minutes INTEGER NOT NULL,
            attempted INTEGER NOT NULL, passed INTEGER NOT NULL, score_sum DOUBLE NOT NULL,
            scheduled_minutes INTEGER NOT NULL, present_female INTEGER NOT NULL, present_male INTEGER NOT NULL,
            PRIMARY KEY (cohort_id, module_id)) WITHOUT ROWID
        """

    /// The District's rows summed per program version and module over the cohorts starting, and over those ending, on
    /// a day (v36; see `refreshDatedSums`): `cohort_rows` counts the District rows summed, `held_in_full` each cohort's
    /// places times its scheduled minutes.
    static let districtDatedRollupTable = """
        CREATE TABLE IF NOT EXISTS district_dated_rollup (
            side TEXT NOT NULL CHECK (side IN ('starts', 'ends')), program_id TEXT NOT NULL, day TEXT NOT NULL,
            program_version INTEGER NOT NULL, module_id TEXT NOT NULL, cohort_rows INTEGER NOT NULL, placed INTEGER NOT NULL,
            held_in_full INTEGER NOT NULL, present_minutes INTEGER NOT NULL, excused_minutes INTEGER NOT NULL,
            attempted INTEGER NOT NULL, passed INTEGER NOT NULL, score_sum DOUBLE NOT NULL,
            present_female INTEGER NOT NULL, present_male INTEGER NOT NULL,
            PRIMARY KEY (side, program_id, day, program_version, module_id)) WITHOUT ROWID
        """

    /// The District's minutes present per cohort and month (v36).
    static let districtMonthRollupTable = """
        CREATE TABLE IF NOT EXISTS district_month_rollup (
            cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE RESTRICT, month TEXT NOT NULL,
            present_minutes INTEGER NOT NULL, PRIMARY KEY (cohort_id, month)) WITHOUT ROWID
        """
}
