import Foundation
import Logging
import TicketPulseSlack

extension Doctor {
    static let slackTokenTitle = "Slack bot token"
    static let slackScopesTitle = "Slack scopes"

    /// `auth.test` with the bot token, then its granted scopes (the `x-oauth-scopes`
    /// header) against the manifest's.
    func checkSlack(_ configuration: AppConfiguration) async -> [DoctorLine] {
        let slack = configuration.slack
        let variable = slack.botTokenVariable
        let newToken = "copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page at https://api.slack.com/apps into \(variable) (under systemd: /etc/ticketpulse/ticketpulse.env) and restart"
        let skippedScopes = DoctorLine(.skipped, Self.slackScopesTitle, "not checked without a working bot token")
        guard let token = slack.botToken else {
            return [DoctorLine(.failed, Self.slackTokenTitle, "\(variable) is not set: answers and alerts cannot be posted", fix: newToken), skippedScopes]
        }
        guard token.hasPrefix("xoxb-") else {
            let kind = token.hasPrefix("xapp-") ? "an app-level token (xapp-), which belongs in \(slack.appTokenVariable)" : "not a bot token (xoxb-…)"
            return [DoctorLine(.failed, Self.slackTokenTitle, "\(variable) holds \(kind)", fix: newToken), skippedScopes]
        }
        let client = slackClient(token: token, configuration: configuration)
        let identity: SlackAuthIdentity
        do {
            identity = try await withTimeout(dependencies.timeout) { try await client.authTest() }
        } catch SlackAPIError.slack(let code, _) {
            return [DoctorLine(.failed, Self.slackTokenTitle, "Slack refused \(variable) (auth.test: \(code))", fix: newToken), skippedScopes]
        } catch {
            return [DoctorLine(.failed, Self.slackTokenTitle, "cannot reach Slack at \(slack.apiURL.absoluteString): \(error)",
                               fix: "check this machine's access to slack.com over HTTPS (proxy, firewall); slack.api_url / SLACK_API_URL if set"),
                    skippedScopes]
        }
        let who = "bot \(identity.user.map { "@\($0)" } ?? identity.userID) (\(identity.userID)) in \(identity.team ?? "workspace") (\(identity.teamID ?? "?"))"
        return [DoctorLine(.passed, Self.slackTokenTitle, "auth.test: \(who)"), scopesLine(identity)]
    }

    private func scopesLine(_ identity: SlackAuthIdentity) -> DoctorLine {
        guard let granted = identity.scopes else {
            return DoctorLine(.warning, Self.slackScopesTitle, "Slack did not say which scopes the token has (no x-oauth-scopes header)",
                              fix: "compare OAuth & Permissions → Bot Token Scopes with docs/slack-app-manifest.yml by hand")
        }
        let missing = SlackAppManifest.botScopes.filter { !granted.contains($0) }
        guard missing.isEmpty else {
            return DoctorLine(.failed, Self.slackScopesTitle, "missing \(missing.joined(separator: ", "))",
                              fix: "add them under OAuth & Permissions → Scopes → Bot Token Scopes and reinstall the app to the workspace (docs/slack-app-manifest.yml lists every scope)")
        }
        return DoctorLine(.passed, Self.slackScopesTitle, "all \(SlackAppManifest.botScopes.count) scopes the manifest lists are granted")
    }

    /// HTTP mode: the signing secret that verifies Slack's requests. Socket Mode: the app
    /// token, and that a connection opened with it gets Slack's `hello`.
    func checkSlackConnection(_ configuration: AppConfiguration) async -> [DoctorLine] {
        let slack = configuration.slack
        guard slack.socketMode, let appToken = slack.appToken else {
            guard slack.signingSecret != nil else {
                return [DoctorLine(.failed, "Slack signing secret", "\(slack.signingSecretVariable) is not set: Slack's requests cannot be verified, so the Slack routes answer 503",
                                   fix: "copy the Signing Secret from your app's Basic Information → App Credentials into \(slack.signingSecretVariable) and restart; or use Socket Mode instead (an app-level token in \(slack.appTokenVariable))")]
            }
            return [DoctorLine(.passed, "Slack signing secret", "\(slack.signingSecretVariable) is set (HTTP request URLs)")]
        }
        // The configuration already refused a missing or non-xapp- token in Socket Mode.
        let tokenLine = DoctorLine(.passed, "Slack app token", "\(slack.appTokenVariable) is an app-level token (Socket Mode)")
        return [tokenLine, await checkSocketMode(appToken: appToken, slack)]
    }

    /// One attempt, within the doctor's limit: a check reports, it does not wait out outages.
    private func slackClient(token: String, configuration: AppConfiguration) -> SlackWebAPIClient {
        SlackWebAPIClient(token: token, baseURL: configuration.slack.apiURL, httpClient: dependencies.httpClient,
                          // The doctor's own limit (`withTimeout`) is what reports a silent Slack; the client's,
                          // later, only stops a request nobody waits for any more.
                          retryPolicy: SlackRetryPolicy(maxAttempts: 1, requestTimeout: dependencies.timeout * 2), logger: Self.quietLogger)
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "ticketpulse.doctor")
        logger.logLevel = .critical
        return logger
    }
}
