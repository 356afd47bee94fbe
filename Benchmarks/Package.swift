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
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStore", package: "TicketPulse"),
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
        // `swift run -c release detector-pass [runs]`: issue 6's full detector pass over 1M tickets / 10,000 customers.
        .executableTarget(
            name: "detector-pass",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStore", package: "TicketPulse"),
            ],
            path: "Sources/DetectorPass"
        ),
        .executableTarget(
            name: "TicketPulseBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TicketPulseIntents", package: "TicketPulse"),
                .product(name: "TicketPulseAnswers", package: "TicketPulse"),
                .product(name: "TicketPulseCore", package: "TicketPulse"),
                .product(name: "TicketPulseStore", package: "TicketPulse"),
                .product(name: "TicketPulseDemo", package: "TicketPulse"),
            ],
            path: "Benchmarks/TicketPulseBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
