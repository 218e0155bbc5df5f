import CurriculumXML
import Foundation
import Localization
import SafeXML
import TrainingCore
@testable import TrainingOffice
@testable import TrainingStore

enum Paths {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemaFolder = repositoryRoot.appendingPathComponent("Curriculum/schema")
    static let shippedProgram = repositoryRoot.appendingPathComponent("Curriculum/dijaspora-2022.xml")
    static let programVersionTwo = repositoryRoot.appendingPathComponent("Curriculum/dijaspora-2022-v2.xml")
    static let sources = repositoryRoot.appendingPathComponent("Curriculum/sources")
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    static func bad(_ name: String) -> URL { fixtures.appendingPathComponent("hostile/\(name)") }
    static func good(_ name: String) -> URL { fixtures.appendingPathComponent("good/\(name)") }
}

let departments = Set(try! AppDatabase.bundledDepartments().map(\.code))

func makeLoader(_ language: Language = .english, maximumBytes: Int = 8 * 1024 * 1024) throws -> CurriculumLoader {
    try CurriculumLoader(schemaFolder: Paths.schemaFolder, localizer: Localizer(language), maximumBytes: maximumBytes)
}

/// The diagnostics a file is refused with (an empty list means it loaded).
func diagnostics(for url: URL, loader: CurriculumLoader? = nil) throws -> [XMLDiagnostic] {
    do {
        _ = try (loader ?? makeLoader()).load(contentsOf: url, displayName: url.lastPathComponent, knownDepartments: departments)
        return []
    } catch let error as XMLDiagnostics {
        return error.items
    }
}

/// A temporary file removed with the value.
final class TemporaryFile {
    let url: URL
    init(name: String = "file.xml") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-\(UUID().uuidString)-\(name)")
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The office over an in-memory database, for loading curricula through their use case.
func office(_ database: AppDatabase) -> TrainingOffice {
    TrainingOffice(database: database, dataDirectory: DataDirectory(path: FileManager.default.temporaryDirectory.path),
                   settings: OfficeSettings(clock: OfficeClock(now: { LocalDateTime(iso: "2026-11-25 12:00")! }),
                                            home: .failure(.notFound), publicURL: "https://obuka.example"))
}
