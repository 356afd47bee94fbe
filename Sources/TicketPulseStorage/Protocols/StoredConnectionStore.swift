import Foundation
import TicketPulseCore

/// What the API's connect flow and organization mapping keep: the connections it made, and
/// which customer each of a source's organizations belongs to.
public protocol StoredConnectionStore: Sendable {
    /// Connections made through the connect flow, by name.
    func storedConnections() async throws -> [StoredConnection]
    /// Adds `connection` with its first credentials (the connection-state entry
    /// `credentialsKey`) in one transaction; `StoredConnectionExists` when the name is taken,
    /// and then nothing is written.
    func addStoredConnection(_ connection: StoredConnection, credentials: Data, credentialsKey: String) async throws

    /// Organization id → customer id, for tickets of `source`.
    func organizationMappings(source: SourceSystem) async throws -> [String: String]
    /// Replaces the whole mapping of `source`.
    func replaceOrganizationMappings(_ mappings: [String: String], source: SourceSystem, at now: Date) async throws
    /// Every ticket of `source` that names its organization: what a new mapping may move.
    func ticketsWithOrganization(source: SourceSystem) async throws -> [StoredTicket]
}
