import Foundation
import TicketPulseCore

/// Zendesk ticket → canonical ticket.
struct ZendeskNormaliser: Sendable {
    var externalIDPrefix: String = ""

    func normalise(_ raw: ZendeskTicket, sideLoads: ZendeskSideLoads) -> SourceTicket {
        let created = raw.createdAt ?? raw.updatedAt ?? Date(timeIntervalSince1970: raw.generatedTimestamp ?? 0)
        let updated = raw.updatedAt ?? created
        let status = Self.status(raw.status)
        let metrics = raw.metricSet ?? sideLoads.metricSets[raw.id.value]
        let replyMinutes = metrics?.replyTimeInMinutes?.calendar
        let tags = raw.tags ?? []
        let requester = raw.requesterID.flatMap { sideLoads.users[$0.value] }
        let assignee = raw.assigneeID.flatMap { sideLoads.users[$0.value] }
        var customFields: [String: String] = [:]
        for field in raw.customFields ?? [] {
            if let text = field.value?.text { customFields[field.id.value] = text }
        }
        let escalated = tags.contains { ["escalated", "escalation"].contains($0.lowercased()) }
        var ticket = Ticket(
            source: .zendesk,
            externalID: externalIDPrefix + raw.id.value,
            customerID: nil,
            subject: raw.subject ?? "",
            description: raw.description ?? "",
            status: status,
            priority: raw.priority.flatMap(Priority.init(sourceWord:)) ?? .p3,
            category: TicketCategory.guess(from: tags + [raw.type].compactMap { $0 }),
            tags: tags,
            requesterEmail: requester?.email,
            assignee: assignee?.email ?? assignee?.name,
            createdAt: created,
            updatedAt: updated,
            firstResponseAt: replyMinutes.map { created.addingTimeInterval($0 * 60) },
            solvedAt: status == .solved || status == .closed ? (metrics?.solvedAt ?? updated) : nil,
            closedAt: status == .closed ? (metrics?.statusUpdatedAt ?? updated) : nil,
            csat: Self.csat(raw.satisfactionRating),
            escalation: escalated ? Escalation(reason: "tagged escalated in Zendesk", level: 1, escalatedAt: nil) : nil,
            reopenCount: metrics?.reopens ?? 0
        )
        let org = raw.organizationID.map(\.value)
        // Kept on the ticket, so that an organization mapping made later reaches it.
        ticket.organizationID = org
        return SourceTicket(ticket: ticket, organizationID: org, organizationName: org.flatMap { sideLoads.organizations[$0]?.name }, customFields: customFields)
    }

    static func status(_ word: String?) -> TicketStatus {
        switch word?.lowercased() {
        case "new": .new
        case "open": .open
        case "pending": .pending
        case "hold", "on-hold", "on_hold": .onHold
        case "solved": .solved
        case "closed": .closed
        case "deleted": .deleted
        default: .open
        }
    }

    /// Zendesk rates good or bad only; those become 5 and 1 with the word kept.
    /// "offered"/"unoffered" mean no rating yet.
    static func csat(_ rating: ZendeskSatisfaction?) -> CSATRating? {
        guard let rating, let score = rating.score?.lowercased() else { return nil }
        switch score {
        case "good": return CSATRating(score: 5, rawValue: "good", comment: rating.comment, ratedAt: rating.updatedAt)
        case "bad": return CSATRating(score: 1, rawValue: "bad", comment: rating.comment, ratedAt: rating.updatedAt)
        default: return nil
        }
    }
}
