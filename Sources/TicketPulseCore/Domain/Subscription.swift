import Foundation

/// Who receives a feed: a person's DMs (by email) or a Slack channel.
public enum SubscriptionTarget: Sendable, Equatable, Hashable {
    case person(email: String)
    case channel(id: String)

    /// The stored form: `user:<email>` or `channel:<id>`.
    public var key: String {
        switch self {
        case .person(let email): "user:\(email.lowercased())"
        case .channel(let id): "channel:\(id)"
        }
    }

    public init?(key: String) {
        if key.hasPrefix("user:") { self = .person(email: String(key.dropFirst(5))) }
        else if key.hasPrefix("channel:") { self = .channel(id: String(key.dropFirst(8))) }
        else { return nil }
    }
}

/// A target subscribed to a feed, optionally only for one customer or some priorities.
public struct Subscription: Sendable, Equatable {
    public var target: SubscriptionTarget
    public var feed: AlertFeed
    public var customerID: String?
    public var priorities: [Priority]
    public var createdBy: String
    public var createdAt: Date

    public init(target: SubscriptionTarget, feed: AlertFeed, customerID: String? = nil, priorities: [Priority] = [], createdBy: String, createdAt: Date) {
        self.target = target
        self.feed = feed
        self.customerID = customerID
        self.priorities = priorities
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// A person's alert preferences (`notification_settings`).
public struct NotificationPreferences: Sendable, Equatable {
    /// Priorities that DM at once; others wait for the digest. Empty means PRD-122's default (P1, P2).
    public var dmPriorities: [Priority]
    public var digestHour: Int?
    public var digestMinute: Int?
    public var quietStartHour: Int?
    public var quietEndHour: Int?
    /// Customers muted until a time.
    public var snoozes: [String: Date]
    /// The IANA zone the hours above are in: the roster's, read with the preferences (it
    /// is the person's, not a preference, so saving preferences does not write it). Nil
    /// or unknown: UTC.
    public var timeZone: String?
    /// Where the daily digest goes (PRD-122 FR-3: routine tickets by email digest).
    public var digestDelivery: DigestDelivery

    public init(dmPriorities: [Priority] = [], digestHour: Int? = nil, digestMinute: Int? = nil, quietStartHour: Int? = nil, quietEndHour: Int? = nil,
                snoozes: [String: Date] = [:], timeZone: String? = nil, digestDelivery: DigestDelivery = .slack) {
        self.dmPriorities = dmPriorities
        self.digestHour = digestHour
        self.digestMinute = digestMinute
        self.quietStartHour = quietStartHour
        self.quietEndHour = quietEndHour
        self.snoozes = snoozes
        self.timeZone = timeZone
        self.digestDelivery = digestDelivery
    }

    public var effectiveDMPriorities: [Priority] { dmPriorities.isEmpty ? [.p1, .p2] : dmPriorities }

    /// The person's zone; UTC when none is known or the id is not one Foundation knows.
    public var zone: TimeZone { timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")! }

    /// The zone as replies name it: its IANA id, or "UTC" (Foundation on Linux calls UTC "GMT").
    public var zoneName: String { Self.name(of: zone) }

    public static func name(of zone: TimeZone) -> String {
        zone.identifier == "GMT" || zone.identifier == "UTC" ? "UTC" : zone.identifier
    }

    /// A Gregorian calendar in the person's zone: "9:00" and "22:00–07:00" are wall-clock
    /// times there, so they move with daylight saving as the person's clock does.
    public var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Whether `now` falls in the quiet hours, possibly over midnight (22 → 7), on the
    /// person's own clock.
    public func inQuietHours(at now: Date) -> Bool {
        guard let start = quietStartHour, let end = quietEndHour, start != end else { return false }
        let hour = calendar.component(.hour, from: now)
        return start < end ? (hour >= start && hour < end) : (hour >= start || hour < end)
    }
}

/// A CSM's action on a ticket, kept for the audit trail and written back to the source.
public struct TicketAction: Sendable, Equatable {
    public enum Kind: String, Sendable { case note, escalationRequest = "escalation_request" }

    public var kind: Kind
    public var actor: String
    public var body: String
    public var createdAt: Date
    public var writebackStatus: String

    public init(kind: Kind, actor: String, body: String, createdAt: Date, writebackStatus: String = "pending") {
        self.kind = kind
        self.actor = actor
        self.body = body
        self.createdAt = createdAt
        self.writebackStatus = writebackStatus
    }
}
