import Foundation

/// Who a token is, as `auth.test` tells it, and what it may do.
public struct SlackAuthIdentity: Sendable, Equatable {
    public var userID: String
    public var user: String?
    public var teamID: String?
    public var team: String?
    public var botID: String?
    public var url: String?
    /// The scopes granted to the token, from the answer's `x-oauth-scopes` header (Slack
    /// sends them there, not in the body); nil when the header is absent.
    public var scopes: [String]?

    public init(userID: String, user: String? = nil, teamID: String? = nil, team: String? = nil, botID: String? = nil, url: String? = nil, scopes: [String]? = nil) {
        self.userID = userID
        self.user = user
        self.teamID = teamID
        self.team = team
        self.botID = botID
        self.url = url
        self.scopes = scopes
    }
}

extension SlackWebAPIClient {
    /// `auth.test`: whether the token works, whose it is, and its granted scopes. A bad
    /// token is `SlackAPIError.slack(code: "invalid_auth")` (or `not_authed`,
    /// `token_revoked`, `account_inactive`).
    public func authTest() async throws -> SlackAuthIdentity {
        let (answer, headers) = try await callWithHeaders("auth.test", .form([]), as: AuthTestAnswer.self)
        let scopes = headers["x-oauth-scopes"].map { header in
            header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return SlackAuthIdentity(userID: answer.user_id, user: answer.user, teamID: answer.team_id, team: answer.team,
                                 botID: answer.bot_id, url: answer.url, scopes: scopes)
    }
}

struct AuthTestAnswer: Decodable {
    var user_id: String
    var user: String?
    var team_id: String?
    var team: String?
    var bot_id: String?
    var url: String?
}
