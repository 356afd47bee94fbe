// swift-tools-version: 6.1
// Benchmarks live in their own package so the main build and CI stay lean.
// Run by hand: `cd Benchmarks && swift package benchmark` (see docs/PERFORMANCE.md).
import PackageDescription

let package = Package(
    name: "TicketPulseBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "TicketPulse", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The connector benchmarks' fake Zendesk, HTTP client and webhook signatures (the same versions as the main package).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
                .product(name: "TicketPulsePostgres", package: "TicketPulse"),
                .product(name: "TicketPulseDemo", package: "TicketPulse"),
            ],
            path: "Sources/BenchmarkSupport"
        ),
        // `swift run -c release bulk-load [tickets]`: the bulk load alone, timed, for profiling.
        .executableTarget(
            name: "bulk-load",
            dependencies: ["BenchmarkSupport"],
            path: "Sources/BulkLoad"
        ),
        // `swift run -c release parse-profile [rounds]`: start-up and parse time alone, for profiling.
        .executableTarget(
            name: "parse-profile",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TicketPulseIntents", package: "TicketPulse"),
                .product(name: "TicketPulseAnswers", package: "TicketPulse"),
            ],
            path: "Sources/ParseProfile"
        ),
        // `swift run -c release ask-profile [rounds] [store]`: issue 15's 25 common questions over the 1M store.
        .executableTarget(
            name: "ask-profile",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TicketPulseIntents", package: "TicketPulse"),
                .product(name: "TicketPulseAnswers", package: "TicketPulse"),
            ],
            path: "Sources/AskProfile"
        ),
        // `json-encode [rounds]`: issue 15's rendered answers through JSONEncoder and StreamingJSONEncoder, ns per encode.
        .executableTarget(
            name: "json-encode",
            dependencies: [
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseSlack", package: "TicketPulse"),
                .product(name: "TicketPulseAnswers", package: "TicketPulse"),
                .product(name: "TicketPulseIntents", package: "TicketPulse"),
                .product(name: "TicketPulseDemo", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
            ],
            path: "Sources/JSONEncode"
        ),
        // `swift run -c release detector-pass [runs]`: issue 6's full detector pass over 1M tickets / 10,000 customers.
        .executableTarget(
            name: "detector-pass",
            dependencies: [
                "BenchmarkSupport",
                "ZendeskBenchSupport",
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
            ],
            path: "Sources/DetectorPass"
        ),
        // Issue 5's connector benchmarks: a seeded fake Zendesk (Hummingbird, in process) and the
        // release `ticketpulse` driven over loopback (see docs/PERFORMANCE.md).
        .target(
            name: "ZendeskBenchSupport",
            dependencies: [
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
                .product(name: "TicketPulsePostgres", package: "TicketPulse"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/ZendeskBenchSupport"
        ),
        // `swift run -c release zendesk-sync [tickets]`: historical sync of 100,000 tickets.
        .executableTarget(
            name: "zendesk-sync",
            dependencies: [
                "ZendeskBenchSupport",
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
            ],
            path: "Sources/ZendeskSync"
        ),
        // `swift run -c release zendesk-webhook [webhooks] [senders]`: webhook received → ticket stored.
        .executableTarget(
            name: "zendesk-webhook",
            dependencies: [
                "ZendeskBenchSupport",
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/ZendeskWebhook"
        ),
        // `swift run -c release alert-latency [webhooks] [per-second]`: issue 6's P1 webhook → alert posted at a fake Slack.
        .executableTarget(
            name: "alert-latency",
            dependencies: [
                "ZendeskBenchSupport",
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/AlertLatency"
        ),
        .executableTarget(
            name: "TicketPulseBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TicketPulseIntents", package: "TicketPulse"),
                .product(name: "TicketPulseAnswers", package: "TicketPulse"),
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStorage", package: "TicketPulse"),
                .product(name: "TicketPulseSQLite", package: "TicketPulse"),
                .product(name: "TicketPulseDemo", package: "TicketPulse"),
            ],
            path: "Benchmarks/TicketPulseBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
