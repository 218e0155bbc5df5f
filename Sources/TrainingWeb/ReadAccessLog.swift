import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// Who read another person's data, written in batches (not one write per page view): entries gather in
/// memory and are written every two seconds, or as soon as 5,000 are waiting. Few writes matter: after any write,
/// every reading connection drops its cached pages and memory map of the database (with 200 a batch, a report of
/// 50 people wrote every fourth view). The page that logged them does not wait for the write (nor its fsync). A
/// crash can lose the last two seconds of this log, never any training data.
actor ReadAccessLog {
    private let privacy: PrivacyOffice
    private let clock: OfficeClock
    private var buffer: [ReadAccess] = []
    /// Whether a write is due within two seconds. The writes run in tasks of their own, never cancelled: a
    /// cancelled task would cancel its database write.
    private var flushDue = false

    init(privacy: PrivacyOffice, clock: OfficeClock) {
        self.privacy = privacy
        self.clock = clock
    }

    /// Notes that the signed-in account read these people's data; a trainee's reads of their own data are not logged.
    nonisolated func record(_ context: WebContext, what: String, subjects: [String]) async {
        guard let identity = context.identity, !subjects.isEmpty else { return }
        await record(actor: identity.account.actor.rawValue, ownPersonalNumber: identity.account.personalNumber, what: what,
                     subjects: subjects, at: clock.date())
    }

    private func record(actor: String, ownPersonalNumber: String?, what: String, subjects: [String], at date: Date) {
        let at = AuditTimestamp.text(date)
        buffer += subjects.filter { $0 != ownPersonalNumber }.map { ReadAccess(at: at, actor: actor, what: what, subject: $0) }
        if buffer.count >= 5_000 {
            Task { await self.flush() }
        } else if !flushDue {
            flushDue = true
            Task {
                try? await Task.sleep(for: .seconds(2))
                await self.flush()
            }
        }
    }

    /// Writes what is waiting (also before an export, so it lists the latest reads).
    func flush() async {
        flushDue = false
        guard !buffer.isEmpty else { return }
        let batch = buffer
        buffer = []
        do {
            try await privacy.recordReads(batch)
        } catch {
            buffer = batch + buffer  // kept for the next try (e.g. once disk space is freed)
        }
    }
}
