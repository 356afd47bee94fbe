import TicketPulseCore

/// The customers an asker may see: nil means all (an admin).
public struct AccessScope: Sendable, Equatable {
    public var customerIDs: Set<String>?

    public init(customerIDs: [String]?) {
        self.customerIDs = customerIDs.map(Set.init)
    }

    public func allows(_ customerID: String?) -> Bool {
        guard let customerIDs else { return true }
        guard let customerID else { return false }
        return customerIDs.contains(customerID)
    }

    /// The list form the store's queries take (nil = every customer).
    public var queryIDs: [String]? { customerIDs.map { $0.sorted() } }

    public static func of(_ person: CSM, in store: any RosterStore) async throws -> AccessScope {
        AccessScope(customerIDs: try await store.customerIDs(visibleTo: person))
    }
}
