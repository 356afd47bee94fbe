import Foundation

extension ZendeskClient: CredentialChecking {
    /// `GET /api/v2/users/me.json`: the credentials' own user. Zendesk answers an
    /// unauthenticated request with an anonymous user (no id) rather than a 401, so that
    /// counts as rejected too.
    public func checkCredentials() async throws -> String {
        let url = "\(baseURL)/api/v2/users/me.json"
        let response: ConnectorResponse
        switch auth {
        case .fixed(let header):
            response = try await http.send(ConnectorRequest(url: url, headers: [header]))
        case .oauth(let session):
            guard let token = try await session.currentAccessToken() else {
                throw CredentialCheckInconclusive("no current OAuth access token; the first sync gets one with the refresh token (doctor does not refresh: that would invalidate the tokens a running server holds)")
            }
            do {
                response = try await http.send(ConnectorRequest(url: url, headers: [Authorization.bearer(token)]))
            } catch ConnectorError.unauthorized(status: 401) {
                throw CredentialCheckInconclusive("the OAuth access token was rejected (expired?); the next sync refreshes it with the refresh token, which doctor does not try (a refresh invalidates the tokens a running server holds)")
            }
        }
        let me = try response.decoded(ZendeskMe.self, what: "Zendesk users/me")
        guard let user = me.user, let id = user.id else { throw ConnectorError.unauthorized(status: 401) }
        return "signed in as \(user.email ?? user.name ?? "user \(id.value)")" + (user.role.map { " (\($0))" } ?? "")
    }
}

/// `GET /api/v2/users/me.json`
struct ZendeskMe: Decodable {
    struct User: Decodable {
        var id: FlexibleID?
        var name: String?
        var email: String?
        var role: String?
    }
    var user: User?
}
