import Foundation
import TicketPulseConnectors

/// `zendesk_oauth:` in ticketpulse.yml: the OAuth client the API's connect flow uses. The
/// client secret and the state-signing secret come from the environment.
struct ZendeskOAuthFile: Decodable {
    var client_id: String?
    var client_secret_env: String?
    var redirect_uri: String?
    var state_secret_env: String?
    var base_url: String?
    var poll_interval_seconds: Int?
    var state_lifetime_seconds: Int?
}

extension ZendeskOAuthSettings {
    static let defaultClientSecretVariable = "ZENDESK_OAUTH_CLIENT_SECRET"
    static let defaultStateSecretVariable = "TICKETPULSE_OAUTH_STATE_SECRET"

    /// The settings the section gives, or an error naming the key or variable to fix.
    init(file: ZendeskOAuthFile, environment: [String: String]) throws(ConfigurationError) {
        guard let clientID = file.client_id, !clientID.isEmpty else { throw ConfigurationError("zendesk_oauth.client_id is required: the OAuth client's unique identifier") }
        guard let redirect = file.redirect_uri, let url = URL(string: redirect), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw ConfigurationError("zendesk_oauth.redirect_uri is required: this server's https://…/api/integrations/zendesk/callback, as registered with the client")
        }
        func secret(_ key: String, _ variable: String) throws(ConfigurationError) -> String {
            guard let value = environment[variable], !value.isEmpty else {
                throw ConfigurationError("zendesk_oauth.\(key) names \(variable), which is not set")
            }
            return value
        }
        let clientSecret = try secret("client_secret_env", file.client_secret_env ?? Self.defaultClientSecretVariable)
        let stateSecret = try secret("state_secret_env", file.state_secret_env ?? Self.defaultStateSecretVariable)
        guard stateSecret.utf8.count >= 32 else {
            throw ConfigurationError("zendesk_oauth.state_secret_env: the state secret must be at least 32 characters (openssl rand -hex 32)")
        }
        self.init(clientID: clientID, clientSecret: clientSecret, redirectURI: redirect, stateSecret: stateSecret)
        if let base = file.base_url {
            guard URL(string: base.replacingOccurrences(of: "{subdomain}", with: "x"))?.host != nil else {
                throw ConfigurationError("zendesk_oauth.base_url '\(base)' is not a URL (https://{subdomain}.zendesk.com)")
            }
            baseURLTemplate = base
        }
        if let seconds = file.poll_interval_seconds {
            guard seconds >= 10 else { throw ConfigurationError("zendesk_oauth.poll_interval_seconds must be at least 10") }
            pollIntervalSeconds = seconds
        }
        if let seconds = file.state_lifetime_seconds {
            guard (60...3600).contains(seconds) else { throw ConfigurationError("zendesk_oauth.state_lifetime_seconds must be between 60 and 3600") }
            stateLifetime = TimeInterval(seconds)
        }
    }
}
