import Foundation
import NIOCore
import NIOPosix
import Testing
import TicketPulseServer

/// `doctor` in Socket Mode, against a fake Slack whose apps.connections.open hands out a
/// fake Socket Mode server's URLs (a real WebSocket on loopback). In `DoctorTests`' suite:
/// one at a time.
extension DoctorTests {
    typealias Frames = SocketModeHarness

    @Test("Socket Mode: doctor connects, gets Slack's hello and closes the socket, acknowledging nothing; no signing secret is needed")
    func socketModeConnects() async throws {
        try await DoctorHarness.withSocketMode { harness, socket in
            async let running = harness.run()
            let connection = try #require(await socket.nextConnection())
            // Live envelopes around the hello, as Slack may send on any of an app's connections.
            try await connection.send(Frames.fixture("events_api_app_mention"))
            try await connection.send(Frames.fixture("hello"))
            try? await connection.send(Frames.fixture("slash_commands")) // the doctor may have closed already
            // The doctor closed the socket without sending a frame: nothing was acknowledged.
            #expect(await connection.frames.next() == nil)
            let report = try await running
            #expect(report.exitCode == 0, "\(report.text)")
            #expect(report.line("Slack app token")?.status == .passed)
            let line = try #require(report.line("Socket Mode"))
            #expect(line.status == .passed)
            #expect(line.detail == "connected to ws://127.0.0.1, hello received (Slack counts 1 connection for this app, this one: no `ticketpulse serve` is connected now); closed again, nothing acknowledged")
            #expect(report.line("Slack signing secret") == nil)
            #expect(harness.slack.calls("apps.connections.open").map(\.authorization) == ["Bearer \(DoctorHarness.appToken)"])
            #expect(socket.log == ["open 1", "connect 1", "closed 1"])
        }
    }

    @Test("Socket Mode: hello's num_connections beyond this one says a server is connected too")
    func socketModeCountsTheServer() async throws {
        try await DoctorHarness.withSocketMode { harness, socket in
            async let running = harness.run()
            let connection = try #require(await socket.nextConnection())
            try await connection.send(Frames.fixture("hello") { $0["num_connections"] = 2 })
            #expect(await connection.frames.next() == nil)
            let line = try #require(try await running.line("Socket Mode"))
            #expect(line.status == .passed)
            #expect(line.detail.contains("Slack counts 2 connections for this app: this one and 1 more, a running `ticketpulse serve`'s"), "\(line.detail)")
        }
    }

    @Test("Socket Mode: a socket Slack never greets is a ✗ within the limit, and is closed")
    func socketModeWithoutHello() async throws {
        try await DoctorHarness.withSocketMode { harness, socket in
            // Long enough for the socket to open on a machine the whole suite loads (a
            // 500 ms limit sometimes ran out before it had): the check then waits for hello.
            let report = try await harness.run(timeout: .seconds(3))
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Socket Mode"))
            #expect(line.status == .failed)
            #expect(line.detail == "connected to ws://127.0.0.1, but Slack sent no hello within 3 s", "\(report.text)")
            #expect(line.fix?.contains("https://status.slack.com") == true)
            // Recorded before the connection is queued: nextConnection cannot wait for one never made.
            try #require(socket.log.contains("connect 1"), "\(socket.log)")
            let connection = try #require(await socket.nextConnection())
            #expect(await connection.frames.next() == nil)
        }
    }

    @Test("Socket Mode: disconnect (link_disabled) instead of hello is a ✗ saying Socket Mode is off, and where to turn it on")
    func socketModeLinkDisabled() async throws {
        try await DoctorHarness.withSocketMode { harness, socket in
            async let running = harness.run()
            let connection = try #require(await socket.nextConnection())
            try await connection.send(Frames.fixture("disconnect_link_disabled"))
            #expect(await connection.frames.next() == nil)
            let report = try await running
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Socket Mode"))
            #expect(line.status == .failed)
            #expect(line.detail == "connected to ws://127.0.0.1, but Slack sent disconnect (link_disabled) instead of hello: Socket Mode is turned off in the app's settings")
            #expect(line.fix?.hasPrefix("turn on Enable Socket Mode under your app's Settings → Socket Mode") == true, "\(line.fix ?? "")")
            #expect(line.fix?.contains("slack.socket_mode: false") == true)
        }
    }

    @Test("Socket Mode: a socket dropped before hello is a ✗ saying so, with what to check")
    func socketModeDroppedBeforeHello() async throws {
        try await DoctorHarness.withSocketMode { harness, socket in
            async let running = harness.run()
            let connection = try #require(await socket.nextConnection())
            connection.drop()
            let line = try #require(try await running.line("Socket Mode"))
            #expect(line.status == .failed)
            #expect(line.detail.hasPrefix("connected to ws://127.0.0.1, but the connection ended before Slack's hello"), "\(line.detail)")
            #expect(line.fix?.contains("Settings → Socket Mode") == true && line.fix?.contains("SLACK_APP_TOKEN") == true)
        }
    }

    /// Where the WebSocket cannot be opened: nothing listening, or an HTTP server that
    /// declines the upgrade.
    enum UnopenableSocket: String, CaseIterable, Sendable {
        case refused
        case upgradeDeclined
    }

    @Test("Socket Mode: a WebSocket URL that cannot be opened is a ✗ with the network fix", arguments: UnopenableSocket.allCases)
    func socketModeUnreachable(_ kind: UnopenableSocket) async throws {
        let closedPort = try await Self.closedPort()
        try await DoctorHarness.withSocketMode(url: { socket in
            switch kind {
            case .refused: "ws://127.0.0.1:\(closedPort)/link/?ticket=1&app_id=A0APP00001"
            case .upgradeDeclined: socket.connectionURL().replacingOccurrences(of: "/link/", with: "/elsewhere/")
            }
        }) { harness, socket in
            let report = try await harness.run()
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Socket Mode"))
            #expect(line.status == .failed)
            #expect(line.detail.hasPrefix("cannot open the WebSocket to ws://127.0.0.1: "), "\(line.detail)")
            #expect(line.fix?.contains("wss-primary.slack.com") == true && line.fix?.contains("port 443") == true)
            #expect(!socket.log.contains { $0.hasPrefix("connect") })
        }
    }

    /// A loopback port nothing listens on: bound, then closed again.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }
}
