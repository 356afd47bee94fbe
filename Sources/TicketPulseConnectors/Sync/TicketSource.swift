import Foundation
import TicketPulseCore

/// A ticket as a source delivered it: the canonical ticket plus what matching needs and
/// the canonical shape does not keep.
public struct SourceTicket: Sendable, Equatable {
    public var ticket: Ticket
    public var organizationID: String?
    public var organizationName: String?
    /// Custom field id → value as text.
    public var customFields: [String: String]
    /// The source reports ratings apart from tickets (Freshdesk): a nil `csat` here means
    /// "not in this answer", so the stored rating is kept.
    public var ratedSeparately: Bool

    public init(ticket: Ticket, organizationID: String? = nil, organizationName: String? = nil, customFields: [String: String] = [:], ratedSeparately: Bool = false) {
        self.ticket = ticket
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.customFields = customFields
        self.ratedSeparately = ratedSeparately
    }
}

/// A satisfaction rating read apart from its ticket (Freshdesk's surveys), applied to the
/// stored ticket with that external id.
public struct SourceRating: Sendable, Equatable {
    public var externalID: String
    public var rating: CSATRating

    public init(externalID: String, rating: CSATRating) {
        self.externalID = externalID
        self.rating = rating
    }
}

/// Where an incremental sync stands. Each system uses the fields it needs: Zendesk the
/// export cursor; Freshdesk `since` + `page`; Intercom `since` + `cursor` + `passMaximum`;
/// Salesforce `since` + `lastID` + `cursor` (a `nextRecordsUrl`).
public struct SyncCheckpoint: Codable, Sendable, Equatable {
    public var cursor: String?
    public var since: Date?
    public var page: Int?
    public var lastID: String?
    /// The newest change seen in a pass whose pages come unsorted; becomes `since` when the pass ends.
    public var passMaximum: Date?
    /// Salesforce: `Id@SystemModstamp(ms)` of the rows stored within the look-back window,
    /// so the next pass's look-back re-read skips them.
    public var recent: [String]?
    /// Freshdesk: the satisfaction ratings' own cursor, `created_since` of the next read.
    public var ratingsSince: Date?
    /// Freshdesk: the ratings page to read next; set only while a pass reads ratings (after
    /// the tickets), so a pass interrupted there resumes there.
    public var ratingsPage: Int?
    /// Freshdesk: the newest rating seen in the ratings read under way (its pages need not
    /// be sorted); becomes `ratingsSince` when the read ends.
    public var ratingsMaximum: Date?

    public init(
        cursor: String? = nil, since: Date? = nil, page: Int? = nil, lastID: String? = nil, passMaximum: Date? = nil, recent: [String]? = nil,
        ratingsSince: Date? = nil, ratingsPage: Int? = nil, ratingsMaximum: Date? = nil
    ) {
        self.cursor = cursor
        self.since = since
        self.page = page
        self.lastID = lastID
        self.passMaximum = passMaximum
        self.recent = recent
        self.ratingsSince = ratingsSince
        self.ratingsPage = ratingsPage
        self.ratingsMaximum = ratingsMaximum
    }
}

/// One page of changes and where to go next.
public struct SourcePage: Sendable {
    public var tickets: [SourceTicket]
    /// The checkpoint to store once this page's tickets are stored.
    public var next: SyncCheckpoint
    /// Nothing more to read now; the next poll starts from `next`.
    public var isLastPage: Bool
    /// Ratings for tickets already stored (or fetched then), from sources that list them apart.
    public var ratings: [SourceRating]

    public init(tickets: [SourceTicket], next: SyncCheckpoint, isLastPage: Bool, ratings: [SourceRating] = []) {
        self.tickets = tickets
        self.next = next
        self.isLastPage = isLastPage
        self.ratings = ratings
    }
}

/// A support system's read side.
public protocol TicketSource: Sendable {
    /// The page after `checkpoint`; nil means the first historical page.
    func fetchPage(after checkpoint: SyncCheckpoint?) async throws -> SourcePage
    /// One ticket now (webhook-triggered); nil when the source no longer has it.
    func fetchTicket(id: String) async throws -> SourceTicket?
}

/// A support system's write side: CSM notes and escalation requests become internal notes.
public protocol NoteWriter: Sendable {
    func addInternalNote(externalID: String, body: String) async throws
}
