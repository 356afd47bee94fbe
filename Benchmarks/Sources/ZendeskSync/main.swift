import Foundation
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import ZendeskBenchSupport

// Issue 5: historical sync of N tickets (default 100,000) from a local fake Zendesk without
// throttling. The fake (Hummingbird, in this process) serves cursor-export pages of 1,000
// tickets with metric_sets, users and organizations side-loads, generated from a seed; the
// release `ticketpulse sync --connection bench` imports them into a fresh store holding a
// 1,000-customer roster. Timed from the process start to its exit, so start-up, migrations,
// matching, upserts with history, cursor saves and the WAL are all inside.
//
//   swift build -c release --scratch-path .build-release --product ticketpulse   # repository root
//   cd Benchmarks && swift run -c release zendesk-sync 100000
let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
let data = SyntheticZendesk(tickets: count)
let directory = try BenchEnvironment.scratchDirectory("zendesk-sync")
let storePath = directory.appendingPathComponent("store.sqlite").path
try BenchEnvironment.rosterStore(at: storePath, data: data)
// BENCH_POSTGRES_URL: the same run over a PostgreSQL copy of the roster store.
let location = try await BenchStoreLocation.prepare(copying: storePath, name: "bench_zendesk_sync", log: directory.appendingPathComponent("copy.log"))

let clock = ContinuousClock()
let prepared = clock.now
let fake = FakeZendeskServer(data: data, preparePages: true)
print("prepared \(data.pageCount) export pages (\(fake.preparedBytes / 1_048_576) MB) in \(clock.now - prepared)")

try await fake.run { baseURL in
    let config = directory.appendingPathComponent("ticketpulse.yml")
    try BenchEnvironment.configuration(baseURL: baseURL, webhook: false).write(to: config, atomically: true, encoding: .utf8)
    let log = directory.appendingPathComponent("sync.log")
    let started = clock.now
    let process = try BenchEnvironment.start(["sync", "--connection", "bench", "--config", config.path, "--db", location], log: log)
    let status = await BenchEnvironment.wait(process)
    let elapsed = clock.now - started
    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    guard status == 0 else { throw BenchError("ticketpulse sync exited \(status):\n\(output)") }

    let counts = try await BenchStoreLocation.withStore(location) { try await $0.ticketCount(source: .zendesk) }
    let seconds = BenchEnvironment.milliseconds(elapsed) / 1000
    print(output.split(separator: "\n").last.map(String.init) ?? "")
    print(String(format: "synced %d tickets (%d unmatched) from %d pages in %.2f s: %.0f tickets/s (target < 30 s for 100,000) on %@",
                 counts.total, counts.unmatched, fake.pagesServed, seconds, Double(counts.total) / seconds, BenchStoreLocation.postgresServer == nil ? "SQLite" : "PostgreSQL"))
    guard counts.total == count else { throw BenchError("expected \(count) tickets in the store, found \(counts.total)") }
}
await BenchStoreLocation.finish(location)
try? FileManager.default.removeItem(at: directory)
