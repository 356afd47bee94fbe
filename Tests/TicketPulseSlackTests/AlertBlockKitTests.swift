import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseSlack
import TicketPulseWorkflows

/// Alerts as Slack receives them: at most four buttons and one overflow menu, within
/// Block Kit's limits, and a menu choice decoded back into the action it names.
@Suite("Alert messages in Block Kit")
struct AlertBlockKitTests {
    static let now = Date(timeIntervalSince1970: 1_795_428_000)
    static let customer = Customer(id: "cus_acme", name: "Acme Corp", tier: .enterprise, arr: 480_000, csmEmail: "mike.chen@example.com", healthScore: 78)

    static func alert(_ kind: AlertKind, ticket: Bool) -> Alert {
        Alert(kind: kind, severity: .critical, customer: customer, dedupKey: "\(kind.rawValue):x",
              ticket: ticket ? AlertTicket(source: .zendesk, externalID: "4521", subject: String(repeating: "SSO login failing ", count: 20), priority: .p1, category: .technical) : nil,
              title: "\(kind.label): Acme Corp", explanation: String(repeating: "a long explanation ", count: 40),
              facts: (0..<12).map { AlertFact("Fact \($0)", String(repeating: "v", count: 300)) }, numbers: ["count": 24, "multiple": 6, "rating": 1],
              themes: ["SSO login failures", "SAML errors"], ticketIDs: (0..<40).map(String.init), detectedAt: now)
    }

    static func elements(_ json: [String: Any]) -> [[String: Any]] {
        (json["blocks"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "actions" }.flatMap { $0["elements"] as? [[String: Any]] ?? [] }
    }

    @Test("Every alert kind renders at most four buttons plus an overflow menu, within Block Kit's limits")
    func everyKindWithinLimits() throws {
        let messages = AlertMessages(templates: nil)
        for kind in AlertKind.allCases {
            for status in [AlertStatus.open, .acknowledged] {
                for ticket in [true, false] {
                    let stored = StoredAlert(id: 123_456, alert: Self.alert(kind, ticket: ticket), status: status, updatedAt: Self.now)
                    let reply = messages.message(stored, statusLines: ["✅ Acknowledged by <@U0CSM0001> at Nov 23, 2026 at 10:00 AM UTC"])
                    let json = try jsonObject(BlockKitRenderer().message(reply))
                    #expect(BlockKitLimitChecker.violations(message: json) == [], "\(kind) \(status) ticket: \(ticket)")
                    let elements = Self.elements(json)
                    let buttons = elements.filter { $0["type"] as? String == "button" }
                    let menus = elements.filter { $0["type"] as? String == "overflow" }
                    #expect((1...4).contains(buttons.count), "\(kind): \(buttons.count) buttons")
                    #expect(menus.count == 1, "\(kind) \(status) ticket: \(ticket)")
                    // Each option names a known alert action and carries the alert's id.
                    for option in menus.first?["options"] as? [[String: Any]] ?? [] {
                        let choice = try #require(BlockKitRenderer.menuChoice(option["value"] as? String ?? ""))
                        #expect(AlertMessages.Button(rawValue: choice.id) != nil)
                        #expect(choice.value == "123456")
                    }
                }
            }
        }
    }

    @Test("A menu choice decodes to the action and value of the button it stands in for")
    func menuChoiceDecodes() throws {
        let stored = StoredAlert(id: 42, alert: Self.alert(.spike, ticket: true), status: .open, updatedAt: Self.now)
        let json = try jsonObject(BlockKitRenderer().message(AlertMessages(templates: nil).message(stored)))
        let menu = try #require(Self.elements(json).first { $0["type"] as? String == "overflow" })
        #expect(menu["action_id"] as? String == BlockKitRenderer.overflowActionID)
        let options = menu["options"] as? [[String: Any]] ?? []
        let snooze = try #require(options.first { ($0["text"] as? [String: Any])?["text"] as? String == "Snooze 1 day" })
        let payload: [String: Any] = [
            "type": "block_actions", "user": ["id": "U0CSM0001"], "trigger_id": "1.2.3",
            "container": ["type": "message", "message_ts": "1.0", "channel_id": "D0DM"],
            "actions": [["action_id": BlockKitRenderer.overflowActionID, "block_id": "b", "type": "overflow", "selected_option": snooze, "action_ts": "1.1"]],
        ]
        let body = "payload=" + String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let interaction = try SlackInteraction.decode(Array(body.utf8))
        let action = try #require(interaction.actions.first)
        #expect(action.routeID == AlertMessages.Button.snoozeDay.rawValue)
        #expect(action.value == "42")
        #expect(action.selectedOption == "alert_snooze_1d|42")
    }

    @Test("The renderer keeps Slack's menu rules: a lone menu action is a button, a menu holds at most five")
    func menuRules() throws {
        let lone = Reply(blocks: [.actions([ReplyAction(id: "a", label: "A", value: "1"), ReplyAction(id: "b", label: "B", value: "1", inMenu: true)])], fallbackText: "x")
        let loneJSON = try jsonObject(BlockKitRenderer().message(lone))
        #expect(Self.elements(loneJSON).map { $0["type"] as? String } == ["button", "button"])
        let many = Reply(blocks: [.actions((0..<7).map { ReplyAction(id: "m\($0)", label: "M\($0)", value: "1", inMenu: true) })], fallbackText: "x")
        let manyJSON = try jsonObject(BlockKitRenderer().message(many))
        #expect(BlockKitLimitChecker.violations(message: manyJSON) == [])
        #expect((Self.elements(manyJSON).first?["options"] as? [Any])?.count == 5)
    }
}
