import Foundation
import Logging
import ServiceLifecycle
import TicketPulseStorage

/// Runs the work that must happen once among replicas (sync pollers, detector passes,
/// digests, outbox delivery, store maintenance) only while this replica holds the leader
/// lease (`LeaseStore`). The lease lasts `leaseDuration` and is renewed every `renewEvery`;
/// when a renewal fails (another replica took an expired lease, or the store is gone) the
/// services are cancelled and this replica goes back to waiting. A replica killed mid-work
/// stops renewing: another one takes over within `leaseDuration` plus one `renewEvery`.
/// What a cancelled service was doing is safe to redo: the outbox looks for a message an
/// in-flight row may have posted before sending it again, and sync cursors are saved with
/// their pages.
public struct LeaderService: Service {
    static let leaseName = "leader"

    let store: any LeaseStore
    /// Stable across restarts of the same replica (`TICKETPULSE_REPLICA_ID`, else the host
    /// name), so a restarted replica renews its own lease at once instead of waiting it out.
    let holder: String
    let services: [any Service]
    var leaseDuration: TimeInterval = 10
    var renewEvery: Duration = .seconds(3)
    let now: @Sendable () -> Date
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    let logger: Logger

    struct LeaseLost: Error {}

    public func run() async throws {
        defer { logger.debug("leader service stopped") }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if await acquire() {
                logger.notice("leading: running the work done once", metadata: ["replica": "\(holder)"])
                do {
                    try await lead()
                } catch is LeaseLost {
                    logger.warning("lost the leader lease; background work stops here and resumes on the replica that holds it",
                                   metadata: ["replica": "\(holder)"])
                    continue
                }
                break
            }
            do {
                try await cancelWhenGracefulShutdown { try await sleep(renewEvery) }
            } catch is CancellationError {
                break
            }
        }
        try? await store.releaseLease(Self.leaseName, holder: holder)
    }

    /// The services, with the renewal beside them; returns when they stop (shutdown),
    /// throws `LeaseLost` when a renewal fails.
    private func lead() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            group.addTask {
                // Stops with the graceful shutdown, which the services see too; a lost
                // lease ends the group.
                do {
                    try await cancelWhenGracefulShutdown {
                        while true {
                            try await sleep(renewEvery)
                            guard await acquire() else { throw LeaseLost() }
                        }
                    }
                } catch is CancellationError {}
            }
            do {
                while try await group.next() != nil {}
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private func acquire() async -> Bool {
        let at = now()
        do {
            return try await store.acquireLease(Self.leaseName, holder: holder, now: at, until: at.addingTimeInterval(leaseDuration))
        } catch {
            logger.warning("could not reach the store for the leader lease", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// This replica's name among those sharing the store.
    public static func replicaID(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let id = environment["TICKETPULSE_REPLICA_ID"], !id.isEmpty { return id }
        return ProcessInfo.processInfo.hostName
    }
}
