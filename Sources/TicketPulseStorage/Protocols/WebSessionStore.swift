import Foundation

/// A signed-in browser of the web dashboard, or a one-time sign-in link not yet used. Only
/// the SHA-256 of the secret the browser holds is stored, so a copy of the store signs
/// nobody in.
public struct WebSession: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case session
        /// `ticketpulse login-link`: claimed once, within its lifetime, for a session.
        case loginLink = "login_link"
    }

    /// Hex SHA-256 of the cookie's or the link's secret.
    public var tokenHash: String
    public var kind: Kind
    public var email: String
    /// The token every form of this session carries; empty for a link.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, kind: Kind, email: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.kind = kind
        self.email = email
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The web dashboard's sessions and sign-in links, shared by every replica, so a browser
/// signed in through one is signed in on all.
public protocol WebSessionStore: Sendable {
    /// Saves a session or a link; those expired at `session.createdAt` are removed in the
    /// same transaction, so the table holds only what can still be used.
    func saveWebSession(_ session: WebSession) async throws
    /// The session or link with this hash and kind, unless it has expired at `now`.
    func webSession(tokenHash: String, kind: WebSession.Kind, at now: Date) async throws -> WebSession?
    /// Returns and removes, in one statement, the unexpired session or link with this hash
    /// and kind: a sign-in link opened twice signs in once.
    func claimWebSession(tokenHash: String, kind: WebSession.Kind, at now: Date) async throws -> WebSession?
    /// Signing out.
    func deleteWebSession(tokenHash: String) async throws
}
