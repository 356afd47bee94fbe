import Foundation

/// Acknowledged Slack jobs, kept in a store several replicas share until one of them has
/// answered: a replica killed after its acknowledgement leaves its jobs to the others,
/// which take them once its presence lease (`ReplicaPresence`) has lapsed.
public protocol SlackJobStore: Sendable {
    /// Claims the job's id among the Slack event ids received (`SlackEventStore`) and keeps
    /// the job until `completeSlackJob`, in one transaction: false, keeping nothing, when the
    /// id was claimed already (a retry another replica received first). Claiming and keeping
    /// together leave no moment in which a replica killed has claimed an event it has not
    /// kept, whose retry would then be taken for a duplicate and never answered.
    func journalSlackJob(_ job: PendingSlackJob) async throws -> Bool
    func completeSlackJob(id: String) async throws
    /// Removes a kept job and its id's claim (it could not be queued after all): Slack's
    /// retry of it is then taken, by whichever replica it reaches.
    func withdrawSlackJob(id: String) async throws
    /// Makes `owner` the owner of up to `limit` pending jobs, oldest first, and returns them:
    /// those of replicas whose presence lease has lapsed at `now`, and with `includingOwn`,
    /// `owner`'s own (what it acknowledged before a restart). Two replicas adopting at once
    /// never take the same job.
    func adoptSlackJobs(owner: String, includingOwn: Bool, now: Date, limit: Int) async throws -> [PendingSlackJob]
    func pendingSlackJobCount() async throws -> Int
}

/// A Slack job as the store keeps it: the server's own JSON of it, opaque to the store.
public struct PendingSlackJob: Sendable, Equatable {
    public var id: String
    public var owner: String
    public var receivedAt: Date
    public var payload: String

    public init(id: String, owner: String, receivedAt: Date, payload: String) {
        self.id = id
        self.owner = owner
        self.receivedAt = receivedAt
        self.payload = payload
    }
}

/// Each running replica holds a lease of its own, renewed while it lives: how the others
/// tell that the owner of a pending Slack job is gone.
public enum ReplicaPresence {
    /// The lease names' prefix, in the backends' SQL too.
    public static let leasePrefix = "replica/"
    public static func leaseName(of replica: String) -> String { leasePrefix + replica }
}

/// Named counters the backends keep in `store_counters`, raised in the transaction of the
/// change they count.
public enum StoreCounter {
    /// Raised with every change of the customers (`RosterStore.rosterVersion`).
    public static let roster = "roster"
}
