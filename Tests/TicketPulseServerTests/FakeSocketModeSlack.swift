import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// Slack's side of Socket Mode, in process on loopback: `POST /api/apps.connections.open`
/// hands out `ws://` URLs, and `/link` upgrades to a real WebSocket whose frames the test
/// sends and reads. Every step is recorded in `log`, in order.
final class FakeSocketModeSlack: Sendable {
    /// One WebSocket connection as Slack sees it.
    final class Connection: Sendable {
        let number: Int
        private let outbound: WebSocketOutboundWriter
        private let channel: any Channel
        /// Text frames from the app, finished when the connection ends.
        let frames = AsyncQueue<String>()

        init(number: Int, outbound: WebSocketOutboundWriter, channel: any Channel) {
            self.number = number
            self.outbound = outbound
            self.channel = channel
        }

        func send(_ text: String) async throws {
            try await outbound.write(.text(text))
        }

        /// The next text frame the app sent, as JSON; nil when the connection ended first.
        func nextFrame() async -> [String: Any]? {
            await frames.next().flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        /// Waits until the app closes the connection (its close frame, or the socket going).
        func waitUntilClosed() async {
            while await nextFrame() != nil {}
        }

        /// The TCP connection is cut with no close frame: a network drop.
        func drop() {
            channel.close(promise: nil)
        }
    }

    enum Answer: Sendable {
        case slackError(String)
        case serverError
    }

    private let connections = AsyncQueue<Connection>()
    private let opened = Mutex<[String]>([])
    private let scripts = Mutex<[Answer]>([])
    private let counter = Mutex(0)
    private let events = Mutex<[String]>([])
    private let port = Mutex(0)

    /// "open 1", "connect 1", "closed 1", … in the order they happened.
    var log: [String] { events.withLock { $0 } }
    /// The Authorization header of every apps.connections.open call.
    var openAuthorizations: [String] { opened.withLock { $0 } }

    /// Answers for the next apps.connections.open calls, before the normal one.
    func script(_ answers: Answer...) {
        scripts.withLock { $0 += answers }
    }

    /// The next connection the app opens (after its upgrade), in order.
    func nextConnection() async -> Connection? {
        await connections.next()
    }

    /// `hello` on a new connection: the app's next connection, greeted as Slack greets it.
    func acceptConnection(hello: String) async throws -> Connection {
        guard let connection = await nextConnection() else { throw FakeSocketModeError.stopped }
        try await connection.send(hello)
        return connection
    }

    private func record(_ event: String) {
        events.withLock { $0.append(event) }
    }

    private func openConnection(_ request: Request) -> Response {
        opened.withLock { $0.append(request.headers[.authorization] ?? "") }
        let scripted = scripts.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        switch scripted {
        case .slackError(let code)?:
            record("refused")
            return Self.json(["ok": false, "error": code])
        case .serverError?:
            record("refused")
            return Response(status: .internalServerError)
        case nil:
            return Self.json(["ok": true, "url": connectionURL()])
        }
    }

    /// A new single-use connection URL, as apps.connections.open hands out (also through
    /// a `FakeSlack`'s, for `doctor`).
    func connectionURL() -> String {
        let number = counter.withLock { $0 += 1; return $0 }
        record("open \(number)")
        let port = port.withLock { $0 }
        return "ws://127.0.0.1:\(port)/link/?ticket=\(number)&app_id=A0APP00001"
    }

    private func upgrade(_ request: HTTPRequest, channel: any Channel) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard let path = request.path, path.hasPrefix("/link"),
              let number = URLComponents(string: path)?.queryItems?.first(where: { $0.name == "ticket" })?.value.flatMap(Int.init) else {
            return .dontUpgrade
        }
        return .upgrade([:]) { inbound, outbound, _ in
            let connection = Connection(number: number, outbound: outbound, channel: channel)
            self.record("connect \(number)")
            self.connections.push(connection)
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { connection.frames.push(text) }
                }
            } catch {}
            self.record("closed \(number)")
            connection.frames.finish()
        }
    }

    private static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs the fake on an ephemeral loopback port for the duration of `body`, which gets
    /// the Web API base URL to open connections at.
    static func run(_ body: (FakeSocketModeSlack, URL) async throws -> Void) async throws {
        let fake = FakeSocketModeSlack()
        let router = Router()
        router.post("api/apps.connections.open") { request, _ in fake.openConnection(request) }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-socket-mode")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade { request, channel, _ in fake.upgrade(request, channel: channel) },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw FakeSocketModeError.stopped
            }
            fake.port.withLock { $0 = port }
            defer {
                fake.connections.finish()
                group.cancelAll()
            }
            try await body(fake, URL(string: "http://127.0.0.1:\(port)/api")!)
        }
    }
}

enum FakeSocketModeError: Error { case stopped }
