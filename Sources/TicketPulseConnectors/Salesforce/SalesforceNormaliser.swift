import Foundation
import TicketPulseCore

/// Salesforce Case → canonical ticket.
///
/// `IsDeleted` (only `queryAll` returns those rows) wins over everything and keeps a
/// tombstone; `IsClosed` is authoritative for closed whatever the org calls its closed
/// statuses; `IsEscalated` (set by escalation rules) or the standard "Escalated" status
/// marks an escalation.
struct SalesforceNormaliser: Sendable {
    var externalIDPrefix: String = ""

    func normalise(_ raw: SalesforceCase) -> SourceTicket {
        let created = raw.createdDate ?? raw.lastModifiedDate ?? raw.systemModstamp ?? Date(timeIntervalSince1970: 0)
        // LastModifiedDate moves on user changes only; SystemModstamp on system changes too.
        let updated = [raw.lastModifiedDate, raw.systemModstamp].compactMap { $0 }.max() ?? created
        let status = raw.isDeleted == true ? TicketStatus.deleted : Self.status(raw.status, isClosed: raw.isClosed)
        let escalated = raw.isEscalated == true || raw.status?.lowercased() == "escalated"
        let words = [raw.type, raw.reason].compactMap { $0 }
        let ticket = Ticket(
            source: .salesforce,
            externalID: externalIDPrefix + raw.id,
            customerID: nil,
            subject: raw.subject ?? raw.caseNumber.map { "Case \($0)" } ?? "",
            description: raw.description ?? "",
            status: status,
            priority: raw.priority.flatMap(Priority.init(sourceWord:)) ?? .p3,
            category: TicketCategory.guess(from: words),
            tags: [raw.origin].compactMap { $0 }.map { "origin:" + $0.lowercased() },
            requesterEmail: raw.contact?.email ?? raw.suppliedEmail,
            assignee: raw.owner?.name,
            createdAt: created,
            updatedAt: updated,
            solvedAt: status.isResolved ? (raw.closedDate ?? updated) : nil,
            closedAt: status == .closed ? (raw.closedDate ?? updated) : nil,
            escalation: escalated ? Escalation(reason: raw.isEscalated == true ? "escalated in Salesforce" : "status Escalated in Salesforce", level: 1, escalatedAt: nil) : nil
        )
        return SourceTicket(ticket: ticket, organizationID: raw.accountID, organizationName: raw.account?.name, customFields: raw.customFields)
    }

    /// The standard picklist (New, Working, Escalated, Closed) plus the values orgs add
    /// most ("On Hold", "Waiting on Customer", "Resolved").
    static func status(_ word: String?, isClosed: Bool?) -> TicketStatus {
        let key = (word ?? "").lowercased()
        if isClosed == true {
            return key.contains("resolved") || key.contains("solved") ? .solved : .closed
        }
        switch key {
        case "new": return .new
        case let key where key.contains("hold"): return .onHold
        case let key where key.contains("waiting") || key.contains("pending"): return .pending
        case let key where key.contains("resolved") || key.contains("solved"): return .solved
        case "closed": return .closed
        default: return .open
        }
    }
}
