import Foundation
import TicketPulseCore

/// Which of an alert's outbox rows are its posts, the same for every backend.
package enum OutboxKeys {
    /// The keys of an alert's own posts (channels), relative to the alert (`post/user:…`):
    /// what its thread notes and updates name as their parent. The live DMs it opened are the grouping's.
    package static func postKeys(_ rows: [OutboxRow], alertID: Int64) -> [String] {
        let prefix = OutboxMessage.storeKey("", alertID: alertID)
        return rows.filter { $0.kind == .post && $0.key.hasPrefix(prefix) }.map { String($0.key.dropFirst(prefix.count)) }
    }

    /// The live DMs an alert opened (`live:…`, absolute keys): the copies a button's
    /// action refreshes besides the alert's own posts.
    package static func livePostKeys(_ rows: [OutboxRow]) -> [String] {
        rows.filter { $0.kind == .post && $0.key.hasPrefix("live:") }.map(\.key)
    }
}

/// `customerIDs(visibleTo:among:)` around a backend's one recursive query: admins see
/// everything without asking, and each (person, customer) pair the query finds is folded in.
package struct VisibilityScopes {
    package private(set) var scopes: [String: [String]?] = [:]
    /// The lowercased emails whose teams the backend must walk.
    package private(set) var limited: [String] = []

    package init(_ people: [CSM]) {
        for person in people {
            let email = person.email.lowercased()
            if person.role == .admin { scopes[email] = .some(nil) } else { scopes[email] = []; limited.append(email) }
        }
    }

    /// Whether the backend has anything to ask.
    package func needsQuery(among: [String]?) -> Bool { !limited.isEmpty && among?.isEmpty != true }

    package mutating func add(root: String, customer: String) { scopes[root]??.append(customer) }
}
