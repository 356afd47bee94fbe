import Foundation
import Synchronization

/// Wall-clock time that moves only when the code under test sleeps; every sleep is recorded.
final class TestTime: Sendable {
    private let state: Mutex<(now: Date, sleeps: [Duration])>

    init(_ start: Date) { state = Mutex((start, [])) }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }
    var current: Date { state.withLock { $0.now } }

    func advance(_ seconds: TimeInterval) { state.withLock { $0.now = $0.now.addingTimeInterval(seconds) } }

    var now: @Sendable () -> Date { { self.state.withLock { $0.now } } }

    var sleeper: @Sendable (Duration) async throws -> Void {
        { duration in
            try Task.checkCancellation()
            self.state.withLock { state in
                state.sleeps.append(duration)
                let parts = duration.components
                state.now = state.now.addingTimeInterval(Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
            }
        }
    }
}
