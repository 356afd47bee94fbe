import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Store: audited outcomes")
struct AuditStoreTests {
    @Test("An action's outcome and reason are kept; a question has none", arguments: StoreBackend.available)
    func auditOutcome(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let at = Date(timeIntervalSince1970: 1_795_428_000)
            try await store.audit(AuditEntry(at: at, actor: "mike@example.com", action: "ask:list_tickets", detail: "show tickets", customerIDs: ["cus_1"]))
            try await store.audit(AuditEntry(at: at, actor: "lee@example.com", action: "alert:acknowledge", detail: "alert 1", customerIDs: ["cus_1"], outcome: .refused(reason: "out_of_scope")))
            try await store.audit(AuditEntry(at: at, actor: "mike@example.com", action: "alert:acknowledge", detail: "alert 1", customerIDs: ["cus_1"], outcome: .allowed))
            try await store.audit(AuditEntry(at: at, actor: "mike@example.com", action: "alert:war_room", detail: "alert 1", customerIDs: ["cus_1"], outcome: .failed(reason: "name_taken")))
            #expect(try await store.auditLog().map(\.outcome) == [.failed(reason: "name_taken"), .allowed, .refused(reason: "out_of_scope"), nil])
        }
    }
}
