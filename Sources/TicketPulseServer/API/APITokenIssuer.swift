import Crypto
import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Makes and checks the HTTP API's bearer tokens: 32 random bytes, shown once as
/// `tp_<64 hex>`; the store keeps only their SHA-256, so a copy of the store is no key.
public enum APITokenIssuer {
    public static let prefix = "tp_"

    public struct Issued: Sendable {
        /// The secret, for the person to copy now: it is not kept anywhere.
        public var secret: String
        public var token: APIToken
    }

    public enum IssueError: Error, CustomStringConvertible {
        case notOnRoster(String)

        public var description: String {
            switch self {
            case .notOnRoster(let who): "\(who) is not on the roster: import them with `ticketpulse import csms` first"
            }
        }
    }

    /// A new token for the roster member `emailOrSlackID`.
    public static func issue(for emailOrSlackID: String, name: String, store: any Store, now: Date) async throws -> Issued {
        guard let person = try await store.csm(emailOrSlackUserID: emailOrSlackID) else { throw IssueError.notOnRoster(emailOrSlackID) }
        var generator = SystemRandomNumberGenerator()
        let secret = prefix + Hex.string((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let token = try await store.createAPIToken(email: person.email, name: name, hash: hash(secret), at: now)
        return Issued(secret: secret, token: token)
    }

    /// What the store keeps of a secret.
    public static func hash(_ secret: String) -> String {
        Hex.string(Array(SHA256.hash(data: Data(secret.utf8))))
    }
}
