import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
@testable import TicketPulseServer
import TicketPulseStorage

/// Every endpoint's figures against the chat's answer to the same question, asked by the
/// same person at the same moment over the demo store.
@Suite("HTTP API: the same numbers as the Slack answers", .serialized)
struct APIParityTests {
    static let mike = DemoRoster.staff.first { $0.email == "mike.chen@example.com" }!
    static let maria = DemoRoster.staff.first { $0.role == .manager }!
    static let alex = DemoRoster.staff.first { $0.role == .admin }!
    static let acme = DemoScenario.spikeCustomerID

    static func percent(_ value: Any?) -> String {
        guard let value = value as? Double else { return "n/a" }
        return String(format: value > 0 && value < 1 ? "%.1f%%" : "%.0f%%", value)
    }

    static func csat(_ satisfaction: [String: Any]) -> String {
        guard let average = satisfaction["avg_csat"] as? Double else { return "no ratings" }
        let arrow = ["improving": "↑", "stable": "→", "declining": "↓"][satisfaction["trend"] as? String ?? ""] ?? "·"
        return String(format: "%.1f/5 %@ (%d ratings)", average, arrow, satisfaction["csat_responses"] as? Int ?? -1)
    }

    @Test("A customer's support metrics are the support-metrics answer's")
    func customerMetrics() async throws {
        try await APIHarness.run(store: APIHarness.demo) { harness, client in
            let chat = try await harness.ask("support metrics for Acme Corp", as: Self.mike).fields
            let response = try await client.execute(uri: "/api/reports/support-metrics/\(Self.acme)", method: .get, headers: harness.bearer(Self.mike))
            #expect(response.status == .ok)
            let customer = try #require(response.json["customer"] as? [String: Any])
            let tickets = try #require(customer["tickets"] as? [String: Any])
            let priorities = try #require(tickets["by_priority"] as? [String: Int])
            #expect(chat["Tickets"] == "\(tickets["total"] as? Int ?? -1) (" + Priority.allCases.map { "\($0.rawValue) \(priorities[$0.rawValue] ?? -1)" }.joined(separator: " · ") + ")")
            #expect(chat["Open now"] == "\(tickets["open"] as? Int ?? -1)")
            #expect(chat["Resolved"] == "\(tickets["resolved"] as? Int ?? -1)")
            let satisfaction = try #require(customer["satisfaction"] as? [String: Any])
            #expect(chat["CSAT"]?.hasPrefix(Self.csat(satisfaction)) == true, "\(chat["CSAT"] ?? "") vs \(Self.csat(satisfaction))")
            let escalations = try #require(customer["escalations"] as? [String: Any])
            #expect(chat["Escalations"]?.hasPrefix("\(escalations["total"] as? Int ?? -1) (\(escalations["open"] as? Int ?? -1) open") == true)
            let sla = try #require(customer["sla"] as? [String: Any])
            #expect(chat["First response SLA"]?.hasPrefix(Self.percent(sla["first_response_met_pct"]) + " met") == true)
            #expect(chat["Resolution SLA"]?.hasPrefix(Self.percent(sla["resolution_met_pct"]) + " met") == true)
            #expect((tickets["total"] as? Int ?? 0) > 0, "the demo's Acme has tickets")
        }
    }

    @Test("The portfolio report and the CSM summary are the portfolio summary's, for a CSM and a manager", arguments: ["mike.chen@example.com", "maria.lopez@example.com", "alex.kim@example.com"])
    func portfolio(email: String) async throws {
        let person = DemoRoster.staff.first { $0.email == email }!
        try await APIHarness.run(store: APIHarness.demo) { harness, client in
            let reply = try await harness.ask("portfolio summary", as: person)
            let chat = reply.fields
            for path in ["/api/reports/support-metrics", "/api/tickets/csm/\(person.email)/summary"] {
                let response = try await client.execute(uri: path, method: .get, headers: harness.bearer(person))
                #expect(response.status == .ok, "\(path)")
                let summary = try #require(response.json["summary"] as? [String: Any])
                #expect(chat["Accounts"] == "\(summary["accounts"] as? Int ?? -1)", "\(path)")
                #expect(chat["Open tickets"] == "\(summary["open_tickets"] as? Int ?? -1) (\(summary["open_p1_p2"] as? Int ?? -1) P1/P2)", "\(path)")
                #expect(chat["Tickets in the last 30 days"] == "\(summary["tickets"] as? Int ?? -1)", "\(path)")
                #expect(chat["Open escalations"] == "\(summary["open_escalations"] as? Int ?? -1)", "\(path)")
                #expect(chat["SLA met"] == Self.percent(summary["sla_met_pct"]), "\(path)")
                let attention = summary["customers_needing_attention"] as? Int ?? -1
                #expect(reply.fallbackText.hasSuffix("\(attention) customers need attention."), "\(reply.fallbackText)")
            }
        }
    }

