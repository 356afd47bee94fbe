import Foundation

/// Zendesk's wire shapes, every field optional: a ticket missing a field is normalised
/// with a default rather than failing the page.
struct ZendeskExportPage: Decodable {
    var tickets: [ZendeskTicket]?
    var afterCursor: String?
    var endOfStream: Bool?
    var metricSets: [ZendeskMetricSet]?
    var users: [ZendeskUser]?
    var organizations: [ZendeskOrganization]?

    enum CodingKeys: String, CodingKey {
        case tickets, users, organizations
        case afterCursor = "after_cursor"
        case endOfStream = "end_of_stream"
        case metricSets = "metric_sets"
    }
}

/// `GET /api/v2/tickets/{id}.json?include=…`
struct ZendeskShowTicket: Decodable {
    var ticket: ZendeskTicket
    var users: [ZendeskUser]?
    var organizations: [ZendeskOrganization]?
    var metricSets: [ZendeskMetricSet]?

    enum CodingKeys: String, CodingKey {
        case ticket, users, organizations
        case metricSets = "metric_sets"
    }
}

struct ZendeskTicket: Decodable {
    var id: FlexibleID
    var subject: String?
    var description: String?
    var status: String?
    var priority: String?
    var type: String?
    var organizationID: FlexibleID?
    var requesterID: FlexibleID?
    var assigneeID: FlexibleID?
    var tags: [String]?
    var customFields: [ZendeskCustomField]?
    var satisfactionRating: ZendeskSatisfaction?
    var createdAt: Date?
    var updatedAt: Date?
    var generatedTimestamp: Double?
    var metricSet: ZendeskMetricSet?

    enum CodingKeys: String, CodingKey {
        case id, subject, description, status, priority, type, tags
        case organizationID = "organization_id"
        case requesterID = "requester_id"
        case assigneeID = "assignee_id"
        case customFields = "custom_fields"
        case satisfactionRating = "satisfaction_rating"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case generatedTimestamp = "generated_timestamp"
        case metricSet = "metric_set"
    }
}

struct ZendeskCustomField: Decodable {
    var id: FlexibleID
    var value: FieldValue?
}

struct ZendeskSatisfaction: Decodable {
    var score: String?
    var comment: String?
    var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case score, comment
        case updatedAt = "updated_at"
    }
}

struct ZendeskMinutes: Decodable {
    var calendar: Double?
    var business: Double?
}

struct ZendeskMetricSet: Decodable {
    var ticketID: FlexibleID?
    var replyTimeInMinutes: ZendeskMinutes?
    var fullResolutionTimeInMinutes: ZendeskMinutes?
    var reopens: Int?
    var replies: Int?
    var solvedAt: Date?
    var statusUpdatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case reopens, replies
        case ticketID = "ticket_id"
        case replyTimeInMinutes = "reply_time_in_minutes"
        case fullResolutionTimeInMinutes = "full_resolution_time_in_minutes"
        case solvedAt = "solved_at"
        case statusUpdatedAt = "status_updated_at"
    }
}

struct ZendeskUser: Decodable {
    var id: FlexibleID
    var name: String?
    var email: String?
}

struct ZendeskOrganization: Decodable {
    var id: FlexibleID
    var name: String?
}

/// Side-loads indexed by id.
struct ZendeskSideLoads {
    var users: [String: ZendeskUser] = [:]
    var organizations: [String: ZendeskOrganization] = [:]
    var metricSets: [String: ZendeskMetricSet] = [:]

    init(users: [ZendeskUser]?, organizations: [ZendeskOrganization]?, metricSets: [ZendeskMetricSet]?) {
        for user in users ?? [] { self.users[user.id.value] = user }
        for organization in organizations ?? [] { self.organizations[organization.id.value] = organization }
        for metrics in metricSets ?? [] {
            if let id = metrics.ticketID?.value { self.metricSets[id] = metrics }
        }
    }
}
