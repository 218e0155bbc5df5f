import Foundation
import TrainingCore

/// The folder holding `Curriculum/` and `Certificates/`: `OBUKA_HOME`, else the first folder upwards
/// from the executable that holds `Curriculum/schema/`.
public struct HomeDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    public var curriculumFolder: URL { url.appendingPathComponent("Curriculum") }
    public var curriculumSchemaFolder: URL { curriculumFolder.appendingPathComponent("schema") }

    public static func resolve(environment: [String: String]) throws -> HomeDirectory {
        if let home = environment["OBUKA_HOME"], !home.isEmpty {
            let url = URL(fileURLWithPath: home, isDirectory: true).standardizedFileURL
            guard hasSchema(url) else { throw HomeError.notAHome(path: url.path) }
            return HomeDirectory(url: url)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if !CommandLine.arguments[0].contains("/") {
            folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        }
        while folder.path != "/" {
            if hasSchema(folder) { return HomeDirectory(url: folder) }
            folder = folder.deletingLastPathComponent()
        }
        throw HomeError.notFound
    }

    private static func hasSchema(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(
            atPath: url.appendingPathComponent("Curriculum/schema").path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Why obuka's home folder could not be found.
public enum HomeError: UserFacingError, Equatable {
    case notFound
    case notAHome(path: String)

    public var messageKey: String {
        switch self {
        case .notFound: "error.home.not_found"
        case .notAHome: "error.home.not_a_home"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .notFound: [:]
        case .notAHome(let path): ["path": path]
        }
    }
}
