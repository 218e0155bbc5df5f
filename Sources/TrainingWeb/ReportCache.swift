import Synchronization
import TrainingCore
import TrainingStore

/// Report readings by scope, kept while the data generation is the same and no session of the scope has ended
/// since (`ReportReading.holds`): the District's figures beside a department's are read once, not at every view.
/// Viewing a report writes only to the read-access log, which leaves the generation alone, so the entry survives it.
final class ReportCache: Sendable {
    struct Key: Hashable, Sendable {
        let department: DepartmentCode?
        let from: LocalDate
        let to: LocalDate
        let programID: String?
    }

    private let watch: ChangeWatch
    private let limit: Int
    private let entries = Mutex<[Key: ReportReading]>([:])

    init(watch: ChangeWatch, limit: Int = 64) {
        self.watch = watch
        self.limit = limit
    }

    /// The kept reading of a scope if it still holds at `now`, else a new one from `read` (kept for the next view).
    /// `fresh` (a request with `Cache-Control: no-cache`) always reads anew.
    func reading(_ key: Key, now: LocalDateTime, fresh: Bool, read: () throws -> ReportReading) throws -> ReportReading {
        if !fresh, let kept = entries.withLock({ $0[key] }), kept.holds(generation: try watch.dataGeneration(), at: now) {
            return kept
        }
        let reading = try read()
        entries.withLock { entries in
            if entries.count >= limit, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = reading
        }
        return reading
    }
}
