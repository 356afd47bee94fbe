import TicketPulseCore

/// A ticket's history event in words: the `ticket_detail` answer's timeline, and the dashboard's.
public enum TicketTimeline {
    public static func describe(_ event: TicketEvent) -> String {
        switch event.kind {
        case .created: "created" + (event.detail.map { " as \($0)" } ?? "")
        case .status: "status \(event.from ?? "–") → \(event.to ?? "–")"
        case .priority: "priority \(event.from ?? "–") → \(event.to ?? "–")"
        case .category: "category \(event.from ?? "–") → \(event.to ?? "–")"
        case .escalated: "escalated to level \(event.to ?? "1")" + (event.detail.map { ": \($0)" } ?? "")
        case .escalationRequested: "escalation requested by \(event.actor ?? "a CSM")" + (event.detail.map { ": \($0)" } ?? "")
        case .customerReply: "customer replied"
        case .agentReply: "first agent reply" + (event.actor.map { " (\($0))" } ?? "")
        case .csatReceived: "CSAT \(event.to ?? "?")/5" + (event.detail.map { ": “\($0)”" } ?? "")
        case .noteAdded: "note by \(event.actor ?? "a CSM"): \(event.detail ?? "")"
        case .customerMatched: "matched to \(event.to ?? "a customer")"
        case .reopened: "reopened (\(event.from ?? "–") → \(event.to ?? "–"))"
        }
    }
}
