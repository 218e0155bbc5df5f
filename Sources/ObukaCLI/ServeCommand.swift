import ArgumentParser
import Foundation
import Hummingbird
import Localization
import NIOCore
import NIOPosix
import Synchronization
import TrainingCore
import TrainingOffice
import TrainingWeb

/// `obuka serve`: the web application.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: helpText("cli.help.serve.abstract"))

    @OptionGroup var global: GlobalOptions
    @Option(help: .catalog("cli.help.serve.host")) var host = "127.0.0.1"
    @Option(help: .catalog("cli.help.serve.port")) var port: NumberArgument = "8080"
    @Flag(help: .catalog("cli.help.serve.list_routes")) var listRoutes = false

    func run() throws {
        // Run Swift concurrency's jobs on NIO's event loops: a request then no longer hops between the
        // event loop that reads it and a separate pool that handles it (measured: see Benchmarks/run web).
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let port = try self.port.whole(.port, "--port")
        let settings = OfficeSettings.environment(global.environment, fallbackURL: "http://\(host):\(port)")
        _ = try settings.home.get()
        // A missing or foreign database is refused here, with its message.
        let office = try TrainingOffice.open(dataDirectory: global.dataDirectory, settings: settings)
        // A damaged file is refused here, naming it; a large one is checked beside the running server, which says
        // when the check has passed (until then its pages are being read from disk).
        let checkStarted = ContinuousClock.now
        try office.administration.checkIntegrityAtStart { failure in
            if let failure = failure as? any UserFacingError {
                Console.error(global.localizer.message(for: failure))
            } else if failure == nil {
                let seconds = Int((ContinuousClock.now - checkStarted).components.seconds) + 1
                Console.line(global.localizer("serve.check.passed", ["seconds": String(seconds)]))
            }
        }
        var configuration = WebConfiguration(host: host, port: port, office: office)
        configuration.trustedProxies = try TrustedProxies(global.environment["OBUKA_TRUSTED_PROXIES"] ?? "")
        if listRoutes { return try printRoutes(configuration) }
        Console.line(global.localizer("serve.listening", ["url": "http://\(host):\(port)"]))
        let failure = Mutex<(any Error)?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task {
            do {
                let app = try await buildApplication(configuration)
                try await app.runService()
            } catch {
                failure.withLock { $0 = error }
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// One line per route: `GET /cohorts/{code} manageCohorts`, department-scoped ones marked.
    private func printRoutes(_ configuration: WebConfiguration) throws {
        let specs = Mutex<Result<[RouteSpec], any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task {
            let result: Result<[RouteSpec], any Error>
            do { result = .success(try await buildRouter(configuration).1) } catch { result = .failure(error) }
            specs.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        for spec in try specs.withLock({ $0! }).get() {
            Console.line("\(spec.method) \(spec.path) \(spec.capability.rawValue)\(spec.departmentScoped ? " department" : "")")
        }
    }
}

/// `obuka account`: web accounts (the administrator's pages come with the web app).
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: helpText("cli.help.account.abstract"),
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Password.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: helpText("cli.help.account.add.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.login")) var login: String
        @Option(help: .catalog("cli.help.account.add.name")) var name: String
        @Option(help: .catalog("cli.help.account.add.role")) var role: [String]
        @Option(help: .catalog("cli.help.account.add.department")) var department: String?
        @Option(help: .catalog("cli.help.account.add.person")) var person: String?
        @Flag(help: .catalog("cli.help.account.add.password_stdin")) var passwordStdin = false

        func run() throws {
            let roles = try Set(role.map { value in
                guard let role = Role(rawValue: value) else {
                    throw ValidationError(global.localizer("cli.error.unknown_role", ["value": value]))
                }
                return role
            })
            let (account, generated) = try global.office().accounts.create(
                login: login, displayName: name, password: passwordStdin ? (readLine(strippingNewline: true) ?? "") : nil, roles: roles,
                department: department.map { DepartmentCode($0.uppercased()) }, person: person, actor: global.resolvedActor)
            Console.line(global.localizer("account.created", ["login": account.login]))
            if let generated { Console.line(global.localizer("account.password", ["password": generated])) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.account.list.abstract"))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            Console.table([t("account.column.login"), t("account.column.name"), t("account.column.roles"),
                           t("people.column.department"), t("account.column.state")],
                          try global.readingOffice().accounts.list().map { account in
                              [account.login, account.displayName, account.roles.sorted().map(\.rawValue).joined(separator: ", "),
                               account.department?.rawValue ?? account.personalNumber ?? "",
                               t(account.disabled ? "account.state.disabled" : "account.state.active")]
                          })
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: helpText("cli.help.account.disable.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.login")) var login: String

        func run() throws {
            try global.office().accounts.setDisabled(login: login, true, actor: global.resolvedActor)
            Console.line(global.localizer("account.disabled", ["login": login]))
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: helpText("cli.help.account.enable.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.login")) var login: String

        func run() throws {
            try global.office().accounts.setDisabled(login: login, false, actor: global.resolvedActor)
            Console.line(global.localizer("account.enabled", ["login": login]))
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "password", abstract: helpText("cli.help.account.password.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.login")) var login: String

        func run() throws {
            let password = try global.office().accounts.setPassword(login: login, actor: global.resolvedActor)
            Console.line(global.localizer("account.password", ["password": password]))
        }
    }
}

/// `obuka token`: personal API tokens for scripts.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: helpText("cli.help.token.abstract"), subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: helpText("cli.help.token.create.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.account_login")) var login: String
        @Option(help: .catalog("cli.help.token.create.name")) var name = "script"
        @Option(help: .catalog("cli.help.token.create.days")) var days: NumberArgument = "90"

        func run() throws {
            let created = try global.office().accounts.createToken(login: login, name: name, days: try days.whole(.tokenDays, "--days"),
                                                                    actor: global.resolvedActor)
            Console.line(created.token)
            Console.error(global.localizer("web.tokens.expires") + ": " + global.localizer.date(Clock.district(
                Date(timeIntervalSince1970: TimeInterval(created.listed.expiresAt))).date))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: helpText("cli.help.token.list.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.account_login")) var login: String

        func run() throws {
            let t = global.localizer
            Console.table(["id", t("web.tokens.name"), t("keys.column.created"), t("web.tokens.expires"), t("web.tokens.last_used")],
                          try global.readingOffice().accounts.tokens(login: login).map { token in
                              [String(token.id), token.name + (token.revoked ? " (\(t("web.tokens.revoked")))" : ""),
                               token.createdAt, t.date(Clock.district(Date(timeIntervalSince1970: TimeInterval(token.expiresAt))).date),
                               token.lastUsedAt.map { String($0) } ?? "–"]
                          })
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: helpText("cli.help.token.revoke.abstract"))
        @OptionGroup var global: GlobalOptions
        @Argument(help: .catalog("cli.help.common.account_login")) var login: String
        @Argument(help: .catalog("cli.help.token.revoke.id")) var id: NumberArgument

        func run() throws {
            let number = try id.record("ID")
            guard try global.office().accounts.revokeToken(id: number, login: login, actor: global.resolvedActor) else {
                throw AccountError.unknownToken(id: number)
            }
        }
    }
}
