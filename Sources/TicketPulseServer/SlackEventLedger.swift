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
/// What it trades: an id reaches the store a few milliseconds after its acknowledgement. The
/// job itself is on disk before the acknowledgement (`SlackJobJournal`), and the journal's ids
/// are remembered here at start-up (`rememberJournaled`), so a crash inside that window
/// neither loses the question nor lets a retry of it be answered twice.
final class SlackEventLedger: Service, Sendable {
    /// Slack retries an event three times, over about five minutes; twice that is plenty.
    static let retention: TimeInterval = 600

    private let store: any Store
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let state: Mutex<State>
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation

    /// Loads the ids of the last `retention` from the store: retries of events received
    /// before a restart are still recognised.
    init(store: any Store, now: @escaping @Sendable () -> Date, logger: Logger) async {
        self.store = store
        self.now = now
        self.logger = logger
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

    /// True the first time `eventID` is seen; false for a retry. `record`: the next flush
    /// writes the id to the store (`claim` over a shared store writes it itself).
    func markSeen(_ eventID: String, record recorded: Bool = true) -> Bool {
        let now = now()
        let isNew = state.withLock { state in
            guard state.received[eventID] == nil else { return false }
            state.remember(eventID, at: now)
            return true
        }
        if isNew && recorded { record(eventID, at: now) }
        return isNew
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

    /// `markSeen`, and for a store other processes share, the same check in the store: a
    /// retry that reached another replica first is a duplicate here too. When the store is
    /// unreachable the id is forgotten again and `StoreUnavailable` thrown: the request is
    /// refused with a 503 at once (the job could not be kept either), and Slack retries it.
    /// Any other failure takes the event (answered twice at worst, never lost).
    func claim(_ eventID: String) async throws -> Bool {
        guard store.isShared else { return markSeen(eventID) }
        // The claim's insert is the store's record of the id. Were the flush to write it
        // too, it could land first (the claim then finds its own id and drops the event as
        // a retry), and `forget` would not delete what the claim wrote (Slack's retry of a
        // refused event then found it taken): either way an acknowledged question lost.
        guard markSeen(eventID, record: false) else { return false }
        do {
            return try await store.claimSlackEvent(eventID, at: now())
        } catch let error as StoreUnavailable {
            // Let Slack's retry in here; what the store holds stays (another replica's claim).
            _ = state.withLock { $0.received.removeValue(forKey: eventID) }
            throw error
        } catch {
            logger.warning("could not check a Slack event id in the shared store; taking it", metadata: ["event": "\(eventID)", "error": "\(error)"])
            record(eventID, at: now())
            return true
        }
    }

    /// Has the next flush write `eventID` to the store.
    private func record(_ eventID: String, at date: Date) {
        state.withLock { $0.toRecord.append((eventID, date)) }
        wakeUp.yield()
    }

    /// Undoes `markSeen` for an event that could not be queued, so that Slack's retry is taken.
    func forget(_ eventID: String) {
        state.withLock { state in
            state.received[eventID] = nil
            if let index = state.toRecord.firstIndex(where: { $0.id == eventID }) {
                state.toRecord.remove(at: index)
            } else {
                state.toForget.append(eventID)
            }
        }
        wakeUp.yield()
    }

    func run() async {
        await withGracefulShutdownHandler {
            for await _ in wakeUps { await flush() }
        } onGracefulShutdown: {
            self.wakeUp.finish()
        }
        await flush()
    }

    /// Writes what was received (and forgotten) since the last flush in one transaction,
    /// and lets go of ids older than `retention`, in memory and in the store.
    func flush() async {
        let cutoff = now().addingTimeInterval(-Self.retention)
        let (received, forgotten) = state.withLock { state in
            state.forgetBefore(cutoff)
            defer { state.toRecord.removeAll(keepingCapacity: true); state.toForget.removeAll() }
            return (state.toRecord, state.toForget)
        }
        guard !received.isEmpty || !forgotten.isEmpty else { return }
        do {
            try await store.recordSlackEvents(received, forgetting: forgotten, pruningBefore: cutoff)
        } catch {
            // Kept for the next flush; meanwhile memory still recognises the retries.
            state.withLock { state in
                state.toRecord.insert(contentsOf: received, at: 0)
                state.toForget.insert(contentsOf: forgotten, at: 0)
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
        var toForget: [String] = []

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
