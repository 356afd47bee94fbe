import Foundation

/// A person's token for the HTTP API. Only its SHA-256 is stored: the token itself is
/// printed once, when it is created, and cannot be read back from the store.
public struct APIToken: Sendable, Equatable {
    public var id: Int64
    /// The roster member the token acts as: it sees and does what they may in Slack.
    public var email: String
    /// What the person called it ("BI export", "ops scripts").
    public var name: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64, email: String, name: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.email = email
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}
