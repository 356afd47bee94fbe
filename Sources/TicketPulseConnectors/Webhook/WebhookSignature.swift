import Crypto
import Foundation
import TicketPulseCore

/// Signature checks for inbound webhooks; every comparison is constant-time.
public enum WebhookSignature {
    /// Zendesk: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, …)) with
    /// `X-Zendesk-Webhook-Signature-Timestamp`. The docs say timestamp + body; Zendesk's own
    /// published test vector verifies as body + timestamp. Both are accepted: each is a
    /// keyed MAC over the same two values, so accepting both adds no forgery path.
    public static func verifyZendesk(secret: String, signature: String?, timestamp: String?, body: [UInt8], now: Date, tolerance: TimeInterval = 300) throws(WebhookError) {
        guard let signature, let timestamp, !signature.isEmpty, !timestamp.isEmpty else {
            throw .unauthorized("missing Zendesk signature headers")
        }
        guard let mac = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)) else {
            throw .unauthorized("signature is not base64")
        }
        let key = SymmetricKey(data: Data(secret.utf8))
        let stamp = Array(timestamp.utf8)
        let valid = HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: stamp + body, using: key)
            || HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body + stamp, using: key)
        guard valid else { throw .unauthorized("signature does not match") }
        // Checked after the MAC, so an attacker learns nothing from which check failed.
        guard let sent = SourceDate.parse(timestamp), abs(now.timeIntervalSince(sent)) <= tolerance else {
            throw .unauthorized("stale or unreadable timestamp")
        }
    }

    /// Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(client_secret, body)>`.
    public static func verifyIntercom(secret: String, header: String?, body: [UInt8]) throws(WebhookError) {
        guard let header, header.lowercased().hasPrefix("sha1="), let mac = Hex.decode(header.dropFirst(5)) else {
            throw .unauthorized("missing or malformed X-Hub-Signature")
        }
        guard HMAC<Insecure.SHA1>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Data(secret.utf8))) else {
            throw .unauthorized("signature does not match")
        }
    }

    /// Generic webhook: `X-TicketPulse-Signature: sha256=<hex HMAC-SHA256(secret, body)>`,
    /// or `Authorization: Bearer <secret>` for senders that cannot sign.
    public static func verifyGeneric(secret: String, signature: String?, authorization: String?, body: [UInt8]) throws(WebhookError) {
        if let signature {
            guard signature.lowercased().hasPrefix("sha256="), let mac = Hex.decode(signature.dropFirst(7)) else {
                throw .unauthorized("malformed X-TicketPulse-Signature")
            }
            guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Data(secret.utf8))) else {
                throw .unauthorized("signature does not match")
            }
            return
        }
        if let authorization, authorization.hasPrefix("Bearer ") {
            let given = Array(authorization.dropFirst(7).utf8)
            // Compare MACs of both rather than the strings, so timing says nothing about the secret.
            let key = SymmetricKey(size: .bits256)
            let expected = HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: key)
            guard HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: given, using: key) else {
                throw .unauthorized("bearer secret does not match")
            }
            return
        }
        throw .unauthorized("missing X-TicketPulse-Signature or Authorization")
    }
}
