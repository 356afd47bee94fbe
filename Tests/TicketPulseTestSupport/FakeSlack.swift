import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import TicketPulseSlack

/// An in-process Slack Web API speaking Slack's wire format, recording every call. auth.test
/// sends the granted scopes in `x-oauth-scopes` and refuses rejected tokens with `invalid_auth`.
public final class FakeSlack: Sendable {
    public struct Call: Sendable {
        public var method: String
        public var authorization: String?
        public var contentType: String?
        public var body: [UInt8]
        /// What the fake answered: 200 for delivered calls, 429, 5xx…
        public var status: Int

        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        public var form: SlackForm? { try? SlackForm(parsing: body) }
    }

    /// A scripted answer, used once, before the method's normal answer.
    public enum Answer: Sendable {
        case rateLimited(retryAfter: String?)
        case serverError(Int)
        case slackError(String)
        /// users.info's answer for the asked id, with this email (nil: hidden, as without `users:read.email`).
        case user(email: String?)
        /// The call is carried out (a post is kept for `conversations.history`), then the
        /// connection breaks before the answer is whole: the client cannot know it worked.
        case doneThenReset
        /// The call is carried out and then no answer comes until the fake stops: the
        /// client's own timeout ends the wait.
        case doneThenSilence
        /// Nothing is done and no answer comes until the fake stops.
        case silence
        /// The call is carried out, then Slack answers with this 5xx.
        case doneThenServerError(Int)
    }

    /// A message as posted, kept per channel so `conversations.history` can return it.
    public struct Posted: Sendable {
        public var channel: String
        public var ts: String
        public var threadTS: String?
        public var text: String
        public var metadataType: String?
        public var metadataKey: String?
    }

    private let recorded = Mutex<[Call]>([])
    /// What auth.test reports in `x-oauth-scopes`: the manifest's scopes unless a test says otherwise.
    private let grantedScopes = Mutex<[String]>(SlackAppManifest.botScopes)
    /// Tokens Slack no longer accepts (revoked, mistyped): `invalid_auth`.
    private let rejectedTokens = Mutex<Set<String>>([])
    private let posted = Mutex<[Posted]>([])
    private let scripts = Mutex<[String: [Answer]]>([:])
    private let counter = Mutex(0)
    private let waiters = Mutex<[(isReady: @Sendable (FakeSlack) -> Bool, continuation: CheckedContinuation<Void, Never>)]>([])
    /// Finished when the fake stops: what `.doneThenSilence` answers wait for.
    private let silence = AsyncStream<Void>.makeStream()
    /// Sign in with Slack: who approves at the authorization page, and each code issued
    /// with the nonce and client id it was asked for (used once, as Slack's are).
    private let signInUser = Mutex<(email: String, userID: String)?>(nil)
    private let issuedCodes = Mutex<[String: (nonce: String, clientID: String, redirectURI: String, email: String, userID: String)]>([:])
    private let accessTokens = Mutex<[String: (email: String, userID: String)]>([:])
    /// apps.connections.open's URLs: a fake Socket Mode server's, when a test has one.
    private let socketModeURL = Mutex<(@Sendable () -> String)?>(nil)
    /// The OpenID Connect client the fake's app is: what `openid.connect.token` checks.
    public static let oidcClientID = "1234567890.0987654321"
    public static let oidcClientSecret = "fake-client-secret"

    public init() {}

    public var calls: [Call] { recorded.withLock { $0 } }

    public func calls(_ method: String) -> [Call] { calls.filter { $0.method == method } }

    /// Every message posted (not updates), in order.
    public var messages: [Posted] { posted.withLock { $0 } }

    /// The bot token's scopes, as auth.test's `x-oauth-scopes` will list them.
    public func grant(scopes: [String]) {
        grantedScopes.withLock { $0 = scopes }
    }

    /// Slack answers `invalid_auth` to this token from now on.
    public func reject(token: String) {
        rejectedTokens.withLock { _ = $0.insert(token) }
    }

    /// Whoever opens the fake's authorization page approves as this Slack user.
    public func signInAs(email: String, userID: String) {
        signInUser.withLock { $0 = (email, userID) }
    }

    /// apps.connections.open answers with `url()` (a fake Socket Mode server's, on loopback)
    /// instead of a `wss://` URL at Slack that tests cannot reach.
    public func openSocketModeConnections(at url: @escaping @Sendable () -> String) {
        socketModeURL.withLock { $0 = url }
    }

