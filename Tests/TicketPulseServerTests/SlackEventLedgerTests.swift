import Foundation
import Logging
import Synchronization
import Testing
@testable import TicketPulseServer
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Slack event ledger")
struct SlackEventLedgerTests {
    let start = Date(timeIntervalSince1970: 1_763_478_000)

    /// A clock the test moves by hand.
    final class Clock: Sendable {
        let date: Mutex<Date>
        init(_ date: Date) { self.date = Mutex(date) }
        var now: @Sendable () -> Date { { self.date.withLock { $0 } } }
        func advance(_ seconds: TimeInterval) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    func ledger(_ store: SQLiteStore, _ clock: Clock) async -> SlackEventLedger {
        await SlackEventLedger(store: store, now: clock.now, logger: Logger(label: "test"))
    }

    @Test("A retry is recognised at once, before anything is written, and after a restart from what was flushed")
    func retriesAreRecognised() async throws {
        let store = try SQLiteStore()
        let clock = Clock(start)
        let first = await ledger(store, clock)
        #expect(first.markSeen("Ev1"))
        #expect(!first.markSeen("Ev1"))
        #expect(try store.slackEventIDs(since: start.addingTimeInterval(-1)).isEmpty)
        await first.flush()
        #expect(try store.slackEventIDs(since: start.addingTimeInterval(-1)).map(\.id) == ["Ev1"])
        let restarted = await ledger(store, clock)
        #expect(!restarted.markSeen("Ev1"))
        #expect(restarted.markSeen("Ev2"))
    }

    @Test("A job's id reaches the store only once the job is journaled; one let go (the queue was full) is taken when Slack retries it")
    func reservedIDsWaitForTheirJob() async throws {
        let store = try SQLiteStore()
        let clock = Clock(start)
        let ledger = await ledger(store, clock)
        #expect(ledger.reserve("EvRefused"))
        #expect(!ledger.reserve("EvRefused"), "a retry meanwhile is a duplicate")
        await ledger.flush()
        #expect(try store.slackEventIDs(since: start.addingTimeInterval(-1)).isEmpty, "not ahead of its job: a crash now must not turn the retry into a duplicate")
        ledger.release("EvRefused")
        #expect(ledger.reserve("EvRefused"), "let go: the retry is taken")
        ledger.journaled("EvRefused")
        await ledger.flush()
        #expect(try store.slackEventIDs(since: start.addingTimeInterval(-1)).map(\.id) == ["EvRefused"])
    }

    @Test("Ids older than the retention are let go, in memory and in the store")
    func oldIdsAreLetGo() async throws {
        let store = try SQLiteStore()
        let clock = Clock(start)
        let ledger = await ledger(store, clock)
        #expect(ledger.markSeen("EvOld"))
        await ledger.flush()
        clock.advance(SlackEventLedger.retention + 1)
        #expect(!ledger.markSeen("EvOld"), "still remembered until the next flush lets it go")
        #expect(ledger.markSeen("EvNew"))
        await ledger.flush()
        #expect(try store.slackEventIDs(since: .distantPast).map(\.id) == ["EvNew"])
        #expect(ledger.markSeen("EvOld"))
    }

    @Test("Ids past the retention are deleted from the store at most once a minute, not with every batch")
    func pruningIsRateLimited() async throws {
        let store = try SQLiteStore()
        let clock = Clock(start)
        let ledger = await ledger(store, clock)
        func stored() throws -> Set<String> { Set(try store.slackEventIDs(since: .distantPast).map(\.id)) }
        #expect(ledger.markSeen("EvOld"))
        await ledger.flush()
        clock.advance(SlackEventLedger.retention - 10)
        #expect(ledger.markSeen("EvMid"))
        await ledger.flush()
        clock.advance(20)
        #expect(ledger.markSeen("EvNew"))
        await ledger.flush()
        #expect(try stored() == ["EvOld", "EvMid", "EvNew"], "the last delete ran 20 s ago")
        clock.advance(SlackEventLedger.pruneEvery)
        #expect(ledger.markSeen("EvNewer"))
        await ledger.flush()
        #expect(try stored() == ["EvMid", "EvNew", "EvNewer"])
    }

