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

    /// What a verified generic delivery proved.
    public struct GenericVerification: Sendable, Equatable {
        /// Identifies this exact signed request (the timestamped MAC). An attacker who
        /// captured a delivery can only replay it byte for byte (changing `t` or the body
        /// breaks the MAC), so a key seen before means a replay. nil for the legacy forms,
        /// which have nothing that tells a replay from a sender resending the same body.
        public var replayKey: String?
        /// The timestamp the sender signed; nil for the legacy forms.
        public var signedAt: Date?
    }

    /// Generic webhook: `X-TicketPulse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`,
    /// refused when `t` is more than `tolerance` from `now` (either way: clocks drift).
    /// Several `v1=` are accepted (one per secret while it is being rotated).
    ///
    /// With `allowLegacy` (the connection's `legacy_signature: true`) also the older forms,
    /// which sign no time and so cannot be told from a replay: `sha256=<hex HMAC-SHA256(secret, body)>`
    /// and `Authorization: Bearer <secret>`.
    public static func verifyGeneric(
        secret: String, signature: String?, authorization: String?, body: [UInt8], now: Date, tolerance: TimeInterval = 300, allowLegacy: Bool = false
    ) throws(WebhookError) -> GenericVerification {
        let key = SymmetricKey(data: Data(secret.utf8))
        if let signature, !signature.lowercased().hasPrefix("sha256=") {
            let (stamp, macs) = try timestampedParts(signature)
            let signed = Array(stamp.utf8) + [UInt8(ascii: ".")] + body
            guard let mac = macs.first(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: key) }) else {
                throw .unauthorized("signature does not match")
            }
            // Checked after the MAC, so an unsigned caller learns nothing about the window.
            guard let seconds = Int64(stamp), abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else {
                throw .unauthorized("stale timestamp: t must be within \(Int(tolerance)) s of the server's clock")
            }
            return GenericVerification(replayKey: "v1:" + mac.map { String(format: "%02x", $0) }.joined(), signedAt: Date(timeIntervalSince1970: Double(seconds)))
        }
        guard allowLegacy else {
            if signature != nil || authorization != nil {
                throw .unauthorized("this connection accepts only X-TicketPulse-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.\" + body>; the sha256= and bearer forms need legacy_signature: true")
            }
            throw .unauthorized("missing X-TicketPulse-Signature (t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.\" + body>)")
        }
        if let signature {
            guard let mac = Hex.decode(signature.dropFirst(7)) else {
                throw .unauthorized("malformed X-TicketPulse-Signature")
            }
            guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key) else {
                throw .unauthorized("signature does not match")
            }
            return GenericVerification(replayKey: nil, signedAt: nil)
        }
        if let authorization, authorization.hasPrefix("Bearer ") {
            let given = Array(authorization.dropFirst(7).utf8)
            // Compare MACs of both rather than the strings, so timing says nothing about the secret.
            let random = SymmetricKey(size: .bits256)
            let expected = HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: random)
            guard HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: given, using: random) else {
                throw .unauthorized("bearer secret does not match")
            }
            return GenericVerification(replayKey: nil, signedAt: nil)
        }
        throw .unauthorized("missing X-TicketPulse-Signature or Authorization")
    }

    /// `t` and the `v1` MACs of `t=<digits>,v1=<hex>[,v1=<hex>]`; other keys are ignored, so
    /// a later scheme can be sent beside v1.
    static func timestampedParts(_ header: String) throws(WebhookError) -> (stamp: String, macs: [[UInt8]]) {
        // A real header is under 100 bytes per MAC; a huge one is refused before it is split.
        guard header.utf8.count <= 1024 else { throw .unauthorized("X-TicketPulse-Signature is too long") }
        var stamp: String?
        var macs: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t":
                guard stamp == nil, !pair[1].isEmpty, pair[1].count <= 12, pair[1].allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw .unauthorized("malformed X-TicketPulse-Signature: t must be unix seconds, once")
                }
                stamp = pair[1]
            case "v1":
                guard let mac = Hex.decode(pair[1]), mac.count == SHA256Digest.byteCount else {
                    throw .unauthorized("malformed X-TicketPulse-Signature: v1 must be 64 hex digits")
                }
                macs.append(mac)
            default: continue
            }
        }
        guard let stamp, !macs.isEmpty else {
            throw .unauthorized("malformed X-TicketPulse-Signature: expected t=<unix>,v1=<hex>")
        }
        return (stamp, macs)
    }

    /// The header a sender puts on `body` at `time`: for tests, benchmarks and the docs' example.
    public static func genericHeader(secret: String, body: [UInt8], time: Date) -> String {
        let stamp = String(Int64(time.timeIntervalSince1970.rounded(.down)))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(stamp.utf8) + [UInt8(ascii: ".")] + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(stamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
