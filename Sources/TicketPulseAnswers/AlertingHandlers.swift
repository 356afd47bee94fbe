import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `escalated_tickets`: escalated tickets with reason, level and status.
struct EscalatedTicketsHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let asked = try await context.ticketScope()
        let customer = asked.named.count == 1 ? asked.named.first : nil
        let sorted = try await EscalatedTickets.find(in: context.store, customerIDs: asked.ids, status: context.slots.status ?? .all,
                                                     escalatedIn: context.slots.period?.period)
        let subject = asked.subject
        guard !sorted.isEmpty else {
            let text = "No escalated tickets for \(subject)\(context.slots.period.map { " \($0.text)" } ?? "")."
            return try await context.nothingFound(header: "Escalations: \(subject)", text, shown: customer.map { [$0.id] } ?? asked.named.map(\.id))
        }
        let shown = sorted.prefix(context.settings.listLimit)
        let names = try await TicketTable.names(context.store, of: shown.map(\.ticket))
        let rows = shown.map { stored -> [String] in
            let ticket = stored.ticket
            return ["#\(ticket.externalID)", names[ticket.customerID ?? ""] ?? "–", TicketTable.shortSubject(ticket.subject, limit: 36),
                    "L\(ticket.escalation?.level ?? 1)", ticket.escalation?.reason ?? "–", ticket.isUnresolved ? "open" : "resolved"]
        }
        let open = sorted.filter(\.ticket.isUnresolved).count
        let blocks: [ReplyBlock] = [
            .section("*\(sorted.count)* escalated ticket\(sorted.count == 1 ? "" : "s") for \(subject), *\(open) still open*."),
            .table(ReplyTable(columns: ["Ticket", "Customer", "Subject", "Level", "Reason", "Status"], rows: rows, omittedRows: sorted.count - shown.count)),
            await .context(try Format.freshness(store: context.store, now: context.now)),
        ]
        return HandlerResult(Reply(header: "Escalations: \(subject)", blocks: blocks, fallbackText: "\(sorted.count) escalated tickets for \(subject), \(open) open."),
                             shown: Array(Set(shown.compactMap(\.ticket.customerID))).sorted())
    }
}

/// `sla_breaches`: open tickets breaching or about to breach, and the compliance rate.
struct SLABreachesHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers = try await context.askedCustomers()
        let period = context.period(defaultDays: 30)
        let tiers = Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.tier) })
        let names = Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.name) })
        // SLA figures count tickets created in the period; the list, unresolved ones.
        let tickets = try await context.store.slaInput(customerIDs: customers.map(\.id), period: period)
        let filtered = context.slots.priority.map { priorities in tickets.filter { priorities.contains($0.priority) } } ?? tickets
        let metrics = context.settings.calculator.metrics(tickets: filtered, tiers: tiers, period: period, now: context.now)
        let atRisk = filtered.filter(\.isUnresolved).compactMap { ticket -> (Ticket, SLAEvaluation)? in
            let sla = context.settings.policy.evaluate(ticket, tier: tiers[ticket.customerID ?? ""], now: context.now)
            return sla.overall >= .atRisk ? (ticket, sla) : nil
        }.sorted { ($0.1.overall, $1.0.priority, $1.0.createdAt) > ($1.1.overall, $0.0.priority, $0.0.createdAt) }
        let subject = customers.count == 1 ? customers[0].name : context.slots.hasCustomerFilter ? await context.filterSubject() : "your accounts"
        var blocks: [ReplyBlock] = [
            .fields([
                ReplyField("SLA met", metrics.slaMetPercent.map(Format.percent) ?? "n/a"),
                ReplyField("First response", SupportMetricsHandler.slaText(metrics.firstResponse)),
                ReplyField("Resolution", SupportMetricsHandler.slaText(metrics.resolution)),
                ReplyField("Open breaching / at risk", "\(atRisk.filter { $0.1.overall == .breached }.count) / \(atRisk.filter { $0.1.overall == .atRisk }.count)"),
            ]),
        ]
        if atRisk.isEmpty {
            blocks.append(.section("No open ticket is breaching or about to breach its SLA."))
        } else {
            let shown = atRisk.prefix(context.settings.listLimit)
            blocks.append(.table(ReplyTable(columns: ["Ticket", "Customer", "Pri", "Age", "SLA", "Due"], rows: shown.map { ticket, sla in
                let clock = sla.firstResponse.state >= sla.resolution.state ? sla.firstResponse : sla.resolution
                let which = clock == sla.firstResponse ? "first response" : "resolution"
                let due = clock.dueAt < context.now ? "\(which) \(Format.relative(clock.dueAt, now: context.now))" : "\(which) in \(Format.age(clock.dueAt.timeIntervalSince(context.now)))"
                return ["#\(ticket.externalID)", names[ticket.customerID ?? ""] ?? "–", ticket.priority.rawValue, Format.age(ticket.age(at: context.now)), TicketTable.mark(sla.overall), due]
            }, omittedRows: atRisk.count - shown.count)))
        }
        blocks.append(.context("Compliance: \(context.periodText(defaultDays: 30)); targets P1 1h/4h, P2 4h/24h, P3 8h/48h, P4 24h/72h unless your tier overrides them. " + (try await Format.freshness(store: context.store, now: context.now))))
        let fallback = "SLA for \(subject): \(metrics.slaMetPercent.map(Format.percent) ?? "n/a") met; \(atRisk.count) open tickets breaching or at risk."
        return HandlerResult(Reply(header: "SLA: \(subject)", blocks: blocks, fallbackText: fallback), shown: customers.map(\.id))
    }
}

