import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TicketPulseStorage

/// The Slack events already received, so that a retry is acknowledged but not answered
/// again. The decision is made in memory, under a lock, in microseconds; this Service then
/// writes the ids to the store in batches, where a restarted server finds them.
///
/// Why not commit first and acknowledge after: the commit put SQLite's one writer on the
/// path of every acknowledgement, queued behind whatever else was writing (answers' audit
/// entries, alerts, syncs), and that queue, not the request, made the slow acknowledgements.
/// What it trades: an id reaches the store up to `gatherFor` after its acknowledgement.
/// Gathered, at 300 events a second, the ids of a tenth of a second share one transaction
/// instead of costing one each (every answer already commits its audit row; this was the
/// second write of every question). A journaled job's id is in the journal file meanwhile,
/// which survives any crash; only an interaction's id (not journaled) can be lost to a
/// crash in that window, and Slack retries only what was not acknowledged.
///
/// A journaled job's id is only reserved in memory (`reserve`) until the job is kept, and
/// recorded after (`journaled`): an id must never reach the store ahead of its job, or a
/// process killed in between would take Slack's retry for a duplicate and the question
/// would never be answered. The journal's ids are remembered here at start-up
/// (`rememberJournaled`). Over a store replicas share, the store journal claims the id and
/// keeps the job in one transaction (`SlackJobStore.journalSlackJob`), so nothing is
/// recorded here at all.
final class SlackEventLedger: Service, Sendable {
    /// Slack retries an event three times, over about five minutes; twice that is plenty.
    static let retention: TimeInterval = 600

    private let store: any Store
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let state: Mutex<State>
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation
    private let gatherFor: Duration
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Ids older than the retention are deleted from the store at most this often: a delete
    /// with every batch only repeated one that had just run.
    static let pruneEvery: TimeInterval = 60

