import BenchmarkSupport
import Foundation
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import ZendeskBenchSupport

// Issue 6: a full detector pass over 1,000,000 tickets / 10,000 customers in < 2 s.
// `swift run -c release detector-pass [runs]` builds the store once at
// $TMPDIR/ticketpulse-bench-1m-10k.sqlite, then times `runs` passes (default 7) of
// loading every customer's activity and running every detector at the store's `now`.
// It prints each pass split into load and detect, its CPU time, min/median/max, and peak RSS.
// With BENCH_POSTGRES_URL set (a server; needs the release `ticketpulse`, see
// BenchEnvironment), the store is copied into a new database there and the passes read it;
// BENCH_STORE_URL names a PostgreSQL store that holds such a copy already.
let runs = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 7
let clock = ContinuousClock()

/// The SQLite store, built on first use.
func sqliteStore() throws -> SQLiteStore {
    let buildStart = clock.now
    let (store, built) = try DetectorBenchmarkStore.shared()
    if built { print("built \(try store.ticketCount()) tickets in \(clock.now - buildStart) at \(DetectorBenchmarkStore.path)") }
    return store
}

let now = DetectorBenchmarkStore.now
let detectors = AlertDetectors()
let horizon = CustomerActivity.horizon(settings: detectors.settings, now: now)

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// User + system CPU time of the process so far. The pass runs on one thread, so on an idle
/// machine its CPU time is its wall time; on a busy one (parallel builds) CPU time shows
/// what the pass itself costs.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return value(usage.ru_utime) + value(usage.ru_stime)
}

var totals: [Double] = []
var cpuTotals: [Double] = []
var lastCounts: [AlertKind: Int] = [:]

@MainActor
func passes(over store: any Store) async throws {
    for run in 1...max(1, runs) {
        let start = clock.now
        let cpuStart = cpuSeconds()
        let activities = try await store.activity(customerIDs: nil, since: horizon)
        let loaded = clock.now
        var counts: [AlertKind: Int] = [:]
        var tickets = 0
        for activity in activities {
            tickets += activity.tickets.count
            for alert in detectors.detect(activity, now: now) { counts[alert.kind, default: 0] += 1 }
        }
        let end = clock.now
        let cpu = cpuSeconds() - cpuStart
        totals.append(seconds(end - start))
        cpuTotals.append(cpu)
        lastCounts = counts
        print(String(format: "run %d: %.3f s (load %.3f s, detect %.3f s; CPU %.3f s) — %d customers, %d tickets, %d alerts",
                     run, seconds(end - start), seconds(loaded - start), seconds(end - loaded), cpu,
                     activities.count, tickets, counts.values.reduce(0, +)))
    }
}

if BenchStoreLocation.postgresServer != nil || BenchStoreLocation.existingStore != nil {
    if BenchStoreLocation.existingStore == nil { _ = try sqliteStore() }
    let scratch = try BenchEnvironment.scratchDirectory("detector-pass")
    let copyStart = clock.now
    let location = try await BenchStoreLocation.prepare(copying: DetectorBenchmarkStore.path, name: "bench_detector", log: scratch.appendingPathComponent("copy.log"))
    if BenchStoreLocation.existingStore == nil { print("copied into PostgreSQL in \(clock.now - copyStart)") }
    print("passes over PostgreSQL (CPU is this process's: the server's is not counted)")
    try await BenchStoreLocation.withStore(location) { try await passes(over: $0) }
    await BenchStoreLocation.finish(location)
} else {
    try await passes(over: try sqliteStore())
}

let sorted = totals.sorted(), cpuSorted = cpuTotals.sorted()
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(String(format: "passes: min %.3f s, median %.3f s, max %.3f s over %d runs (CPU: min %.3f s, median %.3f s); peak RSS %d MB",
             sorted[0], sorted[sorted.count / 2], sorted[sorted.count - 1], sorted.count,
             cpuSorted[0], cpuSorted[cpuSorted.count / 2], usage.ru_maxrss / 1024))
print("alerts by kind: " + lastCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
