import Foundation

extension FreshdeskClient: CredentialChecking {
    /// `GET /api/v2/agents/me`: the agent whose API key this is.
    public func checkCredentials() async throws -> String {
        let response = try await http.send(ConnectorRequest(url: "\(baseURL)/api/v2/agents/me", headers: [authorization]))
        let me = try response.decoded(FreshdeskAgentMe.self, what: "Freshdesk agents/me")
        return "signed in as \(me.contact?.email ?? me.contact?.name ?? "agent \(me.id.map(String.init) ?? "?")")"
    }
}

/// `GET /api/v2/agents/me`
struct FreshdeskAgentMe: Decodable {
    struct Contact: Decodable {
        var name: String?
        var email: String?
    }
    var id: Int64?
    var contact: Contact?
}
