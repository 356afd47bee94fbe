import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Upsert of a snapshot older than the stored copy")
struct StaleSnapshotTests {
    static let created = Date(timeIntervalSince1970: 1_772_442_000)

    static func ticket(status: TicketStatus, updated: TimeInterval, csat: CSATRating? = nil) -> Ticket {
        Ticket(source: .zendesk, externalID: "101", customerID: "cus_acme", subject: "SSO", status: status, priority: .p2,
               createdAt: created, updatedAt: created.addingTimeInterval(updated), solvedAt: status == .solved ? created.addingTimeInterval(updated) : nil, csat: csat)
    }

    @Test("An older snapshot neither rolls the ticket back nor adds history or a reopen", arguments: StoreBackend.available)
    func olderSnapshotIgnored(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.upsert(Self.ticket(status: .solved, updated: 7200), at: Self.created)
            let events = try await store.eventCount()
            let result = try await store.upsert(Self.ticket(status: .open, updated: 2400), at: Self.created)
            #expect(result.events.isEmpty)
            #expect(try await store.eventCount() == events)
            let stored = try #require(try await store.ticket(source: .zendesk, externalID: "101"))
            #expect(stored.ticket.status == .solved)
            #expect(stored.ticket.reopenCount == 0)
            // A newer one still applies.
            let reopened = try await store.upsert(Self.ticket(status: .open, updated: 9000), at: Self.created)
            #expect(reopened.events.map(\.kind) == [.reopened])
        }
    }

    @Test("The same undated rating seen again is not a new rating", arguments: StoreBackend.available)
    func sameRatingAgain(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.upsert(Self.ticket(status: .solved, updated: 7200, csat: CSATRating(score: 5, rawValue: "good")), at: Self.created)
            let again = try await store.upsert(Self.ticket(status: .solved, updated: 7200, csat: CSATRating(score: 5, rawValue: "good")), at: Self.created)
            #expect(again.events.isEmpty)
            let changed = try await store.upsert(Self.ticket(status: .solved, updated: 7300, csat: CSATRating(score: 1, rawValue: "bad")), at: Self.created)
            #expect(changed.events.map(\.kind) == [.csatReceived])
        }
    }
}
