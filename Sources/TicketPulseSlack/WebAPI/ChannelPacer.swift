import Synchronization

/// Spaces `chat.postMessage` calls to one channel about a second apart, Slack's
/// per-channel rate. Each caller reserves the next free slot under the lock, so
/// concurrent senders queue up instead of all waking at once.
final class ChannelPacer: Sendable {
    private let interval: Duration
    private let nextSlot = Mutex<[String: ContinuousClock.Instant]>([:])

    init(interval: Duration) {
        self.interval = interval
    }

    /// How long to wait before sending to `channel` at `now`; the slot is taken.
    func reserve(channel: String, now: ContinuousClock.Instant) -> Duration {
        nextSlot.withLock { slots in
            let slot = max(now, slots[channel] ?? now)
            slots[channel] = slot + interval
            // Forget channels long quiet, so a busy workspace does not grow this forever.
            if slots.count > 1_000 {
                slots = slots.filter { $0.value > now }
            }
            return slot - now
        }
    }
}
