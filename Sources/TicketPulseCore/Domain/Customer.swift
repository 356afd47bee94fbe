import Foundation

/// The account tiers TicketPulse knows. Tiers drive SLA overrides and the spike baseline
/// of customers too new to have one of their own.
public enum CustomerTier: String, Codable, Sendable, CaseIterable {
    case enterprise
    case midMarket = "mid_market"
    case smb
}

/// A customer account from the roster (`ticketpulse import customers`).
public struct Customer: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// Other names people use for the account ("ACME", "Acme Inc.").
    public var aliases: [String]
    /// Email domains of the customer's people; used to match tickets and resolve names.
    public var domains: [String]
    public var tier: CustomerTier
    /// Annual recurring revenue in US dollars.
    public var arr: Double
    public var csmEmail: String?
    public var renewalDate: Date?
    /// The account's health score from outside support (0–100), before support is blended in.
    public var healthScore: Double?
    public var championName: String?
    public var championEmail: String?
    /// When the account became a customer; a customer younger than the baseline window
    /// has no baseline of its own.
    public var onboardedAt: Date?

    public init(
        id: String, name: String, aliases: [String] = [], domains: [String] = [],
        tier: CustomerTier = .midMarket, arr: Double = 0, csmEmail: String? = nil,
        renewalDate: Date? = nil, healthScore: Double? = nil,
        championName: String? = nil, championEmail: String? = nil, onboardedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.domains = domains
        self.tier = tier
        self.arr = arr
        self.csmEmail = csmEmail
        self.renewalDate = renewalDate
        self.healthScore = healthScore
        self.championName = championName
        self.championEmail = championEmail
        self.onboardedAt = onboardedAt
    }
}

/// Who may see what: a CSM their own accounts, a manager their team's, an admin all.
public enum StaffRole: String, Codable, Sendable, CaseIterable {
    case csm
    case manager
    case admin
}

/// A member of the customer success team (`ticketpulse import csms`).
public struct CSM: Codable, Sendable, Equatable, Identifiable {
    public var email: String
    public var name: String
    public var slackUserID: String?
    public var role: StaffRole
    public var managerEmail: String?
    /// The person's IANA time zone ("America/New_York"): from the roster's `timezone`
    /// column or Slack's `users.info` `tz`. Quiet hours and digest times are read in it.
    public var timeZone: String?

    public var id: String { email }

    public init(email: String, name: String, slackUserID: String? = nil, role: StaffRole = .csm, managerEmail: String? = nil, timeZone: String? = nil) {
        self.email = email
        self.name = name
        self.slackUserID = slackUserID
        self.role = role
        self.managerEmail = managerEmail
        self.timeZone = timeZone
    }
}
