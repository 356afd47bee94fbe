import Foundation

/// An account tier, by the name the roster gives it. CRMs name tiers their own way
/// ("strategic", "growth", "tier 1"), so any name is a tier; the three TicketPulse ships
/// defaults for are named below. Names are kept in one canonical form (lower case, words
/// joined by "_": "Tier 1" → "tier_1", "Mid-Market" → "mid_market") so that the roster,
/// the configuration and a question compare equal however each spells it.
public struct CustomerTier: RawRepresentable, Codable, Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    /// Nil for a name with no letter or digit in it.
    public init?(rawValue: String) {
        let canonical = Self.canonical(rawValue)
        guard !canonical.isEmpty else { return nil }
        self.rawValue = canonical
    }

    public init(stringLiteral value: String) {
        rawValue = Self.canonical(value)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let tier = CustomerTier(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "empty tier name"))
        }
        self = tier
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let enterprise: CustomerTier = "enterprise"
    public static let midMarket: CustomerTier = "mid_market"
    public static let smb: CustomerTier = "smb"
    /// The tiers with built-in defaults (SLA overrides, spike baselines, demo volumes).
    public static let builtIn: [CustomerTier] = [.enterprise, .midMarket, .smb]

    /// How people read it: "mid market", "tier 1".
    public var label: String { rawValue.replacingOccurrences(of: "_", with: " ") }
    public var description: String { rawValue }

    public static func < (lhs: CustomerTier, rhs: CustomerTier) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Lower case, runs of anything but letters and digits become one "_", none at the ends.
    static func canonical(_ text: String) -> String {
        var result = ""
        var pendingSeparator = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSeparator, !result.isEmpty { result.append("_") }
                pendingSeparator = false
                result.append(character)
            } else {
                pendingSeparator = true
            }
        }
        return result
    }
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
