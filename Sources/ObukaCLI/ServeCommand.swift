import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TrainingCore
import TrainingOffice
import TrainingStore
import TrainingWeb

/// `obuka serve`: the web application.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the web application.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080

    func run() throws {
        // Run Swift concurrency's jobs on NIO's event loops: a request then no longer hops between the
        // event loop that reads it and a separate pool that handles it (measured: see Benchmarks/run web).
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let environment = global.environment
        let home = try HomeDirectory.resolve(environment: environment)
        let dataDirectory = global.dataDirectory
        _ = try dataDirectory.open()  // a missing or foreign database is refused here, with its message
        let publicURL = environment["OBUKA_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(host):\(port)"
        var configuration = WebConfiguration(
            host: host, port: port, dataDirectory: dataDirectory, home: home, publicURL: publicURL,
            now: Clock.provider(environment: environment))
        if let window = environment["OBUKA_CHECKIN_WINDOW"].flatMap(Int64.init), window > 0 { configuration.checkInWindow = window }
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
}

/// `obuka account`: web accounts (the administrator's pages come with the web app).
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Web accounts.", subcommands: [Add.self, List.self, Disable.self, Enable.self, Password.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Create an account; prints a generated password unless one is piped in.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Login name.") var login: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Role: admin, coordinator, department_head or trainee (repeatable).") var role: [String]
        @Option(help: "Department of a department head.") var department: String?
        @Option(help: "Personal number of a trainee.") var person: String?
        @Flag(help: "Read the password from standard input.") var passwordStdin = false

        func run() throws {
            let roles = try Set(role.map { value in
                guard let role = Role(rawValue: value) else { throw ValidationError("unknown role '\(value)'") }
                return role
            })
            let password = passwordStdin ? (readLine(strippingNewline: true) ?? "") : AccountPasswords.generate()
            guard password.count >= 10 else { throw ValidationError("passwords have at least 10 characters") }
            let account = try global.openDatabase().createAccount(
                AccountDraft(login: login, displayName: name, passwordHash: Passwords.hash(password), roles: roles,
                             department: department.map { DepartmentCode($0.uppercased()) }, personalNumber: person),
                actor: global.resolvedActor)
            Console.line(global.localizer("account.created", ["login": account.login]))
            if !passwordStdin { Console.line(global.localizer("account.password", ["password": password])) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List accounts.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            Console.table([t("account.column.login"), t("account.column.name"), t("account.column.roles"),
                           t("people.column.department"), t("account.column.state")],
                          try global.openReadOnlyDatabase().accounts().map { account in
                              [account.login, account.displayName, account.roles.sorted().map(\.rawValue).joined(separator: ", "),
                               account.department?.rawValue ?? account.personalNumber ?? "",
                               t(account.disabled ? "account.state.disabled" : "account.state.active")]
                          })
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable an account and end its sessions.")
        @OptionGroup var global: GlobalOptions
        @Argument var login: String

        func run() throws {
            try global.openDatabase().setDisabled(login: login, true, actor: global.resolvedActor)
            Console.line(global.localizer("account.disabled", ["login": login]))
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled account.")
        @OptionGroup var global: GlobalOptions
        @Argument var login: String

        func run() throws {
            try global.openDatabase().setDisabled(login: login, false, actor: global.resolvedActor)
            Console.line(global.localizer("account.enabled", ["login": login]))
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "password", abstract: "Set a new generated password and end the account's sessions.")
        @OptionGroup var global: GlobalOptions
        @Argument var login: String

        func run() throws {
            let password = AccountPasswords.generate()
            try global.openDatabase().setPassword(login: login, passwordHash: Passwords.hash(password), actor: global.resolvedActor)
            Console.line(global.localizer("account.password", ["password": password]))
        }
    }
}

/// `obuka token`: personal API tokens for scripts.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Personal API tokens (Authorization: Bearer …).", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a token for an account; it is printed once.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's login.") var login: String
        @Option(help: "What the token is for.") var name = "script"

        func run() throws {
            let token = "obk_" + AccountPasswords.generate() + AccountPasswords.generate()
            try global.openDatabase().createAPIToken(login: login, name: name, tokenSHA256: sha256Hex(Data(token.utf8)),
                                                     actor: global.resolvedActor)
            Console.line(token)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "An account's tokens (never the tokens themselves).")
        @OptionGroup var global: GlobalOptions
        @Argument var login: String

        func run() throws {
            Console.table(["id", global.localizer("web.tokens.name"), global.localizer("keys.column.created"),
                           global.localizer("web.tokens.last_used")],
                          try global.openReadOnlyDatabase().apiTokens(login: login).map { token in
                              [String(token.id), token.name + (token.revoked ? " (\(global.localizer("web.tokens.revoked")))" : ""),
                               token.createdAt, token.lastUsedAt.map { String($0) } ?? "–"]
                          })
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token.")
        @OptionGroup var global: GlobalOptions
        @Argument var login: String
        @Argument var id: Int64

        func run() throws {
            guard try global.openDatabase().revokeAPIToken(id: id, login: login, actor: global.resolvedActor) else {
                throw StoreError.notFound(entity: "token", id: String(id))
            }
        }
    }
}

/// Generated passwords: 16 characters from an alphabet without look-alikes (≈ 90 bits).
enum AccountPasswords {
    static func generate() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
