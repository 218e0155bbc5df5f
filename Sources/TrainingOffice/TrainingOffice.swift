import Foundation
import Mail
import TrainingCore
internal import TrainingStore

/// Where the office runs and what it needs besides the database: the clocks, the home folder with `Curriculum/` and
/// `Certificates/`, and the address certificates and links point to.
public struct OfficeSettings: Sendable {
    public var clock: OfficeClock
    /// The home folder, or why there is none (reported by the use cases that need it, not before).
    public var home: Result<HomeDirectory, HomeError>
    /// Base of the verification, calendar and reset URLs (`OBUKA_PUBLIC_URL`), without a trailing slash.
    public var publicURL: String
    /// Seconds a QR check-in code lasts (`OBUKA_CHECKIN_WINDOW` shortens it for tests).
    public var checkInWindow: Int64 = 30
    /// The mail relay (`OBUKA_SMTP_*`): nil when mail is not configured, or what is wrong with the settings.
    public var mail: Result<MailSettings?, MailSettings.Problem> = .success(nil)

    /// Settings from their parts.
    public init(clock: OfficeClock, home: Result<HomeDirectory, HomeError>, publicURL: String) {
        self.clock = clock
        self.home = home
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicURL = base
    }

    /// Settings from the environment: `OBUKA_NOW`, `OBUKA_HOME` (else the folder found from the executable) and
    /// `OBUKA_PUBLIC_URL` (else `fallbackURL`).
    public static func environment(_ environment: [String: String], fallbackURL: String = "http://127.0.0.1:8080") -> OfficeSettings {
        var settings = OfficeSettings(
            clock: .district(environment: environment),
            home: Result { try HomeDirectory.resolve(environment: environment) }.mapError { $0 as? HomeError ?? .notFound },
            publicURL: environment["OBUKA_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? fallbackURL)
        if let window = environment["OBUKA_CHECKIN_WINDOW"].flatMap(Int64.init), window > 0 { settings.checkInWindow = window }
        settings.mail = Result { () throws(MailSettings.Problem) -> MailSettings? in try MailSettings.from(environment: environment) }
        return settings
    }
}

/// The application layer: one use case for each thing the District's users do, each validating its input with
/// TrainingCore's rules, doing its work in one store transaction with its audit entry, and answering with typed results
/// and `UserFacingError`s. The CLI, the web pages and the API call only these; only their composition roots open an
/// office (`open`, `initialize`), and none of them sees the store.
public struct TrainingOffice: Sendable {
    let context: OfficeContext

    init(database: AppDatabase, dataDirectory: DataDirectory, settings: OfficeSettings) {
        context = OfficeContext(database: database, dataDirectory: dataDirectory, settings: settings)
    }

    /// The data directory named by an option, else `OBUKA_DATA`, else `./var`.
    public static func dataDirectory(option: String?, environment: [String: String]) -> URL {
        DataDirectory.resolve(option: option, environment: environment).url
    }

    /// Opens the data directory's database, refusing a missing folder or file, a file that is not an obuka database
    /// and a schema newer than this binary (an older one is migrated). Read-only leaves the file exactly as it was.
    public static func open(dataDirectory: URL, readOnly: Bool = false, settings: OfficeSettings) throws -> TrainingOffice {
        let directory = DataDirectory(path: dataDirectory.path)
        return TrainingOffice(database: readOnly ? try directory.openReadOnly() : try directory.open(), dataDirectory: directory,
                              settings: settings)
    }

    /// Creates the data directory and its database, or migrates an existing one; says whether it was created.
    public static func initialize(dataDirectory: URL, settings: OfficeSettings) throws -> (office: TrainingOffice, created: Bool) {
        let directory = DataDirectory(path: dataDirectory.path)
        let (database, created) = try directory.initialize()
        return (TrainingOffice(database: database, dataDirectory: directory, settings: settings), created)
    }

    /// The clocks the office decides by.
    public var clock: OfficeClock { context.settings.clock }
    /// The settings it was opened with.
    public var settings: OfficeSettings { context.settings }
    /// The data directory.
    public var dataDirectory: URL { context.dataDirectory.url }

    public var attendance: AttendanceRecording { AttendanceRecording(context: context) }
    /// QR check-in, with the key of its codes (made in the data directory at first use).
    public func checkIn() throws -> CheckInRecording {
        CheckInRecording(context: context, codes: try CheckInCodes.load(dataDirectory: context.dataDirectory.url,
                                                                         window: context.settings.checkInWindow))
    }
    public var scores: ScoreRecording { ScoreRecording(context: context) }
    public var progress: ProgressReading { ProgressReading(context: context) }
    public var clockTick: ClockTick { ClockTick(context: context) }
    public var people: PeopleRegistry { PeopleRegistry(context: context) }
    public var curriculum: CurriculumIntake { CurriculumIntake(context: context) }
    public var cohorts: CohortPlanning { CohortPlanning(context: context) }
    public var enrolment: EnrolmentDesk { EnrolmentDesk(context: context) }
    public var scheduling: Scheduling { Scheduling(context: context) }
    public var requiredTraining: RequiredTrainingDesk { RequiredTrainingDesk(context: context) }
    public var needs: NeedsDesk { NeedsDesk(context: context) }
    public var plan: PlanDesk { PlanDesk(context: context) }
    public var evaluation: EvaluationDesk { EvaluationDesk(context: context) }
    public var followUps: FollowUpDesk { FollowUpDesk(context: context) }
    public var mail: MailDesk { MailDesk(context: context) }
    public var certificates: CertificateDesk { CertificateDesk(context: context) }
    public var reports: Reporting { Reporting(context: context) }
    public var privacy: PrivacyOffice { PrivacyOffice(context: context) }
    public var accounts: AccountAdministration { AccountAdministration(context: context) }
    public var signIn: SignInDesk { SignInDesk(context: context) }
    public var selfService: TraineeSelfService { TraineeSelfService(context: context) }
    public var administration: DataAdministration { DataAdministration(context: context) }
    public var demo: DemoData { DemoData(context: context) }
}

/// What every use case works with. Internal: the store never leaves the office.
struct OfficeContext: Sendable {
    let database: AppDatabase
    let dataDirectory: DataDirectory
    let settings: OfficeSettings

    var clock: OfficeClock { settings.clock }

    /// The home folder with `Curriculum/` and `Certificates/`.
    func home() throws -> HomeDirectory { try settings.home.get() }

    /// Runs `work` in one write transaction stamped with the wall clock.
    func write<T>(_ work: (StoreTransaction) throws -> T) throws -> T {
        try database.write(at: clock.date(), work)
    }

    /// Runs `work` in one read transaction.
    func read<T>(_ work: (StoreTransaction) throws -> T) throws -> T {
        try database.read(work)
    }

    /// A database that takes writes: this one, or (when this office was opened read-only, as the CLI opens it to show
    /// things) the same file opened for writing.
    func writableDatabase() throws -> AppDatabase {
        database.isReadOnly ? try dataDirectory.open() : database
    }
}
