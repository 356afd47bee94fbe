import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage

@Suite("In-app notifications on the Home tab, live")
struct HomeNotificationsLiveTests {
    static func openHome(_ eventID: String, _ harness: ServerHarness, _ client: any TestClientProtocol) async throws -> String {
        let before = harness.fake.delivered("views.publish").count
        let body = #"{"token":"x","team_id":"T0TEAM0001","api_app_id":"A0APP0001","type":"event_callback","event_id":""# + eventID
            + #"","event_time":1763478000,"event":{"type":"app_home_opened","user":"U0CSM0001","channel":"D0DM00001","tab":"home","event_ts":"1763478000.002000"},"authorizations":[{"team_id":"T0TEAM0001","user_id":"U0BOT0001","is_bot":true}]}"#
        let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        await harness.fake.waitForDelivered("views.publish", count: before + 1)
        return String(decoding: try #require(harness.fake.delivered("views.publish").last).body, as: UTF8.self)
    }

    /// An Acknowledge click on the Home tab: Slack sends the view as the container.
    static func homeClick(alertID: Int64) -> String {
        let payload: [String: Any] = [
            "type": "block_actions",
            "user": ["id": "U0CSM0001", "username": "mike", "team_id": "T0TEAM0001"],
            "api_app_id": "A0APP0001",
            "container": ["type": "view", "view_id": "V0HOME0001"],
            "trigger_id": "7200000000002.7000000000001.0a1b2c3d4e5f",
            "view": ["id": "V0HOME0001", "type": "home", "callback_id": "", "private_metadata": ""],
            "actions": [["action_id": "alert_ack", "block_id": "b1", "value": String(alertID), "type": "button", "action_ts": "1763478001.000001"]],
        ]
        return SlackInteractionsLiveTests.form(payload)
    }

    @Test("The Home tab lists the person's recent alerts, new ones marked until seen, and Acknowledge there acts on the alert and shows it")
    func listMarkAcknowledge() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await AlertButtonsLiveTests.openAlert(harness)
            // Never looked before: nothing is marked new (everything would be).
            let first = try await Self.openHome("EvH01", harness, client)
            #expect(first.contains("Recent alerts"))
            #expect(first.contains(alert.alert.title))
            #expect(!first.contains("🆕"))
            #expect(first.contains(#""action_id":"alert_ack"#) || first.contains("alert_ack"), "an open alert can be acknowledged from the list")
            // A new alert after that look is marked new at the next one, and only once.
            var later = alert.alert
            later.dedupKey = "spike:cus_acme:home-test"
            later.title = "Ticket spike: Acme Corp (home test)"
            later.detectedAt = ServerHarness.now.addingTimeInterval(60)
            try harness.store.apply([AlertPlan(change: .open(later))], at: later.detectedAt)
            let second = try await Self.openHome("EvH02", harness, client)
            #expect(second.contains("🆕 "))
            let third = try await Self.openHome("EvH03", harness, client)
            #expect(!third.contains("🆕"), "seen now")

            let response = try await AlertButtonsLiveTests.post(Self.homeClick(alertID: alert.id), harness, client)
            #expect(response.status == .ok)
            await harness.fake.waitForDelivered("views.publish", count: 4)
            #expect(try harness.store.alert(id: alert.id)?.status == .acknowledged, "the same action as the alert's own button")
            let refreshed = String(decoding: try #require(harness.fake.delivered("views.publish").last).body, as: UTF8.self)
            #expect(refreshed.contains("acknowledged by mike"), "the list shows it acknowledged")
            #expect(try harness.store.auditLog(limit: 50).contains { $0.action == "home:notifications" && $0.customerIDs == ["cus_acme"] })
        }
    }
}
