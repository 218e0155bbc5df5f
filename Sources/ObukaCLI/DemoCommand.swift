import ArgumentParser

/// `obuka demo seed`: demonstration data, idempotent.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Demonstration data.", subcommands: [Seed.self])

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the curriculum and demo data; running it again changes nothing.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let database = try global.openDatabase()
            let t = global.localizer
            Console.line(t("demo.seed.departments", ["count": String(try database.departments().count)]))
        }
    }
}
