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
    /// The source answered 401 or 403 (not a rate limit) to the connection's credentials;
    /// `fix` names the variable and where to get new ones. Retrying cannot help, so the
    /// connection is marked unhealthy after the first such pass.
    case credentialsRejected(status: Int, fix: String)

    public var description: String {
        switch self {
        case .rateLimited(let wait): "rate limited, retry after \(wait)"
        case .http(let status, let body): "HTTP \(status): \(body)"
        case .transport(let reason): "transport error: \(reason)"
        case .notFound: "not found"
        case .unauthorized(let status): "HTTP \(status): credentials rejected"
        case .malformedResponse(let reason): "unreadable response: \(reason)"
        case .tokenRefreshFailed(let reason): "token refresh failed: \(reason)"
        case .credentialsRejected(let status, let fix): "HTTP \(status): \(fix)"
        }
    }

    /// Retrying will not help: the connection is unhealthy until someone changes its credentials.
    public var needsOperator: Bool {
        switch self {
        case .tokenRefreshFailed, .credentialsRejected: true
        default: false
        }
    }
}

/// What to tell an operator whose credentials a source refused, per system and auth kind.
enum CredentialAdvice {
    /// A 401/403 becomes the fix for `connection`'s credentials (the HTTP layer does not
    /// know which variable holds them); anything else is kept as it is.
    static func explained(_ error: any Error, _ connection: ConnectionConfiguration) -> any Error {
        if case ConnectorError.unauthorized(let status)? = error as? ConnectorError {
            return rejected(connection, status: status)
        }
        return error
    }

    /// `detail`: the source's own words (its error body), kept at the end.
    static func rejected(_ connection: ConnectionConfiguration, status: Int, detail: String? = nil) -> ConnectorError {
        let name = "connection '\(connection.name)'"
        let token = connection.tokenEnv ?? "token_env"
        let forbidden = status == 403
        let fix: String
        switch connection.system {
        case .zendesk where connection.email != nil:
            fix = "\(name): the token in \(token) was rejected: create a new one under Admin → Apps and integrations → APIs (Zendesk API), put it in \(token) and restart"
                + (forbidden ? "; with 403 the token works but \(connection.email ?? "its user") may not read the incremental export, which needs an admin" : "; check that email (\(connection.email ?? "")) is the token's agent")
        case .zendesk:
            let refresh = connection.refreshTokenEnv.map { " (and its refresh token in \($0))" } ?? ""
            fix = "\(name): the OAuth access token in \(token)\(refresh) was rejected: authorize TicketPulse again with its OAuth client (Admin → Apps and integrations → APIs → OAuth clients) and put the new tokens in the environment"
        case .freshdesk:
            fix = "\(name): the API key in \(token) was rejected: copy the key from Freshdesk (your profile picture → Profile settings → View API key), put it in \(token) and restart"
                + (forbidden ? "; with 403 the key's agent may lack the permission to view these tickets" : "")
        case .intercom:
            fix = "\(name): the access token in \(token) was rejected: copy a new one from the Intercom Developer Hub (your app → Configure → Authentication), put it in \(token) and restart"
        case .salesforce where connection.tokenEnv == nil || connection.clientIDEnv != nil:
            let id = connection.clientIDEnv ?? "client_id_env", secret = connection.clientSecretEnv ?? "client_secret_env"
            fix = "\(name): Salesforce refused the connected app's credentials in \(id) and \(secret): check the consumer key and secret (Setup → App Manager → the app → View → Manage Consumer Details) and that the client credentials flow has a Run As user"
                + (forbidden ? "; with 403 the Run As user lacks access to Case (API Enabled, Read on Cases)" : "")
        case .salesforce:
            fix = "\(name): the access token in \(token) was rejected: issue a new one for the connected app and put it in \(token), or configure client_id_env and client_secret_env so TicketPulse fetches its own"
        case .webhook:
            fix = "\(name): credentials rejected"
        }
        return .credentialsRejected(status: status, fix: fix + (detail.map { " (the source said: \($0))" } ?? ""))
    }
}
