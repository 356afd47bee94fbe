import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import Testing
import TicketPulseServer
import TicketPulseSlack
import TicketPulseTestSupport

/// The server in Socket Mode: `ServerHarness` (the fake Web API, the store, a fixed clock)
/// plus a fake Socket Mode Slack it connects to. The app token client waits on its own
/// fake clock, so reconnection waits are recorded, never slept.
struct SocketModeHarness {
    static let appToken = "xapp-1-A0APP00001-7200000000001-0a1b2c3d4e5f"

    let server: ServerHarness
    /// The server's own HTTP routes (`/healthz`, the Slack request URLs).
    let client: any TestClientProtocol
    let socket: FakeSocketModeSlack
    /// The Socket Mode service's clock: its backoff waits, in order.
    let time: FakeTime

    static func run(_ body: @escaping @Sendable (SocketModeHarness) async throws -> Void) async throws {
        try await FakeSocketModeSlack.run { socket, url in
            let time = FakeTime(start: ContinuousClock.now)
            let client = SlackWebAPIClient(token: appToken, baseURL: url, httpClient: HTTPClient.shared,
                                           retryPolicy: SlackRetryPolicy(random: { 0.5 }), sleeper: time.sleeper, now: time.now)
            let dependencies = SocketModeDependencies(openConnection: { try await client.openSocketModeConnection() },
                                                      sleep: time.sleeper, random: { 0 })
            try await ServerHarness.run(socketMode: dependencies) { server, client in
                try await body(SocketModeHarness(server: server, client: client, socket: socket, time: time))
            }
        }
    }

    /// A fixture from `Fixtures/SocketMode/`, as Slack sends it.
    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/SocketMode/\(name).json")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A fixture with its JSON changed: a redelivery's `retry_attempt`, a response URL.
    static func fixture(_ name: String, changing change: (inout [String: Any]) -> Void) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(fixture(name).utf8)) as? [String: Any])
        change(&object)
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// The envelope again, as Slack redelivers one it holds unacknowledged.
    static func redelivery(_ name: String) throws -> String {
        try fixture(name) { envelope in
            envelope["retry_attempt"] = 1
            envelope["retry_reason"] = "timeout"
        }
    }

    static func envelopeID(_ name: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(fixture(name).utf8)) as? [String: Any]
        return try #require(object?["envelope_id"] as? String)
    }

    /// The app's next connection, greeted with `hello`.
    func connect() async throws -> FakeSocketModeSlack.Connection {
        try await socket.acceptConnection(hello: Self.fixture("hello"))
    }
}

extension SocketModeHarness {
    /// `/healthz`'s `socket_mode` entry and overall status.
    func health() async throws -> (connected: Bool?, status: String?) {
        let response = try await client.execute(uri: "/healthz", method: .get)
        let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return ((body?["socket_mode"] as? [String: Any])?["connected"] as? Bool, body?["status"] as? String)
    }
}
