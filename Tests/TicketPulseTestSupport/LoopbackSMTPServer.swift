import Foundation
import Synchronization

/// The aiosmtpd helper (`smtp_test_server.py`) as a subprocess: a real SMTP server on
/// 127.0.0.1 for one test, with the messages it accepted readable as files.
public struct LoopbackSMTPServer: Sendable {
    public struct Options: Sendable {
        public var auth: (user: String, password: String)?
        public var excludeMechanisms: [String] = []
        public var startTLS = false
        public var implicitTLS = false

        public init(auth: (user: String, password: String)? = nil, excludeMechanisms: [String] = [], startTLS: Bool = false, implicitTLS: Bool = false) {
            self.auth = auth
            self.excludeMechanisms = excludeMechanisms
            self.startTLS = startTLS
            self.implicitTLS = implicitTLS
        }
    }

    /// One accepted message as the helper wrote it (its fields as Python's email parser read them).
    public struct Received: Decodable, Sendable {
        public struct Part: Decodable, Sendable {
            public var content_type: String
            public var charset: String?
            public var transfer_encoding: String?
            public var content: String
        }
        public var mail_from: String
        public var rcpt_tos: [String]
        public var auth_mechanism: String?
        public var auth_login: String?
        public var tls: Bool
        public var subject: String
        public var from: String
        public var to: String
        public var message_id: String
        public var date: String
        public var content_type: String
        public var parts: [Part]
        public var defects: [String]
        public var max_line_length: Int
        /// The raw message as the server stored it (after removing the dot-stuffing).
        public var raw = ""

        enum CodingKeys: String, CodingKey {
            case mail_from, rcpt_tos, auth_mechanism, auth_login, tls, subject, from, to, message_id, date, content_type, parts, defects, max_line_length
        }
    }

    public let port: Int
    public let directory: URL
    public var certificatePath: String { directory.appendingPathComponent("cert.pem").path }

    /// Whether the helper can run here: `python3` with aiosmtpd (`pip install aiosmtpd`;
    /// `.ci/run` installs it). Checked once per test process.
    public static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_test_server.py").path

    /// Starts a server, runs `body` with it, and stops it whatever `body` does.
    public static func with<T: Sendable>(_ options: Options = Options(), _ body: (LoopbackSMTPServer) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ticketpulse-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = ["python3", script, "--out", directory.appendingPathComponent("messages").path, "--cert-dir", directory.path]
        if let auth = options.auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        for mechanism in options.excludeMechanisms { arguments += ["--auth-exclude", mechanism] }
        if options.startTLS { arguments.append("--starttls") }
        if options.implicitTLS { arguments.append("--implicit-tls") }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        // Its stdin is the stop signal: the helper exits when it closes, also if this test
        // process dies first, so no server outlives its test.
        let input = Pipe()
        let output = Pipe()
        let errors = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        let (exited, exit) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { process in
            exit.yield(process.terminationStatus)
            exit.finish()
        }
        try process.run()
        func stop() async {
            try? input.fileHandleForWriting.close()
            for await _ in exited {}
        }
        let port: Int
        do {
            port = try await readiness(of: output.fileHandleForReading)
        } catch {
            await stop()
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw HelperFailed(description: "the SMTP test server did not start: \(error)\n\(stderr)")
        }
        let server = LoopbackSMTPServer(port: port, directory: directory)
        do {
            let result = try await body(server)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    struct HelperFailed: Error, CustomStringConvertible { var description: String }

    /// Waits for the helper's "READY <port>" line: it prints it once its socket listens, so
    /// there is nothing to poll. End of output first means it died.
    private static func readiness(of handle: FileHandle) async throws -> Int {
        let line = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            let state = ReadState()
            handle.readabilityHandler = { handle in
                let chunk = handle.availableData
                let result: Result<String, any Error>? = state.mutex.withLock { state in
                    guard !state.resumed else { return nil }
                    if chunk.isEmpty {
                        state.resumed = true
                        return .failure(HelperFailed(description: "it exited before it was ready"))
                    }
                    state.buffer.append(chunk)
                    guard let newline = state.buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                    state.resumed = true
                    return .success(String(decoding: state.buffer[..<newline], as: UTF8.self))
                }
                if let result {
                    handle.readabilityHandler = nil
                    continuation.resume(with: result)
                }
            }
        }
        let words = line.split(separator: " ")
        guard words.count == 2, words[0] == "READY", let port = Int(words[1]) else {
            throw HelperFailed(description: "unexpected first line '\(line)'")
        }
        return port
    }

    /// What the readability handler has read so far, shared with the handler's queue.
    private final class ReadState: Sendable {
        let mutex = Mutex<(buffer: Data, resumed: Bool)>((Data(), false))
    }

    /// The messages accepted so far, in order of arrival.
    public func received() throws -> [Received] {
        let folder = directory.appendingPathComponent("messages")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            var message = try JSONDecoder().decode(Received.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
            let raw = folder.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".eml"))
            message.raw = try String(contentsOf: raw, encoding: .utf8)
            return message
        }
    }
}
