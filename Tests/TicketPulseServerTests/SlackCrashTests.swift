import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TicketPulseCore
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// The real `ticketpulse serve` as a child process, killed with SIGKILL right after it
/// acknowledged a question, then started again over the same store and journal: every
/// acknowledged question is answered exactly once.
@Suite("serve killed after an acknowledgement", .serialized)
struct SlackCrashTests {
    static let signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"

    /// `ticketpulse`, built beside the test bundle by `swift build` (which `.ci/run` runs first).
    static func executable() throws -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // swift-testing may run from inside an .xctest bundle directory.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("ticketpulse")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw CrashTestError("the ticketpulse executable is not built beside \(bundle.path): run `swift build` first")
    }

    struct CrashTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A free loopback port (bound, read, released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw CrashTestError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// One `serve` process over `directory`'s store and config.
    final class Server: Sendable {
        let process: Process
        let port: Int

        init(executable: URL, directory: URL, slackURL: URL) throws {
            port = try SlackCrashTests.freePort()
            process = Process()
            process.executableURL = executable
            process.arguments = ["serve", "--db", directory.appendingPathComponent("store.sqlite").path, "--port", "\(port)",
                                 "--config", directory.appendingPathComponent("ticketpulse.yml").path]
            var environment = ProcessInfo.processInfo.environment
            environment["SLACK_SIGNING_SECRET"] = SlackCrashTests.signingSecret
            environment["SLACK_BOT_TOKEN"] = "xoxb-test"
            environment["SLACK_API_URL"] = slackURL.absoluteString
            environment["SLACK_BOT_USER_ID"] = "U0BOT0001"
            environment["LOG_LEVEL"] = "error"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Waits (bounded) until `/healthz` answers.
        func waitUntilUp() async throws {
            for _ in 0..<400 {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
                request.method = .GET
                if let response = try? await HTTPClient.shared.execute(request, timeout: .milliseconds(250)), response.status == .ok { return }
                // Waiting for another process to start: nothing to inject a clock into.
                try await Task.sleep(for: .milliseconds(25))
            }
            throw CrashTestError("serve did not start on port \(port)")
        }

        func killNow() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// Sends a signed app_mention and returns the status of Slack's acknowledgement.
        func mention(eventID: String, ts: String, text: String) async throws -> Int {
            let body = ServerHarness.appMention(eventID: eventID, ts: ts, text: text)
            let timestamp = String(Int(Date().timeIntervalSince1970))
            let verifier = SlackSignatureVerifier(signingSecret: SlackCrashTests.signingSecret, now: { Date() })
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/slack/events")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Slack-Request-Timestamp", value: timestamp)
            request.headers.add(name: "X-Slack-Signature", value: verifier.signature(body: Array(body.utf8), timestamp: timestamp))
            request.body = .bytes(ByteBuffer(string: body))
            return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(5)).status.code)
        }
    }

    /// A store with Mike and Acme, and a config with alerts off and one worker (answers in order).
    static func prepareDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        try store.upsertCSMs([ServerHarness.mike])
        try store.upsertCustomers([Customer(id: "cus_acme", name: "Acme Corp", aliases: ["Acme"], domains: ["acme.io"], tier: .enterprise, arr: 480_000, csmEmail: ServerHarness.mike.email, healthScore: 78)])
        try "alerts:\n  enabled: false\nslack:\n  worker_concurrency: 1\n".write(to: directory.appendingPathComponent("ticketpulse.yml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func answers(_ fake: FakeSlack, to eventID: String) -> Int {
        fake.messages.filter { $0.metadataType == SlackJobHandler.answerMetadataType && $0.metadataKey == eventID }.count
    }

    @Test("SIGKILL after the acknowledgement, before and after the answer reached Slack: each question answered once")
    func killedAfterAcknowledgement() async throws {
        let executable = try Self.executable()
        let directory = try Self.prepareDirectory()
        try await FakeSlack.run { fake, url in
            // Round 1: the answer is never posted before the kill (Slack holds the first post
            // without making it). Round 2: the post is made, and the kill comes before the
            // process hears back. Round 3: nothing held; the kill lands wherever it lands.
            let rounds: [(id: String, fault: FakeSlack.Answer?)] = [("EvCrash1", .silence), ("EvCrash2", .doneThenSilence), ("EvCrash3", nil)]
            for (number, round) in rounds.enumerated() {
                if let fault = round.fault { fake.script("chat.postMessage", fault) }
                let server = try Server(executable: executable, directory: directory, slackURL: url)
                try await server.waitUntilUp()
                let status = try await server.mention(eventID: round.id, ts: "1763478000.00090\(number)", text: "<@U0BOT0001> show support tickets for Acme")
                server.killNow()
                #expect(status == 200)
            }
            // The restart: every acknowledged question is answered; a fresh one after them
            // (one worker, in order) shows the recovered ones are done.
            let server = try Server(executable: executable, directory: directory, slackURL: url)
            defer { server.killNow() }
            try await server.waitUntilUp()
            #expect(try await server.mention(eventID: "EvAfter", ts: "1763478000.000999", text: "<@U0BOT0001> help") == 200)
            await fake.waitForPosted(metadataKey: "EvAfter")
            for id in ["EvCrash1", "EvCrash2", "EvCrash3", "EvAfter"] {
                #expect(Self.answers(fake, to: id) == 1, "\(id) answered once")
            }
        }
    }
}
