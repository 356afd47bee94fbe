import NIOCore
import NIOPosix
import Testing
@testable import TicketPulseEmail

/// Servers that misbehave in ways aiosmtpd will not: silent, gone, not SMTP, injecting
/// data after STARTTLS. Each is a few lines of NIO on loopback, in process.
@Suite("SMTP faults")
struct SMTPFaultTests {
    /// One connection of a scripted server: writes `greeting` when it opens, then answers
    /// each read with the next of `answers` (enough for one-line commands sent one at a
    /// time), and stays silent once they run out.
    final class ScriptedServer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let greeting: String
        let answers: [String]
        var reads = 0
        init(greeting: String, answers: [String]) {
            self.greeting = greeting
            self.answers = answers
        }
        func channelActive(context: ChannelHandlerContext) {
            if !greeting.isEmpty { context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: greeting)), promise: nil) }
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            defer { reads += 1 }
            guard reads < answers.count else { return }
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answers[reads])), promise: nil)
        }
    }

    static func withServer(greeting: String, answers: [String] = [], _ body: (Int) async throws -> Void) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ScriptedServer(greeting: greeting, answers: answers))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            try await body(channel.localAddress!.port!)
        } catch {
            try? await channel.close()
            throw error
        }
        try? await channel.close()
    }

    static func client(port: Int, reply: Duration = .seconds(10)) throws -> SMTPClient {
        try SMTPClient(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: port, security: .none, heloName: "client.test",
            timeouts: .init(connect: .seconds(5), reply: reply, dataTermination: reply)
        ))
    }

    static let message = EmailMessage(from: try! EmailAddress("a@example.com"), to: [try! EmailAddress("b@example.com")], subject: "s", text: "t")

    @Test("A server that accepts and never speaks times out as transient, within the injected time")
    func silentServer() async throws {
        try await Self.withServer(greeting: "") { port in
            let started = ContinuousClock.now
            let error = await #expect(throws: SMTPError.self) { try await Self.client(port: port, reply: .milliseconds(200)).send(Self.message) }
            #expect(error == .timedOut(.greeting))
            #expect(error?.isTransient == true)
            // Well under the default reply timeout (120 s): the injected one was used. Generous,
            // since the whole suite runs in parallel on two cores.
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }

    @Test("A server that stops answering mid-dialog times out at that step")
    func silentAfterEHLO() async throws {
        try await Self.withServer(greeting: "220 hi\r\n", answers: ["250-smtp.test\r\n250 8BITMIME\r\n"]) { port in
            let error = await #expect(throws: SMTPError.self) { try await Self.client(port: port, reply: .milliseconds(200)).send(Self.message) }
            #expect(error == .timedOut(.mailFrom))
        }
    }

    @Test("Nothing listening: a transient connect failure naming host and port")
    func refused() async throws {
        var closedPort = 0
        try await Self.withServer(greeting: "") { closedPort = $0 }
        let error = await #expect(throws: SMTPError.self) { try await Self.client(port: closedPort).send(Self.message) }
        guard case .connectFailed(let host, let port, _)? = error else { Issue.record("expected connectFailed, got \(String(describing: error))"); return }
        #expect(host == "127.0.0.1" && port == closedPort)
        #expect(error?.isTransient == true)
        #expect(error?.description.contains("127.0.0.1:\(closedPort)") == true)
    }

    @Test("A server that speaks something else is a permanent protocol error")
    func notSMTP() async throws {
        try await Self.withServer(greeting: "HTTP/1.1 400 Bad Request\r\n\r\n") { port in
            let error = await #expect(throws: SMTPError.self) { try await Self.client(port: port).send(Self.message) }
            guard case .protocolViolation? = error else { Issue.record("expected protocolViolation, got \(String(describing: error))"); return }
            #expect(error?.isPermanent == true)
        }
    }

    @Test("A 554 greeting is permanent, a 421 greeting transient")
    func greetings() async throws {
        try await Self.withServer(greeting: "554 5.7.1 no service for you\r\n") { port in
            let error = await #expect(throws: SMTPError.self) { try await Self.client(port: port).send(Self.message) }
            #expect(error?.isPermanent == true)
        }
        try await Self.withServer(greeting: "421 4.3.2 try later\r\n") { port in
            let error = await #expect(throws: SMTPError.self) { try await Self.client(port: port).send(Self.message) }
            #expect(error?.isTransient == true)
        }
    }

    @Test("Data sent after STARTTLS's 220 (clear-text injection) is refused before TLS starts")
    func startTLSInjection() async throws {
        let answers = ["250-smtp.test\r\n250 STARTTLS\r\n", "220 go ahead\r\n250 injected\r\n"]
        try await Self.withServer(greeting: "220 hi\r\n", answers: answers) { port in
            let client = try SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .startTLS, heloName: "client.test"))
            let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message) }
            guard case .protocolViolation? = error else { Issue.record("expected protocolViolation, got \(String(describing: error))"); return }
        }
    }

    @Test("A password is never sent in clear text to a host that is not loopback")
    func insecureAuthentication() async throws {
        let client = try SMTPClient(configuration: SMTPConfiguration(host: "smtp.example.com", security: .none, credentials: .init(username: "u", password: "p")))
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message) }
        #expect(error == .insecureAuthentication(host: "smtp.example.com"))
    }

    @Test("Credentials against a server offering neither PLAIN nor LOGIN fail clearly")
    func noMechanism() async throws {
        try await Self.withServer(greeting: "220 hi\r\n", answers: ["250-smtp.test\r\n250 AUTH CRAM-MD5\r\n"]) { port in
            let client = try SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .none, credentials: .init(username: "u", password: "p"), heloName: "client.test"))
            let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message) }
            #expect(error == .noSupportedAuthMechanism(advertised: ["CRAM-MD5"]))
        }
    }
}
