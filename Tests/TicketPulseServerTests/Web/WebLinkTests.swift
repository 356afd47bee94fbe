import Foundation
import Testing
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStorage
import TicketPulseWorkflows

@Suite("Slack messages link the dashboard")
struct WebLinkTests {
    @Test("With a public URL an alert links its customer's page (View customer), kept as a link in Block Kit; without one, no link")
    func viewCustomerLink() async throws {
        let store = try await WebHarness.makeStore()
        let stored = try #require(try await store.liveAlerts().first { $0.alert.customerID == "cus_acme" })
        let linked = AlertMessages(templates: nil, dashboardURL: URL(string: "https://pulse.example.com/")).message(stored)
        let contexts = linked.blocks.compactMap { if case .context(let text) = $0 { text } else { nil } }
        let link = "<https://pulse.example.com/app/customers/cus_acme|View customer>"
        #expect(contexts.contains(link))
        #expect(SlackText.escapeKeepingMarkup(link) == link, "Slack shows it as a link")
        let plain = AlertMessages(templates: nil).message(stored)
        #expect(!plain.blocks.contains { if case .context(let text) = $0 { text.contains("/app/customers/") } else { false } })
    }
}
