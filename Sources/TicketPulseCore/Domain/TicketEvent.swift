import Foundation

/// One change in a ticket's life. History is append-only, so "what changed" and trends
/// can be answered later.
public struct TicketEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case created
        case status
        case priority
        case escalated
        case customerReply = "customer_reply"
        case agentReply = "agent_reply"
        case csatReceived = "csat_received"
        case noteAdded = "note_added"
        case escalationRequested = "escalation_requested"
        case category
        case customerMatched = "customer_matched"
        case reopened
    }

    public var kind: Kind
    public var at: Date
    public var from: String?
    public var to: String?
    /// Who caused it: an agent, a CSM's email, or the source system.
    public var actor: String?
    public var detail: String?

    public init(kind: Kind, at: Date, from: String? = nil, to: String? = nil, actor: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.at = at
        self.from = from
        self.to = to
        self.actor = actor
        self.detail = detail
    }
}

extension TicketEvent {
    /// The events that turn `old` into `new`: what an upsert appends to history.
    /// A first sighting (`old == nil`) yields `created` plus what the ticket already carries.
    public static func changes(from old: Ticket?, to new: Ticket, at: Date) -> [TicketEvent] {
        guard let old else {
            var events = [TicketEvent(kind: .created, at: new.createdAt, to: new.status.rawValue, detail: new.priority.rawValue)]
            if let first = new.firstResponseAt {
                events.append(TicketEvent(kind: .agentReply, at: first, actor: new.assignee))
            }
            if let escalation = new.escalation {
                events.append(TicketEvent(kind: .escalated, at: escalation.escalatedAt ?? new.updatedAt, to: String(escalation.level), detail: escalation.reason))
            }
            if let csat = new.csat {
                events.append(TicketEvent(kind: .csatReceived, at: csat.ratedAt ?? new.updatedAt, to: String(csat.score), detail: csat.comment))
            }
            if new.status != new.status.initialStatusForHistory {
                events.append(TicketEvent(kind: .status, at: new.resolvedAt ?? new.updatedAt, from: nil, to: new.status.rawValue))
            }
            return events
        }
        var events: [TicketEvent] = []
        if old.status != new.status {
            let reopened = old.status.isResolved && new.status.isUnresolved
            events.append(TicketEvent(kind: reopened ? .reopened : .status, at: at, from: old.status.rawValue, to: new.status.rawValue))
        }
        if old.priority != new.priority {
            events.append(TicketEvent(kind: .priority, at: at, from: old.priority.rawValue, to: new.priority.rawValue))
        }
        if old.category != new.category {
            events.append(TicketEvent(kind: .category, at: at, from: old.category.rawValue, to: new.category.rawValue))
        }
        if old.escalation == nil, let escalation = new.escalation {
            events.append(TicketEvent(kind: .escalated, at: escalation.escalatedAt ?? at, to: String(escalation.level), detail: escalation.reason))
        } else if let before = old.escalation, let after = new.escalation, after.level > before.level {
            events.append(TicketEvent(kind: .escalated, at: after.escalatedAt ?? at, from: String(before.level), to: String(after.level), detail: after.reason))
        }
        if old.firstResponseAt == nil, let first = new.firstResponseAt {
            events.append(TicketEvent(kind: .agentReply, at: first, actor: new.assignee))
        }
        if old.csat != new.csat, let csat = new.csat {
            events.append(TicketEvent(kind: .csatReceived, at: csat.ratedAt ?? at, from: old.csat.map { String($0.score) }, to: String(csat.score), detail: csat.comment))
        }
        if old.customerID != new.customerID, let customer = new.customerID {
            events.append(TicketEvent(kind: .customerMatched, at: at, from: old.customerID, to: customer, detail: new.matchRule))
        }
        return events
    }
}

extension TicketStatus {
    /// A ticket seen for the first time already solved still gets a status event, so the
    /// history shows when it was resolved.
    var initialStatusForHistory: TicketStatus { isResolved || self == .deleted ? .new : self }
}
