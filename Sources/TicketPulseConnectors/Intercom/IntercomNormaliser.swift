import Foundation
import TicketPulseCore

/// Intercom conversation → canonical ticket.
struct IntercomNormaliser: Sendable {
    var externalIDPrefix: String = ""

    func normalise(_ raw: IntercomConversation) -> SourceTicket {
        let created = raw.createdAt ?? raw.updatedAt ?? Date(timeIntervalSince1970: 0)
        let updated = raw.updatedAt ?? created
        let status = Self.status(state: raw.state, open: raw.open)
        let stats = raw.statistics
        let closedAt = status == .closed ? (stats?.lastCloseAt ?? stats?.firstCloseAt ?? updated) : nil
        let tags = raw.tags?.tags?.compactMap(\.name) ?? []
        var csat: CSATRating?
        if let rating = raw.conversationRating, let score = rating.rating, (1...5).contains(score) {
            csat = CSATRating(score: score, rawValue: String(score), comment: rating.remark, ratedAt: rating.createdAt)
        }
        var fields: [String: String] = [:]
        for (key, value) in raw.customAttributes ?? [:] { if let text = value.text { fields[key] = text } }
        let subject = [raw.title, raw.source?.subject].compactMap { $0 }.first { !$0.isEmpty } ?? Self.plain(raw.source?.body ?? "").prefix(120).description
        let ticket = Ticket(
            source: .intercom,
            externalID: externalIDPrefix + raw.id.value,
            customerID: nil,
            subject: subject,
            description: Self.plain(raw.source?.body ?? ""),
            status: status,
            priority: raw.priority == "priority" ? .p2 : .p3,
            category: TicketCategory.guess(from: tags),
            tags: tags,
            requesterEmail: raw.source?.author?.email,
            assignee: raw.adminAssigneeID?.value,
            createdAt: created,
            updatedAt: updated,
            firstResponseAt: stats?.firstAdminReplyAt,
            solvedAt: closedAt,
            closedAt: closedAt,
            csat: csat,
            reopenCount: stats?.countReopens ?? 0
        )
        return SourceTicket(ticket: ticket, organizationID: raw.companyID?.value, customFields: fields)
    }

    /// `state` wins over the older `open` flag, so a closed conversation never stays open.
    static func status(state: String?, open: Bool?) -> TicketStatus {
        switch state?.lowercased() {
        case "open": .open
        case "snoozed": .pending
        case "closed": .closed
        default: open == false ? .closed : .open
        }
    }

    /// Intercom bodies are HTML; tags are dropped for subjects and descriptions.
    static func plain(_ html: String) -> String {
        var result = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; continue }
            if character == ">" { inTag = false; result.append(" "); continue }
            if !inTag { result.append(character) }
        }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

enum IntercomWebhook {
    static func conversation(from body: [UInt8], prefix: String) throws(WebhookError) -> SourceTicket {
        let notification: IntercomNotification
        do {
            notification = try JSONDecoder.sourceDecoder.decode(IntercomNotification.self, from: Data(body))
        } catch {
            throw .malformed("not an Intercom notification: \(error)")
        }
        guard let item = notification.data?.item else { throw .malformed("notification has no data.item conversation") }
        return IntercomNormaliser(externalIDPrefix: prefix).normalise(item)
    }
}
