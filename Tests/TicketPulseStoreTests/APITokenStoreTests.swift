import Foundation
import Testing
import TicketPulseStorage

@Suite("Store: API tokens")
struct APITokenStoreTests {
    static let at = Date(timeIntervalSince1970: 1_795_428_000)

    @Test("A token is found by its hash until it is revoked, and revoking twice says so", arguments: StoreBackend.available)
    func createFindRevoke(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.createAPIToken(email: "Mike.Chen@example.com", name: "BI export", hash: "aa11", at: Self.at)
            let second = try await store.createAPIToken(email: "lee@example.com", name: "scripts", hash: "bb22", at: Self.at + 60)
            #expect(first.email == "mike.chen@example.com", "emails are kept lowercased")
            #expect(try await store.apiToken(hash: "aa11") == first)
            #expect(try await store.apiToken(hash: "cc33") == nil)
            #expect(try await store.revokeAPIToken(id: first.id, at: Self.at + 120))
            #expect(try await !store.revokeAPIToken(id: first.id, at: Self.at + 180), "already revoked")
            #expect(try await !store.revokeAPIToken(id: 9_999, at: Self.at + 180), "no such token")
            #expect(try await store.apiToken(hash: "aa11") == nil, "a revoked token no longer authenticates")
            let listed = try await store.apiTokens()
            #expect(listed.map(\.id) == [first.id, second.id])
            #expect(listed[0].revokedAt == Self.at + 120)
            #expect(listed[1].revokedAt == nil && listed[1].name == "scripts" && listed[1].createdAt == Self.at + 60)
        }
    }
}
