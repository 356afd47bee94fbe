import TicketPulseCore

/// Subjects people really write, per category, so answers and spike themes read true.
enum TicketTemplates {
    static let subjects: [TicketCategory: [String]] = [
        .technical: [
            "API returns 500 on bulk export", "Dashboard not loading after update", "Webhook deliveries delayed",
            "Sync job stuck at 80%", "Mobile app crashes on login", "CSV import fails with encoding error",
            "Search results missing recent records", "Integration with Salesforce disconnected", "Report totals do not match",
            "Slow page loads in EU region", "Email notifications not sent", "Timeout when saving large forms",
        ],
        .billing: [
            "Invoice shows wrong seat count", "Charged twice this month", "Need a W-9 for procurement",
            "Update billing contact", "Credit card payment declined", "Question about renewal pricing",
            "Refund request for unused seats", "PO number missing on invoice",
        ],
        .training: [
            "How do I set up SSO for a new team?", "Training session for new admins", "How to build a custom report",
            "Best practice for user roles", "How to configure approval workflows", "Onboarding checklist for new hires",
            "How to export data to BI tools",
        ],
        .featureRequest: [
            "Request: dark mode", "Request: bulk edit for records", "Request: audit log export",
            "Request: more granular permissions", "Request: API rate limit increase", "Request: Slack notifications per project",
        ],
        .security: [
            "Suspicious login attempts reported", "Request for SOC 2 report", "Need to rotate API keys",
            "Pen test finding follow-up", "2FA reset for locked-out admin",
        ],
        .outage: [
            "Service unavailable for all users", "Login page returns 503", "Data not syncing since this morning",
            "Application down in APAC", "Degraded performance across workspace",
        ],
        .other: [
            "Account manager contact", "Feedback on recent release", "Question about data retention policy",
            "Change of company address", "Request for case study participation",
        ],
    ]

    static let spikeSubjects = [
        "SSO login failing with SAML error", "Users locked out after SSO change", "SAML assertion invalid on login",
        "SSO redirect loop for all users", "Login failing for EU users via SSO", "Cannot log in: SAML error 403",
    ]

    static let escalationReasons = [
        "Renewal at risk; executive sponsor involved", "Production outage affecting revenue",
        "Repeated reopen; customer frustrated", "Data integrity concern raised by CISO",
    ]

    static let poorComments = [
        "Took far too long to get a real answer.", "Issue still not fixed after three replies.",
        "Support kept asking for the same logs.", "Nobody followed up as promised.",
    ]

    static let goodComments = ["Quick and helpful, thanks!", "Great support as always.", "Solved in minutes.", nil, nil, nil]

    static let agents = ["Dana Support", "Leo Agent", "Ravi Helpdesk", "Mia Tier2", "Omar Tier1", "Zoe Specialist"]
    static let requesterNames = ["alex", "jamie", "taylor", "morgan", "casey", "riley", "devon", "quinn", "sky", "jordan"]
}
