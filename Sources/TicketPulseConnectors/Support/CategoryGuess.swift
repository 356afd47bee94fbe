import TicketPulseCore

extension TicketCategory {
    /// The category suggested by a source's tags or type words ("billing", "Feature Request",
    /// "outage"); `.other` when nothing says.
    static func guess(from words: [String]) -> TicketCategory {
        let normalized = words.map { $0.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_") }
        let table: [(TicketCategory, [String])] = [
            (.outage, ["outage", "down", "downtime"]),
            (.security, ["security", "vulnerability", "sso", "breach"]),
            (.billing, ["billing", "invoice", "refund", "payment"]),
            (.featureRequest, ["feature_request", "feature", "enhancement"]),
            (.training, ["training", "how_to", "howto", "question"]),
            (.technical, ["technical", "bug", "problem", "error", "api"]),
        ]
        for (category, keys) in table where normalized.contains(where: { word in keys.contains(word) }) {
            return category
        }
        return .other
    }
}
