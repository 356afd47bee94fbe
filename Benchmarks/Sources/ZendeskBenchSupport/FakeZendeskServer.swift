import Foundation
import Hummingbird
import Logging
import Synchronization

/// A local Zendesk on 127.0.0.1 (Hummingbird, in this process) serving `SyntheticZendesk`:
/// - `GET /api/v2/incremental/tickets/cursor.json?start_time=…|cursor=…&include=…`: export
///   pages, prepared before the clock starts so the benchmark measures the sync, not the fake;
/// - `GET /api/v2/tickets/{id}.json?include=…`: the ticket, one version further at each fetch.
/// No throttling: no 429s, no rate-limit headers. Requests without `Authorization` get 401.
public final class FakeZendeskServer: Sendable {
    public let data: SyntheticZendesk
    private let pages: [ByteBuffer]
    private let versions = Mutex<[Int: Int]>([:])
    private let counters = Mutex<(pages: Int, shows: Int)>((0, 0))

    /// Prepares every export page for `baseURL` (the port is not known yet, so the page
    /// URLs name a placeholder host, as irrelevant to the client as Zendesk's own).
    public init(data: SyntheticZendesk, preparePages: Bool) {
        self.data = data
        pages = preparePages ? (0..<data.pageCount).map { ByteBuffer(bytes: data.exportPage($0, baseURL: "https://bench.zendesk.com")) } : []
    }

    public var pagesServed: Int { counters.withLock { $0.pages } }
    public var ticketsShown: Int { counters.withLock { $0.shows } }
    public var preparedBytes: Int { pages.reduce(0) { $0 + $1.readableBytes } }

    func export(_ request: Request) -> Response {
        let index: Int
        if let cursor = request.uri.queryParameters.get("cursor") {
            guard let page = SyntheticZendesk.page(ofCursor: cursor) else { return Self.json(.badRequest, #"{"error":"InvalidCursor"}"#) }
            index = page
        } else {
            guard request.uri.queryParameters.get("start_time") != nil else { return Self.json(.badRequest, #"{"error":"start_time or cursor is required"}"#) }
            index = 0
        }
        counters.withLock { $0.pages += 1 }
        if index < pages.count {
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: pages[index]))
        }
        return Self.json(.ok, String(decoding: data.emptyPage(cursor: SyntheticZendesk.cursor(index)), as: UTF8.self))
    }

    func show(_ id: Int) -> Response {
        guard id >= 1 && id <= data.tickets else { return Self.json(.notFound, #"{"error":"RecordNotFound","description":"Not found"}"#) }
        let version = versions.withLock { versions -> Int in
            let next = (versions[id] ?? 0) + 1
            versions[id] = next
            return next
        }
        counters.withLock { $0.shows += 1 }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data.showBody(id: id, version: version, baseURL: "https://bench.zendesk.com"))))
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs the fake while `body` runs; `body` gets its base URL.
    public func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.add(middleware: AuthorizationRequired())
        router.get("/api/v2/incremental/tickets/cursor.json") { request, _ in self.export(request) }
        router.get("/api/v2/tickets/:file") { _, context -> Response in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".json"), let id = Int(file.dropLast(5)) else { return Self.json(.notFound, #"{"error":"InvalidEndpoint"}"#) }
            return self.show(id)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-zendesk")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-zendesk"),
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
                throw BenchError("the fake Zendesk did not start")
            }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }
}

struct AuthorizationRequired<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] != nil else {
            return FakeZendeskServer.json(.unauthorized, #"{"error":"Couldn't authenticate you"}"#)
        }
        return try await next(request, context)
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
