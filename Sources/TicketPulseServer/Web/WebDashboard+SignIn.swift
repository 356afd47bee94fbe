import Foundation
import HTTPTypes
import Hummingbird
import TicketPulseStorage

/// Signing in: the sign-in page, a one-time link, Sign in with Slack, signing out.
extension WebDashboard {
    static let oidcCookie = "tp_oidc"

    func registerSignIn(on router: Router<BasicRequestContext>) {
        router.get("/app/login") { request, _ in signInPage(request, next: request.query["next"]) }
        router.get("/app/login/link") { request, _ in try await loginLink(request) }
        router.get("/app/auth/slack") { request, _ in startSlackSignIn(request) }
        router.get("/app/auth/slack/callback") { request, _ in try await slackCallback(request) }
        router.post("/app/logout") { request, _ in
            await form(request, "logout") { _, _ in
                try await auth.signOut(request)
                return .redirect("/app/login")
            }
        }
    }

    func signInPage(_ request: Request, next: String?, message: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let next = WebPaths.safeNext(next) ?? "/app"
        return renderer.page("login", title: "Sign in", values: [
            "slack": signIn != nil, "next": next, "message": message ?? "",
            "slackHref": "/app/auth/slack?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
        ], chrome: [:], status: status)
    }

    /// `ticketpulse login-link`: used once, within its 10 minutes.
    func loginLink(_ request: Request) async throws -> Response {
        guard let person = try await auth.claimLoginLink(request.query["token"] ?? "") else {
            return signInPage(request, next: request.query["next"], message: "This sign-in link has been used or has expired. Ask for a new one.", status: .unauthorized)
        }
        try await store.audit(AuditEntry(at: now(), actor: person.email, action: "web:sign_in", detail: "login link", outcome: .allowed))
        let token = try await auth.startSession(for: person)
        return WebRenderer.redirect(WebPaths.safeNext(request.query["next"]) ?? "/app", cookies: [auth.sessionCookie(token, request: request)])
    }

    var redirectURI: String { base + "/app/auth/slack/callback" }

    /// To Slack's authorization page, with a fresh state and nonce kept in a short cookie
    /// (SameSite=Lax: it comes back with Slack's top-level redirect).
    func startSlackSignIn(_ request: Request) -> Response {
        guard let signIn else { return signInPage(request, next: request.query["next"], message: "Sign in with Slack is not configured here.", status: .notFound) }
        let state = WebAuth.randomToken(), nonce = WebAuth.randomToken()
        let next = WebPaths.safeNext(request.query["next"]) ?? "/app"
        let value = [state, nonce, Data(next.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")].joined(separator: ".")
        let cookie = auth.cookie(Self.oidcCookie, value, path: "/app/auth", maxAge: 600, request: request)
        return WebRenderer.redirect(signIn.authorizationURL(state: state, nonce: nonce, redirectURI: redirectURI), cookies: [cookie])
    }

    func slackCallback(_ request: Request) async throws -> Response {
        let clear = auth.cookie(Self.oidcCookie, "", path: "/app/auth", maxAge: 0, request: request)
        guard let signIn else { return signInPage(request, next: nil, message: "Sign in with Slack is not configured here.", status: .notFound) }
        let parts = (request.cookies[Self.oidcCookie]?.value ?? "").split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let state = request.query["state"], !parts[0].isEmpty, state == parts[0], let code = request.query["code"] else {
            let refused = request.query["error"].map { "Slack did not sign you in (\($0))." } ?? "That sign-in did not start here, or took too long. Try again."
            return signInPage(request, next: nil, message: refused, status: .badRequest)
        }
        var padded = parts[2]
        while padded.count % 4 != 0 { padded += "=" }
        let next = WebPaths.safeNext(Data(base64Encoded: padded).map { String(decoding: $0, as: UTF8.self) }) ?? "/app"
        let identity: SlackSignIn.Identity
        do {
            identity = try await signIn.identity(code: code, redirectURI: redirectURI, nonce: parts[1])
        } catch {
            logger.warning("Sign in with Slack failed", metadata: ["error": "\(error)"])
            return signInPage(request, next: next, message: "Slack could not confirm who you are: \(error)", status: .badGateway)
        }
        // The roster knows people by email; a Slack user id it has is as good.
        var person = try await identity.email.asyncFlatMap { try await store.csm(email: $0) }
        if person == nil { person = try await identity.slackUserID.asyncFlatMap { try await store.csm(slackUserID: $0) } }
        guard let person else {
            try await store.audit(AuditEntry(at: now(), actor: identity.email ?? "slack:\(identity.slackUserID ?? "?")", action: "web:sign_in", detail: "Sign in with Slack",
                                             outcome: .refused(reason: "not_on_roster")))
            var response = signInPage(request, next: nil, message: "\(identity.email ?? "Your Slack account") is not on TicketPulse's roster. Ask an admin to add you.", status: .forbidden)
            response.headers.append(HTTPField(name: .setCookie, value: clear))
            return response
        }
        try await store.audit(AuditEntry(at: now(), actor: person.email, action: "web:sign_in", detail: "Sign in with Slack", outcome: .allowed))
        let token = try await auth.startSession(for: person)
        return WebRenderer.redirect(next, cookies: [auth.sessionCookie(token, request: request), clear])
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
