import Foundation

/// Intercom API 2.11 wire shapes; `statistics` and `conversation_rating` are null on
/// fresh conversations and decode to nil.
struct IntercomSearchPage: Decodable {
    var conversations: [IntercomConversation]?
    var pages: IntercomPages?
}

struct IntercomPages: Decodable {
    struct Next: Decodable {
        var startingAfter: String?
        enum CodingKeys: String, CodingKey { case startingAfter = "starting_after" }
    }
    var next: Next?
}

struct IntercomConversation: Decodable {
    var id: FlexibleID
    var createdAt: Date?
    var updatedAt: Date?
    var state: String?
    var open: Bool?
    var priority: String?
    var title: String?
    var source: IntercomSource?
    var adminAssigneeID: FlexibleID?
    var tags: IntercomTags?
    var statistics: IntercomStatistics?
    var conversationRating: IntercomRating?
    var customAttributes: [String: FieldValue]?
    var companyID: FlexibleID?

    enum CodingKeys: String, CodingKey {
        case id, state, open, priority, title, source, tags, statistics
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case adminAssigneeID = "admin_assignee_id"
        case conversationRating = "conversation_rating"
        case customAttributes = "custom_attributes"
        case companyID = "company_id"
    }
}

struct IntercomSource: Decodable {
    struct Author: Decodable {
        var email: String?
        var name: String?
    }
    var subject: String?
    var body: String?
    var author: Author?
}

struct IntercomTags: Decodable {
    struct Tag: Decodable { var name: String? }
    var tags: [Tag]?
}

struct IntercomStatistics: Decodable {
    var firstAdminReplyAt: Date?
    var firstCloseAt: Date?
    var lastCloseAt: Date?
    var countReopens: Int?

    enum CodingKeys: String, CodingKey {
        case firstAdminReplyAt = "first_admin_reply_at"
        case firstCloseAt = "first_close_at"
        case lastCloseAt = "last_close_at"
        case countReopens = "count_reopens"
    }
}

struct IntercomRating: Decodable {
    var rating: Int?
    var remark: String?
    var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case rating, remark
        case createdAt = "created_at"
    }
}

struct IntercomNotification: Decodable {
    struct DataField: Decodable { var item: IntercomConversation? }
    var type: String?
    var topic: String?
    var data: DataField?
}
