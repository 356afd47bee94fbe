import Foundation
import TicketPulseCore
import TicketPulseStorage

/// PRD-122 FR-5, what the store knows around a ticket: the customer's health (the same
/// snapshot the chat's support-health answer scores, over the last 30 days), its upcoming
/// renewal, the customer's previous tickets of the same category, and whom to talk to.
public struct TicketContext: Codable, Sendable, Equatable {
    public struct Health: Codable, Sendable, Equatable {
        /// The support component, 0–100, and its band.
        public var supportHealth: Double
        public var band: String
        /// The roster's score before support is blended in, and after.
        public var rosterHealth: Double?
        public var overallHealth: Double?
        public var attentionReasons: [String]

        enum CodingKeys: String, CodingKey {
            case supportHealth = "support_health", band, rosterHealth = "roster_health", overallHealth = "overall_health", attentionReasons = "attention_reasons"
        }
    }

    public struct Renewal: Codable, Sendable, Equatable {
        public var date: Date
        public var daysUntil: Int
        public var arr: Double

        enum CodingKeys: String, CodingKey { case date, daysUntil = "days_until", arr }
    }

    public struct Contact: Codable, Sendable, Equatable {
        /// champion, requester, csm or assignee.
        public var role: String
        public var name: String?
        public var email: String?
    }

    public var health: Health?
    /// The renewal date when it is still ahead.
    public var upcomingRenewal: Renewal?
    public var relatedTickets: [SupportTicketRecord]
    public var stakeholders: [Contact]

    enum CodingKeys: String, CodingKey {
        case health, upcomingRenewal = "upcoming_renewal", relatedTickets = "related_tickets", stakeholders
    }

    static func build(for ticket: Ticket, customer: Customer?, store: any Store, settings: AnswerSettings, now: Date) async throws -> TicketContext {
        var stakeholders: [Contact] = []
        guard let customer else {
            if let requester = ticket.requesterEmail { stakeholders.append(Contact(role: "requester", email: requester)) }
            if let assignee = ticket.assignee { stakeholders.append(Contact(role: "assignee", name: assignee)) }
            return TicketContext(health: nil, upcomingRenewal: nil, relatedTickets: [], stakeholders: stakeholders)
        }
        let (snapshots, _) = try await settings.snapshotBuilder.snapshots(customers: [customer], store: store, period: .trailing(days: 30, endingAt: now), now: now)
        let snapshot = snapshots[0]
        let health = Health(supportHealth: snapshot.health.score, band: snapshot.health.band.rawValue, rosterHealth: customer.healthScore,
                            overallHealth: snapshot.health.overall, attentionReasons: snapshot.attention.reasons)
        let renewal = customer.renewalDate.flatMap { date in
            date > now ? Renewal(date: date, daysUntil: Int(date.timeIntervalSince(now) / 86_400), arr: customer.arr) : nil
        }
        // The same customer's earlier tickets of the same kind: what the CSM remembers the
        // account by, and what support should know it went through.
        let earlier = try await store.tickets(TicketQuery(customerIDs: [customer.id], category: ticket.category,
                                                          createdIn: Period(start: .distantPast, end: ticket.createdAt), limit: TicketDetailReport.relatedLimit + 1))
        let related = earlier.tickets.map(\.ticket).filter { $0.source != ticket.source || $0.externalID != ticket.externalID }.prefix(TicketDetailReport.relatedLimit)
        if customer.championName != nil || customer.championEmail != nil {
            stakeholders.append(Contact(role: "champion", name: customer.championName, email: customer.championEmail))
        }
        if let requester = ticket.requesterEmail { stakeholders.append(Contact(role: "requester", email: requester)) }
        if let csm = customer.csmEmail {
            stakeholders.append(Contact(role: "csm", name: try await store.csm(email: csm)?.name, email: csm))
        }
        if let assignee = ticket.assignee { stakeholders.append(Contact(role: "assignee", name: assignee)) }
        return TicketContext(health: health, upcomingRenewal: renewal,
                             relatedTickets: related.map { SupportTicketRecord($0, tier: customer.tier, policy: settings.policy, now: now) },
                             stakeholders: stakeholders)
    }
}
