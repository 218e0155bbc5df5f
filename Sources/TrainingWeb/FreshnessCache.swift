import Foundation
import Localization
import NIOCore
import Synchronization
import TrainingCore
import TrainingOffice

/// Values computed from the database, reused until anything is committed to it (by this process or
/// another). A value is kept only if no commit happened while it was being computed, so the cache never
/// holds data older than its version.
final class FreshnessCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var version = Int.min
        var entries: [Key: Value] = [:]
    }

    private let changes: DataChanges
    private let limit: Int
    private let state = Mutex(State())

    init(changes: DataChanges, limit: Int = 2_000) {
        self.changes = changes
        self.limit = limit
    }

    func value(_ key: Key, make: () throws -> Value) throws -> Value {
        try valueAndVersion(key, make: make).0
    }

    /// The value and the data version it was checked against. `knownVersion` (read earlier in the same
    /// request) saves a second look at the database.
    func valueAndVersion(_ key: Key, knownVersion: Int? = nil, make: () throws -> Value) throws -> (Value, Int) {
        let version = try knownVersion ?? changes.version()
        if let hit = try cached(key, knownVersion: version) { return hit }
        let value = try make()
        let after = try changes.version()
        state.withLock { state in
            if state.version != after { state = State(version: after) }
            guard after == version else { return }
            if state.entries.count >= limit { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = value
        }
        return (value, after)
    }
}

extension FreshnessCache {
    /// The value kept for `key` if it is still fresh, without making one: a caller on a hot path tries this first, so
    /// the closure that would make the value (and what it captures) is formed only on a miss.
    func cached(_ key: Key, knownVersion: Int? = nil) throws -> (value: Value, version: Int)? {
        let version = try knownVersion ?? changes.version()
        return state.withLock { $0.version == version ? $0.entries[key] : nil }.map { ($0, version) }
    }
}

/// A rendered page with its entity tag.
struct CachedPage: Sendable {
    let body: ByteBuffer
    let etag: String
}
