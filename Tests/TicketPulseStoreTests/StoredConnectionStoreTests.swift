import Foundation
import Testing
import TicketPulseCore
import TicketPulseStorage

/// The connect flow's connections and the organization mapping, on every backend.
@Suite("Store: stored connections and organization mappings")
struct StoredConnectionStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_532_400)
    static let acme = StoredConnection(name: "zendesk-acme", system: .zendesk, subdomain: "acme", externalIDPrefix: "acme-", createdAt: now, createdBy: "ops@example.com")

    @Test("A connection is stored with its credentials in one write; a second one of that name writes nothing", arguments: StoreBackend.available)
    func addAndList(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.addStoredConnection(Self.acme, credentials: Data(#"{"access_token":"a1"}"#.utf8), credentialsKey: "zendesk-acme#oauth")
            let eu = StoredConnection(name: "zendesk-eu", system: .zendesk, subdomain: "acme-eu", baseURL: "http://127.0.0.1:9", createdAt: Self.now, createdBy: "ops@example.com")
            try await store.addStoredConnection(eu, credentials: Data(#"{"access_token":"e1"}"#.utf8), credentialsKey: "zendesk-eu#oauth")
            #expect(try await store.storedConnections() == [Self.acme, eu])
            #expect(try await store.connectionState("zendesk-acme#oauth") == Data(#"{"access_token":"a1"}"#.utf8))

            var again = Self.acme
            again.subdomain = "other"
            await #expect(throws: StoredConnectionExists(name: "zendesk-acme")) {
                try await store.addStoredConnection(again, credentials: Data(#"{"access_token":"x"}"#.utf8), credentialsKey: "zendesk-acme#oauth")
            }
            #expect(try await store.storedConnections().first?.subdomain == "acme")
            #expect(try await store.connectionState("zendesk-acme#oauth") == Data(#"{"access_token":"a1"}"#.utf8), "the refused write left the tokens alone")
        }
    }

    @Test("A mapping is replaced whole, per source", arguments: StoreBackend.available)
    func mappings(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.replaceOrganizationMappings(["9001": "cus_acme", "9002": "cus_globex"], source: .zendesk, at: Self.now)
            try await store.replaceOrganizationMappings(["C1": "cus_acme"], source: .intercom, at: Self.now)
            #expect(try await store.organizationMappings(source: .zendesk) == ["9001": "cus_acme", "9002": "cus_globex"])
            try await store.replaceOrganizationMappings(["9003": "cus_initech"], source: .zendesk, at: Self.now)
            #expect(try await store.organizationMappings(source: .zendesk) == ["9003": "cus_initech"])
            #expect(try await store.organizationMappings(source: .intercom) == ["C1": "cus_acme"])
        }
    }

    @Test("A ticket keeps its organization; those of a source that name one are listed", arguments: StoreBackend.available)
    func ticketsWithOrganization(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var first = Ticket(source: .zendesk, externalID: "101", customerID: nil, subject: "A", status: .open, priority: .p2, createdAt: Self.now)
            first.organizationID = "9001"
            let second = Ticket(source: .zendesk, externalID: "102", customerID: nil, subject: "B", status: .open, priority: .p2, createdAt: Self.now)
            var other = Ticket(source: .intercom, externalID: "103", customerID: nil, subject: "C", status: .open, priority: .p2, createdAt: Self.now)
            other.organizationID = "9001"
            try await store.upsert([first, second, other], at: Self.now)
            let listed = try await store.ticketsWithOrganization(source: .zendesk)
            #expect(listed.map(\.ticket) == [first])
            #expect(try await store.ticket(source: .zendesk, externalID: "101")?.ticket.organizationID == "9001")
            // The detectors' reading decodes it too.
            var placed = first
            placed.customerID = "cus_acme"
            try await store.upsertCustomers([Customer(id: "cus_acme", name: "Acme")])
            try await store.upsert(placed, at: Self.now)
            let activity = try await store.activity(customerIDs: ["cus_acme"], since: Self.now.addingTimeInterval(-86_400))
            #expect(activity.first?.tickets.first?.organizationID == "9001")
        }
    }
}
