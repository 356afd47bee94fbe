import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Store: scopes in bulk")
struct ScopeStoreTests {
    static func seed(_ store: any Store) async throws -> [CSM] {
        let people = [
            CSM(email: "vp@example.com", name: "VP", role: .manager),
            CSM(email: "ann@example.com", name: "Ann", role: .manager, managerEmail: "VP@example.com"),
            CSM(email: "mike@example.com", name: "Mike", role: .csm, managerEmail: "ann@example.com"),
            CSM(email: "lee@example.com", name: "Lee", role: .csm),
            CSM(email: "root@example.com", name: "Root", role: .admin),
            // A loop in the roster must not hang the walk.
            CSM(email: "a@example.com", name: "A", role: .manager, managerEmail: "b@example.com"),
            CSM(email: "b@example.com", name: "B", role: .manager, managerEmail: "a@example.com"),
        ]
        try await store.upsertCSMs(people)
        try await store.upsertCustomers([
            Customer(id: "cus_1", name: "One", csmEmail: "mike@example.com"),
            Customer(id: "cus_2", name: "Two", csmEmail: "ann@example.com"),
            Customer(id: "cus_3", name: "Three", csmEmail: "lee@example.com"),
            Customer(id: "cus_4", name: "Four", csmEmail: "b@example.com"),
        ])
        return people
    }

    @Test("Everyone's scope in one query is what each person's own query says; `among` narrows it", arguments: StoreBackend.available)
    func bulkScopes(backend: StoreBackend) async throws {
        try await backend.withStore { store in
        let people = try await Self.seed(store)
        let bulk = try await store.customerIDs(visibleTo: people)
        #expect(bulk["vp@example.com"] == .some(["cus_1", "cus_2"]))
        #expect(bulk["mike@example.com"] == .some(["cus_1"]))
        #expect(bulk["root@example.com"] == .some(nil))
        #expect(bulk["a@example.com"] == .some(["cus_4"]))
        for person in people {
            #expect(bulk[person.email] == .some(try await store.customerIDs(visibleTo: person)), "\(person.email)")
        }
        let narrowed = try await store.customerIDs(visibleTo: people, among: ["cus_2", "cus_3"])
        #expect(narrowed["vp@example.com"] == .some(["cus_2"]))
        #expect(narrowed["mike@example.com"] == .some([]))
        #expect(narrowed["lee@example.com"] == .some(["cus_3"]))
        #expect(narrowed["root@example.com"] == .some(nil))
        }
    }
}
