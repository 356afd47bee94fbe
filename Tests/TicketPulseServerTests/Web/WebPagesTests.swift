import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseCore
import TicketPulseDemo
import TicketPulseServer
import TicketPulseStorage

/// Every page's numbers against the Slack answer to the same question (`ask`), and the
/// portfolio's against the HTTP API's report too, over the
/// demo store, for a CSM and a manager.
@Suite("Dashboard pages agree with the Slack answers", .serialized)
struct WebPagesTests {
    @Test("Portfolio: open tickets, CSAT, open escalations, SLA met and who needs attention are the summary's", arguments: ["mike", "maria"])
    func portfolio(who: String) async throws {
        try await WebHarness.run { harness in
            let person = WebHarness.person(who)
            let cookie = try await harness.signIn(person)
            let html = try await harness.page("/app", cookie: cookie)
            let reply = try await harness.ask("give me a support summary", as: person)
            let fields = WebHarness.fields(reply)
            let open = try #require(WebHarness.value("stat-open", in: html))
            #expect(fields["Open tickets"]?.hasPrefix(open + " (") == true, "page \(open), Slack \(fields["Open tickets"] ?? "-")")
            let csat = try #require(WebHarness.value("stat-csat", in: html))
            #expect(fields["Avg CSAT"]?.hasPrefix(csat + "/5") == true, "page \(csat), Slack \(fields["Avg CSAT"] ?? "-")")
            #expect(WebHarness.value("stat-escalations", in: html) == fields["Open escalations"])
            #expect(WebHarness.value("stat-sla", in: html) == fields["SLA met"])
            // The customers needing attention: the same ones, in the same order.
            let table = WebHarness.tables(reply).first { $0.columns.first == "Customer" && $0.columns.contains("Why") }
            let slackNames = table?.rows.map { $0[0] } ?? []
            let pageNames = html.matches(of: #/<li data-customer="[^"]+"><span aria-hidden="true" class="bang">!</span> <a href="[^"]+">([^<]+)</a>/#).map { String($0.1) }
            #expect(!slackNames.isEmpty, "the demo plants customers needing attention")
            #expect(Array(pageNames.prefix(slackNames.count)) == slackNames)
            #expect(html.contains(#"<svg class="chart chart-bars" id="sla-chart" role="img""#), "the SLA bars are an SVG with a text alternative")
            #expect(html.contains("Target: 90%"))
        }
    }

    @Test("Portfolio: open tickets, open escalations and who needs attention are the HTTP API's portfolio report", arguments: ["mike", "maria"])
    func portfolioAgreesWithTheAPI(who: String) async throws {
        try await WebHarness.run { harness in
            let person = WebHarness.person(who)
            let html = try await harness.page("/app", cookie: try await harness.signIn(person))
            let token = try await APITokenIssuer.issue(for: person.email, name: "test", store: harness.store, now: WebHarness.now).secret
            let response = try await harness.client.execute(uri: "/api/reports/support-metrics?period=30d", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            let summary = try #require(body["summary"] as? [String: Any])
            #expect(WebHarness.value("stat-open", in: html) == (summary["open_tickets"] as? Int).map(String.init))
            #expect(WebHarness.value("stat-escalations", in: html) == (summary["open_escalations"] as? Int).map(String.init))
            let customers = try #require(body["customers"] as? [[String: Any]])
            let needing = Set(customers.filter { $0["needs_attention"] as? Bool == true }.compactMap { $0["name"] as? String })
            let pageNames = html.matches(of: #/<li data-customer="[^"]+"><span aria-hidden="true" class="bang">!</span> <a href="[^"]+">([^<]+)</a>/#).map { String($0.1) }
            #expect(!needing.isEmpty)
            #expect(Set(pageNames) == needing, "page \(pageNames), API \(needing.sorted())")
            #expect(summary["customers_needing_attention"] as? Int == pageNames.count)
        }
    }

    @Test("Customer: open tickets and the CSAT of the last 30 days are the HTTP API's support metrics")
    func customerAgreesWithTheAPI() async throws {
        try await WebHarness.run { harness in
            let html = try await harness.page("/app/customers/cus_acme?period=last%2030%20days", cookie: try await harness.signIn(WebHarness.mike))
            let token = try await APITokenIssuer.issue(for: WebHarness.mike.email, name: "test", store: harness.store, now: WebHarness.now).secret
            let response = try await harness.client.execute(uri: "/api/reports/support-metrics/cus_acme?period=30d", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            let metrics = try #require(body["customer"] as? [String: Any])
            let tickets = try #require(metrics["tickets"] as? [String: Any])
            #expect(WebHarness.value("stat-open", in: html) == (tickets["open"] as? Int).map(String.init))
            let satisfaction = try #require(metrics["satisfaction"] as? [String: Any])
            let csat = (satisfaction["avg_csat"] as? Double).map { String(format: "%.1f", $0) } ?? "n/a"
            #expect(WebHarness.value("stat-csat", in: html) == csat, "page \(WebHarness.value("stat-csat", in: html) ?? "-"), API \(csat)")
            #expect(html.contains("(\(satisfaction["csat_responses"] as? Int ?? -1) ratings)"))
        }
    }

    @Test("A manager filters the team by CSM: the portfolio is then that CSM's, as their own summary says")
    func managerFiltersByCSM() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.maria)
            let html = try await harness.page("/app?csm=sam.carter%40example.com", cookie: cookie)
            let sams = WebHarness.fields(try await harness.ask("give me a support summary", as: WebHarness.sam))
            let open = try #require(WebHarness.value("stat-open", in: html))
            #expect(sams["Open tickets"]?.hasPrefix(open + " (") == true)
            #expect(html.contains("Stark Industries") && !html.contains("Acme Corp"), "only Sam's accounts")
            // A CSM sees no CSM filter; a CSM outside the manager's view is an invalid filter.
            #expect(!(try await harness.page("/app", cookie: try await harness.signIn(WebHarness.mike))).contains(#"name="csm""#))
            let bad = try await harness.page("/app?csm=nobody%40example.com", cookie: cookie, status: .badRequest)
            #expect(bad.contains("Invalid filter csm"))
        }
    }

    @Test("Customer: open tickets, CSAT, resolution SLA and health are support_metrics' and support_health's; the charts are SVG")
    func customer() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.mike)
            let html = try await harness.page("/app/customers/cus_acme", cookie: cookie)
            let metrics = WebHarness.fields(try await harness.ask("support metrics for Acme", as: WebHarness.mike))
            #expect(WebHarness.value("stat-open", in: html) == metrics["Open now"])
            let csat = try #require(WebHarness.value("stat-csat", in: html))
            #expect(metrics["CSAT"]?.hasPrefix(csat == "n/a" ? "no ratings" : csat + "/5") == true, "page \(csat), Slack \(metrics["CSAT"] ?? "-")")
            let resolution = try #require(metrics["Resolution SLA"])
            #expect(html.contains("SLA: " + (resolution.split(separator: " ").first.map(String.init) ?? "?") + " met"), "Slack: \(resolution)")
            let health = WebHarness.fields(try await harness.ask("what's the support health for Acme?", as: WebHarness.mike))
            #expect(health["Support health"]?.hasPrefix((WebHarness.value("stat-health", in: html) ?? "?") + "/100") == true)
            for chart in ["volume-chart", "categories-chart"] {
                #expect(html.contains(#"id="\#(chart)" role="img" aria-labelledby="\#(chart)-title \#(chart)-desc""#), "\(chart)")
            }
            // The open tickets table: the list answer's count, each with a link into Zendesk.
            let list = WebHarness.sections(try await harness.ask("show open tickets for Acme", as: WebHarness.mike)).first ?? ""
            let rows = html.components(separatedBy: #"Open in Zendesk</a>"#).count - 1
            #expect(list.hasPrefix("*\(rows)* open tickets for *Acme Corp*"), "page \(rows) rows, Slack: \(list)")
            #expect(html.contains("https://acme-support.zendesk.com/agent/tickets/"))
        }
    }

    @Test("Customer: an open spike shows the red banner with Address spike, which opens the alert's draft")
    func spikeBanner() async throws {
        try await WebHarness.run { harness in
            let spikes = try await harness.store.liveAlerts().filter { $0.alert.kind == .spike }
            let spike = try #require(spikes.first, "the demo plants a spike")
            let owner = try #require(try await harness.store.customer(id: spike.alert.customerID)?.csmEmail)
            let person = try #require(DemoRoster.staff.first { $0.email == owner })
            let cookie = try await harness.signIn(person)
            let html = try await harness.page("/app/customers/\(spike.alert.customerID)", cookie: cookie)
            #expect(html.contains(#"id="spike-banner""#) && html.contains("Address spike"))
            let draft = try await harness.page("/app/alerts/\(spike.id)/draft", cookie: cookie)
            #expect(draft.contains(#"name="body""#) && draft.contains(spike.alert.customerName))
            // Saving the draft keeps it with the alert, as the Slack modal does.
            let saved = try await harness.post("/app/alerts/\(spike.id)/draft", form: [("csrf", try WebHarness.csrf(in: draft)), ("subject", "About your tickets"), ("body", "We are on it.")], cookie: cookie)
            #expect(saved.status == .seeOther)
            #expect(try await harness.store.emailDrafts(alertID: spike.id).last?.body == "We are on it.")
            // A customer without an open spike has no banner.
            let surging = Set(try await harness.store.liveAlerts().filter { $0.alert.kind == .spike || $0.alert.kind == .burst }.map(\.alert.customerID))
            let calm = try await harness.store.customers().first { $0.csmEmail == owner && !surging.contains($0.id) }
            if let calm { #expect(!(try await harness.page("/app/customers/\(calm.id)", cookie: cookie)).contains("spike-banner")) }
        }
    }

    @Test("Tickets: filters and the count match list_tickets; sorting; CSV export; a ticket's timeline")
    func tickets() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.mike)
            let all = try await harness.page("/app/tickets", cookie: cookie)
            let answer = WebHarness.sections(try await harness.ask("show my open tickets", as: WebHarness.mike)).first ?? ""
            let total = try #require(WebHarness.value("ticket-count", in: all))
            #expect(answer.hasPrefix("*\(total)* open tickets for *your accounts*"), "page \(total), Slack: \(answer)")
            let p1 = try await harness.page("/app/tickets?customer=cus_acme&priority=P1&status=unresolved", cookie: cookie)
            let p1Answer = WebHarness.sections(try await harness.ask("show P1 tickets for Acme", as: WebHarness.mike)).first ?? ""
            let p1Total = try #require(WebHarness.value("ticket-count", in: p1))
            #expect(p1Answer.hasPrefix("*\(p1Total)* open P1 tickets for *Acme Corp*") || (p1Total == "0" && p1Answer.isEmpty), "page \(p1Total), Slack: \(p1Answer)")

            // Sorted by priority: no P2 before a P1.
            let byPriority = try await harness.page("/app/tickets?sort=priority", cookie: cookie)
            let priorities = byPriority.matches(of: #/<span class="pill priority-p(\d)">/#).map { Int($0.1)! }
            #expect(priorities == priorities.sorted() && !priorities.isEmpty)

            let csv = try await harness.get("/app/tickets?customer=cus_acme&format=csv", cookie: cookie)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.first == "ticket,source,customer,subject,priority,status,category,created_at,age_hours,sla")
            #expect(lines.count - 1 == Int(try #require(WebHarness.value("ticket-count", in: try await harness.page("/app/tickets?customer=cus_acme", cookie: cookie)))))

            let link = try #require(all.firstMatch(of: #/<a href="(/app/tickets/zendesk/[^"]+)">#/#)).1
            let detail = try await harness.page(String(link), cookie: cookie)
            #expect(detail.contains(#"id="timeline""#) && detail.contains("created"))
        }
    }

    @Test("Escalations: a card per open spike or escalation alert; the escalated tickets are escalated_tickets'")
    func escalations() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.maria)
            let html = try await harness.page("/app/escalations", cookie: cookie)
            let answer = WebHarness.sections(try await harness.ask("are there any escalated tickets?", as: WebHarness.maria)).first ?? ""
            let total = try #require(html.firstMatch(of: #/<strong data-value="(\d+)">\d+</strong> escalated tickets, <strong data-value="(\d+)">/#))
            #expect(answer.hasPrefix("*\(total.1)* escalated ticket") && answer.contains("*\(total.2) still open*"), "page \(total.1)/\(total.2), Slack: \(answer)")
            let alerts = try await harness.store.liveAlerts().filter { [.spike, .burst, .escalation].contains($0.alert.kind) }
            #expect(html.matches(of: #/<article class="card escalation/#).count == min(50, alerts.count))
            #expect(html.contains("<progress"), "each card shows its progress")
        }
    }

    @Test("Settings: what the page saves is what the chat's notification settings answer shows")
    func settings() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.mike)
            let page = try await harness.page("/app/settings", cookie: cookie)
            let saved = try await harness.post("/app/settings", form: [
                ("csrf", try WebHarness.csrf(in: page)), ("dm", "P1"), ("dm", "P2"), ("dm", "P3"), ("digest", "on"), ("digest_time", "08:30"),
                ("digest_delivery", "both"), ("quiet", "on"), ("quiet_start", "21"), ("quiet_end", "6"),
            ], cookie: cookie)
            #expect(saved.status == .seeOther)
            let fields = WebHarness.fields(try await harness.ask("what are my notification settings?", as: WebHarness.mike))
            #expect(fields["DM me for"] == "P1, P2, P3")
            #expect(fields["Daily digest"] == "08:30 UTC")
            #expect(fields["Digest by"] == "Slack and email (mike.chen@example.com)")
            #expect(fields["Quiet hours"] == "21:00–06:00 UTC")
            let after = try await harness.page("/app/settings?saved=1", cookie: cookie)
            #expect(after.contains("<dd>P1, P2, P3</dd>") && after.contains("<dd>08:30 UTC</dd>"))
            // A bad value is refused whole: nothing changes.
            let bad = try await harness.post("/app/settings", form: [("csrf", try WebHarness.csrf(in: after)), ("dm", "P1"), ("digest", "on"), ("digest_time", "25:99")], cookie: cookie)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("Invalid setting digest_time"))
            #expect(try await harness.store.preferences(email: WebHarness.mike.email).dmPriorities == [.p1, .p2, .p3])
        }
    }
}

@Suite("Dashboard templates")
struct WebTemplateTests {
    @Test("An empty value is false in a template: no empty notice, no link without an address")
    func emptyIsFalse() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.mike)
            let escalations = try await harness.page("/app/escalations", cookie: cookie)
            #expect(!escalations.contains(#"href="""#), "a card without a draft has no empty link")
            #expect(!escalations.contains("Acknowledged by </p>"), "no one named: no line")
            let login = String(buffer: try await harness.get("/app/login", cookie: nil).body)
            #expect(!login.contains(#"role="alert"></p>"#) && !login.contains(#"class="notice""#), "no empty notice")
        }
    }
}
