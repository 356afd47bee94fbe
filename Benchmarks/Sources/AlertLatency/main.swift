import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import ZendeskBenchSupport

// Issue 6: webhook of a P1 ticket → alert posted at Slack. PRD-087 webhooks of new P1
// tickets are POSTed over loopback to the release `ticketpulse serve`, which stores the
// ticket, runs the detectors for its customer, routes the new-ticket alert to the
// customer's CSM and queues it in the outbox, whose worker opens the DM and posts it to a
// fake Slack in this process. Latency is from the start of the POST to the moment the fake
// receives the chat.postMessage naming the ticket. Customers and CSMs are many, so Slack's
// one-message-per-second-per-channel pacing is not what is measured.
//
//   swift build -c release --scratch-path .build-release --product ticketpulse   # repository root
//   cd Benchmarks && swift run -c release alert-latency 300 10     # webhooks, per second
let arguments = CommandLine.arguments.dropFirst()
let measured = arguments.first.flatMap(Int.init) ?? 300
let perSecond = max(1, arguments.dropFirst().first.flatMap(Double.init) ?? 10)
let warmup = 20
let serverPort = Int(ProcessInfo.processInfo.environment["BENCH_PORT"] ?? "") ?? 18_093
let slackPort = Int(ProcessInfo.processInfo.environment["BENCH_SLACK_PORT"] ?? "") ?? 18_094
let customers = 400, csms = 80
let hookSecret = "bench-hook-secret"

/// A Slack Web API that answers what the outbox calls and notes when each alert arrives.
final class FakeSlack: Sendable {
    let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])
    let posts = Mutex(0)

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("api/{method}") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let method = try context.parameters.require("method")
            let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
            switch method {
            case "chat.postMessage":
                let now = ContinuousClock.now
                let text = json["text"] as? String ?? ""
                if let range = text.range(of: #"#BENCH-\d+"#, options: .regularExpression) {
                    let id = String(text[range].dropFirst())
                    self.arrivals.withLock { if $0[id] == nil { $0[id] = now } }
                }
                let number = self.posts.withLock { $0 += 1; return $0 }
                return Self.json(["ok": true, "channel": json["channel"] as? String ?? "", "ts": "1795428000.\(String(format: "%06d", number))"])
            case "conversations.open":
                return Self.json(["ok": true, "channel": ["id": "D" + ((json["users"] as? String) ?? "X")]])
            case "conversations.history", "conversations.replies":
                return Self.json(["ok": true, "messages": [Any]()])
            default:
                return Self.json(["ok": true])
            }
        }
        return router
    }

    static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

let directory = try BenchEnvironment.scratchDirectory("alert-latency")
let storePath = directory.appendingPathComponent("store.sqlite").path
do {
    let store = try SQLiteStore(path: storePath)
    try store.upsertCSMs((0..<csms).map { CSM(email: "csm\($0)@bench.example", name: "CSM \($0)", slackUserID: String(format: "U0BENCH%03d", $0)) })
    try store.upsertCustomers((0..<customers).map {
        Customer(id: "cus-\($0)", name: "Customer \($0)", tier: .midMarket, arr: 50_000, csmEmail: "csm\($0 % csms)@bench.example")
    })
}
let config = directory.appendingPathComponent("ticketpulse.yml")
try """
    slack:
      worker_concurrency: 2
    alerts:
      pass_interval_seconds: 60
    connections:
      - name: bench-hook
        system: webhook
        webhook_secret_env: BENCH_HOOK_SECRET
    """.write(to: config, atomically: true, encoding: .utf8)
setenv("BENCH_HOOK_SECRET", hookSecret, 1)
setenv("SLACK_BOT_TOKEN", "xoxb-bench", 1)
setenv("SLACK_SIGNING_SECRET", "bench-signing-secret", 1)
setenv("SLACK_BOT_USER_ID", "U0BOT0001", 1)
setenv("SLACK_API_URL", "http://127.0.0.1:\(slackPort)/api", 1)

func summary(_ sorted: [Double]) -> String {
    func p(_ q: Double) -> String { String(format: "%.1f", BenchEnvironment.percentile(sorted, q)) }
    return "n=\(sorted.count) p50 \(p(50)) ms, p90 \(p(90)) ms, p95 \(p(95)) ms, p99 \(p(99)) ms, max \(p(100)) ms"
}

let fake = FakeSlack()
var logger = Logger(label: "fake-slack")
logger.logLevel = .critical
let slackApp = Application(router: fake.router(), configuration: .init(address: .hostname("127.0.0.1", port: slackPort)), logger: logger)
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await slackApp.runService(gracefulShutdownSignals: []) }
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let server = try await BenchEnvironment.startServe(port: serverPort, config: config, storePath: storePath,
                                                       log: directory.appendingPathComponent("serve.log"), client: client)
    defer { if server.isRunning { server.terminate() } }

    let clock = ContinuousClock()
    var started: [String: ContinuousClock.Instant] = [:]
    let interval = Duration.seconds(1.0 / perSecond)
    for index in 0..<(warmup + measured) {
        let id = "BENCH-\(index)"
        let body: [String: Any] = [
            "ticketId": id, "customerId": "cus-\(index % customers)", "category": "technical", "severity": "critical",
            "subject": "Checkout API returns 500", "createdAt": Date().formatted(.iso8601),
        ]
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(serverPort)/api/webhooks/support/ticket")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        // The generic webhook's signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>." + body>.
        let bytes = Array(try JSONSerialization.data(withJSONObject: body))
        let stamp = String(Int(Date().timeIntervalSince1970))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(stamp).".utf8) + bytes, using: SymmetricKey(data: Data(hookSecret.utf8)))
        request.headers.add(name: "X-TicketPulse-Signature", value: "t=\(stamp),v1=" + mac.map { String(format: "%02x", $0) }.joined())
        request.headers.add(name: "X-TicketPulse-Delivery", value: id)
        request.body = .bytes(bytes)
        let next = clock.now + interval
        started[id] = clock.now
        let response = try await client.execute(request, timeout: .seconds(30))
        let answer = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw BenchError("webhook \(id): HTTP \(response.status.code) \(String(buffer: answer))") }
        try await clock.sleep(until: next)
    }
    // Every alert should be in by now; wait a little for the last ones.
    let deadline = clock.now + .seconds(30)
    while fake.arrivals.withLock({ $0.count }) < warmup + measured, clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    let arrivals = fake.arrivals.withLock { $0 }
    let latencies = (warmup..<(warmup + measured)).compactMap { index -> Double? in
        let id = "BENCH-\(index)"
        guard let sent = started[id], let arrived = arrivals[id] else { return nil }
        return BenchEnvironment.milliseconds(arrived - sent)
    }.sorted()
    print("webhook of a P1 ticket → alert DM posted at the fake Slack, \(perSecond) webhooks/s, release `ticketpulse serve` over loopback:")
    print("  \(summary(latencies))")
    print("  alerts that never arrived: \(measured - latencies.count); Slack posts in all: \(fake.posts.withLock { $0 })")
    try await client.shutdown()
    server.terminate()
    _ = await BenchEnvironment.wait(server)
    group.cancelAll()
}
try? FileManager.default.removeItem(at: directory)
