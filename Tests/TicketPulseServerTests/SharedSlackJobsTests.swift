import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import TicketPulseServer
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// Replicas sharing a store keep acknowledged Slack jobs in it: a replica killed after its
/// acknowledgement has its questions answered by another, once; a live one keeps its own.
@Suite("Slack jobs shared by replicas", .serialized)
struct SharedSlackJobsTests {
    static let thread = "1763478000.000900"

    static func sharedPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-shared-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("store.sqlite").path
    }

    /// What replica `owner` kept in the store when it acknowledged `Ev009` (and then died, or not).
    static func acknowledged(by owner: String, in store: SQLiteStore) async throws {
        let journal = StoreSlackJobJournal(store: store, replica: owner, logger: Logger(label: "test"))
        #expect(try await journal.append(JournaledJob(id: "Ev009", receivedAt: ServerHarness.now,
                                                      job: .question(user: "U0CSM0001", channel: "C0ESC0001", threadTS: thread, text: "show support tickets for Acme"))))
    }

    @Test("A question a killed replica acknowledged is answered by another, in its thread, and leaves the store")
    func orphanAnswered() async throws {
        let path = try Self.sharedPath()
        let store = try ServerHarness.makeStore(sharedPath: path)
        try await Self.acknowledged(by: "replica-a", in: store)
        try await ServerHarness.run(store: store, replicaID: "replica-b") { harness, _ in
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            let answer = try #require(harness.fake.messages.first { $0.metadataKey == "Ev009" })
            #expect(answer.threadTS == Self.thread)
            #expect(answer.channel == "C0ESC0001")
        }
        #expect(try store.pendingSlackJobCount() == 0, "done once answered")
    }

    @Test("A live replica's acknowledged question is left to it; this replica's own questions go through the store")
    func liveReplicaKeepsItsJobs() async throws {
        let path = try Self.sharedPath()
        let store = try ServerHarness.makeStore(sharedPath: path)
        try await Self.acknowledged(by: "replica-a", in: store)
        let presence = ReplicaPresence.leaseName(of: "replica-a")
        #expect(try store.acquireLease(presence, holder: "replica-a", now: ServerHarness.now, until: ServerHarness.now + 10))
        try await ServerHarness.run(store: store, replicaID: "replica-b") { harness, client in
            let event = ServerHarness.appMention(eventID: "Ev010", ts: "1763478000.001000", text: "<@U0BOT0001> help")
            let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(event), body: ByteBuffer(string: event))
            #expect(response.status == .ok)
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            #expect(harness.fake.messages.map(\.metadataKey) == ["Ev010"])
            // The same event delivered to another replica sharing the store is a duplicate there.
            let other = await SlackEventLedger(store: store, now: { ServerHarness.now }, logger: Logger(label: "test"))
            #expect(try await !other.claim("Ev010"))
        }
        #expect(try store.pendingSlackJobCount() == 1, "replica-a's question is still its own")
        #expect(try store.adoptSlackJobs(owner: "replica-c", includingOwn: false, now: ServerHarness.now + 5, limit: 10).isEmpty)
        // replica-b gave up its presence when it stopped: nothing of its own is left to adopt.
        #expect(try store.leaseHolder(ReplicaPresence.leaseName(of: "replica-b"), now: ServerHarness.now) == nil)
    }
}
