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

    public init(ticket: Ticket, organizationID: String? = nil, organizationName: String? = nil, customFields: [String: String] = [:]) {
        self.ticket = ticket
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.customFields = customFields
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

    public init(cursor: String? = nil, since: Date? = nil, page: Int? = nil, lastID: String? = nil, passMaximum: Date? = nil, recent: [String]? = nil) {
        self.cursor = cursor
        self.since = since
        self.page = page
        self.lastID = lastID
        self.passMaximum = passMaximum
        self.recent = recent
    }
}

/// One page of changes and where to go next.
public struct SourcePage: Sendable {
    public var tickets: [SourceTicket]
    /// The checkpoint to store once this page's tickets are stored.
    public var next: SyncCheckpoint
    /// Nothing more to read now; the next poll starts from `next`.
    public var isLastPage: Bool

    public init(tickets: [SourceTicket], next: SyncCheckpoint, isLastPage: Bool) {
        self.tickets = tickets
        self.next = next
        self.isLastPage = isLastPage
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
