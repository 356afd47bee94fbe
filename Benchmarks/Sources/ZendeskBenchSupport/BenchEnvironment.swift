import AsyncHTTPClient
import Foundation
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

/// What the connector benchmarks share: the release `ticketpulse` they drive (the
/// connectors and the server are not library products of the main package, so the
/// benchmarks run the real executable over loopback), a scratch directory with the
/// configuration, and the roster store.
public enum BenchEnvironment {
    /// `$TICKETPULSE_BIN`, else the release build next to this package.
    public static func ticketpulseBinary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["TICKETPULSE_BIN"], !path.isEmpty { return path }
        let here = FileManager.default.currentDirectoryPath
        let candidates = ["../.build-release/release/ticketpulse", "../.build/release/ticketpulse", ".build-release/release/ticketpulse"]
        for candidate in candidates {
            let path = URL(fileURLWithPath: here).appendingPathComponent(candidate).standardizedFileURL.path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw BenchError("no release ticketpulse found; run `swift build -c release --scratch-path .build-release --product ticketpulse` in the repository root, or set TICKETPULSE_BIN")
    }

    public static func scratchDirectory(_ name: String) throws -> URL {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let directory = URL(fileURLWithPath: base).appendingPathComponent("ticketpulse-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A fresh store holding the synthetic roster (names, domains) the tickets match against.
    public static func rosterStore(at path: String, data: SyntheticZendesk) throws {
        let store = try SQLiteStore(path: path)
        let customers = (0..<data.customers).map { index in
            Customer(id: "cus-\(index)", name: "Customer \(index) Inc", domains: [data.customerDomain(index)])
        }
        try store.upsertCustomers(customers)
    }

    /// `ticketpulse.yml` with one Zendesk connection (API token) at `baseURL`.
    public static func configuration(baseURL: String, webhook: Bool, pollSeconds: Int = 3600) -> String {
        """
        connections:
          - name: bench
            system: zendesk
            base_url: \(baseURL)
            email: bench@ourcompany.example
            token_env: BENCH_ZENDESK_TOKEN
        \(webhook ? "    webhook_secret_env: BENCH_ZENDESK_WEBHOOK_SECRET\n" : "")    customer_field_id: 360011
            poll_interval_seconds: \(pollSeconds)
        """
    }

    public static let webhookSecret = "bench-webhook-secret"

    public static var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["BENCH_ZENDESK_TOKEN"] = "bench-api-token"
        environment["BENCH_ZENDESK_WEBHOOK_SECRET"] = webhookSecret
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "error"
        environment["TICKETPULSE_CONFIG"] = nil
        return environment
    }

    /// Starts `ticketpulse arguments…`; standard output and error go to `log`.
    public static func start(_ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ticketpulseBinary())
        process.arguments = arguments
        process.environment = childEnvironment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Starts `ticketpulse serve` on `port` and returns once its `/healthz` answers (at most
    /// 30 s); the error carries the server's log when it never does.
    public static func startServe(port: Int, config: URL, storePath: String, log: URL, client: HTTPClient) async throws -> Process {
        let server = try start(["serve", "--host", "127.0.0.1", "--port", String(port), "--config", config.path, "--db", storePath], log: log)
        for _ in 0..<600 {
            if let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)), response.status == .ok {
                return server
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if server.isRunning { server.terminate() }
        throw BenchError("serve did not start:\n" + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
    }

    /// Waits for `process` without blocking a cooperative thread.
    public static func wait(_ process: Process) async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(5)) }
        return process.terminationStatus
    }

    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[index]
    }

    public static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
