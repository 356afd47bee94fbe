import Foundation
import Logging
import ServiceLifecycle

/// The bounded background processor: requests enqueue jobs and return at once; this
/// Service runs them, a few at a time. On graceful shutdown it stops taking jobs and
/// finishes the ones already queued.
///
/// Jobs run on `BackgroundExecutor.shared`, not on Swift's cooperative pool: an answer is
/// milliseconds of synchronous work (parsing, SQLite reads, metrics), and on the pool — as
/// many threads as cores — two of them left no thread for the requests Slack waits on, so
/// an acknowledgement queued behind them. On their own lower-priority threads the kernel
/// lets a request preempt an answer instead.
final class SlackWorker: Service, Sendable {
    private let stream: AsyncStream<SlackJob>
    private let continuation: AsyncStream<SlackJob>.Continuation
    private let concurrency: Int
    private let handler: SlackJobHandler
    private let executor: any TaskExecutor

    /// `capacity`: jobs waiting beyond it are refused with a 503, which Slack retries only a
    /// minute later; 10,000 small jobs are about 20 s of a 500-a-second burst, held in a few MB.
    init(capacity: Int = 10_000, concurrency: Int, handler: SlackJobHandler, executor: any TaskExecutor = BackgroundExecutor.shared) {
        (stream, continuation) = AsyncStream.makeStream(of: SlackJob.self, bufferingPolicy: .bufferingOldest(capacity))
        self.concurrency = max(1, concurrency)
        self.handler = handler
        self.executor = executor
    }

    /// False when the queue is full (or shut down): the caller answers non-2xx so Slack retries.
    func enqueue(_ job: SlackJob) -> Bool {
        if case .enqueued = continuation.yield(job) { return true }
        return false
    }

    func run() async {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await job in stream {
                    if running >= concurrency {
                        await group.next()
                        running -= 1
                    }
                    group.addTask(executorPreference: executor) { await self.handler.handle(job) }
                    running += 1
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }
}
