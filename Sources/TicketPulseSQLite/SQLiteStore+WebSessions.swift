import Foundation
import GRDB
import TicketPulseStorage

/// The web dashboard's sessions and one-time sign-in links.
extension SQLiteStore {
    public func saveWebSession(_ session: WebSession) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at <= ?", arguments: [session.createdAt.storeValue])
            try db.execute(sql: """
                INSERT INTO web_sessions (token_hash, kind, email, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [session.tokenHash, session.kind.rawValue, session.email.lowercased(), session.csrfToken,
                                 session.createdAt.storeValue, session.expiresAt.storeValue])
        }
    }

    public func webSession(tokenHash: String, kind: WebSession.Kind, at now: Date) throws -> WebSession? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM web_sessions WHERE token_hash = ? AND kind = ? AND expires_at > ?",
                             arguments: [tokenHash, kind.rawValue, now.storeValue]).map(Self.webSession)
        }
    }

    public func claimWebSession(tokenHash: String, kind: WebSession.Kind, at now: Date) throws -> WebSession? {
        try write { db in
            try Row.fetchOne(db, sql: "DELETE FROM web_sessions WHERE token_hash = ? AND kind = ? AND expires_at > ? RETURNING *",
                             arguments: [tokenHash, kind.rawValue, now.storeValue]).map(Self.webSession)
        }
    }

    public func deleteWebSession(tokenHash: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM web_sessions WHERE token_hash = ?", arguments: [tokenHash]) }
    }

    static func webSession(_ row: Row) -> WebSession {
        WebSession(tokenHash: row["token_hash"], kind: WebSession.Kind(rawValue: row["kind"]) ?? .session, email: row["email"],
                   csrfToken: row["csrf_token"], createdAt: Date(storeValue: row["created_at"]), expiresAt: Date(storeValue: row["expires_at"]))
    }
}
