import Foundation
import Logging
import ServiceLifecycle
import TicketPulseStorage

/// On every replica sharing a store: keeps this replica's presence lease (`ReplicaPresence`)
/// while it runs, and every `interval` takes the acknowledged Slack jobs of replicas whose
/// presence has lapsed (killed, or cut off from the store for longer than `presenceDuration`)
/// onto this one's worker. A replica killed mid-flood thus has its questions answered by the
/// others within `presenceDuration` plus one `interval`.
struct SharedSlackJobsService: Service {
    let journal: StoreSlackJobJournal
    let leases: any LeaseStore
    let worker: SlackWorker
    var presenceDuration: TimeInterval = 10
    var interval: Duration = .seconds(3)
    let now: @Sendable () -> Date
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    let logger: Logger

    /// Before the server takes requests: the presence lease, so that nobody adopts the jobs
    /// it is about to acknowledge; then this replica's own jobs from before a restart, and
    /// any a replica that is gone left.
    func start() async {
        await renewPresence()
        do {
            let own = try await journal.adopt(includingOwn: true, now: now())
            if !own.isEmpty {
                logger.notice("answering Slack jobs acknowledged before the restart or by a replica gone", metadata: ["count": "\(own.count)"])
                worker.resume(own)
            }
        } catch {
            logger.error("could not read this replica's pending Slack jobs from the store; the next pass takes them", metadata: ["error": "\(error)"])
        }
    }

    func run() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await sleep(interval) }
            } catch {
                break
            }
            await pass()
        }
        // What is still queued here is finished by the worker's drain; what is not is
        // adopted by the others once the lease is gone.
        try? await leases.releaseLease(ReplicaPresence.leaseName(of: journal.replica), holder: journal.replica)
    }

    func pass() async {
        await renewPresence()
        do {
            let orphans = try await journal.adopt(includingOwn: false, now: now())
            if !orphans.isEmpty {
                logger.notice("answering Slack jobs a stopped replica acknowledged", metadata: ["count": "\(orphans.count)"])
                worker.resume(orphans)
            }
        } catch {
            logger.warning("could not look for other replicas' pending Slack jobs", metadata: ["error": "\(error)"])
        }
    }

    private func renewPresence() async {
        let at = now()
        do {
            let name = ReplicaPresence.leaseName(of: journal.replica)
            if try await !leases.acquireLease(name, holder: journal.replica, now: at, until: at.addingTimeInterval(presenceDuration)) {
                logger.error("another process holds this replica's presence lease: give each replica its own TICKETPULSE_REPLICA_ID",
                             metadata: ["replica": "\(journal.replica)"])
            }
        } catch {
            logger.warning("could not renew this replica's presence in the store", metadata: ["error": "\(error)"])
        }
    }
}
