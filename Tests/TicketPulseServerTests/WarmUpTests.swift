import Foundation
import Testing
import TicketPulseCore
import TicketPulseServer
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

@Suite("Start-up warm-up")
struct WarmUpTests {
    @Test("Warming the answer path at start-up records nothing: no audit row, no learning-loop entry, nothing sent to Slack")
    func recordsNothing() async throws {
        let store = try ServerHarness.makeStore()
        try await ServerHarness.run(store: store) { harness, _ in
            let audit = try store.auditLog(limit: 10)
            let kept = try store.nluFeedback(visibleTo: CSM(email: "admin@example.com", name: "Admin", role: .admin))
            #expect(audit.isEmpty)
            #expect(kept.isEmpty)
            #expect(harness.fake.calls.isEmpty)
        }
    }
}
