import Foundation
import Logging
import TicketPulseCore
import TicketPulseStorage

/// The acknowledged Slack jobs of a replica, kept in the store all replicas share
/// (`SlackJobStore`) under this replica's name: the acknowledgement waits for the insert,
/// one round trip to the server, and a job whose replica dies is answered by another
/// (`SharedSlackJobsService`).
struct StoreSlackJobJournal: AcknowledgedSlackJobs {
    let store: any SlackJobStore
    let replica: String
    let logger: Logger

    func append(_ entry: JournaledJob) async throws -> Bool {
        let payload = String(decoding: try StreamingJSONEncoder().encode(entry), as: UTF8.self)
        return try await store.journalSlackJob(PendingSlackJob(id: entry.id, owner: replica, receivedAt: entry.receivedAt, payload: payload))
    }

    func withdraw(_ id: String) async {
        do {
            try await store.withdrawSlackJob(id: id)
        } catch {
            logger.warning("could not withdraw a Slack job that was not queued; it will be adopted and answered", metadata: ["job": "\(id)", "error": "\(error)"])
        }
    }

    func complete(_ id: String) async {
        do {
            try await store.completeSlackJob(id: id)
        } catch {
            // Left pending: it runs again after a restart, and its answer is then found in
            // Slack by its metadata key rather than posted twice.
            logger.warning("could not mark a Slack job done in the store", metadata: ["job": "\(id)", "error": "\(error)"])
        }
    }

    /// Takes jobs from the store (this replica's own from before a restart with
    /// `includingOwn`, else those of replicas gone) as the worker runs them.
    func adopt(includingOwn: Bool, now: Date, limit: Int = 500) async throws -> [JournaledJob] {
        var jobs: [JournaledJob] = []
        for pending in try await store.adoptSlackJobs(owner: replica, includingOwn: includingOwn, now: now, limit: limit) {
            guard let job = try? JSONDecoder().decode(JournaledJob.self, from: Data(pending.payload.utf8)) else {
                // Written by a build whose jobs this one cannot read: nothing can answer it here.
                logger.error("dropping a Slack job this build cannot read", metadata: ["job": "\(pending.id)", "owner": "\(pending.owner)"])
                try? await store.completeSlackJob(id: pending.id)
                continue
            }
            jobs.append(job)
        }
        return jobs
    }
}
