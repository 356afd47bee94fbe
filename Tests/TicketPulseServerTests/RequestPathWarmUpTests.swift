import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Testing
@testable import TicketPulseServer

@Suite("Request path warm-up")
struct RequestPathWarmUpTests {
    @Test("The server's own signed url_verification is answered 200 and changes nothing")
    func answered() async throws {
        let store = try ServerHarness.makeStore()
        try await ServerHarness.run(store: store) { harness, client in
            let warmUp = RequestPathWarmUp(signingSecret: ServerHarness.signingSecret, now: { ServerHarness.now }, httpClient: .shared, logger: Logger(label: "test"))
            let port = try #require(client.port)
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
            #expect(await warmUp.warm(address))
            #expect(try store.auditLog(limit: 10).isEmpty)
            #expect(harness.fake.calls.isEmpty)
        }
    }

    @Test("The question decoded in-process is a real app_mention's: the warm-up reaches the event decoder, not an error")
    func decodesAQuestion() {
        #expect(RequestPathWarmUp.decodeAQuestion() == "show support tickets for Acme")
    }

    @Test("A wrong secret is refused, not taken for a warm-up")
    func wrongSecret() async throws {
        try await ServerHarness.run { harness, client in
            let warmUp = RequestPathWarmUp(signingSecret: "not-the-secret", now: { ServerHarness.now }, httpClient: .shared, logger: Logger(label: "test"))
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: try #require(client.port))
            #expect(await warmUp.warm(address) == false)
        }
    }

    @Test("A wildcard listening address is reached on loopback")
    func wildcard() throws {
        let any4 = try SocketAddress(ipAddress: "0.0.0.0", port: 8080)
        let any6 = try SocketAddress(ipAddress: "::", port: 8080)
        let one = try SocketAddress(ipAddress: "10.0.0.5", port: 80)
        #expect(RequestPathWarmUp.eventsURL(of: any4) == "http://127.0.0.1:8080/slack/events")
        #expect(RequestPathWarmUp.eventsURL(of: any6) == "http://[::1]:8080/slack/events")
        #expect(RequestPathWarmUp.eventsURL(of: one) == "http://10.0.0.5:80/slack/events")
        #expect(RequestPathWarmUp.eventsURL(of: nil) == nil)
    }
}
