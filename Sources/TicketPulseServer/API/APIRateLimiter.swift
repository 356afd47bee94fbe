import Foundation
import Synchronization

/// At most `perMinute` calls a minute per token, as a token bucket: a full bucket lets a
/// burst of `perMinute` through, then calls come back at the refill rate. In memory, per
/// process: each replica counts its own (a shared limit would put a store write on every
/// call). The clock is injected.
final class APIRateLimiter: Sendable {
    let perMinute: Int
    private let now: @Sendable () -> Date
    private let buckets = Mutex<[Int64: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var at: Date
    }

    init(perMinute: Int, now: @escaping @Sendable () -> Date) {
        self.perMinute = max(1, perMinute)
        self.now = now
    }

    /// Takes one call for `tokenID`; nil when allowed, else the seconds until the next is.
    func take(_ tokenID: Int64) -> Int? {
        let capacity = Double(perMinute), refillPerSecond = Double(perMinute) / 60
        let time = now()
        return buckets.withLock { buckets in
            var bucket = buckets[tokenID] ?? Bucket(tokens: capacity, at: time)
            bucket.tokens = min(capacity, bucket.tokens + max(0, time.timeIntervalSince(bucket.at)) * refillPerSecond)
            bucket.at = time
            defer { buckets[tokenID] = bucket }
            // The epsilon keeps float dust from costing a whole second (or a call).
            guard bucket.tokens >= 1 - 1e-9 else { return max(1, Int(((1 - bucket.tokens) / refillPerSecond - 1e-9).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
