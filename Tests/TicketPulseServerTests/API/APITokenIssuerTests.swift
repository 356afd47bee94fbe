import Crypto
import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseServer
import TicketPulseSQLite
import TicketPulseStorage

@Suite("HTTP API: tokens")
struct APITokenIssuerTests {
    @Test("A token is 32 random bytes shown once; the store keeps only its SHA-256, under the person's roster email")
    func issue() async throws {
        let store = try APIHarness.smallStore()
        let first = try await APITokenIssuer.issue(for: "U0CSM0001", name: "BI export", store: store, now: APIHarness.now)
        let second = try await APITokenIssuer.issue(for: APIHarness.mike.email, name: "scripts", store: store, now: APIHarness.now)
        #expect(first.secret.wholeMatch(of: /tp_[0-9a-f]{64}/) != nil)
        #expect(first.secret != second.secret)
        #expect(first.token.email == APIHarness.mike.email, "a Slack id names the roster member")
        #expect(APITokenIssuer.hash(first.secret) == Hex.string(SHA256.hash(data: Data(first.secret.utf8))))
        #expect(try store.apiToken(hash: APITokenIssuer.hash(first.secret))?.id == first.token.id)
        #expect(try store.apiToken(hash: first.secret) == nil, "the secret itself is no key")
        await #expect(throws: APITokenIssuer.IssueError.self) {
            _ = try await APITokenIssuer.issue(for: "nobody@example.com", name: "x", store: store, now: APIHarness.now)
        }
        #expect(try store.apiTokens().count == 2)
    }
}
