import Foundation
import PostgresNIO
import TicketPulseStorage

/// The web dashboard's sessions and one-time sign-in links, shared by every replica.
extension PostgresStore {
    static let webSessionColumns = "token_hash, kind, email, csrf_token, created_at, expires_at"

    public func saveWebSession(_ session: WebSession) async throws {
        try await write { connection in
            try await connection.run("DELETE FROM web_sessions WHERE expires_at <= \(session.createdAt.pg)", logger: self.logger)
            try await connection.run("""
                INSERT INTO web_sessions (token_hash, kind, email, csrf_token, created_at, expires_at)
                VALUES (\(session.tokenHash), \(session.kind.rawValue), \(session.email.lowercased()), \(session.csrfToken), \(session.createdAt.pg), \(session.expiresAt.pg))
                """, logger: self.logger)
        }
    }

    public func webSession(tokenHash: String, kind: WebSession.Kind, at now: Date) async throws -> WebSession? {
        try await read { connection in
            try await connection.rows("""
                SELECT \(unescaped: Self.webSessionColumns) FROM web_sessions WHERE token_hash = \(tokenHash) AND kind = \(kind.rawValue) AND expires_at > \(now.pg)
                """, logger: self.logger).first.map(Self.webSession)
        }
    }

    public func claimWebSession(tokenHash: String, kind: WebSession.Kind, at now: Date) async throws -> WebSession? {
        try await read { connection in
            try await connection.rows("""
                DELETE FROM web_sessions WHERE token_hash = \(tokenHash) AND kind = \(kind.rawValue) AND expires_at > \(now.pg)
                RETURNING \(unescaped: Self.webSessionColumns)
                """, logger: self.logger).first.map(Self.webSession)
        }
    }

    public func deleteWebSession(tokenHash: String) async throws {
        try await read { connection in
            try await connection.run("DELETE FROM web_sessions WHERE token_hash = \(tokenHash)", logger: self.logger)
        }
    }

    static func webSession(_ row: PostgresRow) throws -> WebSession {
        let (hash, kind, email, csrf, created, expires) = try row.decode((String, String, String, String, Double, Double).self)
        return WebSession(tokenHash: hash, kind: WebSession.Kind(rawValue: kind) ?? .session, email: email, csrfToken: csrf,
                          createdAt: Date(pg: created), expiresAt: Date(pg: expires))
    }
}