    /// Loads the ids of the last `retention` from the store: retries of events received
    /// before a restart are still recognised. `gatherFor`: how long a batch gathers ids
    /// after the first one before it is written.
    init(store: any Store, now: @escaping @Sendable () -> Date, logger: Logger, gatherFor: Duration = .milliseconds(100),
         sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) async {
        self.store = store
        self.now = now
        self.logger = logger
        self.gatherFor = gatherFor
        self.sleep = sleep
        var state = State()
        do {
            for event in try await store.slackEventIDs(since: now().addingTimeInterval(-Self.retention)) {
                state.remember(event.id, at: event.receivedAt)
            }
        } catch {
            logger.error("could not load recent Slack event ids; retries of events from before the restart may be answered again",
                         metadata: ["error": "\(error)"])
        }
        self.state = Mutex(state)
        (wakeUps, wakeUp) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// True the first time `eventID` is seen; false for a retry. Recorded in the store next.
    func markSeen(_ eventID: String) -> Bool {
        guard reserve(eventID) else { return false }
        journaled(eventID)
        return true
    }

    /// Marks `eventID` as seen in memory only (true the first time): a job's id, recorded
    /// once the job is journaled (`journaled`), or let go if it is not (`release`).
    func reserve(_ eventID: String) -> Bool {
        let now = now()
        return state.withLock { state in
            guard state.received[eventID] == nil else { return false }
            state.remember(eventID, at: now)
            return true
        }
    }

    /// A reserved id whose job the journal now keeps: recorded in the store with the next
    /// batch, unless the store is shared (its journal claimed the id with the job).
    func journaled(_ eventID: String) {
        guard !store.isShared else { return }
        let recorded = state.withLock { state in
            guard let at = state.received[eventID] else { return false }
            state.toRecord.append((eventID, at))
            return true
        }
        if recorded { wakeUp.yield() }
    }

    /// Remembers the ids the journal kept from before a restart (done or not) and records
    /// them in the store at once: the journal is rewritten without its finished jobs next.
    func rememberJournaled(_ events: [(id: String, receivedAt: Date)]) async {
        let cutoff = now().addingTimeInterval(-Self.retention)
        state.withLock { state in
            for event in events where event.receivedAt >= cutoff && state.received[event.id] == nil {
                state.remember(event.id, at: event.receivedAt)
                state.toRecord.append(event)
            }
        }
        await flush()
    }

    /// `markSeen`, for what is not journaled (interactions), and for a store other
    /// processes share, the same check in the store: a retry that reached another replica
    /// first is a duplicate here too. When the store is unreachable the id is let go again
    /// and `StoreUnavailable` thrown: the request is refused with a 503, and Slack retries
    /// it. Any other failure takes the event (answered twice at worst, never lost).
    func claim(_ eventID: String) async throws -> Bool {
        guard store.isShared else { return markSeen(eventID) }
        guard reserve(eventID) else { return false }
        do {
            return try await store.claimSlackEvent(eventID, at: now())
        } catch let error as StoreUnavailable {
            release(eventID)
            throw error
        } catch {
            logger.warning("could not check a Slack event id in the shared store; taking it", metadata: ["event": "\(eventID)", "error": "\(error)"])
            return true
        }
    }

    /// Lets go of a reserved id whose job could not be kept or queued, so that Slack's
    /// retry is taken. Memory only: the id never reached the store.
    func release(_ eventID: String) {
        state.withLock { state in
            state.received[eventID] = nil
            if let index = state.toRecord.firstIndex(where: { $0.id == eventID }) { state.toRecord.remove(at: index) }
        }
    }

    func run() async {
        await withGracefulShutdownHandler {
            for await _ in wakeUps {
                // Cut short by a graceful shutdown: what was gathered is written at once.
                try? await cancelWhenGracefulShutdown { [sleep, gatherFor] in try await sleep(gatherFor) }
                await flush()
            }
        } onGracefulShutdown: {
            self.wakeUp.finish()
        }
        await flush()
    }

    /// Writes what was received since the last flush in one transaction, and lets go of
    /// ids older than `retention`, in memory and (every `pruneEvery`) in the store.
    func flush() async {
        let at = now()
        let cutoff = at.addingTimeInterval(-Self.retention)
        let (received, prune) = state.withLock { state in
            state.forgetBefore(cutoff)
            defer { state.toRecord.removeAll(keepingCapacity: true) }
            let prune = state.prunedAt.map { at.timeIntervalSince($0) >= Self.pruneEvery } ?? true
            if prune, !state.toRecord.isEmpty { state.prunedAt = at }
            return (state.toRecord, prune)
        }
        guard !received.isEmpty else { return }
        do {
            try await store.recordSlackEvents(received, pruningBefore: prune ? cutoff : nil)
        } catch {
            // Kept for the next flush; meanwhile memory still recognises the retries.
            state.withLock { state in
                state.toRecord.insert(contentsOf: received, at: 0)
                if prune { state.prunedAt = nil }
            }
            logger.error("could not record Slack event ids; will retry", metadata: ["error": "\(error)", "count": "\(received.count)"])
        }
    }

    private struct State {
        /// Every id of the last `retention`, with when it arrived.
        var received: [String: Date] = [:]
        /// The same ids in arrival order, oldest first from `head`, for forgetting cheaply.
        var arrivals: [(id: String, at: Date)] = []
        var head = 0
        var toRecord: [(id: String, receivedAt: Date)] = []
        /// When ids past the retention were last deleted from the store (nil: not yet).
        var prunedAt: Date?

        mutating func remember(_ id: String, at date: Date) {
            received[id] = date
            arrivals.append((id, date))
        }

        mutating func forgetBefore(_ cutoff: Date) {
            while head < arrivals.count, arrivals[head].at < cutoff {
                let old = arrivals[head]
                // Not if the id was forgotten and received again since.
                if received[old.id] == old.at { received[old.id] = nil }
                head += 1
            }
            if head > 4_096, head * 2 > arrivals.count {
                arrivals.removeFirst(head)
                head = 0
            }
        }
    }
}
