import Logging
import ServiceLifecycle
import TicketPulseStore

/// Checkpoints the store's WAL every `interval` from a background thread, in place of
/// SQLite's automatic checkpoint, which runs inside whichever commit crosses the limit: at
/// 500 Slack events a second that was an acknowledgement every few seconds waiting ~20–70 ms
/// for two fsyncs. Automatic checkpoints come back on when the service stops.
struct StoreCheckpointService: Service {
    let store: TicketStore
    var interval: Duration = .seconds(1)
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    let logger: Logger

    func run() async throws {
        try store.setAutomaticCheckpoints(false)
        defer { try? store.setAutomaticCheckpoints(true) }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                tick()
                try await sleep(interval)
            }
        }
    }

    func tick() {
        do {
            try store.checkpoint()
        } catch {
            logger.warning("WAL checkpoint failed; the next one retries", metadata: ["error": "\(error)"])
        }
    }
}
