import Synchronization

/// Items handed from the code under test to a test that waits for them, one by one, in
/// order: the test waits on what happens, never on time.
final class AsyncQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiters: [CheckedContinuation<Element?, Never>] = []
        var finished = false
    }

    private let state = Mutex(State())

    init() {}

    func push(_ item: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            guard !state.finished else { return nil }
            if state.waiters.isEmpty {
                state.items.append(item)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: item)
    }

    /// Ends the queue: waiting and later `next` calls get nil once the items are taken.
    func finish() {
        let waiters = state.withLock { state -> [CheckedContinuation<Element?, Never>] in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: nil) }
    }

    /// The next item, waiting for it; nil once the queue is finished and empty.
    func next() async -> Element? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Element?? in
                if !state.items.isEmpty { return .some(state.items.removeFirst()) }
                if state.finished { return .some(nil) }
                state.waiters.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
