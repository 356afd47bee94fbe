import AsyncHTTPClient
import Foundation
import Logging
import TicketPulseSlack

/// What the Socket Mode service talks to: `apps.connections.open` and a clock for its
/// reconnection waits. `serve` uses Slack and real time; tests pass a fake Slack and a
/// clock that moves only when slept.
public struct SocketModeDependencies: Sendable {
    /// `apps.connections.open`: a fresh, single-use WebSocket URL.
    public var openConnection: @Sendable () async throws -> URL
    /// Waits between reconnection attempts.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The backoff's jitter, in [0, 1).
    public var random: @Sendable () -> Double

    public init(openConnection: @escaping @Sendable () async throws -> URL,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.openConnection = openConnection
        self.sleep = sleep
        self.random = random
    }

    /// `apps.connections.open` on Slack's Web API at `baseURL` (`slack.api_url`), with the
    /// app-level token: its own client, since the bot token cannot call it.
    public static func slack(appToken: String, baseURL: URL, httpClient: HTTPClient = .shared, logger: Logger) -> SocketModeDependencies {
        let client = SlackWebAPIClient(token: appToken, baseURL: baseURL, httpClient: httpClient, logger: logger)
        return SocketModeDependencies(openConnection: { try await client.openSocketModeConnection() })
    }
}
