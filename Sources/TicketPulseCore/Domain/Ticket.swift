import Foundation

/// A support ticket in its canonical shape, whatever system it came from.
public struct Ticket: Codable, Sendable, Equatable {
    public var source: SourceSystem
    /// The id as the support system numbers it ("4521", "500Dn000001", "TKT-2026-4521").
    public var externalID: String
    public var customerID: String?
    /// Which matching rule tied the ticket to its customer ("organization", "domain", …).
    public var matchRule: String?
    public var subject: String
    public var description: String
    public var status: TicketStatus
    public var priority: Priority
    public var category: TicketCategory
    public var tags: [String]
    public var requesterEmail: String?
    public var assignee: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var firstResponseAt: Date?
    public var solvedAt: Date?
    public var closedAt: Date?
    public var csat: CSATRating?
    public var escalation: Escalation?
    /// How often the ticket was reopened after being solved.
    public var reopenCount: Int
    /// Due times set by the source itself (Freshdesk `fr_due_by`/`due_by`); when absent the
    /// SLA policy's targets apply.
    public var firstResponseDueAt: Date?
    public var resolutionDueAt: Date?
    /// The source's organization (Zendesk `organization_id`), kept so that a mapping
    /// made later (organization → customer) can be applied to tickets already stored.
    public var organizationID: String?

    public init(
        source: SourceSystem, externalID: String, customerID: String?, matchRule: String? = nil,
        subject: String, description: String = "", status: TicketStatus, priority: Priority,
        category: TicketCategory = .other, tags: [String] = [], requesterEmail: String? = nil,
        assignee: String? = nil, createdAt: Date, updatedAt: Date? = nil,
        firstResponseAt: Date? = nil, solvedAt: Date? = nil, closedAt: Date? = nil,
        csat: CSATRating? = nil, escalation: Escalation? = nil, reopenCount: Int = 0,
        firstResponseDueAt: Date? = nil, resolutionDueAt: Date? = nil, organizationID: String? = nil
    ) {
        self.source = source
        self.externalID = externalID
        self.customerID = customerID
        self.matchRule = matchRule
        self.subject = subject
        self.description = description
        self.status = status
        self.priority = priority
        self.category = category
        self.tags = tags
        self.requesterEmail = requesterEmail
        self.assignee = assignee
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.firstResponseAt = firstResponseAt
        self.solvedAt = solvedAt
        self.closedAt = closedAt
        self.csat = csat
        self.escalation = escalation
        self.reopenCount = reopenCount
        self.firstResponseDueAt = firstResponseDueAt
        self.resolutionDueAt = resolutionDueAt
        self.organizationID = organizationID
    }

    /// "zendesk:4521": the ticket among every system's, as buttons and the HTTP API name it
    /// (`TicketLookup(reference:)` reads it back).
    public var reference: String { Self.reference(source, externalID) }

    public static func reference(_ source: SourceSystem, _ externalID: String) -> String { "\(source.rawValue):\(externalID)" }

    public var isEscalated: Bool { escalation != nil }
    public var isUnresolved: Bool { status.isUnresolved }

    /// When the ticket stopped needing work: solved, else closed.
    public var resolvedAt: Date? { solvedAt ?? closedAt }

    /// Age of an unresolved ticket at `now`, or its time to resolution.
    public func age(at now: Date) -> TimeInterval {
        (isUnresolved ? now : (resolvedAt ?? now)).timeIntervalSince(createdAt)
    }
}

/// A ticket as stored: the canonical ticket plus the store's own row id.
public struct StoredTicket: Sendable, Equatable {
    public var id: Int64
    public var ticket: Ticket

    public init(id: Int64, ticket: Ticket) {
        self.id = id
        self.ticket = ticket
    }
}
