import Benchmark
import Foundation
import BenchmarkSupport
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        timeUnits: .milliseconds,
        maxDuration: .seconds(10),
        maxIterations: 500
    )
    registerAskBenchmarks()

    // PRD targets (issue 2): bulk load of 1,000,000 tickets < 60 s with peak RSS < 200 MB.
    Benchmark("Bulk load 1,000,000 tickets", configuration: .init(timeUnits: .seconds, maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        let path = BenchmarkStore.path + ".bulk"
        benchmark.startMeasurement()
        let count = try BenchmarkStore.load(into: path)
        benchmark.stopMeasurement()
        blackHole(count)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    // Metrics for one customer (the busiest) over 30 days of a 1,000,000-ticket store: p95 < 20 ms.
    Benchmark("Customer metrics, 30 days, 1M-ticket store") { benchmark, store in
        let calculator = MetricsCalculator()
        let period = Period.trailing(days: 30, endingAt: BenchmarkStore.now)
        for _ in benchmark.scaledIterations {
            let tickets = try store.metricsInput(customerIDs: ["cus_bench_0"], period: period)
            blackHole(calculator.metrics(tickets: tickets, tiers: ["cus_bench_0": .enterprise], period: period, now: BenchmarkStore.now))
        }
    } setup: {
        try BenchmarkStore.shared()
    }

    // Portfolio metrics for a 50-customer CSM over a 1,000,000-ticket store: p95 < 100 ms.
    Benchmark("Portfolio metrics, 50-customer CSM, 1M-ticket store") { benchmark, store in
        let calculator = MetricsCalculator()
        let period = Period.trailing(days: 30, endingAt: BenchmarkStore.now)
        let csm = BenchmarkStore.roster.staff[1]
        let customers = try store.customerIDs(visibleTo: csm) ?? []
        let tiers = Dictionary(uniqueKeysWithValues: BenchmarkStore.roster.customers.map { ($0.id, $0.tier) })
        for _ in benchmark.scaledIterations {
            let tickets = try store.metricsInput(customerIDs: customers, period: period)
            let byCustomer = Dictionary(grouping: tickets, by: { $0.customerID ?? "" })
            for (id, own) in byCustomer { blackHole(calculator.metrics(tickets: own, tiers: [id: tiers[id] ?? .midMarket], period: period, now: BenchmarkStore.now)) }
            blackHole(calculator.metrics(tickets: tickets, tiers: tiers, period: period, now: BenchmarkStore.now))
        }
    } setup: {
        try BenchmarkStore.shared()
    }
}
