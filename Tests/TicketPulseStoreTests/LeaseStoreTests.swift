import Foundation
import Testing
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Store: leases for work done once")
struct LeaseStoreTests {
    static let start = Date(timeIntervalSince1970: 1_764_576_000)

    @Test("The first replica takes a lease; another gets it only once it has expired or been released")
    func takeRenewExpireRelease() async throws {
        let store: any Store = try SQLiteStore()
        let t0 = Self.start
        #expect(try await store.acquireLease("leader", holder: "a", now: t0, until: t0 + 10))
        #expect(try await !store.acquireLease("leader", holder: "b", now: t0 + 5, until: t0 + 15), "held and not expired")
        #expect(try await store.acquireLease("leader", holder: "a", now: t0 + 5, until: t0 + 15), "the holder renews")
        #expect(try await store.leaseHolder("leader", now: t0 + 14) == "a")
        #expect(try await !store.acquireLease("leader", holder: "b", now: t0 + 14.9, until: t0 + 25), "the renewal moved the expiry")
        #expect(try await store.leaseHolder("leader", now: t0 + 15) == nil, "expired")
        #expect(try await store.acquireLease("leader", holder: "b", now: t0 + 15, until: t0 + 25), "an expired lease is anyone's")
        #expect(try await !store.acquireLease("leader", holder: "a", now: t0 + 16, until: t0 + 26), "the old holder does not get it back")
        try await store.releaseLease("leader", holder: "a")
        #expect(try await store.leaseHolder("leader", now: t0 + 16) == "b", "only the holder can release")
        try await store.releaseLease("leader", holder: "b")
        #expect(try await store.acquireLease("leader", holder: "a", now: t0 + 16, until: t0 + 26), "a released lease is free at once")
        #expect(try await store.acquireLease("other", holder: "b", now: t0 + 16, until: t0 + 26), "leases are by name")
    }

    @Test("Two processes sharing one SQLite file see one lease")
    func sharedFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-lease-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let first: any Store = try SQLiteStore(path: path)
        let second: any Store = try SQLiteStore(path: path)
        #expect(try await first.acquireLease("leader", holder: "a", now: Self.start, until: Self.start + 10))
        #expect(try await !second.acquireLease("leader", holder: "b", now: Self.start + 1, until: Self.start + 11))
        #expect(try await second.leaseHolder("leader", now: Self.start + 1) == "a")
    }
}
