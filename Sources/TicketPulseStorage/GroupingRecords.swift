import Foundation
import TicketPulseCore

/// Whom an alert is still to be grouped for (`alerts.pending_dms`).
public struct PendingDMs: Codable, Sendable, Equatable {
    /// People by lowercased email, channels as `channel:<id>`.
    public var people: [String]
    /// A new ticket during an open spike: folded into open live messages only.
    public var heldBack: Bool

    public init(people: [String], heldBack: Bool) {
        self.people = people
        self.heldBack = heldBack
    }
}

/// A person's live message about a customer, as the grouping keeps it (its state is the
/// grouping's JSON; the store only files it).
public struct LiveMessageRow: Sendable, Equatable {
    public var email: String
    public var customerID: String
    public var postKey: String
    public var lastItemAt: Date
    public var stateJSON: String

    public init(email: String, customerID: String, postKey: String, lastItemAt: Date, stateJSON: String) {
        self.email = email
        self.customerID = customerID
        self.postKey = postKey
        self.lastItemAt = lastItemAt
        self.stateJSON = stateJSON
    }
}

/// What one grouping batch decided, written in one transaction.
public struct GroupingWrite: Sendable {
    /// Each message with the alert it is about (nil: a live message's update).
    public var messages: [(message: OutboxMessage, alertID: Int64?)] = []
    public var live: [LiveMessageRow] = []
    public var pings: [(email: String, postKey: String, at: Date)] = []
    public var digest: [(alertID: Int64, email: String)] = []
    /// Alerts now grouped: their `pending_dms` is cleared.
    public var grouped: [Int64] = []
    /// Customers whose history from these sources TicketPulse has now looked at.
    public var watched: [(customerID: String, sources: [SourceSystem])] = []

    public init() {}
}
