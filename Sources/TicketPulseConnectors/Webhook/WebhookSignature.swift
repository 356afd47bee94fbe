import Crypto
import Foundation

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
        guard let header, header.lowercased().hasPrefix("sha1="), let mac = hexBytes(String(header.dropFirst(5))) else {
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
            guard signature.lowercased().hasPrefix("sha256="), let mac = hexBytes(String(signature.dropFirst(7))) else {
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

    static func hexBytes(_ hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0, !chars.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
