import Foundation
import Testing
import TicketPulseStorage

@Suite("Store: web sessions and sign-in links")
struct WebSessionStoreTests {
    static let start = Date(timeIntervalSince1970: 1_764_576_000)

    static func session(_ hash: String, _ kind: WebSession.Kind, at: Date, lasting: TimeInterval) -> WebSession {
        WebSession(tokenHash: hash, kind: kind, email: "Mike.Chen@example.com", csrfToken: kind == .session ? "csrf-\(hash)" : "",
                   createdAt: at, expiresAt: at + lasting)
    }

    @Test("A session is found until it expires, by its kind; signing out removes it", arguments: StoreBackend.available)
    func sessionLifetime(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.saveWebSession(Self.session("aa", .session, at: Self.start, lasting: 3600))
            let found = try await store.webSession(tokenHash: "aa", kind: .session, at: Self.start + 10)
            #expect(found == WebSession(tokenHash: "aa", kind: .session, email: "mike.chen@example.com", csrfToken: "csrf-aa",
                                        createdAt: Self.start, expiresAt: Self.start + 3600), "emails are kept lowercased")
            #expect(try await store.webSession(tokenHash: "aa", kind: .loginLink, at: Self.start + 10) == nil, "a session is not a link")
            #expect(try await store.webSession(tokenHash: "aa", kind: .session, at: Self.start + 3600) == nil, "expired")
            try await store.deleteWebSession(tokenHash: "aa")
            #expect(try await store.webSession(tokenHash: "aa", kind: .session, at: Self.start + 10) == nil, "signed out")
        }
    }

    @Test("A sign-in link is claimed once, and not after it expired; saving prunes what expired", arguments: StoreBackend.available)
    func linkClaimedOnce(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.saveWebSession(Self.session("link1", .loginLink, at: Self.start, lasting: 600))
            try await store.saveWebSession(Self.session("link2", .loginLink, at: Self.start, lasting: 600))
            #expect(try await store.claimWebSession(tokenHash: "link1", kind: .session, at: Self.start + 1) == nil, "only as a link")
            #expect(try await store.claimWebSession(tokenHash: "link1", kind: .loginLink, at: Self.start + 1)?.email == "mike.chen@example.com")
            #expect(try await store.claimWebSession(tokenHash: "link1", kind: .loginLink, at: Self.start + 2) == nil, "used")
            #expect(try await store.claimWebSession(tokenHash: "link2", kind: .loginLink, at: Self.start + 600) == nil, "expired after 10 minutes")
            // A later save removes the expired link2 row for good.
            try await store.saveWebSession(Self.session("s1", .session, at: Self.start + 700, lasting: 3600))
            let transfer = try #require(store as? any StoreTransfer)
            #expect(try await transfer.transferRowCount(try #require(TransferTable.all.first { $0.name == "web_sessions" })) == 1)
        }
    }
}
