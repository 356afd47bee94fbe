import Foundation
import TicketPulseCore

/// The PRD-087 body of `POST /api/webhooks/support/ticket`:
/// `{ticketId, customerId, category, severity, subject, createdAt}` plus optional
/// `status`, `priority`, `csat` (1–5, or `{score, comment}`) and `escalated`.
struct GenericWebhookPayload: Sendable {
    var ticketID: String
    var customerID: String
    var category: TicketCategory
    var priority: Priority
    var subject: String
    var createdAt: Date
    var status: TicketStatus?
    var csat: CSATRating?
    var escalated: Bool?
    var description: String?
    var requesterEmail: String?

    /// Parses and validates the whole body before anything is stored.
    static func parse(_ body: [UInt8]) throws(WebhookError) -> GenericWebhookPayload {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw .malformed("body is not a JSON object")
        }
        func text(_ key: String, required: Bool) throws(WebhookError) -> String? {
            switch object[key] {
            case let value as String where !value.trimmingCharacters(in: .whitespaces).isEmpty: return value
            case let value as NSNumber where key == "ticketId" && !(value is Bool): return value.stringValue
            case nil, is NSNull:
                if required { throw .malformed("missing field '\(key)'") }
                return nil
            default: throw .malformed("field '\(key)' must be a non-empty string")
            }
        }
        guard let ticketID = try text("ticketId", required: true),
              let customerID = try text("customerId", required: true),
              let categoryWord = try text("category", required: true),
              let severity = try text("severity", required: true),
              let subject = try text("subject", required: true),
              let createdText = try text("createdAt", required: true)
        else { throw .malformed("missing required field") }
        guard let createdAt = SourceDate.parse(createdText) else { throw .malformed("createdAt must be an ISO 8601 date") }
        guard var priority = Priority(sourceWord: severity) else {
            throw .malformed("severity must be critical, high, medium or low")
        }
        if let word = try text("priority", required: false) {
            guard let explicit = Priority(sourceWord: word) else { throw .malformed("priority must be P1–P4 or critical/high/medium/low") }
            priority = explicit
        }
        var status: TicketStatus?
        if let word = try text("status", required: false) {
            guard let parsed = statusWord(word) else { throw .malformed("unknown status '\(word)'") }
            status = parsed
        }
        let csat = try csatValue(object["csat"])
        var escalated: Bool?
        switch object["escalated"] {
        case nil, is NSNull: escalated = nil
        case let flag as Bool: escalated = flag
        default: throw .malformed("escalated must be true or false")
        }
        let categoryKey = categoryWord.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        return GenericWebhookPayload(
            ticketID: ticketID, customerID: customerID,
            category: TicketCategory(rawValue: categoryKey) ?? TicketCategory.guess(from: [categoryWord]),
            priority: priority, subject: subject, createdAt: createdAt, status: status, csat: csat, escalated: escalated,
            description: try text("description", required: false), requesterEmail: try text("requesterEmail", required: false)
        )
    }

    static func statusWord(_ word: String) -> TicketStatus? {
        switch word.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "new": .new
        case "open", "in_progress": .open
        case "pending", "waiting": .pending
        case "hold", "on_hold": .onHold
        case "solved", "resolved": .solved
        case "closed": .closed
        default: nil
        }
    }

    private static func csatValue(_ value: Any?) throws(WebhookError) -> CSATRating? {
        switch value {
        case nil, is NSNull: return nil
        case let number as NSNumber where !(number is Bool):
            let score = number.doubleValue
            guard score >= 1, score <= 5, score == score.rounded() else { throw .malformed("csat must be 1–5") }
            return CSATRating(score: Int(score))
        case let object as [String: Any]:
            guard let number = object["score"] as? NSNumber, !(number is Bool), (1...5).contains(number.intValue), number.doubleValue == Double(number.intValue) else {
                throw .malformed("csat.score must be 1–5")
            }
            return CSATRating(score: number.intValue, comment: object["comment"] as? String)
        default: throw .malformed("csat must be a number 1–5 or {score, comment}")
        }
    }

    /// Applied over the stored ticket, so fields the sender leaves out keep their value.
    func ticket(over existing: Ticket?, now: Date) -> Ticket {
        var ticket = existing ?? Ticket(
            source: .webhook, externalID: ticketID, customerID: customerID, subject: subject,
            status: status ?? .open, priority: priority, createdAt: createdAt, updatedAt: now
        )
        ticket.customerID = customerID
        ticket.matchRule = "webhook"
        ticket.category = category
        ticket.priority = priority
        ticket.subject = subject
        ticket.createdAt = createdAt
        ticket.updatedAt = max(now, createdAt)
        if let description { ticket.description = description }
        if let requesterEmail { ticket.requesterEmail = requesterEmail }
        if let status {
            if status.isResolved, ticket.solvedAt == nil { ticket.solvedAt = now }
            if status == .closed, ticket.closedAt == nil { ticket.closedAt = now }
            ticket.status = status
        }
        if let csat { ticket.csat = CSATRating(score: csat.score, comment: csat.comment, ratedAt: ticket.csat?.score == csat.score ? ticket.csat?.ratedAt : now) }
        switch escalated {
        case true?: if ticket.escalation == nil { ticket.escalation = Escalation(reason: "escalated by webhook sender", level: 1, escalatedAt: now) }
        case false?: ticket.escalation = nil
        case nil: break
        }
        return ticket
    }
}
