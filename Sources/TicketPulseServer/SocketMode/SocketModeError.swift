import TicketPulseSlack

/// Why Socket Mode cannot start; `serve` exits with it.
public struct SocketModeError: Error, CustomStringConvertible {
    public var description: String

    /// Slack refused the app-level token before any connection was made: no retry can fix
    /// it, so `serve` stops at once with what to change instead of retrying forever.
    static func refusedToken(code: String, variable: String) -> SocketModeError {
        SocketModeError(description: "Slack refused the app-level token in \(variable) (apps.connections.open: \(code)): create an app-level token with the connections:write scope under your app's Basic Information → App-Level Tokens, and make sure Socket Mode is on under Settings → Socket Mode; or set slack.socket_mode: false to use the HTTP request URLs")
    }

    /// The `apps.connections.open` errors that mean the token itself is wrong.
    static func tokenRefusal(in error: any Error) -> String? {
        guard case SlackAPIError.slack(let code, _) = error else { return nil }
        return ["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type", "missing_scope"].contains(code) ? code : nil
    }
}
