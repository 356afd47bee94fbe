import Foundation
import TicketPulseConnectors
import TicketPulseCore

/// Where a ticket opens in its support system, from the connection it came through (the
/// agent's view, not the API), or from `web.ticket_urls` (`{id}` replaced), which wins.
struct TicketLinks: Sendable {
    /// Per system: (the connection's id prefix, the URL with `{id}` for the id without it).
    private let templates: [SourceSystem: [(prefix: String, url: String)]]

    init(connections: [ConnectionConfiguration], overrides: [SourceSystem: String]) {
        var templates: [SourceSystem: [(prefix: String, url: String)]] = [:]
        for connection in connections {
            guard let base = connection.resolvedBaseURL else { continue }
            let url: String? = switch connection.system {
            case .zendesk: base + "/agent/tickets/{id}"
            case .freshdesk: base + "/a/tickets/{id}"
            case .intercom: "https://app.intercom.com/a/inbox/_/inbox/conversation/{id}"
            case .salesforce: base + "/lightning/r/Case/{id}/view"
            case .webhook: nil
            }
            if let url { templates[connection.system, default: []].append((connection.externalIDPrefix, url)) }
        }
        for (system, url) in overrides { templates[system] = [("", url)] }
        // The longest prefix first, so "eu-" is tried before "".
        self.templates = templates.mapValues { $0.sorted { $0.prefix.count > $1.prefix.count } }
    }

    func url(for ticket: Ticket) -> String? {
        guard let match = templates[ticket.source]?.first(where: { ticket.externalID.hasPrefix($0.prefix) }) else { return nil }
        let id = String(ticket.externalID.dropFirst(match.prefix.count))
        return match.url.replacingOccurrences(of: "{id}", with: id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)
    }
}
