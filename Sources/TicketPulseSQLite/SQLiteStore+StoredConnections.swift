import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    // MARK: Connections made through the connect flow

    public func storedConnections() throws -> [StoredConnection] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, system, subdomain, base_url, external_id_prefix, created_at, created_by FROM stored_connections ORDER BY name").map { row in
                StoredConnection(name: row[0], system: SourceSystem(rawValue: row[1]) ?? .zendesk, subdomain: row[2], baseURL: row[3],
                                 externalIDPrefix: row[4], createdAt: Date(storeValue: row[5]), createdBy: row[6])
            }
        }
    }

    public func addStoredConnection(_ connection: StoredConnection, credentials: Data, credentialsKey: String) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO stored_connections (name, system, subdomain, base_url, external_id_prefix, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO NOTHING
                """, arguments: [connection.name, connection.system.rawValue, connection.subdomain, connection.baseURL, connection.externalIDPrefix,
                                 connection.createdAt.storeValue, connection.createdBy])
            guard db.changesCount > 0 else { throw StoredConnectionExists(name: connection.name) }
            try Self.saveConnectionState(credentials, connection: credentialsKey, at: connection.createdAt, in: db)
        }
    }

    // MARK: Organization → customer

    public func organizationMappings(source: SourceSystem) throws -> [String: String] {
        try read { db in
            var mappings: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT organization_id, customer_id FROM organization_mappings WHERE source = ?", arguments: [source.rawValue]) {
                mappings[row[0]] = row[1]
            }
            return mappings
        }
    }

    public func replaceOrganizationMappings(_ mappings: [String: String], source: SourceSystem, at now: Date) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM organization_mappings WHERE source = ?", arguments: [source.rawValue])
            for (organization, customer) in mappings.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO organization_mappings (source, organization_id, customer_id, updated_at) VALUES (?, ?, ?, ?)",
                               arguments: [source.rawValue, organization, customer, now.storeValue])
            }
        }
    }

    public func ticketsWithOrganization(source: SourceSystem) throws -> [StoredTicket] {
        try read { db in
            try TicketStatementReader.storedTickets(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE source = ? AND organization_id IS NOT NULL ORDER BY id",
                                                    arguments: [source.rawValue])
        }
    }
}
