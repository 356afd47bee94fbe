import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-156 §7.2 with PRD-184's ticket panel and PRD-087 §5.2's banner: status cards, open
/// tickets, 12 weeks of volume and CSAT, top categories, escalation history, the red banner
/// of an open spike. The figures are the `support_metrics` and `support_health` answers'.
extension WebDashboard {
    static let trendWeeks = 12

    func customer(_ who: WebAuth.SignedIn, id: String, query: WebForm) async throws -> Output {
        let at = now()
        let scope = try await AccessScope.of(who.person, in: store)
        guard scope.allows(id), let customer = try await store.customer(id: id) else { throw NotFound(what: "such customer", customerIDs: [id]) }
        var invalid: InvalidFilter?
        var (period, choice) = (Period.trailing(days: 30, endingAt: at), WebPeriod.defaultChoice)
        do { (period, choice) = try WebPeriod.resolve(query["period"], now: at) } catch let error as InvalidFilter { invalid = error }

        let snapshot = try await answers.snapshotBuilder.snapshots(customers: [customer], store: store, period: period, now: at).perCustomer[0]
        let metrics = snapshot.metrics
        let open = try await store.tickets(TicketQuery(customerIDs: [id], status: .unresolved, limit: 200))
        let rows = open.tickets.sorted { ($0.ticket.priority, $0.ticket.createdAt) < ($1.ticket.priority, $1.ticket.createdAt) }.map { ticketRow($0, tier: customer.tier, now: at) }

        // Twelve whole weeks back from this one, as the weekly chart of `support_metrics` counts them.
        let trend = Period.trailing(days: 7 * Self.trendWeeks, endingAt: at)
        let trendTickets = try await store.metricsInput(customerIDs: [id], period: trend)
        let trendMetrics = answers.calculator.metrics(tickets: trendTickets, tiers: [id: customer.tier], period: trend, now: at)
        let weeks = trendMetrics.weeklyVolume.filter { $0.start <= at }.suffix(Self.trendWeeks)
        let csatPoints = CSATSeries.points(trendTickets, period: trend)
        let escalated = try await EscalatedTickets.find(in: store, customerIDs: [id], status: .all, escalatedIn: nil)
        let spikes = try await store.liveAlerts(customerIDs: [id]).filter { $0.alert.kind == .spike || $0.alert.kind == .burst }

        var values: [String: Any] = [
            "id": customer.id, "name": customer.name, "tier": customer.tier.rawValue,
            "periods": WebPeriod.options(selected: choice), "period": choice,
            "open": metrics.open, "openP1P2": snapshot.openP1P2,
            "avgResolution": metrics.resolution.averageHours.map { String(format: "%.0f hours", $0) } ?? "n/a",
            "resolutionSLA": metrics.resolution.metPercent.map { Format.percent($0) + " met" } ?? "no decided clocks",
            "firstResponseSLA": metrics.firstResponse.metPercent.map { Format.percent($0) + " met" } ?? "no decided clocks",
            "csat": metrics.csat.average.map { String(format: "%.1f", $0) } ?? "n/a",
            "csatTrend": "\(metrics.csat.trend.arrow) \(metrics.csat.trend.words)",
            "csatResponses": metrics.csat.responses,
            "health": String(format: "%.0f", snapshot.health.score), "healthBand": snapshot.health.band.rawValue.replacingOccurrences(of: "_", with: " "),
            "attention": snapshot.attention.reasons.joined(separator: "; "),
            "tickets": rows, "ticketsMore": open.totalMatching > open.tickets.count ? "\(open.totalMatching - open.tickets.count)" : "",
            "ticketsHref": "/app/tickets?customer=\(customer.id)",
            "volumeChart": SVGChart.line(id: "volume-chart", title: "Tickets per week, last \(Self.trendWeeks) weeks",
                                         points: weeks.map { SVGChart.Point(label: Format.day($0.start), value: Double($0.count), display: "\($0.count) tickets") }),
            "csatChart": SVGChart.line(id: "csat-chart", title: "CSAT per week, last \(Self.trendWeeks) weeks", points: csatPoints.map {
                SVGChart.Point(label: Format.day($0.start), value: $0.average, display: String(format: "%.1f (%d ratings)", $0.average, $0.ratings))
            }, maximum: 5),
            "hasCSAT": !csatPoints.isEmpty,
            "categoriesChart": SVGChart.bars(id: "categories-chart", title: "Top issue categories, \(choice)", bars: metrics.topCategories.prefix(6).map {
                SVGChart.Point(label: $0.category.label, value: $0.share * 100, display: "\($0.count) (\(Format.percent($0.share * 100)))")
            }, maximum: 100),
            "hasCategories": !metrics.topCategories.isEmpty,
            "escalations": escalated.prefix(20).map { stored -> [String: Any] in
                let ticket = stored.ticket
                return ["href": "/app/tickets/" + Self.ticketKey(ticket), "id": ticket.externalID, "subject": ticket.subject, "level": ticket.escalation?.level ?? 1,
                        "reason": ticket.escalation?.reason ?? "–", "when": (ticket.escalation?.escalatedAt).map(WebFormat.dateTime) ?? "–",
                        "status": ticket.isUnresolved ? "open" : "resolved"]
            },
            "spikes": spikes.map { stored -> [String: Any] in
                ["title": stored.alert.title, "explanation": stored.alert.explanation, "draftHref": "/app/alerts/\(stored.id)/draft",
                 "ticketsHref": "/app/tickets?customer=\(customer.id)&period=last+7+days", "detected": Format.relative(stored.alert.detectedAt, now: at),
                 "severity": stored.alert.severity.rawValue]
            },
        ]
        if let invalid { values["invalid"] = invalid.message }
        values["draftSaved"] = query["draft"] == "saved"
        return .page(template: "customer", title: customer.name, values: values, shown: [customer.id], status: invalid == nil ? .ok : .badRequest)
    }

    /// A ticket in the dashboard's paths and forms: "zendesk/4521".
    static func ticketKey(_ ticket: Ticket) -> String {
        ticket.source.rawValue + "/" + (ticket.externalID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ticket.externalID)
    }

    /// One row of a ticket table: priority colour, age, SLA state, its link in the support system.
    func ticketRow(_ stored: StoredTicket, tier: CustomerTier?, customerName: String? = nil, now at: Date) -> [String: Any] {
        let ticket = stored.ticket
        let sla = answers.policy.evaluate(ticket, tier: tier, now: at)
        var row: [String: Any] = [
            "formKey": ticket.source.rawValue + "/" + ticket.externalID, "href": "/app/tickets/" + Self.ticketKey(ticket), "id": ticket.externalID, "subject": ticket.subject,
            "priority": ticket.priority.rawValue, "priorityLabel": ticket.priority.label, "priorityClass": "priority-\(ticket.priority.rawValue.lowercased())",
            "status": ticket.status.rawValue.replacingOccurrences(of: "_", with: " "), "category": ticket.category.label,
            "age": Format.age(ticket.age(at: at)), "ageSeconds": Int(ticket.age(at: at)),
            "sla": WebFormat.slaLabel(sla.overall), "slaClass": WebFormat.slaClass(sla.overall),
            "source": ticket.source.rawValue.capitalized,
        ]
        if let url = links.url(for: ticket) { row["sourceURL"] = url }
        if let customerName { row["customer"] = customerName; row["customerHref"] = "/app/customers/\(ticket.customerID ?? "")" }
        return row
    }
}
