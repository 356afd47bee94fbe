import Foundation

/// Why a webhook was refused. Nothing is stored for any of them.
public enum WebhookError: Error, Equatable, CustomStringConvertible {
    /// Missing, wrong or stale signature / secret → 401.
    case unauthorized(String)
    /// Unreadable or incomplete body → 400 with a JSON error.
    case malformed(String)

    public var httpStatus: Int {
        switch self {
        case .unauthorized: 401
        case .malformed: 400
        }
    }

    /// `{"error": "...", "detail": "..."}` for the response body.
    public var jsonBody: [UInt8] {
        let (code, detail) = switch self {
        case .unauthorized(let reason): ("unauthorized", reason)
        case .malformed(let reason): ("malformed_payload", reason)
        }
        let object = ["error": code, "detail": detail]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(#"{"error":"\#(code)"}"#.utf8))
    }

    public var description: String {
        switch self {
        case .unauthorized(let reason): "unauthorized: \(reason)"
        case .malformed(let reason): "malformed: \(reason)"
        }
    }
}
