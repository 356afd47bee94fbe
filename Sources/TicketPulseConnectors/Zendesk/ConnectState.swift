import Crypto
import Foundation

/// The connect flow's OAuth `state`: what to create when Zendesk sends the browser back,
/// signed with the server's secret (HMAC-SHA256 over the whole payload: subdomain,
/// connection, nonce, expiry, admin), so nobody can change it on the way, and expiring.
/// It is single use: the callback claims its nonce in the store.
struct ConnectState: Codable, Equatable, Sendable {
    var subdomain: String
    var connection: String
    var externalIDPrefix: String
    var nonce: String
    /// Unix seconds.
    var expires: Int
    /// Who started the flow.
    var admin: String

    enum CodingKeys: String, CodingKey {
        case subdomain, connection, nonce, expires, admin
        case externalIDPrefix = "prefix"
    }

    enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed
        case badSignature
        case expired

        var description: String {
            switch self {
            case .malformed: "the state is not one this server made"
            case .badSignature: "the state's signature does not match (it was changed, or made with another secret)"
            case .expired: "the state has expired; start the connection again"
            }
        }
    }

    /// `base64url(payload) + "." + base64url(HMAC-SHA256(secret, base64url(payload)))`.
    func signed(secret: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Self.base64URL(Array(try encoder.encode(self)))
        return payload + "." + Self.base64URL(Array(Self.mac(payload, secret: secret)))
    }

    /// The state `token` carries when this server signed it and it has not expired at `now`.
    static func verified(_ token: String, secret: String, now: Date) throws(Refusal) -> ConnectState {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let signature = bytes(base64URL: String(parts[1])) else { throw .malformed }
        let payload = String(parts[0])
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(payload.utf8), using: SymmetricKey(data: Data(secret.utf8))) else {
            throw .badSignature
        }
        guard let json = bytes(base64URL: payload), let state = try? JSONDecoder().decode(ConnectState.self, from: Data(json)) else { throw .malformed }
        guard Double(state.expires) > now.timeIntervalSince1970 else { throw .expired }
        return state
    }

    private static func mac(_ payload: String, secret: String) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: Data(secret.utf8)))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64URL text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
