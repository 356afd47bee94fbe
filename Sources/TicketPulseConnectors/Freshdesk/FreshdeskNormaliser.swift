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
        // Freshdesk's ticket carries no rating: it comes from the ratings endpoint, and a
        // re-read ticket must not drop the one stored.
        return SourceTicket(ticket: ticket, organizationID: raw.companyID?.value, customFields: fields, ratedSeparately: true)
    }

    /// A satisfaction rating as the CSAT of its ticket; nil without a ticket or a readable
    /// answer to the CSAT question.
    func rating(_ raw: FreshdeskSatisfactionRating) -> SourceRating? {
        guard let ticketID = raw.ticketID?.value, let text = raw.ratings?["default_question"]?.text,
              let value = Int(text) ?? Double(text).map({ Int($0) }), let score = Self.csatScore(value) else { return nil }
        let feedback = raw.feedback?.trimmingCharacters(in: .whitespacesAndNewlines)
        return SourceRating(
            externalID: externalIDPrefix + ticketID,
            rating: CSATRating(score: score, rawValue: String(value), comment: feedback?.isEmpty == false ? feedback : nil, ratedAt: raw.createdAt ?? raw.updatedAt)
        )
    }

    /// Freshdesk's answer values → 1–5. Its 7-point scale (103 Extremely happy, 102 Very
    /// happy, 101 Happy, 100 Neutral, −101 Unhappy, −102 Very unhappy, −103 Extremely unhappy)
    /// keeps the ends and neutral, and folds the two middle answers of each side together;
    /// 3- and 5-point surveys use subsets of the same values (103/100/−103; 103/102/100/−102/−103),
    /// so they come out as 5/3/1 and 5/4/3/2/1. Every unhappy answer is then a poor rating
    /// (1–2 of 5, PRD-102). Other values are not a CSAT answer.
    static func csatScore(_ value: Int) -> Int? {
        switch value {
        case 103: 5
        case 101, 102: 4
        case 100: 3
        case -102, -101: 2
        case -103: 1
        default: nil
        }
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
