import Foundation

/// How hard the client tries before giving up. Giving up is fine: the outbox keeps the
/// message and tries again later, so the bounds only protect the worker from blocking.
public struct SlackRetryPolicy: Sendable {
    /// Attempts per call, the first included.
    public var maxAttempts: Int
    /// Backoff after the first 5xx or timeout; doubled on each further one.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Added to every wait so that workers rate-limited together do not retry together.
    public var maxJitter: Duration
    /// A `Retry-After` longer than this is handed back as `.rateLimited` instead of slept.
    public var maxRetryAfter: Duration
    /// When Slack sends no usable `Retry-After`.
    public var defaultRetryAfter: Duration
    public var requestTimeout: Duration
    /// Returns a number in 0..<1; injected so that tests know the jitter.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(8),
        maxJitter: Duration = .milliseconds(250),
        maxRetryAfter: Duration = .seconds(60),
        defaultRetryAfter: Duration = .seconds(1),
        requestTimeout: Duration = .seconds(10),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxJitter = maxJitter
        self.maxRetryAfter = maxRetryAfter
        self.defaultRetryAfter = defaultRetryAfter
        self.requestTimeout = requestTimeout
        self.random = random
    }

    func jitter() -> Duration {
        maxJitter * min(max(random(), 0), 1)
    }

    /// The wait after failed attempt number `attempt` (1-based).
    func backoff(afterAttempt attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(1, attempt) where delay < maxDelay { delay *= 2 }
        return min(delay, maxDelay) + jitter()
    }

    /// `Retry-After` in seconds, the only form Slack sends.
    func retryAfter(header: String?) -> Duration {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return defaultRetryAfter }
        return .seconds(seconds)
    }
}
