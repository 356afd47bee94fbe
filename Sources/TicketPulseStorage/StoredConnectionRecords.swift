import Foundation
import TicketPulseCore

/// A support-system connection made through the API's connect flow (PRD-184 FR-1), kept in
/// the store beside those `ticketpulse.yml` lists. Only what locates the account is here;
/// its OAuth tokens are the connection's credentials entry in `connection_state`, the one
/// the refresh flow already keeps up to date.
public struct StoredConnection: Sendable, Equatable {
    public var name: String
    public var system: SourceSystem
    public var subdomain: String
    /// The API root when it is not the system's usual one for `subdomain` (a proxy, a test).
    public var baseURL: String?
    /// Prepended to the account's ticket ids, so that two accounts' #4521 stay apart.
    public var externalIDPrefix: String
    public var createdAt: Date
    /// The admin who authorized it.
    public var createdBy: String

    public init(name: String, system: SourceSystem, subdomain: String, baseURL: String? = nil, externalIDPrefix: String = "", createdAt: Date, createdBy: String) {
        self.name = name
        self.system = system
        self.subdomain = subdomain
        self.baseURL = baseURL
        self.externalIDPrefix = externalIDPrefix
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// Adding a connection under a name the store already holds.
public struct StoredConnectionExists: Error, Equatable, CustomStringConvertible {
    public var name: String
    public init(name: String) { self.name = name }
    public var description: String { "a connection named '\(name)' is already stored" }
}
