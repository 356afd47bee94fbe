import AsyncHTTPClient
import Crypto
import Foundation
import Synchronization
import TicketPulseSQLite
import TicketPulseStorage
import ZendeskBenchSupport

// Issue 5: webhook received → ticket stored. Signed Zendesk webhooks (HMAC-SHA256 over
// timestamp + body) are POSTed over loopback to the release `ticketpulse serve` (the real
// Hummingbird application from `buildApplication`), whose route verifies the signature,
// fetches the ticket from the local fake Zendesk (in this process), matches and upserts it
// with its history, and only then answers. The time of each POST until its 200 is the
// latency: the first half of the measured webhooks create tickets, the second half change
// them (a new status each).
//
//   swift build -c release --scratch-path .build-release --product ticketpulse   # repository root
//   cd Benchmarks && swift run -c release zendesk-webhook 2000 1    # webhooks, concurrent senders
let arguments = CommandLine.arguments.dropFirst()
let measured = arguments.first.flatMap(Int.init) ?? 2000
let concurrency = max(1, arguments.dropFirst().first.flatMap(Int.init) ?? 1)
let warmup = 200
let port = Int(ProcessInfo.processInfo.environment["BENCH_PORT"] ?? "") ?? 18_091
let data = SyntheticZendesk(tickets: 100_000)
let directory = try BenchEnvironment.scratchDirectory("zendesk-webhook")
let storePath = directory.appendingPathComponent("store.sqlite").path
try BenchEnvironment.rosterStore(at: storePath, data: data)
// BENCH_POSTGRES_URL: the same run over a PostgreSQL copy of the roster store.
let location = try await BenchStoreLocation.prepare(copying: storePath, name: "bench_zendesk_webhook", log: directory.appendingPathComponent("copy.log"))
let fake = FakeZendeskServer(data: data, preparePages: false)

struct Sample: Sendable {
    var milliseconds: Double
    var outcome: String
}

func signed(_ body: [UInt8], url: String) -> HTTPClientRequest {
    let timestamp = Date().formatted(Date.ISO8601FormatStyle())
    let mac = HMAC<SHA256>.authenticationCode(for: Array(timestamp.utf8) + body, using: SymmetricKey(data: Data(BenchEnvironment.webhookSecret.utf8)))
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "X-Zendesk-Webhook-Id", value: UUID().uuidString)
    request.headers.add(name: "X-Zendesk-Webhook-Signature-Timestamp", value: timestamp)
    request.headers.add(name: "X-Zendesk-Webhook-Signature", value: Data(mac).base64EncodedString())
    request.body = .bytes(body)
    return request
}

/// Hands out indexes to the senders.
final class Counter: Sendable {
    private let value = Mutex(0)
    func take() -> Int { value.withLock { value in defer { value += 1 }; return value } }
}

/// Sends the webhooks for `ids` (version `version` of each) from `concurrency` senders.
func send(_ ids: [Int], version: Int, client: HTTPClient, url: String) async throws -> [Sample] {
    let next = Counter()
    let clock = ContinuousClock()
    return try await withThrowingTaskGroup(of: [Sample].self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var samples: [Sample] = []
                while true {
                    let index = next.take()
                    guard index < ids.count else { return samples }
                    let request = signed(data.webhookBody(id: ids[index], version: version), url: url)
                    let started = clock.now
                    let response = try await client.execute(request, timeout: .seconds(30))
                    let body = try await response.body.collect(upTo: 1 << 20)
                    let elapsed = clock.now - started
                    let text = String(decoding: body.readableBytesView, as: UTF8.self)
                    guard response.status == .ok else { throw BenchError("webhook \(ids[index]): HTTP \(response.status.code) \(text)") }
                    let outcome = text.contains(#""status":"created""#) ? "created" : text.contains(#""status":"updated""#) ? "updated" : "other"
                    samples.append(Sample(milliseconds: BenchEnvironment.milliseconds(elapsed), outcome: outcome))
                }
            }
        }
        var all: [Sample] = []
        for try await part in group { all += part }
        return all
    }
}

func summary(_ label: String, _ samples: [Sample]) -> String {
    let sorted = samples.map(\.milliseconds).sorted()
    func p(_ q: Double) -> String { String(format: "%.2f", BenchEnvironment.percentile(sorted, q)) }
    return "\(label): n=\(sorted.count) p50 \(p(50)) ms, p90 \(p(90)) ms, p99 \(p(99)) ms, max \(p(100)) ms"
}

try await fake.run { baseURL in
    let config = directory.appendingPathComponent("ticketpulse.yml")
    try BenchEnvironment.configuration(baseURL: baseURL, webhook: true).write(to: config, atomically: true, encoding: .utf8)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let server = try await BenchEnvironment.startServe(port: port, config: config, storePath: location,
                                                           log: directory.appendingPathComponent("serve.log"), client: client)
        defer { if server.isRunning { server.terminate() } }
        let url = "http://127.0.0.1:\(port)/webhooks/zendesk/bench"

        _ = try await send(Array(1...warmup), version: 0, client: client, url: url)
        let ids = Array((warmup + 1)...(warmup + measured / 2))
        let created = try await send(ids, version: 0, client: client, url: url)
        let updated = try await send(ids, version: 1, client: client, url: url)
        print("webhook received → ticket stored, \(concurrency) concurrent sender(s), over loopback to release `ticketpulse serve` on \(BenchStoreLocation.postgresServer == nil ? "SQLite" : "PostgreSQL"):")
        print(summary("  all", created + updated))
        print(summary("  created", created))
        print(summary("  updated", updated))
        let others = (created + updated).filter { $0.outcome == "other" }.count
        let stored = try await BenchStoreLocation.withStore(location) { try await $0.ticketCount(source: .zendesk).total }
        print("  stored tickets: \(stored) (expected \(warmup + ids.count)); fetched from the fake: \(fake.ticketsShown); answers neither created nor updated: \(others)")
        try await client.shutdown()
        guard stored == warmup + ids.count, others == 0 else { throw BenchError("not every webhook stored its ticket") }
        server.terminate()
        _ = await BenchEnvironment.wait(server)
    } catch {
        try? await client.shutdown()
        throw error
    }
}
await BenchStoreLocation.finish(location)
try? FileManager.default.removeItem(at: directory)
