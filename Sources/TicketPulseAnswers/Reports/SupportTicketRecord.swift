import Foundation
import TicketPulseCore

/// PRD-156 §6.1 `SupportTicket` (with PRD-122's fields beside it): one ticket as reports and
/// lists carry it, its SLA judged by the same policy the chat's ticket tables mark.
public struct SupportTicketRecord: Codable, Sendable, Equatable {
    /// "zendesk:4521": unique across systems, and what `/api/tickets/{ticketId}` takes.
    public var ticketID: String
    public var externalID: String
    public var sourceSystem: String
    public var customerID: String?
    public var subject: String
    public var category: String
    /// PRD-156's words: critical, high, medium, low.
    public var priority: String
    /// PRD-122's P1…P4.
    public var priorityCode: String
    public var status: String
    public var assignedAgent: String?
    public var requesterEmail: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var closedAt: Date?
    /// Hours from creation: the ticket's age while open, its time to resolution after.
    public var ageHours: Double
    public var slaFirstResponseTarget: Double
    public var slaResolutionTarget: Double
    /// nil while the clock runs.
    public var slaFirstResponseMet: Bool?
    public var slaResolutionMet: Bool?
    /// met, on_track, at_risk or breached: the worse of the two clocks.
    public var slaState: String
    public var csatScore: Int?
    public var csatFeedback: String?
    public var isEscalated: Bool
    public var escalationReason: String?
    public var escalationLevel: Int?

    /// The fields in order, as a CSV export's columns.
    public static var fieldNames: [String] { CodingKeys.allCases.map(\.stringValue) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ticketID = "ticket_id", externalID = "external_id", sourceSystem = "source_system", customerID = "customer_id"
        case subject, category, priority, priorityCode = "priority_code", status
        case assignedAgent = "assigned_agent", requesterEmail = "requester_email"
        case createdAt = "created_at", updatedAt = "updated_at", firstResponseAt = "first_response_at", resolvedAt = "resolved_at", closedAt = "closed_at"
        case ageHours = "age_hours"
        case slaFirstResponseTarget = "sla_first_response_target", slaResolutionTarget = "sla_resolution_target"
        case slaFirstResponseMet = "sla_first_response_met", slaResolutionMet = "sla_resolution_met", slaState = "sla_state"
        case csatScore = "csat_score", csatFeedback = "csat_feedback"
        case isEscalated = "is_escalated", escalationReason = "escalation_reason", escalationLevel = "escalation_level"
    }

    public init(_ ticket: Ticket, tier: CustomerTier?, policy: SLAPolicy, now: Date) {
        self.init(ticket, sla: policy.evaluate(ticket, tier: tier, now: now), now: now)
    }

    public init(_ ticket: Ticket, sla: SLAEvaluation, now: Date) {
        ticketID = ticket.reference
        externalID = ticket.externalID
        sourceSystem = ticket.source.rawValue
        customerID = ticket.customerID
        subject = ticket.subject
        category = ticket.category.rawValue
        priority = ticket.priority.label
        priorityCode = ticket.priority.rawValue
        status = ticket.status.rawValue
        assignedAgent = ticket.assignee
        requesterEmail = ticket.requesterEmail
        createdAt = ticket.createdAt
        updatedAt = ticket.updatedAt
        firstResponseAt = ticket.firstResponseAt
        resolvedAt = ticket.resolvedAt
        closedAt = ticket.closedAt
        ageHours = ticket.age(at: now) / 3600
        slaFirstResponseTarget = sla.firstResponse.dueAt.timeIntervalSince(ticket.createdAt) / 3600
        slaResolutionTarget = sla.resolution.dueAt.timeIntervalSince(ticket.createdAt) / 3600
        slaFirstResponseMet = Self.met(sla.firstResponse.state)
        slaResolutionMet = Self.met(sla.resolution.state)
        slaState = sla.overall.rawValue
        csatScore = ticket.csat?.score
        csatFeedback = ticket.csat?.comment
        isEscalated = ticket.isEscalated
        escalationReason = ticket.escalation?.reason
        escalationLevel = ticket.escalation?.level
    }

    static func met(_ state: SLAState) -> Bool? {
        switch state {
        case .met: true
        case .breached: false
        case .onTrack, .atRisk: nil
        }
    }
}
