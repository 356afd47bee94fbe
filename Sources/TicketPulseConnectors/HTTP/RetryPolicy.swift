import Foundation

/// How hard a connection retries one request. Waits are bounded, so a dead source
/// fails the pass (and counts against the connection's health) instead of hanging it.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var maxRateLimitedAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A Retry-After longer than this is handed back as `ConnectorError.rateLimited`.
    public var maxRateLimitWait: Duration
    public var requestTimeout: Duration
    /// The most a request keeps trying after transport errors (refused or reset connections,
    /// timeouts), from its first such failure: a source that is down fails the pass in
    /// seconds, and `ticketpulse sync` says so, instead of minutes of backoff. 5xx and 429
    /// answers are not counted: a source that answers is worth the longer backoff.
    public var maxTransportWait: Duration
    /// 0..<1; spreads retries of several connections apart.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 5, maxRateLimitedAttempts: Int = 10, baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(60), maxRateLimitWait: Duration = .seconds(600),
        requestTimeout: Duration = .seconds(60), maxTransportWait: Duration = .seconds(30), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = maxAttempts
        self.maxRateLimitedAttempts = maxRateLimitedAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRateLimitWait = maxRateLimitWait
        self.requestTimeout = requestTimeout
        self.maxTransportWait = maxTransportWait
        self.random = random
    }

    /// Exponential backoff with up to 25% jitter: 1 s, 2 s, 4 s, … capped at `maxDelay`.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(0, attempt - 1), 20)
        let base = min(maxDelay, baseDelay * (1 << exponent))
        return base + base * (0.25 * random())
    }
}
