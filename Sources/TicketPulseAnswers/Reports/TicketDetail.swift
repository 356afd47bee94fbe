import Foundation
import TicketPulseCore

/// `GET /api/tickets/{ticketId}`'s body: the ticket (PRD-156's fields), its SLA clocks,
/// CSAT, timeline and notes, and PRD-122 FR-5's context.
public struct TicketDetail: Codable, Sendable, Equatable {
    public struct SLA: Codable, Sendable, Equatable {
        public struct Clock: Codable, Sendable, Equatable {
            public var dueAt: Date
            public var completedAt: Date?
            public var state: String

            enum CodingKeys: String, CodingKey { case dueAt = "due_at", completedAt = "completed_at", state }
        }

        public var firstResponse: Clock
        public var resolution: Clock
        public var overall: String

        enum CodingKeys: String, CodingKey { case firstResponse = "first_response", resolution, overall }

        init(_ sla: SLAEvaluation) {
            firstResponse = Clock(dueAt: sla.firstResponse.dueAt, completedAt: sla.firstResponse.completedAt, state: sla.firstResponse.state.rawValue)
            resolution = Clock(dueAt: sla.resolution.dueAt, completedAt: sla.resolution.completedAt, state: sla.resolution.state.rawValue)
            overall = sla.overall.rawValue
        }
    }

    public struct CSAT: Codable, Sendable, Equatable {
        public var score: Int
        public var comment: String?
        public var ratedAt: Date?

        enum CodingKeys: String, CodingKey { case score, comment, ratedAt = "rated_at" }
    }

    public struct TimelineEntry: Codable, Sendable, Equatable {
        public var at: Date
        public var kind: String
        public var from: String?
        public var to: String?
        public var actor: String?
        public var detail: String?
        /// The line as the chat's timeline shows it.
        public var text: String
    }

    public struct Note: Codable, Sendable, Equatable {
        /// note or escalation_request.
        public var kind: String
        public var actor: String
        public var body: String
        public var createdAt: Date
        /// pending until written back to the support system, then written (or failed).
        public var writebackStatus: String

        enum CodingKeys: String, CodingKey { case kind, actor, body, createdAt = "created_at", writebackStatus = "writeback_status" }
    }

    public var ticket: SupportTicketRecord
    public var customerName: String?
    public var description: String
    public var tags: [String]
    public var sla: SLA
    public var csat: CSAT?
    public var timeline: [TimelineEntry]
    public var notes: [Note]
    public var context: TicketContext?

    enum CodingKeys: String, CodingKey {
        case ticket, customerName = "customer_name", description, tags, sla, csat, timeline, notes, context
    }
}
