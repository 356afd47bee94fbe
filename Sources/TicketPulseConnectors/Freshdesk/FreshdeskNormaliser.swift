import Foundation
import TicketPulseCore

/// Freshdesk ticket → canonical ticket. Freshdesk's own due times (`fr_due_by`,
/// `due_by`) are kept, so its SLA policies win over our defaults.
struct FreshdeskNormaliser: Sendable {
    var externalIDPrefix: String = ""

    func normalise(_ raw: FreshdeskTicket) -> SourceTicket {
        let created = raw.createdAt ?? raw.updatedAt ?? Date(timeIntervalSince1970: 0)
        let updated = raw.updatedAt ?? created
        let status = raw.deleted == true ? TicketStatus.deleted : Self.status(raw.status)
        let tags = raw.tags ?? []
        var fields: [String: String] = [:]
        for (key, value) in raw.customFields ?? [:] { if let text = value.text { fields[key] = text } }
        let escalated = raw.isEscalated == true || raw.frEscalated == true
        let reason = raw.isEscalated == true ? "resolution overdue in Freshdesk" : "first response overdue in Freshdesk"
        let ticket = Ticket(
            source: .freshdesk,
            externalID: externalIDPrefix + raw.id.value,
            customerID: nil,
            subject: raw.subject ?? "",
            description: raw.descriptionText ?? "",
            status: status,
            priority: Self.priority(raw.priority),
            category: TicketCategory.guess(from: tags + [raw.type].compactMap { $0 }),
            tags: tags,
            requesterEmail: raw.requester?.email,
            assignee: raw.responderID?.value,
            createdAt: created,
            updatedAt: updated,
            firstResponseAt: raw.stats?.firstRespondedAt,
            solvedAt: status.isResolved ? (raw.stats?.resolvedAt ?? raw.stats?.closedAt ?? updated) : nil,
            closedAt: status == .closed ? (raw.stats?.closedAt ?? updated) : nil,
            escalation: escalated ? Escalation(reason: reason, level: 1, escalatedAt: nil) : nil,
            firstResponseDueAt: raw.frDueBy,
            resolutionDueAt: raw.dueBy
        )
        return SourceTicket(ticket: ticket, organizationID: raw.companyID?.value, customFields: fields)
    }

    /// 2 open, 3 pending, 4 resolved, 5 closed; 6+ are the "waiting on …" statuses accounts add.
    static func status(_ code: Int?) -> TicketStatus {
        switch code {
        case 2: .open
        case 3: .pending
        case 4: .solved
        case 5: .closed
        case let code? where code >= 6: .pending
        default: .open
        }
    }

    /// 1 low, 2 medium, 3 high, 4 urgent.
    static func priority(_ code: Int?) -> Priority {
        switch code {
        case 4: .p1
        case 3: .p2
        case 1: .p4
        default: .p3
        }
    }
}
