// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "TicketPulse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ticketpulse", targets: ["ticketpulse"]),
        .library(name: "TicketPulseCore", targets: ["TicketPulseCore"]),
        .library(name: "TicketPulseStorage", targets: ["TicketPulseStorage"]),
        .library(name: "TicketPulseSQLite", targets: ["TicketPulseSQLite"]),
        .library(name: "TicketPulsePostgres", targets: ["TicketPulsePostgres"]),
        .library(name: "TicketPulseDemo", targets: ["TicketPulseDemo"]),
        .library(name: "TicketPulseAnswers", targets: ["TicketPulseAnswers"]),
        .library(name: "TicketPulseIntents", targets: ["TicketPulseIntents"]),
        // For Benchmarks' json-encode: rendered Block Kit messages to encode.
        .library(name: "TicketPulseSlack", targets: ["TicketPulseSlack"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Socket Mode: the WebSocket client `serve` connects to Slack with, and the server side the tests' fake Slack speaks.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "TicketPulseCore",
            swiftSettings: swiftSettings
        ),
        // The store's records and its async protocols: what every other module sees of it.
        .target(
            name: "TicketPulseStorage",
            // Logging: the action auditor says loudly when an audit row could not be written.
            dependencies: ["TicketPulseCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The embedded default: one SQLite file through GRDB.
        .target(
            name: "TicketPulseSQLite",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseStorage",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The shared store: PostgreSQL through postgres-nio's connection pool.
        .target(
            name: "TicketPulsePostgres",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseDemo",
            dependencies: ["TicketPulseCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseIntents",
            dependencies: [
                "TicketPulseCore",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseTemplates",
            dependencies: [
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseAnswers",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseStorage",
                "TicketPulseIntents",
                "TicketPulseTemplates",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseWorkflows",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseStorage",
                "TicketPulseTemplates",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseSlack",
            dependencies: [
                "TicketPulseCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseConnectors",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseStorage",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Email over SMTP (SwiftNIO + NIOSSL: no SMTP package is on the machine) and its MIME rendering.
        .target(
            name: "TicketPulseEmail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseServer",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseEmail",
                "TicketPulseConnectors",
                "TicketPulseStorage",
                "TicketPulseIntents",
                "TicketPulseAnswers",
                "TicketPulseSlack",
                "TicketPulseTemplates",
                "TicketPulseWorkflows",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                // The HTTP API's tokens and the dashboard's session secrets are stored by their SHA-256.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ticketpulse",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseConnectors",
                "TicketPulseStorage",
                "TicketPulseSQLite",
                "TicketPulsePostgres",
                "TicketPulseDemo",
                "TicketPulseIntents",
                "TicketPulseAnswers",
                "TicketPulseServer",
                "TicketPulseSlack",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseCoreTests",
            dependencies: ["TicketPulseCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseIntentsTests",
            dependencies: ["TicketPulseIntents", "TicketPulseCore", "TicketPulseDemo"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseAnswersTests",
            // Yams: `nlu review --export` is checked by reading it back as YAML.
            dependencies: ["TicketPulseAnswers", "TicketPulseIntents", "TicketPulseStorage", "TicketPulseSQLite", "TicketPulseCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseDemoTests",
            dependencies: ["TicketPulseDemo", "TicketPulseStorage", "TicketPulseSQLite", "TicketPulseAnswers", "TicketPulseCore"],
            swiftSettings: swiftSettings
        ),
        // Fakes shared by test targets: an in-process Slack Web API, a support-system API, a
        // real SMTP server on loopback (aiosmtpd) and a clock that moves only when slept.
        .target(
            name: "TicketPulseTestSupport",
            dependencies: [
                "TicketPulseSlack",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/TicketPulseTestSupport",
            // The loopback SMTP server the email tests start (aiosmtpd), not Swift source.
            exclude: ["smtp_test_server.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseSlackTests",
            dependencies: [
                "TicketPulseTestSupport",
                "TicketPulseSlack",
                "TicketPulseCore",
                // The alert messages, rendered and checked against Block Kit's limits.
                "TicketPulseWorkflows",
                "TicketPulseStorage", "TicketPulseSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseServerTests",
            dependencies: [
                "TicketPulseTestSupport",
                "TicketPulseTemplates",
                "TicketPulseConnectors",
                "TicketPulseDemo",
                .product(name: "Crypto", package: "swift-crypto"),
                "TicketPulseServer",
                // The HTTP API's figures are checked against the chat's answers to the same question.
                "TicketPulseAnswers", "TicketPulseIntents",
                "TicketPulseEmail",
                "TicketPulseSlack",
                "TicketPulseStorage", "TicketPulseSQLite",
                "TicketPulseCore",
                "TicketPulseWorkflows",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                // The dashboard's browser test drives chromium over the DevTools protocol's WebSocket.
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // doctor's test of a store a newer build migrated writes GRDB's migrations table.
                .product(name: "GRDB", package: "GRDB.swift"),
                // doctor's Socket Mode test of a port that refuses connections.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseConnectorsTests",
            dependencies: [
                "TicketPulseTestSupport",
                "TicketPulseConnectors",
                "TicketPulseStorage", "TicketPulseSQLite",
                "TicketPulseCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseWorkflowsTests",
            dependencies: ["TicketPulseWorkflows", "TicketPulseStorage", "TicketPulseSQLite", "TicketPulseCore", "TicketPulseAnswers", "TicketPulseTemplates", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseEmailTests",
            dependencies: [
                "TicketPulseTestSupport",
                "TicketPulseEmail",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseStoreTests",
            // PostgresNIO: a test edits a store's schema version behind the store's back.
            dependencies: ["TicketPulseStorage", "TicketPulseSQLite", "TicketPulsePostgres", "TicketPulseCore",
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
