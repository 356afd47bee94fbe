import Foundation
import Hummingbird
import Logging
import Synchronization

/// An in-process support-system API on 127.0.0.1:0 (the connector tests' and doctor's). `handler` answers every request;
/// scripted replies (429s, outages) are served first for requests they match.
public final class FakeServer: Sendable {
    public struct Call: Sendable {
        public var method: String
        public var path: String
        public var query: [String: String]
        /// Names lowercased.
        public var headers: [String: String]
        public var body: [UInt8]
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    public struct Reply: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]

        public init(status: Int, headers: [String: String], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func json(_ data: Data, headers: [String: String] = [:]) -> Reply { Reply(status: 200, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: Array(data)) }
        public static func status(_ code: Int, headers: [String: String] = [:]) -> Reply { Reply(status: code, headers: headers, body: Array(#"{"error":"scripted"}"#.utf8)) }
    }

    private let handler: @Sendable (Call) -> Reply
    private let recorded = Mutex<[Call]>([])
    private let scripts = Mutex<[(matches: @Sendable (Call) -> Bool, reply: Reply)]>([])

    public init(handler: @escaping @Sendable (Call) -> Reply) { self.handler = handler }

    public var calls: [Call] { recorded.withLock { $0 } }

    /// Serves `replies` in order to the next requests `matches` accepts.
    public func script(_ replies: Reply..., when matches: @escaping @Sendable (Call) -> Bool) {
        scripts.withLock { list in for reply in replies { list.append((matches, reply)) } }
    }

    private func answer(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = Array(try await request.collectBody(upTo: 8 << 20).readableBytesView)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let call = Call(method: request.method.rawValue, path: request.uri.path, query: query, headers: headers, body: body)
        recorded.withLock { $0.append(call) }
        let scripted = scripts.withLock { list -> Reply? in
            guard let index = list.firstIndex(where: { $0.matches(call) }) else { return nil }
            return list.remove(at: index).reply
        }
        let reply = scripted ?? handler(call)
        var fields = HTTPFields()
        for (name, value) in reply.headers { if let name = HTTPFields.Element.Name(name) { fields[name] = value } }
        return Response(status: .init(code: reply.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    /// Runs the fake for the duration of `body`, which gets the base URL.
    public static func run<T: Sendable>(handler: @escaping @Sendable (Call) -> Reply, _ body: (FakeServer, String) async throws -> T) async throws -> T {
        let fake = FakeServer(handler: handler)
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put] {
            router.on("**", method: method) { request, context in try await fake.answer(request, context: context) }
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-support")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw FakeServerError.didNotStart
            }
            do {
                let result = try await body(fake, "http://127.0.0.1:\(port)")
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

public enum FakeServerError: Error { case didNotStart }
