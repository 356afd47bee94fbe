import Foundation
import TicketPulseSlack

extension Doctor {
    static let socketModeTitle = "Socket Mode"

    /// `apps.connections.open` with the app token, then a real connection to the URL it
    /// gives, until Slack's `hello` (`SocketModeProbe`), closed again: all within the limit.
    func checkSocketMode(appToken: String, _ slack: AppConfiguration.SlackSettings) async -> DoctorLine {
        let connections = SocketModeDependencies.slack(appToken: appToken, baseURL: slack.apiURL, httpClient: dependencies.httpClient, logger: Self.quietLogger)
        let probe = SocketModeProbe()
        return await timed({
            let url = try await connections.openConnection()
            await probe.connect(to: url)
            return Self.socketModeLine(probe.step, timedOut: nil, slack)
        }, failure: { error in
            // Only apps.connections.open throws; the time running out says how far it got.
            guard let timedOut = error as? DoctorTimedOut else { return Self.connectionsOpenFailure(error, slack) }
            return Self.socketModeLine(probe.step, timedOut: timedOut, slack)
        })
    }

    private static func connectionsOpenFailure(_ error: any Error, _ slack: AppConfiguration.SlackSettings) -> DoctorLine {
        if case SlackAPIError.slack(let code, _)? = error as? SlackAPIError {
            return DoctorLine(.failed, socketModeTitle, "Slack refused \(slack.appTokenVariable) (apps.connections.open: \(code))",
                              fix: "under your app's Basic Information → App-Level Tokens, generate a token with the connections:write scope, put it in \(slack.appTokenVariable) and restart; Socket Mode must be on (your app's Socket Mode page)")
        }
        return DoctorLine(.failed, socketModeTitle, "apps.connections.open failed: \(error)", fix: slackAPIFix)
    }

    private static let slackAPIFix = "check this machine's access to slack.com over HTTPS (proxy, firewall)"

    /// The line for how far the test connection got; `timedOut` when the limit ended it there.
    private static func socketModeLine(_ step: SocketModeProbe.Step, timedOut: DoctorTimedOut?, _ slack: AppConfiguration.SlackSettings) -> DoctorLine {
        let limit = timedOut.map { "within \($0.limitText)" } ?? "in time"
        switch step {
        case .opening:
            return DoctorLine(.failed, socketModeTitle, "apps.connections.open: no answer \(limit)", fix: slackAPIFix)
        case .connecting(let host):
            return DoctorLine(.failed, socketModeTitle, "the WebSocket to \(host) did not open \(limit)", fix: networkFix(slack))
        case .ended(let host, upgraded: false, let error):
            return DoctorLine(.failed, socketModeTitle, "cannot open the WebSocket to \(host): \(error.map { "\($0)" } ?? "closed during the handshake")", fix: networkFix(slack))
        case .connected(let host):
            return DoctorLine(.failed, socketModeTitle, "connected to \(host), but Slack sent no hello \(limit)",
                              fix: "see https://status.slack.com, then run `ticketpulse doctor` again; if it keeps happening, something between this machine and Slack (a TLS-inspecting firewall) may be holding the WebSocket's frames back")
        case .ended(let host, upgraded: true, let error):
            return DoctorLine(.failed, socketModeTitle, "connected to \(host), but the connection ended before Slack's hello\(error.map { ": \($0)" } ?? "")",
                              fix: "check that Socket Mode is on (your app's Settings → Socket Mode at https://api.slack.com/apps) and that the token in \(slack.appTokenVariable) was not revoked, then run `ticketpulse doctor` again")
        case .greeted(let host, .disconnect(let reason)):
            return disconnectLine(host: host, reason: reason, slack)
        case .greeted(let host, .hello(let openConnections)):
            let count = openConnections.map { count in
                count <= 1
                    ? " (Slack counts 1 connection for this app, this one: no `ticketpulse serve` is connected now)"
                    : " (Slack counts \(count) connections for this app: this one and \(count - 1) more, a running `ticketpulse serve`'s)"
            } ?? ""
            return DoctorLine(.passed, socketModeTitle, "connected to \(host), hello received\(count); closed again, nothing acknowledged")
        }
    }

    private static func disconnectLine(host: String, reason: String, _ slack: AppConfiguration.SlackSettings) -> DoctorLine {
        let detail = "connected to \(host), but Slack sent disconnect (\(reason)) instead of hello"
        guard reason == "link_disabled" else {
            return DoctorLine(.failed, socketModeTitle, detail,
                              fix: "Slack is moving its connections (refresh_requested, warning): run `ticketpulse doctor` again in a minute; if it keeps happening, see https://status.slack.com")
        }
        return DoctorLine(.failed, socketModeTitle, "\(detail): Socket Mode is turned off in the app's settings",
                          fix: "turn on Enable Socket Mode under your app's Settings → Socket Mode (https://api.slack.com/apps) and run `ticketpulse doctor` again; or use the HTTP request URLs instead (slack.socket_mode: false and \(slack.signingSecretVariable); README, Slack setup)")
    }

    private static func networkFix(_ slack: AppConfiguration.SlackSettings) -> String {
        "this machine must reach Slack's WebSocket hosts (wss-primary.slack.com, wss-backup.slack.com, … on port 443) directly, not through an HTTP proxy: allow outbound connections to them in the firewall; or use the HTTP request URLs instead (slack.socket_mode: false and \(slack.signingSecretVariable); README, Slack setup)"
    }
}
