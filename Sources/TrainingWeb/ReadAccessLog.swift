import Foundation
import Localization
import TrainingCore
import TrainingOffice

/// Who read another person's data, written in batches (not one write per page view): entries gather in
/// memory and are written every two seconds, or as soon as 5,000 are waiting; the same read repeated meanwhile is
/// written once, at its first time. Few writes matter: after any write,
/// every reading connection drops its cached pages and memory map of the database (with 200 a batch, a report of
/// 50 people wrote every fourth view). The page that logged them does not wait for the write (nor its fsync). A
/// crash can lose the last two seconds of this log, never any training data.
actor ReadAccessLog {
    private let privacy: PrivacyOffice
    private let clock: OfficeClock
    private var buffer: [ReadAccess] = []
    /// Who read what of whom among the waiting entries: a view repeated before they are written (a page reloaded, a
    /// report read again) adds nothing the log does not already say, and is not written again.
    private var waiting: Set<Reader> = []

    private struct Reader: Hashable {
        let actor: String, what: String, subject: String
    }
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
        for subject in subjects where subject != ownPersonalNumber
            && waiting.insert(Reader(actor: actor, what: what, subject: subject)).inserted {
            buffer.append(ReadAccess(at: at, actor: actor, what: what, subject: subject))
        }
        guard !buffer.isEmpty else { return }
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

    private static func reader(_ access: ReadAccess) -> Reader {
        Reader(actor: access.actor, what: access.what, subject: access.subject)
    }

    /// Writes what is waiting (also before an export, so it lists the latest reads).
    func flush() async {
        flushDue = false
        guard !buffer.isEmpty else { return }
        let batch = buffer
        buffer = []
        waiting = []
        do {
            try await privacy.recordReads(batch)
        } catch {
            // Kept for the next try (e.g. once disk space is freed), with what came meanwhile.
            let retried = Set(batch.map(Self.reader))
            buffer = batch + buffer.filter { !retried.contains(Self.reader($0)) }
            waiting = Set(buffer.map(Self.reader))
        }
    }
}
