import Foundation

/// Where an acknowledged Slack job waits until it is answered: the journal file beside a
/// SQLite store (`SlackJobJournal`, through `FileSlackJobs`), or, for replicas sharing a store, the store itself
/// (`StoreSlackJobJournal`), where another replica finds it if this one dies.
protocol AcknowledgedSlackJobs: Sendable {
    /// Returns once `entry` is kept: true, or false when another replica sharing the store
    /// has it already (a retry it received first). Throws, keeping nothing, when it cannot be kept.
    func append(_ entry: JournaledJob) async throws -> Bool
    /// `id`'s job is done (answered, or given up with an apology): it will not be run again.
    func complete(_ id: String) async
    /// `id`'s job was kept but could not be queued: it is dropped, and Slack's retry of it taken.
    func withdraw(_ id: String) async
}

/// The journal file as the worker keeps jobs in it: one process alone, so never a duplicate.
struct FileSlackJobs: AcknowledgedSlackJobs {
    let journal: SlackJobJournal

    func append(_ entry: JournaledJob) async throws -> Bool {
        try journal.append(entry)
        return true
    }

    func complete(_ id: String) async { journal.complete(id) }

    func withdraw(_ id: String) async { journal.complete(id) }
}
