import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TicketPulseCore
import TicketPulseStorage

/// Who is signed in to the dashboard: a session cookie whose secret's SHA-256 names a row
/// of `web_sessions`, the roster person it belongs to, and the CSRF token of its forms.
struct WebAuth: Sendable {
    static let sessionCookie = "tp_session"
    static let csrfField = "csrf"

    let store: any Store
    let settings: WebSettings
    let now: @Sendable () -> Date

    struct SignedIn: Sendable {
        var person: CSM
        var session: WebSession
        var csrf: String { session.csrfToken }
    }

    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty,
              let session = try await store.webSession(tokenHash: Self.hash(token), kind: .session, at: now()),
              let person = try await store.csm(email: session.email)
        else { return nil }
        return SignedIn(person: person, session: session)
    }

    /// A new session for `person`; returns the cookie's secret.
    func startSession(for person: CSM) async throws -> String {
        let token = Self.randomToken()
        let at = now()
        try await store.saveWebSession(WebSession(tokenHash: Self.hash(token), kind: .session, email: person.email, csrfToken: Self.randomToken(),
                                                  createdAt: at, expiresAt: at + settings.sessionLifetime))
        return token
    }

    func signOut(_ request: Request) async throws {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else { return }
        try await store.deleteWebSession(tokenHash: Self.hash(token))
    }

    /// The person a one-time link was made for, once: the link is gone after.
    func claimLoginLink(_ token: String) async throws -> CSM? {
        guard !token.isEmpty, let link = try await store.claimWebSession(tokenHash: Self.hash(token), kind: .loginLink, at: now()) else { return nil }
        return try await store.csm(email: link.email)
    }

    /// A form's token against the session's, in constant time.
    func csrfValid(_ submitted: String?, for signedIn: SignedIn) -> Bool {
        guard let submitted, !signedIn.csrf.isEmpty else { return false }
        let expected = Array(signedIn.csrf.utf8), given = Array(submitted.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Secure behind TLS: the public URL is https, or the proxy in front says so.
    func isSecure(_ request: Request) -> Bool {
        settings.publicURL?.scheme == "https" || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// `Set-Cookie` for a cookie of the dashboard: HttpOnly, SameSite=Lax, Secure behind TLS;
    /// `maxAge` 0 removes it.
    func cookie(_ name: String, _ value: String, path: String = "/app", maxAge: Int, request: Request) -> String {
        var parts = ["\(name)=\(value)", "Path=\(path)", "Max-Age=\(maxAge)", "HttpOnly", "SameSite=Lax"]
        if isSecure(request) { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    func sessionCookie(_ token: String, request: Request) -> String {
        cookie(Self.sessionCookie, token, maxAge: Int(settings.sessionLifetime), request: request)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes as hex: a cookie-safe, URL-safe secret.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}

/// `ticketpulse login-link --as EMAIL`: a sign-in link for someone on the roster, used once
/// within `web.loginLinkLifetime` (10 minutes).
public enum WebLoginLink {
    public struct NotOnRoster: Error, CustomStringConvertible {
        public var email: String
        public var description: String { "'\(email)' is not in the roster; add them with `ticketpulse import csms`" }
    }

    /// `next`: the page the link opens after signing in (a path under /app).
    public static func create(for email: String, store: any Store, configuration: AppConfiguration, next: String? = nil, now: Date = Date()) async throws -> String {
        guard let person = try await store.csm(emailOrSlackUserID: email) else { throw NotOnRoster(email: email) }
        let token = WebAuth.randomToken()
        try await store.saveWebSession(WebSession(tokenHash: WebAuth.hash(token), kind: .loginLink, email: person.email, csrfToken: "",
                                                  createdAt: now, expiresAt: now + configuration.web.loginLinkLifetime))
        var link = configuration.web.base(host: configuration.host, port: configuration.port) + "/app/login/link?token=" + token
        if let next, let path = WebPaths.safeNext(next) {
            link += "&next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return link
    }
}

enum WebPaths {
    /// Only a path of the dashboard itself: never another host (`//evil`, `https://…`).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/app"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("://") else { return nil }
        return next
    }
}
