import Foundation

extension IntercomClient: CredentialChecking {
    /// `GET /me`: the admin the access token acts for, and its workspace.
    public func checkCredentials() async throws -> String {
        let response = try await http.send(ConnectorRequest(url: "\(baseURL)/me", headers: headers))
        let me = try response.decoded(IntercomMe.self, what: "Intercom /me")
        let workspace = me.app?.name.map { " in workspace \($0)" } ?? ""
        return "signed in as \(me.email ?? me.name ?? "admin \(me.id?.value ?? "?")")\(workspace)"
    }
}

/// `GET /me`
struct IntercomMe: Decodable {
    struct App: Decodable { var name: String? }
    var id: FlexibleID?
    var name: String?
    var email: String?
    var app: App?
}