    @Test("The correlation report is the support-vs-health answer's table")
    func correlation() async throws {
        try await APIHarness.run(store: APIHarness.demo) { harness, client in
            let reply = try await harness.ask("how does support correlate with churn?", as: Self.alex)
            let table = try #require(reply.tables.first)
            let response = try await client.execute(uri: "/api/reports/support-metrics/correlation", method: .get, headers: harness.bearer(Self.alex))
            #expect(response.status == .ok)
            let signals = try #require(response.json["signals"] as? [[String: Any]])
            #expect(signals.count == table.rows.count && !signals.isEmpty)
            for (signal, row) in zip(signals, table.rows) {
                #expect(row[0] == signal["signal"] as? String)
                #expect(row[1] == ((signal["r"] as? Double).map { String(format: "%+.2f", $0) } ?? "–"))
                #expect(row[2] == signal["strength"] as? String)
                #expect(row[3] == "\(signal["customers"] as? Int ?? -1)")
            }
        }
    }

    @Test("A customer's ticket list counts what the list answer counts, with and without filters")
    func ticketList() async throws {
        try await APIHarness.run(store: APIHarness.demo) { harness, client in
            for (question, query) in [("show open tickets for Acme Corp", ""), ("show open P1 tickets for Acme Corp", "?priority=P1"),
                                      ("show open billing tickets for Acme Corp", "?category=billing")] {
                let reply = try await harness.ask(question, as: Self.mike)
                let response = try await client.execute(uri: "/api/tickets/customer/\(Self.acme)\(query)", method: .get, headers: harness.bearer(Self.mike))
                let total = response.json["total_matching"] as? Int ?? -1
                #expect(reply.sections.first?.hasPrefix("*\(total)* ") == true, "\(question): \(reply.sections.first ?? "") vs \(total)")
                let first = try #require((response.json["tickets"] as? [[String: Any]])?.first)
                // Newest first by default, as the answer's table.
                #expect(reply.tables.first?.rows.first?.first == "#\(first["external_id"] as? String ?? "")", "\(question)")
            }
        }
    }

