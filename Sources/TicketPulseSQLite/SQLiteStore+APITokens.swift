import Foundation
import GRDB
import TicketPulseStorage

extension SQLiteStore {
    public func createAPIToken(email: String, name: String, hash: String, at now: Date) throws -> APIToken {
        let email = email.lowercased()
        return try write { db in
            try db.execute(sql: "INSERT INTO api_tokens (email, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [email, name, hash, now.storeValue])
            return APIToken(id: db.lastInsertedRowID, email: email, name: name, createdAt: now)
        }
    }

    public func apiTokens() throws -> [APIToken] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, email, name, created_at, revoked_at FROM api_tokens ORDER BY id").map(Self.apiToken)
        }
    }

    public func apiToken(hash: String) throws -> APIToken? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, email, name, created_at, revoked_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                             arguments: [hash]).map(Self.apiToken)
        }
    }

    public func revokeAPIToken(id: Int64, at now: Date) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now.storeValue, id])
            return db.changesCount > 0
        }
    }

    private static func apiToken(_ row: Row) -> APIToken {
        let revoked: Double? = row[4]
        return APIToken(id: row[0], email: row[1], name: row[2], createdAt: Date(storeValue: row[3]), revokedAt: revoked.map(Date.init(storeValue:)))
    }
}
