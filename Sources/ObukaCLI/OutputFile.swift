import Foundation
import TrainingCore

/// Where a command writes what it produces: a file named with `-o`, or standard output.
enum OutputFile {
    /// Writes `data` to `path`, or to standard output when there is no path or it is `-`.
    ///
    /// A regular file is replaced atomically, so a reader never sees half a report. A path that already names
    /// something else — `/dev/null`, `/dev/stdout`, a FIFO — is written in place: an atomic write would rename a
    /// new regular file over it, and run as root that replaces the device itself.
    static func write(_ data: Data, to path: String?) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(data)
            return
        }
        // (FileManager's type rather than stat(2): with the static Swift runtime stat's fields resolve through
        // CoreFoundation, which member import visibility would have us import.)
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType, type != .typeRegular {
            guard let handle = FileHandle(forWritingAtPath: path) else { throw OutputFileError.cannotWrite(path: path) }
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            return
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputFileError.noFolder(path: path, folder: folder)
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw OutputFileError.cannotWrite(path: path)
        }
    }
}

/// Why an output file could not be written, in words rather than a Foundation error's domain and code.
enum OutputFileError: UserFacingError, Equatable {
    /// The folder it would go into does not exist.
    case noFolder(path: String, folder: String)
    /// The folder exists but the file cannot be written there (permissions, a read-only disk, a name that is a folder).
    case cannotWrite(path: String)

    var messageKey: String {
        switch self {
        case .noFolder: "cli.error.output_folder"
        case .cannotWrite: "cli.error.output_write"
        }
    }

    var messageArguments: [String: String] {
        switch self {
        case .noFolder(let path, let folder): ["path": path, "folder": folder]
        case .cannotWrite(let path): ["path": path]
        }
    }
}