    @Test("A ticket's detail is the ticket answer's: status, priority, SLA, CSAT")
    func ticketDetail() async throws {
        try await APIHarness.run(store: APIHarness.demo) { harness, client in
            let list = try await client.execute(uri: "/api/tickets/customer/\(Self.acme)?status=all&sort=priority", method: .get, headers: harness.bearer(Self.mike))
            let tickets = try #require(list.json["tickets"] as? [[String: Any]])
            let id = try #require(tickets.first?["external_id"] as? String)
            let chat = try await harness.ask("show ticket \(id)", as: Self.mike).fields
            let response = try await client.execute(uri: "/api/tickets/\(id)", method: .get, headers: harness.bearer(Self.mike))
            #expect(response.status == .ok)
            let ticket = try #require(response.json["ticket"] as? [String: Any])
            #expect(chat["Status"] == (ticket["status"] as? String)?.replacingOccurrences(of: "_", with: " "))
            #expect(chat["Priority"] == "\(ticket["priority_code"] as? String ?? "") (\(ticket["priority"] as? String ?? ""))")
            let sla = try #require(response.json["sla"] as? [String: Any])
            let marks = ["met": "✅ met", "on_track": "⏳ on track", "at_risk": "⚠️ at risk", "breached": "🔴 breached"]
            let first = (sla["first_response"] as? [String: Any])?["state"] as? String ?? "", resolution = (sla["resolution"] as? [String: Any])?["state"] as? String ?? ""
            #expect(chat["SLA"] == "first response \(marks[first] ?? "?"), resolution \(marks[resolution] ?? "?")")
            let context = try #require(response.json["context"] as? [String: Any])
            let health = try #require(context["health"] as? [String: Any])
            let snapshot = try await SnapshotBuilder().snapshots(customers: [try #require(try harness.store.customer(id: Self.acme))], store: harness.store,
                                                                 period: .trailing(days: 30, endingAt: APIHarness.now), now: APIHarness.now).perCustomer[0]
            #expect(health["support_health"] as? Double == snapshot.health.score, "the support-health answer's score")
        }
    }

    @Test("The spike check and the support summary are the alert pipeline's detector, and the spikes answer names the same customer")
    func spike() async throws {
        try await APIHarness.run(store: APIHarness.demo) { harness, client in
            let store = harness.store
            let activity = try #require(try store.activity(customerIDs: [Self.acme], since: CustomerActivity.horizon(settings: DetectorSettings(), now: APIHarness.now)).first)
            let alert = try #require(AlertDetectors().detect(activity, now: APIHarness.now).first { $0.kind == .spike })
            let response = try await client.execute(uri: "/api/support/check-spike", method: .post, headers: harness.bearer(Self.mike, [.contentType: "application/json"]),
                                                    body: ByteBuffer(string: #"{"customerId": "\#(Self.acme)"}"#))
            #expect(response.status == .ok)
            let check = response.json
            #expect(check["is_spike"] as? Bool == true)
            #expect(check["severity"] as? String == alert.severity.rawValue)
            #expect(check["ticket_count"] as? Int == Int(alert.numbers["count"] ?? -1))
            #expect(abs((check["spike_multiplier"] as? Double ?? 0) - (alert.numbers["multiple"] ?? -1)) < 1e-9)
            #expect(abs((check["baseline_daily_avg"] as? Double ?? 0) - (alert.numbers["baseline_per_day"] ?? -1)) < 1e-9)
            #expect(check["common_themes"] as? [String] == alert.themes)
            let summary = try await client.execute(uri: "/api/support/summary/\(Self.acme)", method: .get, headers: harness.bearer(Self.mike)).json
            #expect(summary["is_spike"] as? Bool == true && summary["baseline"] as? Double == check["baseline_daily_avg"] as? Double)
            #expect((summary["recent_tickets"] as? [Any])?.count == check["ticket_count"] as? Int)
            let spikes = try await harness.ask("any ticket spikes?", as: Self.mike)
            #expect(spikes.fallbackText.contains("Acme Corp"), "\(spikes.fallbackText)")
        }
    }

    @Test("Zendesk's metrics are the customer's metrics over its Zendesk tickets alone")
    func zendeskMetrics() async throws {
        try await APIHarness.run(store: APIHarness.demo) { harness, client in
            let customer = try #require(try harness.store.customer(id: Self.acme))
            let period = Period.trailing(days: 30, endingAt: APIHarness.now)
            let zendesk = try harness.store.metricsInput(customerIDs: [customer.id], period: period).filter { $0.source == .zendesk }
            let expected = MetricsCalculator().metrics(tickets: zendesk, tiers: [customer.id: customer.tier], period: period, now: APIHarness.now)
            let response = try await client.execute(uri: "/api/integrations/zendesk/metrics/\(Self.acme)", method: .get, headers: harness.bearer(Self.mike)).json
            #expect(response["open_tickets"] as? Int == expected.open)
            #expect(response["escalations"] as? Int == expected.escalations.total)
            #expect(response["csat_score"] as? Double == expected.csat.average)
            let list = try await client.execute(uri: "/api/integrations/zendesk/tickets/\(Self.acme)?status=all", method: .get, headers: harness.bearer(Self.mike)).json
            let tickets = try #require(list["tickets"] as? [[String: Any]])
            #expect(!tickets.isEmpty && tickets.allSatisfy { $0["source_system"] as? String == "zendesk" })
        }
    }
}
