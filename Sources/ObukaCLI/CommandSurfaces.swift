/// Where each command's operation is found besides the command line: a web page and an API route, or the reason it
/// belongs to the operator of the machine alone. A test walks every command and fails on one missing here, on a route
/// that does not exist, and on an operator-only command the list does not allow.
enum CommandSurface: Sendable {
    /// The page (or form) and the API route that do the same: `METHOD /path` as `obuka serve --list-routes` prints them.
    case web(String, api: String)
    /// Work on the machine itself (files, the process, the database file), done only from its terminal.
    case operatorOnly(OperatorWork)
}

/// Why a command is the operator's alone.
enum OperatorWork: String, CaseIterable, Sendable {
    /// Creating or migrating the data directory, its status, backups and restores: the database file itself.
    case databaseFile
    /// Running the web server.
    case server
    /// Demonstration and generated data.
    case demoData
    /// Curriculum files checked on disk before an installation has a database.
    case filesOnDisk
    /// Recomputing the report rollups from the ledgers (a repair, not a task of the year).
    case reportRebuild
    /// Handing the outbox to the mail relay (cron; the server does it too) and storing the relay's password.
    case mailRelay
}

enum CommandSurfaces {
    /// Every command by its path (`schedule move`).
    static let all: [String: CommandSurface] = [
        "init": .operatorOnly(.databaseFile),
        "status": .operatorOnly(.databaseFile),
        "backup": .operatorOnly(.databaseFile),
        "restore": .operatorOnly(.databaseFile),
        "serve": .operatorOnly(.server),
        "demo seed": .operatorOnly(.demoData),
        "demo generate": .operatorOnly(.demoData),
        "report rebuild": .operatorOnly(.reportRebuild),
        "mail send": .operatorOnly(.mailRelay),
        "mail password": .operatorOnly(.mailRelay),
        "mail list": .web("GET /admin/outbox", api: "GET /api/v1/outbox"),
        "mail retry": .web("POST /admin/outbox/{id}/retry", api: "POST /api/v1/outbox/{id}/retry"),
        "mail unreachable": .web("GET /people/unreachable", api: "GET /api/v1/people/unreachable"),

        "departments list": .web("GET /reports", api: "GET /api/v1/departments"),

        "curriculum validate": .web("POST /programs/upload", api: "POST /api/v1/programs/validation"),
        "curriculum load": .web("POST /programs/upload", api: "POST /api/v1/programs"),
        "curriculum show": .web("GET /programs/{id}", api: "GET /api/v1/programs/{id}/versions/{version}"),
        "curriculum list": .web("GET /programs", api: "GET /api/v1/programs"),
        "curriculum confirm": .web("POST /programs/{id}/versions/{version}/confirm",
                                   api: "POST /api/v1/programs/{id}/versions/{version}/confirmation"),
        "curriculum publish": .web("POST /programs/{id}/catalogue", api: "POST /api/v1/programs/{id}/catalogue"),
        "curriculum unpublish": .web("POST /programs/{id}/catalogue", api: "POST /api/v1/programs/{id}/catalogue"),

        "people import": .web("POST /people/import", api: "POST /api/v1/people/import"),
        "people list": .web("GET /people", api: "GET /api/v1/people"),
        "people show": .web("GET /people/{number}", api: "GET /api/v1/people/{personal_number}"),
        "people transfer": .web("POST /people/{number}/transfer", api: "POST /api/v1/people/{personal_number}/transfer"),
        "people language": .web("POST /people/{number}/language", api: "POST /api/v1/people/{personal_number}/language"),
        "people reminders": .web("POST /people/{number}/reminders", api: "POST /api/v1/people/{personal_number}/reminders"),

        "cohort create": .web("POST /cohorts", api: "POST /api/v1/cohorts"),
        "cohort edit": .web("POST /cohorts/{code}/edit", api: "POST /api/v1/cohorts/{code}"),
        "cohort list": .web("GET /cohorts", api: "GET /api/v1/cohorts"),
        "cohort show": .web("GET /cohorts/{code}", api: "GET /api/v1/cohorts/{code}/enrolments"),

        "enrol add": .web("POST /cohorts/{code}/enrol", api: "POST /api/v1/cohorts/{code}/enrolments"),
        "enrol department": .web("POST /cohorts/{code}/enrol", api: "POST /api/v1/cohorts/{code}/enrolments/department"),
        "enrol request": .web("POST /my/enrolments", api: "POST /api/v1/me/enrolments"),
        "enrol approve": .web("POST /cohorts/{code}/enrolments/{number}", api: "POST /api/v1/cohorts/{code}/enrolments/{personal_number}"),
        "enrol decline": .web("POST /cohorts/{code}/enrolments/{number}", api: "POST /api/v1/cohorts/{code}/enrolments/{personal_number}"),
        "enrol withdraw": .web("POST /cohorts/{code}/enrolments/{number}", api: "POST /api/v1/cohorts/{code}/enrolments/{personal_number}"),

        "venue add": .web("POST /venues", api: "POST /api/v1/venues"),
        "venue list": .web("GET /venues", api: "GET /api/v1/venues"),
        "holiday list": .web("GET /holidays", api: "GET /api/v1/holidays"),
        "holiday add": .web("POST /holidays", api: "POST /api/v1/holidays"),
        "holiday remove": .web("POST /holidays/remove", api: "POST /api/v1/holidays/removal"),

        "plan cost": .web("POST /cohorts/{code}/cost", api: "POST /api/v1/cohorts/{code}/cost"),
        "report plan": .web("GET /reports/plan", api: "GET /api/v1/reports/plan"),
        "plan show": .web("GET /plan", api: "GET /api/v1/plans/{year}"),
        "plan item add": .web("POST /plan/items", api: "POST /api/v1/plans/{year}/items"),
        "plan item remove": .web("POST /plan/items/{id}/remove", api: "POST /api/v1/plans/items/{id}/removal"),
        "plan approve": .web("POST /plan/approval", api: "POST /api/v1/plans/{year}/approval"),
        "plan amend": .web("POST /plan/amendment", api: "POST /api/v1/plans/{year}/amendment"),
        "plan diff": .web("GET /plan", api: "GET /api/v1/plans/{year}/versions/{version}/difference"),
        "plan link": .web("POST /cohorts/{code}/plan-item", api: "POST /api/v1/cohorts/{code}/plan-item"),
        "needs open": .web("POST /needs", api: "POST /api/v1/needs/windows"),
        "needs propose": .web("POST /department/{department}/needs", api: "POST /api/v1/departments/{department}/needs"),
        "needs list": .web("GET /needs", api: "GET /api/v1/needs"),
        "needs withdraw": .web("POST /department/{department}/needs/{id}/withdraw",
                               api: "POST /api/v1/departments/{department}/needs/{id}/withdrawal"),
        "requirement define": .web("POST /requirements", api: "POST /api/v1/requirements"),
        "requirement list": .web("GET /requirements", api: "GET /api/v1/requirements"),
        "requirement retire": .web("POST /requirements/{code}/retire", api: "POST /api/v1/requirements/{code}/retirement"),
        "requirement gaps": .web("GET /department/{department}/gaps", api: "GET /api/v1/departments/{department}/gaps"),
        "evaluation results": .web("GET /cohorts/{code}/evaluation", api: "GET /api/v1/cohorts/{code}/evaluation"),
        "evaluation deadline": .web("POST /cohorts/{code}/evaluation/deadline", api: "POST /api/v1/cohorts/{code}/evaluation/deadline"),
        "evaluation gain": .web("GET /cohorts/{code}/evaluation", api: "GET /api/v1/cohorts/{code}/learning-gain"),
        "evaluation follow-up": .web("GET /department/{department}/follow-up", api: "GET /api/v1/departments/{department}/follow-up"),
        "schedule add": .web("POST /cohorts/{code}/sessions", api: "POST /api/v1/cohorts/{code}/sessions"),
        "schedule list": .web("GET /sessions", api: "GET /api/v1/sessions"),
        "schedule move": .web("POST /sessions/{id}/move", api: "POST /api/v1/sessions/{id}/move"),
        "schedule cancel": .web("POST /sessions/{id}/cancel", api: "POST /api/v1/sessions/{id}/cancel"),
        "schedule history": .web("GET /sessions/{id}/edit", api: "GET /api/v1/sessions/{id}/history"),
        "schedule ics": .web("GET /cohorts/{code}/sessions.ics", api: "GET /api/v1/cohorts/{code}/sessions.ics"),

        "attendance record": .web("POST /sessions/{id}/attendance", api: "POST /api/v1/sessions/{id}/attendance"),
        "attendance bulk": .web("POST /sessions/{id}/attendance", api: "POST /api/v1/sessions/{id}/attendance"),
        "attendance import": .web("POST /sessions/{id}/attendance/import", api: "POST /api/v1/sessions/{id}/attendance"),
        "attendance show": .web("GET /sessions/{id}", api: "GET /api/v1/sessions/{id}/attendance"),
        "assessment record": .web("POST /cohorts/{code}/assessments/{assessment}",
                                  api: "POST /api/v1/cohorts/{code}/assessments/{assessment}/scores"),
        "assessment import": .web("POST /cohorts/{code}/assessments/{assessment}/import",
                                  api: "POST /api/v1/cohorts/{code}/assessments/{assessment}/scores"),
        "progress": .web("GET /cohorts/{code}/progress", api: "GET /api/v1/people/{personal_number}/progress"),

        "certificate settings": .web("POST /cohorts/{code}/certificates/settings", api: "POST /api/v1/cohorts/{code}/certificates/settings"),
        "certificate issue": .web("POST /cohorts/{code}/certificates/one", api: "POST /api/v1/cohorts/{code}/certificates"),
        "certificate print": .web("GET /certificates/{serial}/pdf", api: "GET /api/v1/certificates/{serial}/pdf"),
        "certificate list": .web("GET /certificates", api: "GET /api/v1/certificates"),
        "certificate verify": .web("GET /verify/{id}", api: "GET /api/v1/verify/{id}"),
        "certificate revoke": .web("POST /certificates/{serial}/revoke", api: "POST /api/v1/certificates/{serial}/revocation"),
        "certificate expiring": .web("GET /certificates", api: "GET /api/v1/certificates"),
        "certificate preview": .web("GET /certificates/preview.pdf", api: "GET /api/v1/certificates/preview.pdf"),
        "keys list": .web("GET /admin/keys", api: "GET /api/v1/keys"),
        "keys rotate": .web("POST /admin/keys/rotate", api: "POST /api/v1/keys/rotation"),

        "report department": .web("GET /reports/department/{department}", api: "GET /api/v1/reports/department/{department}"),
        "report program": .web("GET /reports/program", api: "GET /api/v1/reports/program"),
        "report transcript": .web("GET /people/{number}/transcript.pdf", api: "GET /api/v1/people/{personal_number}/transcript.pdf"),
        "report signin": .web("GET /sessions/{id}/signin.pdf", api: "GET /api/v1/sessions/{id}/signin.pdf"),

        "audit show": .web("GET /admin/audit", api: "GET /api/v1/audit"),
        "audit verify": .web("GET /admin/audit", api: "GET /api/v1/audit/verification"),

        "account add": .web("POST /admin/accounts", api: "POST /api/v1/accounts"),
        "account list": .web("GET /admin/accounts", api: "GET /api/v1/accounts"),
        "account disable": .web("POST /admin/accounts/{login}", api: "POST /api/v1/accounts/{login}"),
        "account enable": .web("POST /admin/accounts/{login}", api: "POST /api/v1/accounts/{login}"),
        "account password": .web("POST /admin/accounts/{login}", api: "POST /api/v1/accounts/{login}"),
        "token create": .web("POST /tokens", api: "POST /api/v1/tokens"),
        "token list": .web("GET /tokens", api: "GET /api/v1/tokens"),
        "token revoke": .web("POST /tokens/{id}/revoke", api: "POST /api/v1/tokens/{id}/revocation"),

        "privacy export": .web("GET /admin/privacy/{number}/export.json", api: "GET /api/v1/people/{personal_number}/export"),
        "privacy erase": .web("POST /admin/privacy/{number}/erase", api: "POST /api/v1/people/{personal_number}/erasure"),
        "privacy retention": .web("POST /admin/privacy/retention", api: "POST /api/v1/privacy/retention"),
        "privacy purge": .web("POST /admin/privacy/purge", api: "POST /api/v1/privacy/purge"),
    ]
}
