import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseCore
@testable import TicketPulseServer
import TicketPulseStorage

/// Notes and escalation requests over the API: the Slack path's service, so the write-back
/// outbox and the audit log see them exactly as a modal's.
@Suite("HTTP API: notes and escalation requests")
struct APIActionTests {
    typealias H = APIHarness

    static func post(_ client: any TestClientProtocol, _ path: String, _ body: String, as headers: HTTPFields) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("A note is on the ticket, queued for write-back, and audited as the modal's is")
    func note() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            let response = try await Self.post(client, "/api/tickets/1001/note", #"{"text": "Customer called back; workaround in place"}"#, as: harness.bearer(H.mike))
            #expect(response.status == .created)
            #expect(response.json["ticket_id"] as? String == "zendesk:1001" && response.json["kind"] as? String == "note" && response.json["writeback_status"] as? String == "pending")
            let stored = try #require(try harness.store.ticket(source: .zendesk, externalID: "1001"))
            #expect(try harness.store.actions(ticketID: stored.id).map(\.body) == ["Customer called back; workaround in place"])
            let due = try harness.store.dueWritebacks(at: H.now.addingTimeInterval(60), limit: 10)
            #expect(due.map(\.externalID) == ["1001"] && due.first?.kind == .note && due.first?.actor == H.mike.email)
            let log = try harness.store.auditLog(limit: 2)
            #expect(log.map(\.action) == ["api:add_ticket_note", "action:add_note"])
            #expect(log.allSatisfy { $0.outcome == .allowed && $0.customerIDs == ["cus_acme"] && $0.actor == H.mike.email })
            let detail = try await client.execute(uri: "/api/tickets/1001", method: .get, headers: harness.bearer(H.mike)).json
            #expect((detail["notes"] as? [[String: Any]])?.first?["body"] as? String == "Customer called back; workaround in place")
        }
    }

    @Test("An escalation request takes the chat's default reason, and is written back too")
    func escalation() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            let response = try await Self.post(client, "/api/tickets/zendesk:1002/escalate", "{}", as: harness.bearer(H.mike))
            #expect(response.status == .created)
            #expect(response.json["body"] as? String == TicketActionService.defaultEscalationReason && response.json["kind"] as? String == "escalation_request")
            let due = try harness.store.dueWritebacks(at: H.now.addingTimeInterval(60), limit: 10)
            #expect(due.map(\.kind) == [.escalationRequest])
            #expect(try harness.store.auditLog(limit: 2).map(\.action) == ["api:request_ticket_escalation", "action:request_escalation"])
        }
    }

    @Test("Another book's ticket is 404 and an empty note a 400 naming `text`; nothing is written, both audited as refused")
    func refusals() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            let outside = try await Self.post(client, "/api/tickets/3001/note", #"{"text": "hello"}"#, as: harness.bearer(H.mike))
            #expect(outside.status == .notFound && outside.json["error"] as? String == "not_found")
            let empty = try await Self.post(client, "/api/tickets/1001/note", #"{"text": "   "}"#, as: harness.bearer(H.mike))
            #expect(empty.status == .badRequest && empty.json["parameter"] as? String == "text")
            let malformed = try await Self.post(client, "/api/tickets/1001/note", "not json", as: harness.bearer(H.mike))
            #expect(malformed.status == .badRequest && malformed.json["parameter"] as? String == "body")
            #expect(try harness.store.dueWritebacks(at: H.now.addingTimeInterval(60), limit: 10).isEmpty)
            let actions = try harness.store.auditLog(limit: 10).filter { $0.action == "action:add_note" }
            #expect(actions.map(\.outcome) == [.refused(reason: "empty_text"), .refused(reason: "out_of_scope")])
            #expect(actions.last?.customerIDs == ["cus_initech"], "the refusal names whose ticket was reached for")
        }
    }
}
