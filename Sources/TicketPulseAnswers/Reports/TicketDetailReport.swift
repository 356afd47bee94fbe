import Foundation
import TicketPulseCore
import TicketPulseStorage

/// One ticket with its timeline, notes, CSAT and SLA (the chat's `ticket_detail` answer),
/// and for the HTTP API and the dashboard PRD-122 FR-5's context: the customer's health,
/// its upcoming renewal, related previous tickets and the people to talk to.
public struct TicketDetailReport: Sendable {
    public var stored: StoredTicket
    public var customer: Customer?
    public var sla: SLAEvaluation
    /// Oldest first.
    public var events: [TicketEvent]
    /// CSM notes and escalation requests, with their write-back status.
    public var actions: [TicketAction]
    /// Built only when asked for (`withContext`): the chat's answer shows none of it.
    public var context: TicketContext?

    public var ticket: Ticket { stored.ticket }

    /// How many previous tickets the context lists.
    public static let relatedLimit = 5

    public static func build(_ stored: StoredTicket, store: any Store, settings: AnswerSettings, now: Date, withContext: Bool) async throws -> TicketDetailReport {
        let ticket = stored.ticket
        let customer: Customer? = if let id = ticket.customerID { try await store.customer(id: id) } else { nil }
        let sla = settings.policy.evaluate(ticket, tier: customer?.tier, now: now)
        var report = TicketDetailReport(stored: stored, customer: customer, sla: sla, events: try await store.events(ticketID: stored.id),
                                        actions: try await store.actions(ticketID: stored.id), context: nil)
        if withContext { report.context = try await TicketContext.build(for: ticket, customer: customer, store: store, settings: settings, now: now) }
        return report
    }

    /// A line of the timeline as people read it.
    public static func describe(_ event: TicketEvent) -> String {
        switch event.kind {
        case .created: "created" + (event.detail.map { " as \($0)" } ?? "")
        case .status: "status \(event.from ?? "–") → \(event.to ?? "–")"
        case .priority: "priority \(event.from ?? "–") → \(event.to ?? "–")"
        case .category: "category \(event.from ?? "–") → \(event.to ?? "–")"
        case .escalated: "escalated to level \(event.to ?? "1")" + (event.detail.map { ": \($0)" } ?? "")
        case .escalationRequested: "escalation requested by \(event.actor ?? "a CSM")" + (event.detail.map { ": \($0)" } ?? "")
        case .customerReply: "customer replied"
        case .agentReply: "first agent reply" + (event.actor.map { " (\($0))" } ?? "")
        case .csatReceived: "CSAT \(event.to ?? "?")/5" + (event.detail.map { ": “\($0)”" } ?? "")
        case .noteAdded: "note by \(event.actor ?? "a CSM"): \(event.detail ?? "")"
        case .customerMatched: "matched to \(event.to ?? "a customer")"
        case .reopened: "reopened (\(event.from ?? "–") → \(event.to ?? "–"))"
        }
    }

    /// The ticket as the HTTP API returns it.
    public func detail(now: Date) -> TicketDetail {
        TicketDetail(
            ticket: SupportTicketRecord(ticket, sla: sla, now: now),
            customerName: customer?.name, description: ticket.description, tags: ticket.tags,
            sla: TicketDetail.SLA(sla),
            csat: ticket.csat.map { TicketDetail.CSAT(score: $0.score, comment: $0.comment, ratedAt: $0.ratedAt) },
            timeline: events.map { TicketDetail.TimelineEntry(at: $0.at, kind: $0.kind.rawValue, from: $0.from, to: $0.to, actor: $0.actor, detail: $0.detail, text: Self.describe($0)) },
            notes: actions.map { TicketDetail.Note(kind: $0.kind.rawValue, actor: $0.actor, body: $0.body, createdAt: $0.createdAt, writebackStatus: $0.writebackStatus) },
            context: context
        )
    }
}
