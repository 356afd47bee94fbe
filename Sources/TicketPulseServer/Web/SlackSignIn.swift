import AsyncHTTPClient
import Foundation
import NIOCore

/// Sign in with Slack (OpenID Connect): the authorization page's address, then the code
/// exchanged at `openid.connect.token` and the person read from `openid.connect.userInfo`.
/// The ID token comes straight from Slack's token endpoint over TLS, so its issuer is
/// vouched for by the connection (OpenID Connect Core §3.1.3.7); it is read for its
/// `nonce` and audience, which must be this sign-in's and this app's.
struct SlackSignIn: Sendable {
    struct Identity: Sendable, Equatable {
        var email: String?
        var slackUserID: String?
    }

    enum Failure: Error, CustomStringConvertible {
        case slack(method: String, error: String)
        case unreadable(method: String)
        case wrongNonce
        case wrongAudience

        var description: String {
            switch self {
            case .slack(let method, let error): "Slack refused the sign-in (\(method): \(error))"
            case .unreadable(let method): "Slack's answer to \(method) could not be read"
            case .wrongNonce: "the sign-in answer was not for this sign-in (nonce)"
            case .wrongAudience: "the sign-in answer was for another Slack app (aud)"
            }
        }
    }

    let clientID: String
    let clientSecret: String
    let authorizeURL: URL
    /// Slack's Web API root (`slack.api_url`).
    let apiURL: URL
    let httpClient: HTTPClient

    func authorizationURL(state: String, nonce: String, redirectURI: String) -> String {
        var components = URLComponents(url: authorizeURL, resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "client_id", value: clientID), URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "nonce", value: nonce), URLQueryItem(name: "redirect_uri", value: redirectURI),
        ]
        return components.url!.absoluteString
    }

    func identity(code: String, redirectURI: String, nonce: String) async throws -> Identity {
        let token = try await call("openid.connect.token", form: [
            ("client_id", clientID), ("client_secret", clientSecret), ("code", code),
            ("redirect_uri", redirectURI), ("grant_type", "authorization_code"),
        ])
        guard let accessToken = token["access_token"] as? String, let idToken = token["id_token"] as? String,
              let claims = Self.claims(of: idToken)
        else { throw Failure.unreadable(method: "openid.connect.token") }
        guard claims["nonce"] as? String == nonce else { throw Failure.wrongNonce }
        let audience = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        guard audience.contains(clientID) else { throw Failure.wrongAudience }
        let info = try await call("openid.connect.userInfo", form: [], bearer: accessToken)
        return Identity(email: info["email"] as? String ?? claims["email"] as? String,
                        slackUserID: info["https://slack.com/user_id"] as? String ?? claims["https://slack.com/user_id"] as? String)
    }

    private func call(_ method: String, form: [(String, String)], bearer: String? = nil) async throws -> [String: Any] {
        var base = apiURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var request = HTTPClientRequest(url: base + "/" + method)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        request.body = .bytes(ByteBuffer(string: WebForm.encode(form)))
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] else { throw Failure.unreadable(method: method) }
        guard json["ok"] as? Bool == true else { throw Failure.slack(method: method, error: json["error"] as? String ?? "HTTP \(response.status.code)") }
        return json
    }

    /// The payload of a JWT (base64url JSON between the dots).
    static func claims(of jwt: String) -> [String: Any]? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var text = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
