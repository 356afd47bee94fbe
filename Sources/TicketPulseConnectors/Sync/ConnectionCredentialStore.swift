import Foundation

/// OAuth tokens a connection obtained by itself (a refresh), kept so that a restart uses
/// them: Zendesk invalidates the previous access *and* refresh token at every refresh, so
/// the ones in the environment are dead after the first one.
public struct OAuthTokens: Codable, Sendable, Equatable {
    /// nil: none yet, refresh before the first call.
    public var accessToken: String?
    public var refreshToken: String
    public var expiresAt: Date?
    public var refreshTokenExpiresAt: Date?
    public var refreshedAt: Date?
    /// A digest of the refresh token configured in the environment when this chain of
    /// tokens began. When the configured token changes (someone authorized again), the
    /// environment wins over the stored chain.
    public var configuredRefreshTokenDigest: String

    public init(
        accessToken: String?, refreshToken: String, expiresAt: Date? = nil, refreshTokenExpiresAt: Date? = nil,
        refreshedAt: Date? = nil, configuredRefreshTokenDigest: String
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.refreshTokenExpiresAt = refreshTokenExpiresAt
        self.refreshedAt = refreshedAt
        self.configuredRefreshTokenDigest = configuredRefreshTokenDigest
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresAt = "expires_at"
        case refreshTokenExpiresAt = "refresh_token_expires_at"
        case refreshedAt = "refreshed_at"
        case configuredRefreshTokenDigest = "configured_refresh_token_sha256"
    }
}

/// Where a connection keeps the OAuth tokens it refreshed. Separate from
/// `ConnectorStateStore.save`, because the sync engine writes the cursor state with each
/// page from the copy it read when the pass began: a token refreshed in the middle of a
/// pass must not be overwritten by that older copy.
public protocol ConnectionCredentialStore: Sendable {
    func credentials(connection: String) async throws -> OAuthTokens?
    func saveCredentials(_ tokens: OAuthTokens, connection: String) async throws
}

extension InMemoryConnectorStateStore: ConnectionCredentialStore {
    public func credentials(connection: String) -> OAuthTokens? { credentialsByConnection[connection] }

    public func saveCredentials(_ tokens: OAuthTokens, connection: String) {
        credentialsByConnection[connection] = tokens
    }
}

extension StoreConnectorStateStore: ConnectionCredentialStore {
    /// The tokens live in the `connection_state` table too, in their own entry
    /// (`<connection>#oauth`; connection names cannot contain `#`), so a restart finds them.
    static func credentialsKey(_ connection: String) -> String { connection + "#oauth" }

    public func credentials(connection: String) async throws -> OAuthTokens? {
        guard let data = try await store.connectionState(Self.credentialsKey(connection)) else { return nil }
        do {
            return try JSONDecoder().decode(OAuthTokens.self, from: data)
        } catch {
            throw ConnectorError.malformedResponse("stored OAuth tokens of connection '\(connection)' are unreadable: \(error)")
        }
    }

    public func saveCredentials(_ tokens: OAuthTokens, connection: String) async throws {
        try await store.saveConnectionState(try Self.encoded(tokens), connection: Self.credentialsKey(connection), at: now())
    }

    /// The tokens as their entry holds them (also written by the connect flow with its connection).
    static func encoded(_ tokens: OAuthTokens) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(tokens)
    }
}
