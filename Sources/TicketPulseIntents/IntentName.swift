/// The intents of the catalogue (`../shared/INTENTS.md`); raw values are the contract.
public enum IntentName: String, Codable, Sendable, CaseIterable {
    case listTickets = "list_tickets"
    case ticketDetail = "ticket_detail"
    case supportMetrics = "support_metrics"
    case supportHealth = "support_health"
    case escalatedTickets = "escalated_tickets"
    case lowCSATCustomers = "low_csat_customers"
    case csatTrend = "csat_trend"
    case topIssues = "top_issues"
    case ticketSpikes = "ticket_spikes"
    case slaBreaches = "sla_breaches"
    case portfolioSummary = "portfolio_summary"
    case subscribe
    case unsubscribe
    case listSubscriptions = "list_subscriptions"
    case notificationSettings = "notification_settings"
    case addNote = "add_note"
    case requestEscalation = "request_escalation"
    case draftOutreach = "draft_outreach"
    case compareCustomers = "compare_customers"
    case supportCorrelation = "support_correlation"
    case help
    case outOfScope = "out_of_scope"
}

/// The slot names of the catalogue.
public enum SlotName: String, Sendable, CaseIterable {
    case customer, period, priority, status, ticket, category, feed, target, threshold, text
    // The compound-question slots: several customers, and filters on customer attributes.
    case customers, tier, arr, renewal, health, csm
}
