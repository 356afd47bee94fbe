import Foundation
import PostgresNIO

/// What goes wrong opening a PostgreSQL store, said so that an operator can act on it.
/// Messages name the server by `PostgresLocation.description`: never with the password.
public enum PostgresStoreError: Error, CustomStringConvertible, Equatable {
    case badURL(String)
    case unreachable(location: String, reason: String)
    case newerSchema(location: String, version: Int, known: Int)
    case server(String)

    public var description: String {
        switch self {
        case .badURL(let url): "not a PostgreSQL URL: \(url) (expected postgres://user:password@host:port/database)"
        case .unreachable(let location, let reason): "cannot reach PostgreSQL at \(location): \(reason)"
        case .newerSchema(let location, let version, let known):
            "the store at \(location) was created by a newer TicketPulse (schema v\(version), this build knows up to v\(known)); upgrade TicketPulse to use it"
        case .server(let message): "PostgreSQL: \(message)"
        }
    }

    /// A postgres-nio error in words: `PSQLError`'s own description hides the server's
    /// message (it may quote data); the store's errors are for its operator.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            return describe(error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? error)
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            let code = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return (info[.message] ?? "server error") + code
        }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
