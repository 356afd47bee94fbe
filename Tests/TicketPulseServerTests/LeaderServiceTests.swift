import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import TicketPulseServer
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Leader lease: work done once among replicas")
struct LeaderServiceTests {
    static let start = Date(timeIntervalSince1970: 1_764_576_000)

    /// A clock that moves only when slept. Once `gated`, each sleep also waits for the test
    /// to `tick` (or for its task to be cancelled), so the test decides when a renewal runs.
    final class Clock: Sendable {
        let time = Mutex(LeaderServiceTests.start)
        private let gate = Mutex<(gated: Bool, ticks: Int, waiters: [AsyncStream<Void>.Continuation])>((false, 0, []))
        var now: @Sendable () -> Date { { self.time.withLock { $0 } } }
        var sleep: @Sendable (Duration) async throws -> Void {
            { duration in
                self.time.withLock { $0 += TimeInterval(duration.components.seconds) }
                let (stream, continuation) = AsyncStream<Void>.makeStream()
                let wait = self.gate.withLock { gate -> Bool in
                    guard gate.gated else { return false }
                    if gate.ticks > 0 { gate.ticks -= 1; return false }
                    gate.waiters.append(continuation)
                    return true
                }
                guard wait else { return }
                for await _ in stream { return }
                throw CancellationError()
            }
        }

        func gate(_ gated: Bool) { gate.withLock { $0.gated = gated } }

        /// Lets one waiting (or the next) sleep return.
        func tick() {
            let waiter = gate.withLock { gate -> AsyncStream<Void>.Continuation? in
                guard !gate.waiters.isEmpty else { gate.ticks += 1; return nil }
                return gate.waiters.removeFirst()
            }
            waiter?.yield()
        }
    }

    /// Says when it started and when it was cancelled.
    struct Probe: Service {
        let started: AsyncStream<Void>.Continuation
        let stopped: AsyncStream<Void>.Continuation
        func run() async throws {
            started.yield()
            let (never, _) = AsyncStream<Void>.makeStream()
            for await _ in never {}
            stopped.yield()
        }
    }

    @Test("A replica waits while another holds the lease, and takes over the work once it expires (a killed leader)")
    func takesOverAfterExpiry() async throws {
        let store: any Store = try SQLiteStore()
        let clock = Clock()
        // Replica "a" took the lease and died: it renews no more.
        #expect(try await store.acquireLease(LeaderService.leaseName, holder: "a", now: Self.start, until: Self.start + 10))
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let (stopped, stoppedContinuation) = AsyncStream<Void>.makeStream()
        let leader = LeaderService(store: store, holder: "b", services: [Probe(started: startedContinuation, stopped: stoppedContinuation)],
                                   now: clock.now, sleep: clock.sleep, logger: Logger(label: "test"))
        let task = Task { try await leader.run() }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()
        clock.gate(true)
        let tookOverAt = clock.now().timeIntervalSince(Self.start)
        #expect(tookOverAt >= 10 && tookOverAt <= 13, "within one renewal interval of the expiry, not before: \(tookOverAt) s")
        #expect(try await store.leaseHolder(LeaderService.leaseName, now: clock.now()) == "b")
        task.cancel()
        var stoppedIterator = stopped.makeAsyncIterator()
        _ = await stoppedIterator.next()
        _ = try? await task.value
        #expect(try await store.leaseHolder(LeaderService.leaseName, now: clock.now()) == nil, "a stopping leader hands over at once")
    }

    @Test("A leader whose renewal fails (another replica holds the lease now) stops its work and waits")
    func stopsWhenTheLeaseIsLost() async throws {
        let store: any Store = try SQLiteStore()
        let clock = Clock()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let (stopped, stoppedContinuation) = AsyncStream<Void>.makeStream()
        clock.gate(true)
        let leader = LeaderService(store: store, holder: "a", services: [Probe(started: startedContinuation, stopped: stoppedContinuation)],
                                   now: clock.now, sleep: clock.sleep, logger: Logger(label: "test"))
        let task = Task { try await leader.run() }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()
        // "a" stalled past its lease (a long pause) and "b" took it meanwhile; "a" renews next.
        try await store.releaseLease(LeaderService.leaseName, holder: "a")
        #expect(try await store.acquireLease(LeaderService.leaseName, holder: "b", now: clock.now(), until: clock.now() + 3600))
        clock.tick()
        var stoppedIterator = stopped.makeAsyncIterator()
        _ = await stoppedIterator.next()
        #expect(try await store.leaseHolder(LeaderService.leaseName, now: clock.now()) == "b", "the work stopped on \"a\" at its renewal")
        task.cancel()
        _ = try? await task.value
    }

    @Test("The replica id comes from TICKETPULSE_REPLICA_ID, else the host name, so a restart renews its own lease")
    func replicaID() {
        #expect(LeaderService.replicaID(environment: ["TICKETPULSE_REPLICA_ID": "tp-2"]) == "tp-2")
        #expect(LeaderService.replicaID(environment: [:]) == ProcessInfo.processInfo.hostName)
    }
}
