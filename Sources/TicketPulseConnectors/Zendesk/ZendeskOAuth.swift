import Crypto
import Foundation
import Logging

/// Zendesk OAuth with refresh tokens: the access token goes out as `Authorization: Bearer`;
/// when Zendesk rejects it (401) or it is about to expire, the refresh token is exchanged at
/// `POST https://{subdomain}.zendesk.com/oauth/tokens` (`ZendeskTokenEndpoint`). Zendesk
/// invalidates the previous access and refresh tokens, so the new pair is stored at once
/// (`ConnectionCredentialStore`) and a restart continues with it.
///
/// One refresh at a time: requests rejected together share one refresh, because a second
/// refresh with the already-spent refresh token would fail and wrongly mark the connection
/// unhealthy.
actor ZendeskOAuthSession {
    struct Client: Sendable {
        var id: String
        var secret: String
    }

    /// Refresh this long before the access token's announced expiry.
    static let expiryMargin: TimeInterval = 60

    private let connection: String
    private let endpoint: ZendeskTokenEndpoint
    private let configured: OAuthTokens
    /// What to do when the refresh token is refused, for the error.
    private let remedy: String
    private let store: (any ConnectionCredentialStore)?
    private let http: ConnectorHTTPClient
    private let now: @Sendable () -> Date
    private var current: OAuthTokens?
    private var refreshing: Task<OAuthTokens, any Error>?

    /// `configured`: the tokens the connection was set up with (the environment's, or those
    /// the connect flow obtained); the stored chain grown from them wins over them.
    init(
        connection: String, baseURL: String, client: Client, configured: OAuthTokens, remedy: String,
        store: (any ConnectionCredentialStore)?, http: ConnectorHTTPClient, now: @escaping @Sendable () -> Date
    ) {
        self.connection = connection
        endpoint = ZendeskTokenEndpoint(baseURL: baseURL, client: client, http: http, now: now)
        self.configured = configured
        self.remedy = remedy
        self.store = store
        self.http = http
        self.now = now
    }

    /// The access token to send now, refreshed first when there is none or it is expiring.
    func accessToken() async throws -> String {
        let tokens = try await loaded()
        if let access = tokens.accessToken, !isExpiring(tokens) { return access }
        return try await refresh(rejecting: tokens.accessToken)
    }

    /// A new access token after `rejected` was refused. If another request already
    /// replaced it, that token is returned without a second refresh.
    func refresh(rejecting rejected: String?) async throws -> String {
        let tokens = try await loaded()
        // No suspension from here until `refreshing` is set, so concurrent callers share one refresh.
        if let refreshing { return try await Self.access(refreshing.value) }
        if let access = tokens.accessToken, access != rejected, !isExpiring(tokens) { return access }
        let task = Task { try await self.exchange(tokens.refreshToken) }
        refreshing = task
        defer { refreshing = nil }
        return try await Self.access(task.value)
    }

    /// The stored chain of tokens when it grew from the refresh token configured now, else
    /// the configured tokens.
    private func loaded() async throws -> OAuthTokens {
        if let current { return current }
        var tokens = configured
        if let stored = try await store?.credentials(connection: connection), stored.configuredRefreshTokenDigest == configured.configuredRefreshTokenDigest {
            tokens = stored
        }
        if current == nil { current = tokens }
        return current ?? tokens
    }

    /// The access token in use now (the stored chain's, else the configured one), without
    /// ever refreshing; nil when there is none or it is expiring. For `doctor`: a refresh
    /// invalidates the pair a running server holds in memory, so a check must not make one.
    func currentAccessToken() async throws -> String? {
        let tokens = try await loaded()
        return isExpiring(tokens) ? nil : tokens.accessToken
    }

    private func isExpiring(_ tokens: OAuthTokens) -> Bool {
        guard let expiresAt = tokens.expiresAt else { return false }
        return expiresAt.timeIntervalSince(now()) <= Self.expiryMargin
    }

    private func exchange(_ refreshToken: String) async throws -> OAuthTokens {
        let tokens: OAuthTokens
        do {
            tokens = try await endpoint.exchange(.refreshToken(refreshToken), chain: configured.configuredRefreshTokenDigest)
        } catch ZendeskTokenEndpoint.Failure.refused(let what) {
            throw ConnectorError.tokenRefreshFailed(refused(what))
        } catch ZendeskTokenEndpoint.Failure.noAccessToken {
            throw ConnectorError.tokenRefreshFailed("connection '\(connection)': Zendesk's token answer has no access_token")
        }
        current = tokens
        do {
            try await store?.saveCredentials(tokens, connection: connection)
        } catch {
            // The old pair is already dead; the new one works in memory, and the next refresh stores again.
            http.logger.error("refreshed OAuth tokens could not be stored; a restart before the next refresh needs new tokens",
                              metadata: ["connection": "\(connection)", "error": "\(error)"])
        }
        http.logger.info("Zendesk OAuth token refreshed", metadata: ["connection": "\(connection)"])
        return tokens
    }

    private func refused(_ what: String) -> String {
        "connection '\(connection)': Zendesk refused the refresh token (\(what)); \(remedy)"
    }

    private static func access(_ tokens: OAuthTokens) throws -> String {
        guard let access = tokens.accessToken else { throw ConnectorError.tokenRefreshFailed("no access token after refresh") }
        return access
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

