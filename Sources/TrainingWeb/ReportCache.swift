import HTTPTypes
import Localization
import NIOCore
import Synchronization
import TrainingCore
import TrainingOffice

/// Report readings by scope, kept while the data generation is the same and no session of the scope has ended
/// since (`ReadingValidity.holds`), with what was rendered from each; and the District's side of each period and
/// program, which every department's report shows beside its own figures and so is read once for all of them.
/// Viewing a report writes only to the read-access log, which leaves the generation alone, so entries survive it.
final class ReportCache: Sendable {
    struct Key: Hashable, Sendable {
        let department: DepartmentCode?
        let from: LocalDate
        let to: LocalDate
        let programID: String?
    }

    /// What a rendered report depends on besides the reading.
    struct Rendition: Hashable, Sendable {
        let format: String
        let language: Language
        let today: LocalDate
    }

    /// A rendered report: its headers and body.
    struct Rendered: Sendable {
        let headers: HTTPFields
        let body: ByteBuffer
    }

    private struct Entry {
        let reading: ReportReading
        var renditions: [Rendition: Rendered] = [:]
    }

    /// The District's side is the same for every department.
    private struct DistrictKey: Hashable {
        let from: LocalDate
        let to: LocalDate
        let programID: String?
    }

    private let changes: DataChanges
    private let limit: Int
    private let entries = Mutex<[Key: Entry]>([:])
    private let districts = Mutex<[DistrictKey: DistrictReading]>([:])

    init(changes: DataChanges, limit: Int = 64) {
        self.changes = changes
        self.limit = limit
    }

    /// The kept reading of a scope if it still holds at `now`, else a new one from `read` (kept for the next view).
    /// `fresh` (a request with `Cache-Control: no-cache`) always reads anew. `read` is given the District's side
    /// kept from another department's report, if any; the store takes it only if it holds for the data it reads.
    func reading(_ key: Key, now: LocalDateTime, fresh: Bool,
                 read: (DistrictReading?) async throws -> ReportReading) async throws -> ReportReading {
        if !fresh, let kept = try keptEntry(key, now: now) { return kept.reading }
        return try await readAndKeep(key, fresh: fresh, read: read)
    }

    /// The reading (as `reading`) and its rendition, rendered once per reading.
    func report(_ key: Key, now: LocalDateTime, fresh: Bool, rendition: Rendition,
                read: (DistrictReading?) async throws -> ReportReading,
                render: (ReportReading) throws -> Rendered) async throws -> (reading: ReportReading, rendered: Rendered) {
        let kept = fresh ? nil : try keptEntry(key, now: now)
        if let kept, let rendered = kept.renditions[rendition] { return (kept.reading, rendered) }
        let reading: ReportReading
        if let kept { reading = kept.reading } else { reading = try await readAndKeep(key, fresh: fresh, read: read) }
        let rendered = try render(reading)
        entries.withLock { entries in
            // Only beside the same reading: another request may have replaced it meanwhile.
            if entries[key]?.reading.validity == reading.validity { entries[key]?.renditions[rendition] = rendered }
        }
        return (reading, rendered)
    }

    private func keptEntry(_ key: Key, now: LocalDateTime) throws -> Entry? {
        guard let kept = entries.withLock({ $0[key] }) else { return nil }
        return kept.reading.validity.holds(generation: try changes.dataGeneration(), at: now) ? kept : nil
    }

    /// Reads anew (with the District's side kept for the period, unless `fresh`) and keeps the reading and its
    /// District's side.
    private func readAndKeep(_ key: Key, fresh: Bool,
                             read: (DistrictReading?) async throws -> ReportReading) async throws -> ReportReading {
        let districtKey = DistrictKey(from: key.from, to: key.to, programID: key.programID)
        let reading = try await read(fresh ? nil : districts.withLock { $0[districtKey] })
        entries.withLock { entries in
            if entries.count >= limit, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(reading: reading)
        }
        districts.withLock { districts in
            if districts.count >= limit, districts[districtKey] == nil { districts.removeAll(keepingCapacity: true) }
            districts[districtKey] = reading.district
        }
        return reading
    }
}
