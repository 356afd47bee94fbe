import Synchronization

/// A clock that moves only when the code under test sleeps, recording each sleep: tests
/// see the waits without waiting.
public final class FakeTime: Sendable {
    private let state: Mutex<(now: ContinuousClock.Instant, sleeps: [Duration])>

    public init(start: ContinuousClock.Instant) {
        state = Mutex((start, []))
    }

    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    public var now: @Sendable () -> ContinuousClock.Instant {
        { self.state.withLock { $0.now } }
    }

    public var sleeper: @Sendable (Duration) async throws -> Void {
        { duration in
            self.state.withLock { state in
                state.sleeps.append(duration)
                state.now = state.now + duration
            }
        }
    }
}
