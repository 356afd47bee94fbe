import Foundation

/// The OAuth client TicketPulse connects Zendesk accounts with (`zendesk_oauth:` in
/// ticketpulse.yml, the secrets in the environment). One client serves several subdomains
/// when Zendesk made it a global OAuth client; otherwise connect the subdomain it belongs to.
public struct ZendeskOAuthSettings: Sendable, Equatable {
    /// The client's unique identifier, as Zendesk's Admin Center shows it.
    public var clientID: String
    public var clientSecret: String
    /// Where Zendesk sends the browser back: this server's `/api/integrations/zendesk/callback`,
    /// exactly as registered with the client.
    public var redirectURI: String
    /// Signs the connect flow's `state`.
    public var stateSecret: String
    public var scope: String
    /// How long an authorize URL may be completed after it was made.
    public var stateLifetime: TimeInterval
    /// Each account's root; `{subdomain}` is replaced. Another value only for a proxy or a test.
    public var baseURLTemplate: String
    /// How often a connected account is polled after its historical import.
    public var pollIntervalSeconds: Int

    public static let standardBaseURL = "https://{subdomain}.zendesk.com"

    public init(
        clientID: String, clientSecret: String, redirectURI: String, stateSecret: String, scope: String = "read write",
        stateLifetime: TimeInterval = 600, baseURLTemplate: String = standardBaseURL, pollIntervalSeconds: Int = 300
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.stateSecret = stateSecret
        self.scope = scope
        self.stateLifetime = stateLifetime
        self.baseURLTemplate = baseURLTemplate
        self.pollIntervalSeconds = pollIntervalSeconds
    }

    public func baseURL(subdomain: String) -> String {
        var base = baseURLTemplate.replacingOccurrences(of: "{subdomain}", with: subdomain)
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// What a stored connection keeps as its `base_url`: nothing for Zendesk's own hosts,
    /// which its subdomain names.
    func storedBaseURL(subdomain: String) -> String? {
        baseURLTemplate == Self.standardBaseURL ? nil : baseURL(subdomain: subdomain)
    }
}
