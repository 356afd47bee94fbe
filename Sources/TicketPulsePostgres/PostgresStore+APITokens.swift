import Foundation
import PostgresNIO
import TicketPulseStorage

extension PostgresStore {
    public func createAPIToken(email: String, name: String, hash: String, at now: Date) async throws -> APIToken {
        let email = email.lowercased()
        let id = try await read { connection in
            try await connection.scalar("""
                INSERT INTO api_tokens (email, name, token_hash, created_at) VALUES (\(email), \(name), \(hash), \(now.pg)) RETURNING id
                """, as: Int64.self, logger: self.logger)
        }
        guard let id else { throw PostgresStoreError.server("INSERT INTO api_tokens returned no id") }
        return APIToken(id: id, email: email, name: name, createdAt: now)
    }

    public func apiTokens() async throws -> [APIToken] {
        try await read { connection in
            try await connection.rows("SELECT id, email, name, created_at, revoked_at FROM api_tokens ORDER BY id", logger: self.logger).map(Self.apiToken)
        }
    }

    public func apiToken(hash: String) async throws -> APIToken? {
        try await read { connection in
            try await connection.rows("SELECT id, email, name, created_at, revoked_at FROM api_tokens WHERE token_hash = \(hash) AND revoked_at IS NULL",
                                      logger: self.logger).map(Self.apiToken).first
        }
    }

    public func revokeAPIToken(id: Int64, at now: Date) async throws -> Bool {
        try await read { connection in
            try await connection.scalar("UPDATE api_tokens SET revoked_at = \(now.pg) WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
                                        as: Int64.self, logger: self.logger) != nil
        }
    }

    private static func apiToken(_ row: PostgresRow) throws -> APIToken {
        let (id, email, name, created, revoked) = try row.decode((Int64, String, String, Double, Double?).self)
        return APIToken(id: id, email: email, name: name, createdAt: Date(pg: created), revokedAt: revoked.map(Date.init(pg:)))
    }
}
