import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseTestSupport

@Suite struct WritebackTests {
    @Test func noteIsWrittenBackAsAPrivateZendeskComment() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let client = try ZendeskClient(configuration: ZendeskFake.configuration(url), secrets: ZendeskFake.secrets, http: .test(time), now: time.now)
            let queue = InMemoryWritebackQueue([PendingWriteback(id: 1, source: .zendesk, externalID: "101", kind: .note, actor: "mike.chen@example.com", body: "Customer renewing in May; keep them posted.")])
            let outbox = WritebackOutbox(queue: queue, routes: [WritebackRoute(system: .zendesk, writer: client)], now: time.now, sleeper: time.sleeper)
            let result = try await outbox.drainOnce()
            #expect(result.written == 1)
            let call = try #require(fake.calls.first)
            #expect(call.method == "PUT")
            #expect(call.path == "/api/v2/tickets/101.json")
            let comment = (call.json["ticket"] as? [String: Any])?["comment"] as? [String: Any]
            #expect(comment?["public"] as? Bool == false)
            #expect((comment?["body"] as? String)?.contains("keep them posted") == true)
            #expect(await queue.status(id: 1) == .written(fixtureNow))
        }
    }

    @Test func anOutageDelaysTheWritebackButLosesNothing() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            for _ in 0..<3 { fake.script(.status(503), when: { $0.method == "PUT" }) }
            let time = TestTime(fixtureNow)
            let client = try ZendeskClient(configuration: ZendeskFake.configuration(url), secrets: ZendeskFake.secrets, http: .test(time), now: time.now)
            let queue = InMemoryWritebackQueue([PendingWriteback(id: 7, source: .zendesk, externalID: "104", kind: .escalationRequest, actor: "mike.chen@example.com", body: "Renewal at risk")])
            let outbox = WritebackOutbox(queue: queue, routes: [WritebackRoute(system: .zendesk, writer: client)], now: time.now, sleeper: time.sleeper)
            #expect(try await outbox.drainOnce().failed == 1)
            #expect(await queue.status(id: 7) == .pending)
            #expect(await queue.attempts(id: 7) == 1)
            // Not due again until its retry time.
            let idle = try await outbox.drainOnce()
            #expect(idle.written == 0 && idle.failed == 0)
            time.advance(61)
            #expect(try await outbox.drainOnce().written == 1)
            #expect(fake.calls.filter { $0.method == "PUT" }.count == 4)
            let body = ((fake.calls.last?.json["ticket"] as? [String: Any])?["comment"] as? [String: Any])?["body"] as? String
            #expect(body?.hasPrefix("Escalation requested by mike.chen@example.com") == true)
        }
    }

    @Test func aTicketTheSourceNoLongerHasIsGivenUpNotRetriedForever() async throws {
        try await FakeServer.run(handler: { _ in .status(404) }) { _, url in
            let time = TestTime(fixtureNow)
            let client = try ZendeskClient(configuration: ZendeskFake.configuration(url), secrets: ZendeskFake.secrets, http: .test(time), now: time.now)
            let queue = InMemoryWritebackQueue([PendingWriteback(id: 3, source: .zendesk, externalID: "999", kind: .note, actor: "a@b.c", body: "x")])
            _ = try await WritebackOutbox(queue: queue, routes: [WritebackRoute(system: .zendesk, writer: client)], now: time.now).drainOnce()
            #expect(await queue.status(id: 3) == .failed("ticket no longer exists in zendesk"))
        }
    }
}
