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
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            return
        }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
