import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    // MARK: Connections made through the connect flow

    public func storedConnections() async throws -> [StoredConnection] {
        try await read { db in
            try await db.rows("SELECT name, system, subdomain, base_url, external_id_prefix, created_at, created_by FROM stored_connections ORDER BY name COLLATE \"C\"",
                              logger: self.logger).map { row in
                let (name, system, subdomain, baseURL, prefix, createdAt, createdBy) = try row.decode((String, String, String, String?, String, Double, String).self)
                return StoredConnection(name: name, system: SourceSystem(rawValue: system) ?? .zendesk, subdomain: subdomain, baseURL: baseURL,
                                        externalIDPrefix: prefix, createdAt: Date(pg: createdAt), createdBy: createdBy)
            }
        }
    }

    public func addStoredConnection(_ connection: StoredConnection, credentials: Data, credentialsKey: String) async throws {
        try await write { db in
            let inserted = try await db.scalar("""
                INSERT INTO stored_connections (name, system, subdomain, base_url, external_id_prefix, created_at, created_by)
                VALUES (\(connection.name), \(connection.system.rawValue), \(connection.subdomain), \(connection.baseURL), \(connection.externalIDPrefix),
                        \(connection.createdAt.pg), \(connection.createdBy))
                ON CONFLICT (name) DO NOTHING RETURNING name
                """, as: String.self, logger: self.logger)
            guard inserted != nil else { throw StoredConnectionExists(name: connection.name) }
            try await self.saveConnectionState(credentials, connection: credentialsKey, at: connection.createdAt, on: db)
        }
    }

    // MARK: Organization → customer

    public func organizationMappings(source: SourceSystem) async throws -> [String: String] {
        try await read { db in
            var mappings: [String: String] = [:]
            for row in try await db.rows("SELECT organization_id, customer_id FROM organization_mappings WHERE source = \(source.rawValue)", logger: self.logger) {
                let (organization, customer) = try row.decode((String, String).self)
                mappings[organization] = customer
            }
            return mappings
        }
    }

    public func replaceOrganizationMappings(_ mappings: [String: String], source: SourceSystem, at now: Date) async throws {
        try await write { db in
            try await db.run("DELETE FROM organization_mappings WHERE source = \(source.rawValue)", logger: self.logger)
            for (organization, customer) in mappings.sorted(by: { $0.key < $1.key }) {
                try await db.run("""
                    INSERT INTO organization_mappings (source, organization_id, customer_id, updated_at)
                    VALUES (\(source.rawValue), \(organization), \(customer), \(now.pg))
                    """, logger: self.logger)
            }
        }
    }

    public func ticketsWithOrganization(source: SourceSystem) async throws -> [StoredTicket] {
        try await read { db in
            try await db.rows("SELECT \(unescaped: PostgresTicketRow.selection) FROM tickets WHERE source = \(source.rawValue) AND organization_id IS NOT NULL ORDER BY id",
                              logger: self.logger).map(PostgresTicketRow.decode)
        }
    }
}