    @Test("A batch waits `gatherFor` after its first id, writing nothing meanwhile, then writes every id gathered")
    func batchesGather() async throws {
        let store = try SQLiteStore()
        let (gathering, gatheringStarted) = AsyncStream.makeStream(of: Duration.self)
        let (releases, release) = AsyncStream.makeStream(of: Void.self)
        let ledger = await SlackEventLedger(store: store, now: { start }, logger: Logger(label: "test"), gatherFor: .milliseconds(100),
                                            sleep: { duration in
                                                gatheringStarted.yield(duration)
                                                var iterator = releases.makeAsyncIterator()
                                                _ = await iterator.next()
                                            })
        func stored() -> [String] { ((try? store.slackEventIDs(since: .distantPast)) ?? []).map(\.id).sorted() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await ledger.run() }
            var gatherings = gathering.makeAsyncIterator()
            #expect(ledger.markSeen("Ev1"))
            #expect(await gatherings.next() == .milliseconds(100))
            #expect(ledger.markSeen("Ev2"))
            #expect(stored().isEmpty, "nothing is written while the batch gathers")
            release.yield()
            // Stopping writes whatever is left; the run ends with it.
            group.cancelAll()
        }
        #expect(stored() == ["Ev1", "Ev2"])
    }
}

@Suite("Slack event ids shared among replicas")
struct SharedSlackEventLedgerTests {
    let now = Date(timeIntervalSince1970: 1_764_576_000)

    /// A ledger over the SQLite file at `path`, opened as replicas share a store.
    func replica(_ path: String) async throws -> SlackEventLedger {
        let now = now
        return await SlackEventLedger(store: try SQLiteStore(path: path, shared: true), now: { now }, logger: Logger(label: "test"))
    }

    @Test("A retry that reached another process sharing the store first is a duplicate; with a store of its own, memory decides")
    func sharedStoreDecides() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let first = try await replica(path)
        let second = try await replica(path)
        #expect(try await first.claim("Ev1"))
        #expect(try await !second.claim("Ev1"), "the other replica received it first")
        #expect(try await second.claim("Ev2"))
        #expect(try await !first.claim("Ev2"))
        #expect(try await !first.claim("Ev1"), "and its own retries, from memory")

        let alone = await SlackEventLedger(store: try SQLiteStore(path: path), now: { now }, logger: Logger(label: "test"))
        #expect(try await !alone.claim("Ev1"), "the ids received before it started are loaded")
        #expect(try await alone.claim("Ev3"))
        #expect(try await first.claim("Ev3"), "over a store of its own a ledger decides from memory and records in batches, later")
    }

    @Test("A job refused after it was kept (the queue was full) leaves no claim: Slack's retry is taken, here or on another replica")
    func refusedJobIsTakenAgain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try SQLiteStore(path: path, shared: true)
        let first = try await replica(path)
        let second = try await replica(path)
        let entry = JournaledJob(id: "Ev1", receivedAt: now, job: .homeOpened(user: "U0CSM0001"))
        let firstJournal = StoreSlackJobJournal(store: store, replica: "r1", logger: Logger(label: "test"))
        #expect(first.reserve("Ev1"))
        #expect(try await firstJournal.append(entry))
        // The queue was full: the job is withdrawn with its claim, the id let go.
        await firstJournal.withdraw("Ev1")
        first.release("Ev1")
        await first.flush()
        #expect(try store.slackEventIDs(since: .distantPast).isEmpty, "nothing claims the id any more")
        #expect(second.reserve("Ev1"))
        #expect(try await StoreSlackJobJournal(store: store, replica: "r2", logger: Logger(label: "test")).append(entry), "the retry reached another replica, which keeps it")
        #expect(first.reserve("Ev1"), "memory let it go")
        #expect(try await !firstJournal.append(entry), "and the store says the other replica has it")
    }
}
