import Crypto
import Foundation
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

    // Kept as bytes: SymmetricKey is not Sendable.
    private let secret: [UInt8]
    private let now: @Sendable () -> Date

    public init(signingSecret: String, now: @escaping @Sendable () -> Date) {
        self.secret = Array(signingSecret.utf8)
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
        // isValidAuthenticationCode compares in constant time, so timing leaks nothing.
        let valid = HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: Self.baseString(body, timestamp), using: SymmetricKey(data: secret))
        return valid ? .valid : .invalid(.mismatch)
    }

    /// The header value Slack would send for this body: for test servers and replay tools.
    public func signature(body: some Collection<UInt8>, timestamp: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Self.baseString(body, timestamp), using: SymmetricKey(data: secret))
        return "v0=" + Hex.string(code)
    }

    private static func baseString(_ body: some Collection<UInt8>, _ timestamp: String) -> Data {
        var data = Data("v0:\(timestamp):".utf8)
        data.append(contentsOf: body)
        return data
    }
}
