import Foundation
import TicketPulseCore

/// `web:` in `ticketpulse.yml`: the dashboard's public address, Sign in with Slack, and
/// the targets its portfolio compares with.
public struct WebSettings: Sendable {
    /// Where people reach `serve` (behind TLS, `https://…`): sign-in links, the Slack
    /// redirect and the "View customer" links in Slack messages are made from it. nil: links
    /// use `http://host:port`, and Slack messages carry none.
    public var publicURL: URL?
    /// Sign in with Slack (OpenID Connect): the app's client id and secret, from the
    /// variables `slack_client_id_env` and `slack_client_secret_env` name.
    public var slackClientID: String?
    public var slackClientSecret: String?
    /// Slack's authorization page; tests point it at their fake.
    public var slackAuthorizeURL = URL(string: "https://slack.com/openid/connect/authorize")!
    public var sessionLifetime: TimeInterval = 12 * 3600
    public var loginLinkLifetime: TimeInterval = 10 * 60
    /// PRD-156 §7.1 compares the portfolio's CSAT and SLA with these.
    public var csatTarget = 4.5
    public var slaTargetPercent = 90.0
    /// `web.ticket_urls`: a ticket's page per support system (`{id}` its id), over what the
    /// connections give.
    public var ticketURLs: [SourceSystem: String] = [:]

    public init() {}

    /// The base links start from: the public URL, else this server's own address.
    func base(host: String, port: Int) -> String {
        var text = publicURL?.absoluteString ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    struct File: Decodable {
        var public_url: String?
        var slack_client_id_env: String?
        var slack_client_secret_env: String?
        var slack_authorize_url: String?
        var session_hours: Double?
        var csat_target: Double?
        var sla_target_percent: Double?
        var ticket_urls: [String: String]?
    }

    mutating func apply(_ file: File?, environment: [String: String]) throws {
        if let text = file?.public_url ?? environment["TICKETPULSE_PUBLIC_URL"] {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ConfigurationError("web.public_url '\(text)' is not an http(s) URL")
            }
            publicURL = url
        }
        let idVariable = file?.slack_client_id_env ?? "SLACK_CLIENT_ID"
        let secretVariable = file?.slack_client_secret_env ?? "SLACK_CLIENT_SECRET"
        slackClientID = environment[idVariable].flatMap { $0.isEmpty ? nil : $0 }
        slackClientSecret = environment[secretVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let text = file?.slack_authorize_url {
            guard let url = URL(string: text), url.scheme != nil else { throw ConfigurationError("web.slack_authorize_url '\(text)' is not a URL") }
            slackAuthorizeURL = url
        }
        if let hours = file?.session_hours {
            guard hours > 0 else { throw ConfigurationError("web.session_hours must be positive") }
            sessionLifetime = hours * 3600
        }
        if let target = file?.csat_target {
            guard (1...5).contains(target) else { throw ConfigurationError("web.csat_target must be between 1 and 5") }
            csatTarget = target
        }
        for (name, url) in file?.ticket_urls ?? [:] {
            guard let system = SourceSystem(rawValue: name) else { throw ConfigurationError("web.ticket_urls: '\(name)' is not a support system") }
            guard url.contains("{id}") else { throw ConfigurationError("web.ticket_urls.\(name) must contain {id}") }
            ticketURLs[system] = url
        }
        if let target = file?.sla_target_percent {
            guard (0...100).contains(target) else { throw ConfigurationError("web.sla_target_percent must be between 0 and 100") }
            slaTargetPercent = target
        }
    }
}
