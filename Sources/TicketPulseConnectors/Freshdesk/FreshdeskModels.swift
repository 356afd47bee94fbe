import Foundation

/// Freshdesk API v2 ticket, as listed with `include=requester,stats`.
struct FreshdeskTicket: Decodable {
    struct Requester: Decodable {
        var email: String?
        var name: String?
    }
    struct Stats: Decodable {
        var firstRespondedAt: Date?
        var resolvedAt: Date?
        var closedAt: Date?
        var reopenedAt: Date?
        enum CodingKeys: String, CodingKey {
            case firstRespondedAt = "first_responded_at"
            case resolvedAt = "resolved_at"
            case closedAt = "closed_at"
            case reopenedAt = "reopened_at"
        }
    }

    var id: FlexibleID
    var subject: String?
    var descriptionText: String?
    var status: Int?
    var priority: Int?
    var type: String?
    var tags: [String]?
    var requester: Requester?
    var responderID: FlexibleID?
    var companyID: FlexibleID?
    var customFields: [String: FieldValue]?
    var createdAt: Date?
    var updatedAt: Date?
    var dueBy: Date?
    var frDueBy: Date?
    var isEscalated: Bool?
    var frEscalated: Bool?
    var deleted: Bool?
    var stats: Stats?

    enum CodingKeys: String, CodingKey {
        case id, subject, status, priority, type, tags, requester, deleted, stats
        case descriptionText = "description_text"
        case responderID = "responder_id"
        case companyID = "company_id"
        case customFields = "custom_fields"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case dueBy = "due_by"
        case frDueBy = "fr_due_by"
        case isEscalated = "is_escalated"
        case frEscalated = "fr_escalated"
    }
}

/// One answer of `GET /api/v2/surveys/satisfaction_ratings`: `ratings` maps the survey's
/// questions to an answer value; `default_question` is the CSAT question itself.
struct FreshdeskSatisfactionRating: Decodable {
    var id: FlexibleID
    var ticketID: FlexibleID?
    var feedback: String?
    var ratings: [String: FieldValue]?
    var createdAt: Date?
    var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, feedback, ratings
        case ticketID = "ticket_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
