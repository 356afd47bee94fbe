import Logging
import ServiceLifecycle
import TicketPulseStorage

/// Runs the store's own housekeeping while the server runs (`Store.maintenance`): for
/// SQLite, WAL checkpoints from a background connection in place of the automatic ones,
/// which ran inside whichever commit crossed the limit and made an acknowledgement wait.
struct StoreMaintenanceService: Service {
    let maintenance: any StoreMaintenance
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    let logger: Logger

    func run() async throws {
        try await maintenance.begin()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try await sleep(maintenance.interval)
            }
        }
        await maintenance.end()
    }

    func tick() async {
        do {
            try await maintenance.pass()
        } catch {
            logger.warning("store maintenance failed; the next pass retries", metadata: ["error": "\(error)"])
        }
    }
}
