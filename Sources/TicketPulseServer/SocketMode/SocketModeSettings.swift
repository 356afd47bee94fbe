import Foundation

extension AppConfiguration.SlackSettings {
    /// `slack.socket_mode` and `slack.app_token_env` (default `SLACK_APP_TOKEN`). Setting
    /// the token is enough to turn Socket Mode on; asking for it without a usable token
    /// stops `serve` before it starts, with what to do.
    mutating func applySocketMode(file: ConfigurationFile.Slack?, environment: [String: String]) throws {
        appTokenVariable = file?.app_token_env ?? "SLACK_APP_TOKEN"
        appToken = environment[appTokenVariable].flatMap { $0.isEmpty ? nil : $0 }
        socketMode = file?.socket_mode ?? (appToken != nil)
        guard socketMode else { return }
        guard let appToken else {
            throw ConfigurationError("slack.socket_mode is true but \(appTokenVariable) is not set: create an app-level token with the connections:write scope (your app's Basic Information → App-Level Tokens) and export it as \(appTokenVariable), or set slack.socket_mode: false to use the HTTP request URLs")
        }
        guard appToken.hasPrefix("xapp-") else {
            let kind = appToken.hasPrefix("xoxb-") ? " (that is a bot token, which belongs in SLACK_BOT_TOKEN)" : ""
            throw ConfigurationError("\(appTokenVariable) must be an app-level token starting with xapp-\(kind): create one with the connections:write scope under your app's Basic Information → App-Level Tokens")
        }
    }
}
