import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Store: acknowledged Slack jobs shared by replicas")
struct SlackJobStoreTests {
    static let start = Date(timeIntervalSince1970: 1_764_576_000)

    static func job(_ id: String, owner: String, at offset: TimeInterval) -> PendingSlackJob {
        PendingSlackJob(id: id, owner: owner, receivedAt: start + offset, payload: #"{"id":"\#(id)"}"#)
    }

    static func present(_ replica: String, in store: any Store, at now: Date) async throws {
        #expect(try await store.acquireLease(ReplicaPresence.leaseName(of: replica), holder: replica, now: now, until: now + 10))
    }

    @Test("A live replica's jobs stay its own; once its presence lapses another replica takes them, oldest first, once", arguments: StoreBackend.available)
    func adoptOrphans(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let t0 = Self.start
            try await Self.present("a", in: store, at: t0)
            try await Self.present("b", in: store, at: t0)
            #expect(try await store.journalSlackJob(Self.job("Ev2", owner: "a", at: 2)))
            #expect(try await store.journalSlackJob(Self.job("Ev1", owner: "a", at: 1)))
            #expect(try await store.journalSlackJob(Self.job("Ev3", owner: "b", at: 3)))
            // Slack's retry of Ev1 reached b: a duplicate, nothing kept.
            #expect(try await store.journalSlackJob(Self.job("Ev1", owner: "b", at: 9)) == false)
            #expect(try await store.pendingSlackJobCount() == 3)
            #expect(try await store.claimSlackEvent("Ev3", at: t0 + 3) == false, "a kept job's id is claimed with it")

            #expect(try await store.adoptSlackJobs(owner: "b", includingOwn: false, now: t0 + 5, limit: 10).isEmpty, "a is alive")

            // a stops renewing; b renews.
            try await Self.present("b", in: store, at: t0 + 9)
            let adopted = try await store.adoptSlackJobs(owner: "b", includingOwn: false, now: t0 + 10, limit: 10)
            #expect(adopted.map(\.id) == ["Ev1", "Ev2"])
            #expect(adopted.allSatisfy { $0.owner == "b" })
            #expect(adopted.first?.receivedAt == t0 + 1)
            #expect(adopted.first?.payload == #"{"id":"Ev1"}"#)
            #expect(try await store.adoptSlackJobs(owner: "c", includingOwn: false, now: t0 + 10, limit: 10).isEmpty,
                    "taken by b, which is alive: nobody else's")

            try await store.completeSlackJob(id: "Ev1")
            #expect(try await store.pendingSlackJobCount() == 2)
        }
    }

    @Test("A restarted replica takes back its own jobs only when asked to", arguments: StoreBackend.available)
    func adoptOwn(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let t0 = Self.start
            try await Self.present("a", in: store, at: t0)
            #expect(try await store.journalSlackJob(Self.job("Ev1", owner: "a", at: 1)))
            #expect(try await store.adoptSlackJobs(owner: "a", includingOwn: false, now: t0 + 2, limit: 10).isEmpty)
            #expect(try await store.adoptSlackJobs(owner: "a", includingOwn: true, now: t0 + 2, limit: 10).map(\.id) == ["Ev1"])
            // A replica that never held a presence lease counts as gone.
            #expect(try await store.journalSlackJob(Self.job("Ev2", owner: "never-seen", at: 2)))
            #expect(try await store.adoptSlackJobs(owner: "a", includingOwn: false, now: t0 + 3, limit: 1).map(\.id) == ["Ev2"])
        }
    }

    @Test("A job withdrawn (it could not be queued) leaves neither the job nor its id's claim: Slack's retry is taken", arguments: StoreBackend.available)
    func withdraw(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.journalSlackJob(Self.job("Ev1", owner: "a", at: 1)))
            try await store.withdrawSlackJob(id: "Ev1")
            #expect(try await store.pendingSlackJobCount() == 0)
            #expect(try await store.journalSlackJob(Self.job("Ev1", owner: "b", at: 2)), "the retry, on another replica")
        }
    }

    @Test("The roster version changes with every change of the customers, and only then", arguments: StoreBackend.available)
    func rosterVersion(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let empty = try await store.rosterVersion()
            try await store.upsertCSMs([CSM(email: "sam@example.com", name: "Sam", slackUserID: nil, role: .csm)])
            #expect(try await store.rosterVersion() == empty, "people are not customers")
            try await store.upsertCustomers([Customer(id: "acme", name: "Acme", csmEmail: "sam@example.com")])
            let afterUpsert = try await store.rosterVersion()
            #expect(afterUpsert != empty)
            _ = try await store.importCustomers(csv: "id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\nglobex,Globex,,,smb,1,sam@example.com,,50\n", fileName: "customers.csv")
            #expect(try await store.rosterVersion() != afterUpsert)
        }
    }
}
