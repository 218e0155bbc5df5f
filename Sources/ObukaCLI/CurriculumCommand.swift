import ArgumentParser
import CurriculumXML
import Foundation
import Localization
import SafeXML
import TrainingCore
import TrainingOffice
import TrainingStore

/// `obuka curriculum validate|load|show|list`.
struct CurriculumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curriculum", abstract: "Training programs from curriculum XML files.",
        subcommands: [Validate.self, Load.self, Show.self, List.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate", abstract: "Check curriculum files against the schema and the rules; exit 1 with every problem found.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Curriculum XML files.") var files: [String]

        func run() throws {
            let reader = try CurriculumReader(global: global)
            let (files, problems) = reader.read(files.map { URL(fileURLWithPath: $0) })
            for problem in problems { Console.error(problem.description) }
            for file in files {
                Console.line(global.localizer("curriculum.valid", [
                    "file": file.file, "program": file.program.id, "version": String(file.program.version),
                ]))
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load", abstract: "Store curriculum files (or every .xml file of a folder); all or nothing.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Curriculum XML files or folders.") var paths: [String]

        func run() throws {
            let database = try global.openDatabase()
            let reader = try CurriculumReader(global: global, database: database)
            let urls = try CurriculumReader.expand(paths.map { URL(fileURLWithPath: $0) })
            let (files, problems) = reader.read(urls)
            guard problems.isEmpty else {
                for problem in problems { Console.error(problem.description) }
                Console.error(global.localizer("curriculum.load.nothing_loaded"))
                throw ExitCode(1)
            }
            try report(database.loadPrograms(files, actor: global.resolvedActor), localizer: global.localizer)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print a program's outline: modules, hours, topics, outcomes, assessments, completion rule.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Program id, e.g. dijaspora-2022.") var id: String
        @Option(help: "Program version (default: the newest).") var version: Int?

        func run() throws {
            let stored = try global.openReadOnlyDatabase().program(id: id, version: version)
            ProgramOutline(program: stored.program, localizer: global.localizer).print()
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored program versions.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let t = global.localizer
            let language = global.language
            let programs = try global.openReadOnlyDatabase().programs()
            Console.table(
                [t("curriculum.column.id"), t("curriculum.column.version"), t("curriculum.column.title"),
                 t("curriculum.column.modules"), t("curriculum.column.hours"), t("curriculum.column.loaded")],
                programs.map { stored in
                    let program = stored.program
                    return [program.id, String(program.version), program.title.text(in: language),
                            String(program.modules.count), ProgramOutline.hours(program.totalHours), stored.loadedAt]
                })
        }
    }
}

/// Prints what a load did.
func report(_ outcomes: [CurriculumLoadOutcome], localizer t: Localizer) {
    for outcome in outcomes {
        switch outcome {
        case .added(let id, let version):
            Console.line(t("curriculum.load.added", ["program": id, "version": String(version)]))
        case .unchanged(let id, let version):
            Console.line(t("curriculum.load.unchanged", ["program": id, "version": String(version)]))
        }
    }
}

/// Reads curriculum files for the CLI: schema from the home folder, departments from the database
/// (or, before `obuka init`, the bundled list).
struct CurriculumReader {
    let loader: CurriculumLoader
    let departments: Set<DepartmentCode>

    init(global: GlobalOptions, database: AppDatabase? = nil) throws {
        let home = try HomeDirectory.resolve(environment: global.environment)
        loader = try CurriculumLoader(schemaFolder: home.curriculumSchemaFolder, localizer: global.localizer)
        let list = try database?.departments() ?? AppDatabase.bundledDepartments()
        departments = Set(list.map(\.code))
    }

    /// Every file's program, and every problem of every file (files are all read even after a failure).
    func read(_ urls: [URL]) -> (files: [ProgramFile], problems: [XMLDiagnostic]) {
        var files: [ProgramFile] = []
        var problems: [XMLDiagnostic] = []
        for url in urls {
            do {
                files.append(try loader.load(contentsOf: url, displayName: url.relativePath, knownDepartments: departments))
            } catch let diagnostics as XMLDiagnostics {
                problems += diagnostics.items
            } catch {
                problems.append(XMLDiagnostic(file: url.relativePath, line: 0, message: "\(error)", kind: .file))
            }
        }
        return (files, problems)
    }

    /// Files as given, and for a folder its `.xml` files (not its `schema/` subfolder), sorted by name.
    static func expand(_ urls: [URL]) throws -> [URL] {
        try urls.flatMap { url -> [URL] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [url]
            }
            return try FileManager.default.contentsOfDirectory(atPath: url.path)
                .filter { $0.hasSuffix(".xml") }.sorted()
                .map { URL(fileURLWithPath: $0, relativeTo: url) }
        }
    }
}