/// `ticket_spikes`: customers whose last-day volume is over 3× their 30-day daily average.
struct TicketSpikesHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers = try await context.customersInScope()
        let (snapshots, _) = try await context.settings.snapshotBuilder.snapshots(customers: customers, store: context.store, period: .trailing(days: 30, endingAt: context.now), now: context.now)
        let spiking = snapshots.filter(\.isSpiking).sorted { ($0.lastDayCount, $0.spikeMultiplier ?? 0) > ($1.lastDayCount, $1.spikeMultiplier ?? 0) }
        guard !spiking.isEmpty else {
            let text = "No ticket spikes in your accounts in the last 24 hours (a spike is more than 3× the customer's 30-day daily average)."
            return try await context.nothingFound(header: "Ticket spikes", text, shown: customers.map(\.id))
        }
        var blocks: [ReplyBlock] = [.section("*\(spiking.count)* customer\(spiking.count == 1 ? "" : "s") with a ticket spike in the last 24 hours.")]
        let lastDay = Period(start: context.now.addingTimeInterval(-86_400), end: context.now)
        for snapshot in spiking.prefix(10) {
            let recent = try await context.store.tickets(TicketQuery(customerIDs: [snapshot.customer.id], createdIn: lastDay, limit: 200)).tickets.map(\.ticket)
            let themes = Themes.recurring(in: recent.map(\.subject), limit: 3).map { "\($0.phrase) (\($0.count))" }
            let volume = "\(snapshot.lastDayCount) ticket\(snapshot.lastDayCount == 1 ? "" : "s") in 24 h"
            let comparison = switch (snapshot.dailyBaseline, snapshot.spikeMultiplier) {
            case (let baseline?, let multiplier?): String(format: baseline < 1 ? "vs a baseline of %.2f/day (%.1f×)" : "vs a baseline of %.1f/day (%.1f×)", baseline, multiplier)
            default: "no 30-day baseline yet"
            }
            blocks.append(.section("*\(snapshot.customer.name)*: \(volume) \(comparison) — severity *\(Self.severity(snapshot.spikeMultiplier))*"
                + (themes.isEmpty ? "" : "\nThemes: " + themes.joined(separator: ", "))))
        }
        blocks.append(.actions(spiking.prefix(5).compactMap {
            AnswerButton.viewOpenTickets.action("Tickets: \($0.customer.name)", AnswerRequest(intent: .listTickets, customer: $0.customer.id, status: .unresolved))
        }))
        await blocks.append(.context("Rule: over 3× the 30-day daily average within 24 h (3–5× high, over 5× critical). " + (try Format.freshness(store: context.store, now: context.now))))
        let fallback = "Ticket spikes: " + spiking.map { "\($0.customer.name) (\($0.lastDayCount) in 24 h\($0.spikeMultiplier.map { String(format: ", %.1f×", $0) } ?? ""))" }.joined(separator: "; ")
        return HandlerResult(Reply(header: "Ticket spikes", blocks: blocks, fallbackText: fallback), shown: customers.map(\.id))
    }

    /// Over 5× the baseline is critical, over 3× high; a burst without a baseline is one to watch.
    static func severity(_ multiplier: Double?) -> String {
        guard let multiplier else { return "watch" }
        return multiplier > 5 ? "critical" : "high"
    }
}