    public func script(_ method: String, _ answers: Answer...) {
        scripts.withLock { $0[method, default: []] += answers }
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("api/{method}") { request, context in
            try await self.answer(method: context.parameters.require("method"), request: request)
        }
        router.post("response/{id}") { request, _ in
            try await self.answer(method: "response_url", request: request)
        }
        // Slack's authorization page, as a person who approves at once: back to the
        // redirect URI with a code and the state, as Slack sends them.
        router.get("openid/connect/authorize") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard let redirect = query["redirect_uri"].map(String.init), let state = query["state"].map(String.init),
                  query["client_id"].map(String.init) == Self.oidcClientID, query["response_type"] == "code",
                  query["scope"].map({ $0.split(separator: " ").contains("openid") }) == true
            else { return Response(status: .badRequest) }
            let decodedRedirect = redirect.removingPercentEncoding ?? redirect
            guard let user = self.signInUser.withLock({ $0 }) else {
                return Response(status: .found, headers: [.location: decodedRedirect + "?error=access_denied&state=" + state])
            }
            let code = "code-\(self.nextNumber())"
            let nonce = query["nonce"].map { String($0).removingPercentEncoding ?? String($0) } ?? ""
            self.issuedCodes.withLock { $0[code] = (nonce, Self.oidcClientID, decodedRedirect, user.email, user.userID) }
            return Response(status: .found, headers: [.location: decodedRedirect + "?code=\(code)&state=\(state)"])
        }
        return router
    }

    private func answer(method: String, request: Request) async throws -> Response {
        var request = request
        let body = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
        let scripted = scripts.withLock { scripts -> Answer? in
            guard var queue = scripts[method], !queue.isEmpty else { return nil }
            let next = queue.removeFirst()
            scripts[method] = queue
            return next
        }
        var call = Call(
            method: method, authorization: request.headers[.authorization], contentType: request.headers[.contentType],
            body: body, status: 200
        )
        let response: Response
        switch scripted {
        case .rateLimited(let retryAfter)?:
            var headers = HTTPFields()
            if let retryAfter { headers[HTTPField.Name("Retry-After")!] = retryAfter }
            response = Response(status: .tooManyRequests, headers: headers)
        case .serverError(let code)?:
            response = Response(status: .init(code: code))
        case .slackError(let error)?:
            response = Self.json(["ok": false, "error": error])
        case .user(let email)?:
            var user = Self.user(id: call.form?["user"] ?? "U0UNKNOWN", email: email ?? "")
            if email == nil { user["profile"] = [:] as [String: Any] }
            response = Self.json(["ok": true, "user": user])
        case .doneThenReset?:
            _ = normalAnswer(method: method, call: call)
            call.status = 0
            recorded.withLock { $0.append(call) }
            resumeWaiters()
            // The head goes out, the body never completes: the connection is closed under it.
            return Response(status: .ok, body: ResponseBody { _ in throw FakeSlackError.connectionReset })
        case .doneThenSilence?, .silence?:
            if case .doneThenSilence? = scripted { _ = normalAnswer(method: method, call: call) }
            call.status = 0
            recorded.withLock { $0.append(call) }
            resumeWaiters()
            for await _ in silence.stream {}
            return Self.json(["ok": false, "error": "fake_stopped"])
        case .doneThenServerError(let code)?:
            _ = normalAnswer(method: method, call: call)
            response = Response(status: .init(code: code))
        case nil:
            response = normalAnswer(method: method, call: call)
        }
        call.status = Int(response.status.code)
        recorded.withLock { $0.append(call) }
        resumeWaiters()
        return response
    }

    private func normalAnswer(method: String, call: Call) -> Response {
        let json = call.json
        switch method {
        case "chat.postMessage", "chat.update":
            guard let channel = json["channel"] as? String else { return Self.json(["ok": false, "error": "channel_not_found"]) }
            guard let text = json["text"] as? String else { return Self.json(["ok": false, "error": "no_text"]) }
            if ((json["blocks"] as? [Any])?.count ?? 0) > 50 { return Self.json(["ok": false, "error": "invalid_blocks"]) }
            let ts = (json["ts"] as? String) ?? "1718200000.\(String(format: "%06d", nextNumber()))"
            if method == "chat.postMessage" {
                let metadata = json["metadata"] as? [String: Any]
                let key = (metadata?["event_payload"] as? [String: Any])?["key"] as? String
                posted.withLock {
                    $0.append(Posted(channel: channel, ts: ts, threadTS: json["thread_ts"] as? String, text: text,
                                     metadataType: metadata?["event_type"] as? String, metadataKey: key))
                }
            }
            return Self.json(["ok": true, "channel": channel, "ts": ts])
        case "conversations.history", "conversations.replies":
            guard let channel = call.form?["channel"] else { return Self.json(["ok": false, "error": "channel_not_found"]) }
            let thread = call.form?["ts"]
            let found = posted.withLock { $0 }.filter { $0.channel == channel && (method == "conversations.history" ? $0.threadTS == nil : $0.threadTS == thread || $0.ts == thread) }
            let messages = found.reversed().map { message -> [String: Any] in
                var object: [String: Any] = ["type": "message", "ts": message.ts, "text": message.text]
                if let threadTS = message.threadTS { object["thread_ts"] = threadTS }
                if let key = message.metadataKey { object["metadata"] = ["event_type": message.metadataType ?? "", "event_payload": ["key": key]] }
                return object
            }
            return Self.json(["ok": true, "messages": messages, "has_more": false])
        case "conversations.create":
            guard let name = json["name"] as? String, !name.isEmpty else { return Self.json(["ok": false, "error": "invalid_name"]) }
            return Self.json(["ok": true, "channel": ["id": "C0ROOM\(String(format: "%04d", nextNumber()))", "name": name]])
        case "conversations.invite":
            return Self.json(["ok": true, "channel": ["id": json["channel"] as? String ?? ""]])
        case "chat.postEphemeral":
            return Self.json(["ok": true, "message_ts": "1718200000.\(String(format: "%06d", nextNumber()))"])
        case "conversations.open":
            // One DM channel per person, as Slack has; a group DM keeps the first id.
            let users = (json["users"] as? String) ?? ""
            let id = users.contains(",") || users.isEmpty ? "D0DM000001" : "D0\(users)"
            return Self.json(["ok": true, "channel": ["id": id]])
        case "views.open", "views.publish":
            guard let view = json["view"] as? [String: Any], view["type"] is String else {
                return Self.json(["ok": false, "error": "invalid_arguments"])
            }
            return Self.json(["ok": true, "view": ["id": "V0VIEW0001"]])
        case "users.info":
            guard let id = call.form?["user"] else { return Self.json(["ok": false, "error": "user_not_found"]) }
            return Self.json(["ok": true, "user": Self.user(id: id, email: "mike.chen@example.com")])
        case "users.lookupByEmail":
            guard call.form?["email"] == "mike.chen@example.com" else { return Self.json(["ok": false, "error": "users_not_found"]) }
            return Self.json(["ok": true, "user": Self.user(id: "U0CSM0001", email: "mike.chen@example.com")])
        case "response_url":
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        case "openid.connect.token":
            // Form-encoded, as Slack's OpenID Connect methods take; the code is used once.
            let form = call.form
            guard form?["client_id"] == Self.oidcClientID, form?["client_secret"] == Self.oidcClientSecret else {
                return Self.json(["ok": false, "error": "invalid_client_id"])
            }
            guard let code = form?["code"], let issued = issuedCodes.withLock({ $0.removeValue(forKey: code) }) else {
                return Self.json(["ok": false, "error": "invalid_code"])
            }
            guard form?["redirect_uri"] == issued.redirectURI else { return Self.json(["ok": false, "error": "bad_redirect_uri"]) }
            let token = "xoxp-oidc-\(nextNumber())"
            accessTokens.withLock { $0[token] = (issued.email, issued.userID) }
            let claims: [String: Any] = [
                "iss": "https://slack.com", "sub": issued.userID, "aud": issued.clientID, "exp": 1_900_000_000, "iat": 1_763_478_000,
                "auth_time": 1_763_478_000, "nonce": issued.nonce, "email": issued.email, "email_verified": true,
                "https://slack.com/user_id": issued.userID, "https://slack.com/team_id": "T0TEAM0001",
            ]
            return Self.json(["ok": true, "access_token": token, "token_type": "Bearer", "id_token": Self.unsignedJWT(claims)])
        case "openid.connect.userInfo":
            guard let token = bearerToken(call), let user = accessTokens.withLock({ $0[token] }) else { return Self.json(["ok": false, "error": "invalid_auth"]) }
            return Self.json([
                "ok": true, "sub": user.userID, "https://slack.com/user_id": user.userID, "https://slack.com/team_id": "T0TEAM0001",
                "email": user.email, "email_verified": true, "name": "Mike Chen", "given_name": "Mike", "family_name": "Chen",
            ])
        case "auth.test":
            // As Slack does: a bad token is HTTP 200 with ok:false; the granted scopes come in a header.
            guard let token = bearerToken(call), token.hasPrefix("xox"), !rejectedTokens.withLock({ $0.contains(token) }) else {
                return Self.json(["ok": false, "error": call.authorization == nil ? "not_authed" : "invalid_auth"])
            }
            var response = Self.json([
                "ok": true, "url": "https://acme-cs.slack.com/", "team": "Acme CS", "user": "ticketpulse",
                "team_id": "T0TEAM0001", "user_id": "U0BOT00001", "bot_id": "B0BOT00001", "is_enterprise_install": false,
            ])
            response.headers[HTTPField.Name("x-oauth-scopes")!] = grantedScopes.withLock { $0 }.joined(separator: ",")
            return response
        case "apps.connections.open":
            // Only an app-level token may open a Socket Mode connection.
            guard let token = bearerToken(call), !rejectedTokens.withLock({ $0.contains(token) }) else { return Self.json(["ok": false, "error": "invalid_auth"]) }
            guard token.hasPrefix("xapp-") else { return Self.json(["ok": false, "error": "not_allowed_token_type"]) }
            let url = socketModeURL.withLock { $0 }?() ?? "wss://wss-primary.slack.com/link/?ticket=fake-ticket-\(nextNumber())&app_id=A0APP00001"
            return Self.json(["ok": true, "url": url])
        default:
            return Self.json(["ok": false, "error": "unknown_method"])
        }
    }

    /// Returns once `count` calls of `method` were answered 200, however they arrive.
    public func waitForDelivered(_ method: String, count: Int) async {
        await waitUntil { $0.delivered(method).count >= count }
    }

    /// Returns once a message with this metadata key was posted.
    public func waitForPosted(metadataKey: String) async {
        await waitUntil { $0.messages.contains { $0.metadataKey == metadataKey } }
    }

    private func waitUntil(_ isReady: @escaping @Sendable (FakeSlack) -> Bool) async {
        await withCheckedContinuation { continuation in
            waiters.withLock { $0.append((isReady, continuation)) }
            resumeWaiters()
        }
    }

    public func delivered(_ method: String) -> [Call] { calls(method).filter { $0.status == 200 } }

    private func resumeWaiters() {
        let ready = waiters.withLock { waiters -> [CheckedContinuation<Void, Never>] in
            var ready: [CheckedContinuation<Void, Never>] = []
            waiters.removeAll { waiter in
                guard waiter.isReady(self) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        ready.forEach { $0.resume() }
    }

    private func bearerToken(_ call: Call) -> String? {
        guard let authorization = call.authorization, authorization.hasPrefix("Bearer ") else { return nil }
        return String(authorization.dropFirst("Bearer ".count))
    }

    private func nextNumber() -> Int {
        counter.withLock { $0 += 1; return $0 }
    }

    private static func user(id: String, email: String) -> [String: Any] {
        [
            "id": id, "team_id": "T0TEAM0001", "name": "mike.chen", "deleted": false, "real_name": "Mike Chen",
            "tz": "Europe/London", "is_bot": false,
            "profile": ["email": email, "real_name": "Mike Chen", "display_name": "mike"],
        ]
    }

    /// An ID token's shape (header.payload.signature, base64url); the signature is a
    /// placeholder, as the client trusts the token endpoint's TLS, not the signature.
    private static func unsignedJWT(_ claims: [String: Any]) -> String {
        func part(_ object: [String: Any]) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return part(["alg": "RS256", "typ": "JWT", "kid": "fake"]) + "." + part(claims) + ".c2lnbmF0dXJl"
    }

    private static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// Runs the fake on an ephemeral loopback port for the duration of `body`.
    public static func run(_ body: (FakeSlack, URL) async throws -> Void) async throws {
        let fake = FakeSlack()
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-slack")
        logger.logLevel = .critical
        let app = Application(
            router: fake.router(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw FakeSlackError.didNotStart
            }
            do {
                try await body(fake, URL(string: "http://127.0.0.1:\(port)/api")!)
            } catch {
                fake.silence.continuation.finish()
                group.cancelAll()
                throw error
            }
            fake.silence.continuation.finish()
            group.cancelAll()
        }
    }
}

public enum FakeSlackError: Error { case didNotStart, connectionReset }
