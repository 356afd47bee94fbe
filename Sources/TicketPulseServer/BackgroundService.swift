import ServiceLifecycle

/// Runs a Service's work on a low-priority `BackgroundExecutor` instead of Swift's
/// cooperative pool, which has only as many threads as cores and must stay free for the
/// requests Slack times. For the services whose work is long and synchronous: a full
/// detector pass over every customer, a historical sync's inserts, the outbox's sends.
struct BackgroundService: Service {
    let base: any Service
    var executor: any TaskExecutor = BackgroundExecutor.bulk

    func run() async throws {
        // The same task, so the service still sees graceful shutdown (a task-local).
        try await withTaskExecutorPreference(executor) { try await base.run() }
    }
}
