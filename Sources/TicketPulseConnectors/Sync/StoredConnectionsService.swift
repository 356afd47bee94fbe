import Foundation
import Logging
import ServiceLifecycle

/// Runs the connections the store holds, as they come: those there at start, one made by
/// the connect flow in this process (at once), and one another replica made (found by
/// reading the store every `interval`). Each runs as a `ConnectionSyncService` inside this
/// service, so its first pass (the historical import) starts without a restart and it
/// stops with the server.
public struct StoredConnectionsService: Service {
    let runtime: ConnectorRuntime
    let interval: Duration
    let sleeper: ConnectorHTTPClient.Sleeper
    let logger: Logger

    public func run() async throws {
        let (additions, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let listener = runtime.registry.listen(continuation)
        defer { runtime.registry.stopListening(listener) }
        // What is there now, before any addition.
        continuation.yield()
        let runtime = runtime, interval = interval, sleeper = sleeper, logger = logger
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        do { try await sleeper(interval) } catch { return }
                        do {
                            try await runtime.loadStoredConnections()
                        } catch {
                            logger.warning("stored connections could not be read", metadata: ["error": "\(error)"])
                        }
                    }
                }
                var running: Set<String> = []
                for await _ in additions {
                    for connection in runtime.connections where connection.origin == .store && connection.polls && !running.contains(connection.name) {
                        guard let engine = connection.engine else { continue }
                        running.insert(connection.name)
                        logger.notice("running a stored connection", metadata: ["connection": "\(connection.name)"])
                        let service = ConnectionSyncService(engine: engine, interval: connection.configuration.pollInterval, sleeper: sleeper, logger: logger)
                        group.addTask { try? await service.run() }
                    }
                }
            }
        }
    }
}
