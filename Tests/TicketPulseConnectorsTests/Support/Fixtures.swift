import Foundation
import TicketPulseConnectors
import Logging

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")

    static func data(_ path: String) -> Data {
        (try? Data(contentsOf: root.appendingPathComponent(path))) ?? Data("missing fixture \(path)".utf8)
    }

    static func bytes(_ path: String) -> [UInt8] { Array(data(path)) }
}

extension ConnectorHTTPClient {
    /// Deterministic retries (no jitter) with every wait going to `time`.
    static func test(_ time: TestTime, maxAttempts: Int = 3) -> ConnectorHTTPClient {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return ConnectorHTTPClient(
            policy: RetryPolicy(maxAttempts: maxAttempts, random: { 0 }), sleeper: time.sleeper, now: time.now, logger: logger
        )
    }
}

/// March 2, 2026, 12:00 UTC: after every fixture's timestamps.
let fixtureNow = Date(timeIntervalSince1970: 1_772_452_800)
