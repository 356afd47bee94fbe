import AsyncHTTPClient
import Foundation
import Logging
import Testing
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseTestSupport

/// Turning Socket Mode on, and what `serve` does when it cannot start.
@Suite("Slack Socket Mode, configuration and start", .serialized)
struct SocketModeStartTests {
    static func load(_ yaml: String?, environment: [String: String]) throws -> AppConfiguration {
        guard let yaml else { return try AppConfiguration.load(path: nil, databasePath: ":memory:", environment: environment) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("socket-mode-\(UUID().uuidString).yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try AppConfiguration.load(path: path, databasePath: ":memory:", environment: environment)
    }

    @Test("An app-level token in SLACK_APP_TOKEN turns Socket Mode on; slack.socket_mode: false keeps the HTTP URLs only")
    func appTokenTurnsItOn() throws {
        let on = try Self.load(nil, environment: ["SLACK_APP_TOKEN": "xapp-1-abc"])
        #expect(on.slack.socketMode)
        #expect(on.slack.appToken == "xapp-1-abc")
        #expect(try Self.load(nil, environment: [:]).slack.socketMode == false)
        #expect(try Self.load("slack:\n  socket_mode: false\n", environment: ["SLACK_APP_TOKEN": "xapp-1-abc"]).slack.socketMode == false)
        let named = try Self.load("slack:\n  socket_mode: true\n  app_token_env: PULSE_APP_TOKEN\n", environment: ["PULSE_APP_TOKEN": "xapp-1-def"])
        #expect(named.slack.appToken == "xapp-1-def")
    }

    @Test("Socket Mode asked for without a usable app token stops serve with the setting named", arguments: [
        ("slack:\n  socket_mode: true\n", [String: String](), "SLACK_APP_TOKEN is not set"),
        ("slack:\n  socket_mode: true\n", ["SLACK_APP_TOKEN": "xoxb-123"], "bot token"),
        ("slack:\n  socket_mode: true\n  app_token_env: PULSE_APP_TOKEN\n", [:], "PULSE_APP_TOKEN is not set"),
    ])
    func missingTokenIsRefused(yaml: String, environment: [String: String], mentions: String) throws {
        #expect { _ = try Self.load(yaml, environment: environment) } throws: { "\($0)".contains(mentions) && "\($0)".contains("connections:write") }
    }

    @Test("apps.connections.open answering invalid_auth at start makes serve exit, naming SLACK_APP_TOKEN")
    func invalidAuthStopsServe() async throws {
        try await FakeSocketModeSlack.run { socket, url in
            socket.script(.slackError("invalid_auth"))
            var configuration = AppConfiguration(databasePath: ":memory:")
            configuration.port = 0
            configuration.alertsEnabled = false
            configuration.slack.socketMode = true
            configuration.slack.appToken = "xapp-1-revoked"
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let time = FakeTime(start: ContinuousClock.now)
            let client = SlackWebAPIClient(token: "xapp-1-revoked", baseURL: url, httpClient: HTTPClient.shared, sleeper: time.sleeper, now: time.now)
            let dependencies = AppDependencies(store: try ServerHarness.makeStore(), slack: SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared),
                                               now: { ServerHarness.now },
                                               socketMode: SocketModeDependencies(openConnection: { try await client.openSocketModeConnection() }, sleep: time.sleeper))
            let app = await buildApplication(configuration: configuration, dependencies: dependencies, logger: logger)
            let error = await #expect(throws: SocketModeError.self) { try await app.runService(gracefulShutdownSignals: []) }
            #expect(error?.description.contains("SLACK_APP_TOKEN") == true)
            #expect(error?.description.contains("invalid_auth") == true)
            #expect(time.sleeps.isEmpty)
        }
    }

    @Test("Reconnection waits: none for the first attempt, then doubling from 1 s to a minute, less up to a quarter of jitter")
    func backoff() {
        let exact = SocketModeBackoff(random: { 0 })
        #expect((1...9).map { exact.delay(beforeAttempt: $0) } == [.zero, .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(60), .seconds(60)])
        #expect(SocketModeBackoff(random: { 0.999 }).delay(beforeAttempt: 3) > .milliseconds(1500))
        #expect(exact.delay(beforeAttempt: 1_000) == .seconds(60))
    }
}
