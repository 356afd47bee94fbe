import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-122's ticket list: filtered by customer, priority, status, category and period (the
/// `list_tickets` answer's store query), sorted by age, priority or customer, exported as
/// CSV, open alerts on the chosen tickets acknowledged in bulk; and one ticket's timeline.
extension WebDashboard {
    static let ticketSorts = ["newest", "age", "priority", "customer"]
    static let ticketListLimit = 500

    struct TicketFilters {
        var customer: String?
        var priorities: [Priority]?
        var status: TicketStatusFilter = .unresolved
        var category: TicketCategory?
        var period: (period: Period, choice: String)?
        var sort = "newest"
    }

    func ticketFilters(_ query: WebForm, scope: AccessScope, now at: Date) throws -> TicketFilters {
        var filters = TicketFilters()
        if let customer = query["customer"], !customer.isEmpty {
            guard scope.allows(customer) else { throw InvalidFilter(name: "customer", value: customer) }
            filters.customer = customer
        }
        let priorities = query.all("priority").filter { !$0.isEmpty }
        if !priorities.isEmpty {
            filters.priorities = try priorities.map { value in
                guard let priority = Priority(rawValue: value.uppercased()) else { throw InvalidFilter(name: "priority", value: value) }
                return priority
            }
        }
        if let status = query["status"], !status.isEmpty {
            guard let parsed = TicketStatusFilter(rawValue: status), parsed != .status(.deleted) else { throw InvalidFilter(name: "status", value: status) }
            filters.status = parsed
        }
        if let category = query["category"], !category.isEmpty {
            guard let parsed = TicketCategory(rawValue: category) else { throw InvalidFilter(name: "category", value: category) }
            filters.category = parsed
        }
        if let period = query["period"], !period.isEmpty { filters.period = try WebPeriod.resolve(period, now: at) }
        if let sort = query["sort"], !sort.isEmpty {
            guard Self.ticketSorts.contains(sort) else { throw InvalidFilter(name: "sort", value: sort) }
            filters.sort = sort
        }
        return filters
    }

