import Foundation

extension SlackWebAPIClient {
    /// `apps.connections.open`: a new single-use `wss://` URL for a Socket Mode connection.
    /// Only an app-level token (`xapp-…` with `connections:write`) may call it, so the
    /// client must be made with that token, not the bot's.
    public func openSocketModeConnection() async throws -> URL {
        let answer = try await call("apps.connections.open", .form([]), as: OpenedSocketConnection.self)
        guard let url = URL(string: answer.url), let scheme = url.scheme, ["wss", "ws"].contains(scheme) else {
            throw SlackAPIError.invalidResponse(method: "apps.connections.open")
        }
        return url
    }
}

struct OpenedSocketConnection: Decodable {
    var url: String
}
