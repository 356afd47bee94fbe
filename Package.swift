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
        .library(name: "TicketPulseStore", targets: ["TicketPulseStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "TicketPulseCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TicketPulseStore",
            dependencies: [
                "TicketPulseCore",
                .product(name: "GRDB", package: "GRDB.swift"),
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
            name: "TicketPulseAnswers",
            dependencies: ["TicketPulseCore", "TicketPulseStore"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ticketpulse",
            dependencies: [
                "TicketPulseCore",
                "TicketPulseStore",
                "TicketPulseDemo",
                "TicketPulseIntents",
                "TicketPulseAnswers",
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
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseDemoTests",
            dependencies: ["TicketPulseDemo", "TicketPulseStore", "TicketPulseAnswers", "TicketPulseCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TicketPulseStoreTests",
            dependencies: ["TicketPulseStore", "TicketPulseCore"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