    func tickets(_ who: WebAuth.SignedIn, query: WebForm) async throws -> Output {
        let at = now()
        let scope = try await AccessScope.of(who.person, in: store)
        let customers = try await store.customers(ids: scope.queryIDs).sorted { $0.name < $1.name }
        let names = Dictionary(customers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let tiers = Dictionary(customers.map { ($0.id, $0.tier) }, uniquingKeysWith: { first, _ in first })
        var invalid: InvalidFilter?
        var filters = TicketFilters()
        do { filters = try ticketFilters(query, scope: scope, now: at) } catch let error as InvalidFilter { invalid = error }

        var page = TicketPage(tickets: [], totalMatching: 0)
        if invalid == nil {
            page = try await store.tickets(TicketQuery(customerIDs: filters.customer.map { [$0] } ?? scope.queryIDs, status: filters.status,
                                                       priorities: filters.priorities, category: filters.category,
                                                       createdIn: filters.period?.period, limit: Self.ticketListLimit))
        }
        let sorted = page.tickets.sorted { a, b in
            switch filters.sort {
            case "age": a.ticket.createdAt < b.ticket.createdAt
            case "priority": (a.ticket.priority, b.ticket.createdAt) < (b.ticket.priority, a.ticket.createdAt)
            case "customer": (names[a.ticket.customerID ?? ""] ?? "", b.ticket.createdAt) < (names[b.ticket.customerID ?? ""] ?? "", a.ticket.createdAt)
            default: a.ticket.createdAt > b.ticket.createdAt
            }
        }
        let shown = Array(Set(sorted.compactMap(\.ticket.customerID))).sorted()
        if query["format"] == "csv" {
            guard invalid == nil else { return .page(template: "tickets", title: "Tickets", values: ["invalid": invalid!.message], shown: [], status: .badRequest) }
            return .download(fileName: "tickets.csv", contentType: "text/csv; charset=utf-8", body: ticketsCSV(sorted, names: names, tiers: tiers, now: at), shown: shown)
        }
        var values: [String: Any] = [
            "customers": customers.map { ["id": $0.id, "name": $0.name, "selected": $0.id == filters.customer] },
            "priorities": Priority.allCases.map { ["value": $0.rawValue, "label": "\($0.rawValue) \($0.label)", "selected": filters.priorities?.contains($0) ?? false] },
            "statuses": ["unresolved", "all", "resolved", "new", "open", "pending", "on_hold", "solved", "closed"].map {
                ["value": $0, "label": $0 == "unresolved" ? "open (unresolved)" : $0.replacingOccurrences(of: "_", with: " "), "selected": $0 == filters.status.rawValue]
            },
            "categories": TicketCategory.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == filters.category] },
            "periods": [["value": "", "label": "Any time", "selected": filters.period == nil]] + WebPeriod.options(selected: filters.period?.choice ?? "-"),
            "sorts": Self.ticketSorts.map { ["value": $0, "label": $0 == "age" ? "age (oldest first)" : $0 == "newest" ? "newest first" : $0, "selected": $0 == filters.sort] },
            "total": page.totalMatching, "shownCount": sorted.count, "more": page.totalMatching > sorted.count,
            "tickets": sorted.map { ticketRow($0, tier: tiers[$0.ticket.customerID ?? ""], customerName: names[$0.ticket.customerID ?? ""] ?? "–", now: at) },
            "csvHref": "/app/tickets?" + WebForm.encode(query.fields.filter { $0.name != "format" }.map { ($0.name, $0.value) } + [("format", "csv")]),
            "returnQuery": WebForm.encode(query.fields.filter { !["acknowledged", "without_alert", "format"].contains($0.name) }.map { ($0.name, $0.value) }),
            "acknowledged": query["acknowledged"] ?? "", "notAcknowledged": query["without_alert"] ?? "",
        ]
        if let invalid { values["invalid"] = invalid.message }
        return .page(template: "tickets", title: "Tickets", values: values, shown: shown, status: invalid == nil ? .ok : .badRequest)
    }

    func ticketsCSV(_ tickets: [StoredTicket], names: [String: String], tiers: [String: CustomerTier], now at: Date) -> String {
        var lines = [["ticket", "source", "customer", "subject", "priority", "status", "category", "created_at", "age_hours", "sla"]]
        for stored in tickets {
            let ticket = stored.ticket
            let sla = answers.policy.evaluate(ticket, tier: tiers[ticket.customerID ?? ""], now: at)
            lines.append([ticket.externalID, ticket.source.rawValue, names[ticket.customerID ?? ""] ?? "", ticket.subject, ticket.priority.rawValue,
                          ticket.status.rawValue, ticket.category.rawValue, ticket.createdAt.formatted(.iso8601), String(format: "%.1f", ticket.age(at: at) / 3600),
                          WebFormat.slaLabel(sla.overall)])
        }
        return lines.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a field a spreadsheet would run as a formula starts with `'`.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { "\",\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One ticket: its fields, SLA and status timeline (the `ticket_detail` answer's).
    func ticket(_ who: WebAuth.SignedIn, source: String, externalID: String) async throws -> Output {
        let at = now()
        guard let system = SourceSystem(rawValue: source), let stored = try await store.ticket(source: system, externalID: externalID) else { throw NotFound(what: "such ticket") }
        guard try await AccessScope.of(who.person, in: store).allows(stored.ticket.customerID) else { throw NotFound(what: "such ticket", customerIDs: stored.ticket.customerID.map { [$0] } ?? []) }
        let ticket = stored.ticket
        let customer = try await ticket.customerID.asyncFlatMap { try await store.customer(id: $0) }
        let sla = answers.policy.evaluate(ticket, tier: customer?.tier, now: at)
        let events = try await store.events(ticketID: stored.id)
        var values = ticketRow(stored, tier: customer?.tier, customerName: customer?.name ?? "unmatched", now: at)
        values["firstResponseSLA"] = WebFormat.slaLabel(sla.firstResponse.state)
        values["resolutionSLA"] = WebFormat.slaLabel(sla.resolution.state)
        values["requester"] = ticket.requesterEmail ?? "–"
        values["assignee"] = ticket.assignee ?? "unassigned"
        values["opened"] = WebFormat.dateTime(ticket.createdAt)
        if let csat = ticket.csat { values["csat"] = "\(csat.score)/5" + (csat.comment.map { " “\($0)”" } ?? "") }
        if let escalation = ticket.escalation { values["escalation"] = "level \(escalation.level)" + (escalation.reason.map { ": \($0)" } ?? "") }
        values["timeline"] = events.reversed().map { event in
            ["when": WebFormat.dateTime(event.at), "ago": Format.relative(event.at, now: at), "what": TicketDetailReport.describe(event), "kind": event.kind.rawValue]
        }
        return .page(template: "ticket", title: "Ticket #\(ticket.externalID)", values: values, shown: ticket.customerID.map { [$0] } ?? [])
    }

    /// Bulk acknowledgement: every open alert on the chosen tickets, through the alert
    /// buttons' own action (scope-checked and audited `alert:acknowledge` each).
    func acknowledge(_ who: WebAuth.SignedIn, form: WebForm) async throws -> Output {
        let scope = try await AccessScope.of(who.person, in: store)
        var chosen: [StoredTicket] = []
        for key in Set(form.all("ticket")).sorted() {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let system = SourceSystem(rawValue: parts[0]) else { continue }
            if let stored = try await store.ticket(source: system, externalID: parts[1]), scope.allows(stored.ticket.customerID) { chosen.append(stored) }
        }
        let keys = Set(chosen.map { "\($0.ticket.source.rawValue)/\($0.ticket.externalID)" })
        let open = try await store.liveAlerts(customerIDs: scope.queryIDs).filter { stored in
            stored.status == .open && stored.alert.ticket.map { keys.contains("\($0.source.rawValue)/\($0.externalID)") } == true
        }
        for alert in open {
            try await actions.attempt("acknowledge", alertID: alert.id, clicker: who.person.slackUserID ?? who.person.email, person: { who.person }) { authorized in
                try await actions.acknowledge(authorized)
            }
        }
        let covered = Set(open.compactMap { $0.alert.ticket.map { "\($0.source.rawValue)/\($0.externalID)" } })
        let back = WebForm(form["return"] ?? "").fields.filter { !["acknowledged", "without_alert"].contains($0.name) }.map { ($0.name, $0.value) }
        return .redirect("/app/tickets?" + WebForm.encode(back + [("acknowledged", String(open.count)), ("without_alert", String(keys.subtracting(covered).count))]))
    }
}
