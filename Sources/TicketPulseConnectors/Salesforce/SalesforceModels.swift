import Foundation

/// Salesforce REST wire shapes (API v60.0). Every field is optional: a Case missing one is
/// normalised with a default rather than failing the page.

/// `GET /services/data/v60.0/query?q=…` and `/queryAll?q=…`, and their `nextRecordsUrl`.
struct SalesforceQueryResult: Decodable {
    var totalSize: Int?
    var done: Bool?
    var nextRecordsUrl: String?
    var records: [SalesforceCase]?
}

/// One Case row. Relationship fields (`Account.Name`, `Contact.Email`, `Owner.Name`) come
/// as nested objects, or null when the lookup is empty. Custom fields (`…__c`) are kept as
/// text for customer matching.
struct SalesforceCase: Decodable {
    var id: String
    var caseNumber: String?
    var subject: String?
    var description: String?
    var status: String?
    var priority: String?
    var origin: String?
    var type: String?
    var reason: String?
    var accountID: String?
    var account: SalesforceNamed?
    var contact: SalesforceContact?
    var suppliedEmail: String?
    var owner: SalesforceNamed?
    var isClosed: Bool?
    var isEscalated: Bool?
    var isDeleted: Bool?
    var createdDate: Date?
    var closedDate: Date?
    var lastModifiedDate: Date?
    var systemModstamp: Date?
    var customFields: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case caseNumber = "CaseNumber"
        case subject = "Subject"
        case description = "Description"
        case status = "Status"
        case priority = "Priority"
        case origin = "Origin"
        case type = "Type"
        case reason = "Reason"
        case accountID = "AccountId"
        case account = "Account"
        case contact = "Contact"
        case suppliedEmail = "SuppliedEmail"
        case owner = "Owner"
        case isClosed = "IsClosed"
        case isEscalated = "IsEscalated"
        case isDeleted = "IsDeleted"
        case createdDate = "CreatedDate"
        case closedDate = "ClosedDate"
        case lastModifiedDate = "LastModifiedDate"
        case systemModstamp = "SystemModstamp"
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        caseNumber = try c.decodeIfPresent(String.self, forKey: .caseNumber)
        subject = try c.decodeIfPresent(String.self, forKey: .subject)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        priority = try c.decodeIfPresent(String.self, forKey: .priority)
        origin = try c.decodeIfPresent(String.self, forKey: .origin)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        accountID = try c.decodeIfPresent(String.self, forKey: .accountID)
        account = try c.decodeIfPresent(SalesforceNamed.self, forKey: .account)
        contact = try c.decodeIfPresent(SalesforceContact.self, forKey: .contact)
        suppliedEmail = try c.decodeIfPresent(String.self, forKey: .suppliedEmail)
        owner = try c.decodeIfPresent(SalesforceNamed.self, forKey: .owner)
        isClosed = try c.decodeIfPresent(Bool.self, forKey: .isClosed)
        isEscalated = try c.decodeIfPresent(Bool.self, forKey: .isEscalated)
        isDeleted = try c.decodeIfPresent(Bool.self, forKey: .isDeleted)
        createdDate = try c.decodeIfPresent(Date.self, forKey: .createdDate)
        closedDate = try c.decodeIfPresent(Date.self, forKey: .closedDate)
        lastModifiedDate = try c.decodeIfPresent(Date.self, forKey: .lastModifiedDate)
        systemModstamp = try c.decodeIfPresent(Date.self, forKey: .systemModstamp)
        let all = try decoder.container(keyedBy: AnyKey.self)
        for key in all.allKeys where key.stringValue.hasSuffix("__c") {
            if let text = try all.decodeIfPresent(FieldValue.self, forKey: key)?.text { customFields[key.stringValue] = text }
        }
    }
}

struct SalesforceNamed: Decodable {
    var name: String?
    enum CodingKeys: String, CodingKey { case name = "Name" }
}

struct SalesforceContact: Decodable {
    var email: String?
    enum CodingKeys: String, CodingKey { case email = "Email" }
}

/// `POST /services/oauth2/token` (client credentials).
struct SalesforceToken: Decodable {
    var accessToken: String
    var instanceURL: String?
    var tokenType: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case instanceURL = "instance_url"
        case tokenType = "token_type"
    }
}

/// Salesforce errors are a JSON array: `[{"message": "…", "errorCode": "…"}]`.
struct SalesforceAPIError: Decodable {
    var message: String?
    var errorCode: String?

    static func codes(_ body: [UInt8]) -> [String] {
        ((try? JSONDecoder().decode([SalesforceAPIError].self, from: Data(body))) ?? []).compactMap(\.errorCode)
    }
}
