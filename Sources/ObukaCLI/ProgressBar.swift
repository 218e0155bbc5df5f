import Foundation
import Synchronization
import TrainingCore

/// A progress bar on standard error, drawn only when it is a terminal; safe to call from several threads.
final class ProgressBar: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let last = Mutex(-1)

    func show(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        let changed = last.withLock { value in
            defer { value = percent }
            return value != percent
        }
        guard changed else { return }
        let width = 30, filled = done * width / total
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(done)/\(total)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
