import ServiceLifecycle

/// Puts the Slack job journal on the disk a few times a second, off the acknowledgement's
/// path (see `SlackJobJournal` for why the request waits only for `write`), and once more
/// when the server stops.
struct SlackJobJournalFlusher: Service {
    let journal: SlackJobJournal
    /// How much a power cut can take: the store's own WAL promises no more.
    var interval: Duration = .milliseconds(200)
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    func run() async {
        let sleep = sleep
        let interval = interval
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await sleep(interval) }
            } catch {
                break
            }
            journal.sync()
        }
        journal.sync()
    }
}
