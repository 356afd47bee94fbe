import Crypto
import Foundation
import Synchronization
import TicketPulseCore

/// Why a request was refused; the server counts these in `/metrics`.
public enum SlackSignatureFailure: String, Sendable, Equatable, CaseIterable {
    case missingHeaders
    case badVersion
    case stale
    case mismatch
}

public enum SlackSignatureResult: Sendable, Equatable {
    case valid
    case invalid(SlackSignatureFailure)

    public var isValid: Bool { self == .valid }
}

/// Verifies `X-Slack-Signature` (v0, HMAC-SHA256 over `v0:<timestamp>:<raw body>`).
///
/// The raw bytes must be the ones Slack sent: any decoding or re-encoding before this
/// check changes the signature.
public struct SlackSignatureVerifier: Sendable {
    /// Slack's replay window: a captured request cannot be replayed after five minutes.
    public static let maximumSkew: TimeInterval = 300

    /// The headers that carry the request's time and its signature.
    public static let timestampHeader = "X-Slack-Request-Timestamp"
    public static let signatureHeader = "X-Slack-Signature"

    /// The HMAC with the key already mixed in, copied for each request: keying it again for
    /// every request was a third of the check. A copy shares the hash states until it is
    /// updated, and is then copied on write, so the one kept here is never changed.
    private let keyed: KeyedMAC
    private let now: @Sendable () -> Date

    public init(signingSecret: String, now: @escaping @Sendable () -> Date) {
        self.keyed = KeyedMAC(secret: Array(signingSecret.utf8))
        self.now = now
    }

    public func verify(body: some Collection<UInt8>, timestamp: String?, signature: String?) -> SlackSignatureResult {
        guard let timestamp, let signature, !timestamp.isEmpty, !signature.isEmpty else {
            return .invalid(.missingHeaders)
        }
        guard signature.hasPrefix("v0=") else { return .invalid(.badVersion) }
        // A timestamp that is not a number cannot prove freshness, so it is treated as stale.
        guard let seconds = TimeInterval(timestamp), seconds.isFinite,
              abs(now().timeIntervalSince1970 - seconds) <= Self.maximumSkew
        else { return .invalid(.stale) }
        guard signature.utf8.count == 67, let expected = Hex.decode(signature.dropFirst(3)) else { return .invalid(.mismatch) }
        // The comparison of a MAC with bytes is in constant time, so timing leaks nothing.
        return code(body, timestamp) == expected ? .valid : .invalid(.mismatch)
    }

    /// HMAC-SHA256 of `v0:<timestamp>:<body>`, fed in pieces rather than joined first.
    private func code(_ body: some Collection<UInt8>, _ timestamp: String) -> HashedAuthenticationCode<SHA256> {
        var mac = keyed.mac.withLock { $0 }
        mac.update(data: Array("v0:\(timestamp):".utf8))
        let fed: Void? = body.withContiguousStorageIfAvailable { mac.update(data: UnsafeRawBufferPointer($0)) }
        if fed == nil { mac.update(data: Array(body)) }
        return mac.finalize()
    }

    /// The header value Slack would send for this body: for test servers and replay tools.
    public func signature(body: some Collection<UInt8>, timestamp: String) -> String {
        "v0=" + Hex.string(code(body, timestamp))
    }
}

/// Holds the keyed HMAC: a `Mutex` cannot be copied, and the verifier is passed by value
/// (SymmetricKey and HMAC are not Sendable; the lock makes the shared one so).
private final class KeyedMAC: Sendable {
    let mac: Mutex<HMAC<SHA256>>

    init(secret: [UInt8]) {
        mac = Mutex(HMAC<SHA256>(key: SymmetricKey(data: secret)))
    }
}
