import Foundation

/// Zendesk's `POST https://{subdomain}.zendesk.com/oauth/tokens`, for both grants TicketPulse
/// makes: the code of the authorization-code flow (the API's connect callback) and a refresh
/// token (`ZendeskOAuthSession`). The JSON grant carries the OAuth client's id and secret;
/// Zendesk answers `{"access_token","token_type":"bearer","scope","expires_in",
/// "refresh_token","refresh_token_expires_in"}`, or 400 `{"error":"invalid_grant",…}`.
struct ZendeskTokenEndpoint: Sendable {
    enum Grant: Sendable {
        case refreshToken(String)
        case authorizationCode(code: String, redirectURI: String, scope: String)
    }

    enum Failure: Error, Equatable {
        /// Zendesk refused the grant: "HTTP 400 invalid_grant: …".
        case refused(String)
        case noAccessToken
    }

    let url: String
    let client: ZendeskOAuthSession.Client
    let http: ConnectorHTTPClient
    let now: @Sendable () -> Date

    init(baseURL: String, client: ZendeskOAuthSession.Client, http: ConnectorHTTPClient, now: @escaping @Sendable () -> Date) {
        url = baseURL + "/oauth/tokens"
        self.client = client
        self.http = http
        self.now = now
    }

    /// The tokens Zendesk issues for `grant`, as the refresh flow keeps them. `chain` is the
    /// digest of the refresh token the chain of tokens began with (nil: this grant begins one).
    func exchange(_ grant: Grant, chain: String?) async throws -> OAuthTokens {
        struct Body: Encodable {
            var grant_type: String
            var refresh_token: String?
            var code: String?
            var redirect_uri: String?
            var scope: String?
            var client_id: String
            var client_secret: String
        }
        struct Answer: Decodable {
            var access_token: String?
            var refresh_token: String?
            var expires_in: Double?
            var refresh_token_expires_in: Double?
        }
        let body: Body
        let previousRefreshToken: String
        switch grant {
        case .refreshToken(let token):
            body = Body(grant_type: "refresh_token", refresh_token: token, client_id: client.id, client_secret: client.secret)
            previousRefreshToken = token
        case .authorizationCode(let code, let redirectURI, let scope):
            body = Body(grant_type: "authorization_code", code: code, redirect_uri: redirectURI, scope: scope, client_id: client.id, client_secret: client.secret)
            previousRefreshToken = ""
        }
        let request = ConnectorRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Array(try JSONEncoder().encode(body)))
        let response: ConnectorResponse
        do {
            response = try await http.send(request)
        } catch ConnectorError.unauthorized(let status) {
            throw Failure.refused("HTTP \(status)")
        } catch ConnectorError.http(let status, let body) where (400..<500).contains(status) {
            throw Failure.refused("HTTP \(status)" + (Self.oauthError(body).map { " \($0)" } ?? ""))
        } catch ConnectorError.notFound {
            throw Failure.refused("HTTP 404, no /oauth/tokens at \(url)")
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)), let access = answer.access_token, !access.isEmpty else {
            throw Failure.noAccessToken
        }
        let at = now()
        // Without a refresh token (a client not set up for refresh) the access token is all there is.
        let refreshToken = answer.refresh_token ?? previousRefreshToken
        return OAuthTokens(
            accessToken: access, refreshToken: refreshToken,
            expiresAt: answer.expires_in.map { at.addingTimeInterval($0) },
            refreshTokenExpiresAt: answer.refresh_token_expires_in.map { at.addingTimeInterval($0) },
            refreshedAt: at, configuredRefreshTokenDigest: chain ?? ZendeskOAuthSession.digest(refreshToken)
        )
    }

    /// `invalid_grant: The refresh token is invalid` from an OAuth error body.
    static func oauthError(_ body: String) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any],
              let error = object["error"] as? String else { return nil }
        return (object["error_description"] as? String).map { "\(error): \($0)" } ?? error
    }
}
