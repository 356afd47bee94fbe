import Foundation

/// The HTTP API's bearer tokens, kept as hashes.
public protocol APITokenStore: Sendable {
    /// Stores a new token by its hash for `email` (lowercased).
    func createAPIToken(email: String, name: String, hash: String, at now: Date) async throws -> APIToken
    /// Every token, revoked ones too, oldest first.
    func apiTokens() async throws -> [APIToken]
    /// The token with this hash unless it was revoked.
    func apiToken(hash: String) async throws -> APIToken?
    /// False when there is no such token or it was revoked already.
    func revokeAPIToken(id: Int64, at now: Date) async throws -> Bool
}
