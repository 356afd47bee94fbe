import Foundation

/// Why a call to a support system failed, after retries.
public enum ConnectorError: Error, Equatable, CustomStringConvertible {
    /// The source asked us to wait longer than we are willing to block a pass.
    case rateLimited(retryAfter: Duration)
    case http(status: Int, body: String)
    case transport(String)
    case notFound
    case unauthorized(status: Int)
    /// The source answered 2xx with a body we cannot read.
    case malformedResponse(String)
    /// An OAuth refresh was refused (revoked or expired refresh token, wrong client): only
    /// an operator can fix it, so the connection is marked unhealthy at once.
    case tokenRefreshFailed(String)

    public var description: String {
        switch self {
        case .rateLimited(let wait): "rate limited, retry after \(wait)"
        case .http(let status, let body): "HTTP \(status): \(body)"
        case .transport(let reason): "transport error: \(reason)"
        case .notFound: "not found"
        case .unauthorized(let status): "HTTP \(status): credentials rejected"
        case .malformedResponse(let reason): "unreadable response: \(reason)"
        case .tokenRefreshFailed(let reason): "token refresh failed: \(reason)"
        }
    }

    /// Retrying will not help: the connection is unhealthy until someone changes its credentials.
    public var needsOperator: Bool {
        if case .tokenRefreshFailed = self { return true }
        return false
    }
}
