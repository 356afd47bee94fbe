import Foundation

/// How a connection is doing, for `/healthz` and `ticketpulse connections`.
public struct ConnectionHealth: Codable, Sendable, Equatable {
    public var lastAttemptAt: Date?
    public var lastSuccessAt: Date?
    public var lastError: String?
    public var consecutiveFailures: Int
    /// Set once `consecutiveFailures` reaches the engine's threshold; cleared by a good pass.
    public var unhealthy: Bool
    public var lastPassPages: Int
    public var lastPassTickets: Int
    public var totalTickets: Int

    public init(
        lastAttemptAt: Date? = nil, lastSuccessAt: Date? = nil, lastError: String? = nil, consecutiveFailures: Int = 0,
        unhealthy: Bool = false, lastPassPages: Int = 0, lastPassTickets: Int = 0, totalTickets: Int = 0
    ) {
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.unhealthy = unhealthy
        self.lastPassPages = lastPassPages
        self.lastPassTickets = lastPassTickets
        self.totalTickets = totalTickets
    }

    public var isHealthy: Bool { !unhealthy }
}

/// Everything the sync keeps per connection between runs.
public struct ConnectionState: Codable, Sendable, Equatable {
    public var checkpoint: SyncCheckpoint?
    public var health: ConnectionHealth

    public init(checkpoint: SyncCheckpoint? = nil, health: ConnectionHealth = ConnectionHealth()) {
        self.checkpoint = checkpoint
        self.health = health
    }
}
