import Foundation

/// Where an acknowledged Slack job waits until it is answered: the journal file beside a
/// SQLite store (`SlackJobJournal`), or, for replicas sharing a store, the store itself
/// (`StoreSlackJobJournal`), where another replica finds it if this one dies.
protocol AcknowledgedSlackJobs: Sendable {
    /// Returns once `entry` is kept; throws, keeping nothing, when it cannot be.
    func append(_ entry: JournaledJob) async throws
    /// `id`'s job is done (answered, or given up with an apology): it will not be run again.
    func complete(_ id: String) async
}

extension SlackJobJournal: AcknowledgedSlackJobs {}
