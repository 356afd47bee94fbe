import Foundation
import Logging
import Synchronization
import Testing
@testable import TicketPulseServer
import TicketPulseStore

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

    func ledger(_ store: TicketStore, _ clock: Clock) -> SlackEventLedger {
        SlackEventLedger(store: store, now: clock.now, logger: Logger(label: "test"))
    }

    @Test("A retry is recognised at once, before anything is written, and after a restart from what was flushed")
    func retriesAreRecognised() throws {
        let store = try TicketStore()
        let clock = Clock(start)
        let first = ledger(store, clock)
        #expect(first.markSeen("Ev1"))
        #expect(!first.markSeen("Ev1"))
        #expect(try store.slackEventIDs(since: start.addingTimeInterval(-1)).isEmpty)
        first.flush()
        #expect(try store.slackEventIDs(since: start.addingTimeInterval(-1)).map(\.id) == ["Ev1"])
        let restarted = ledger(store, clock)
        #expect(!restarted.markSeen("Ev1"))
        #expect(restarted.markSeen("Ev2"))
    }

    @Test("A forgotten event (the queue was full) is taken when Slack retries it, whether or not it was flushed")
    func forgottenEventsAreTakenAgain() throws {
        let store = try TicketStore()
        let clock = Clock(start)
        let ledger = ledger(store, clock)
        #expect(ledger.markSeen("EvPending"))
        ledger.forget("EvPending")
        #expect(ledger.markSeen("EvFlushed"))
        ledger.flush()
        ledger.forget("EvFlushed")
        ledger.flush()
        #expect(try store.slackEventIDs(since: start.addingTimeInterval(-1)).isEmpty)
        #expect(ledger.markSeen("EvPending"))
        #expect(ledger.markSeen("EvFlushed"))
    }

    @Test("Ids older than the retention are let go, in memory and in the store")
    func oldIdsAreLetGo() throws {
        let store = try TicketStore()
        let clock = Clock(start)
        let ledger = ledger(store, clock)
        #expect(ledger.markSeen("EvOld"))
        ledger.flush()
        clock.advance(SlackEventLedger.retention + 1)
        #expect(!ledger.markSeen("EvOld"), "still remembered until the next flush lets it go")
        #expect(ledger.markSeen("EvNew"))
        ledger.flush()
        #expect(try store.slackEventIDs(since: .distantPast).map(\.id) == ["EvNew"])
        #expect(ledger.markSeen("EvOld"))
    }
}
