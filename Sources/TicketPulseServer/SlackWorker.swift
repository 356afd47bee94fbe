import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The bounded background processor: requests enqueue jobs and return at once; this
/// Service runs them, a few at a time. On graceful shutdown it stops taking jobs and
/// finishes the ones already queued.
///
/// Jobs run on `AnswerEventLoops` (`AppDependencies.answerExecutors`), not on Swift's
/// cooperative pool: an answer is milliseconds of synchronous work (parsing,
/// SQLite reads, metrics), and on the pool — as many threads as cores — two of them left no
/// thread for the requests Slack waits on, so an acknowledgement queued behind them. On
/// their own lower-priority threads the kernel lets a request preempt an answer instead.
/// Each job goes to the executor with the fewest jobs running, the first when it ties. The
/// loop that takes them runs on `RequestLoopExecutor.server`: a job queued by a request is
/// taken on the server loop that read it, right after the request, with no thread woken
/// for it. Not on one of the answers' loops: there it would wait behind that loop's answer,
/// however long, while the others stood idle.
///
/// A journaled job is finished in the journal once its handler returns (answered, or the
/// asker told it failed); one left unfinished by a stop runs again after the restart.
final class SlackWorker: Service, Sendable {
    private let stream: AsyncStream<SlackWorkItem>
    private let continuation: AsyncStream<SlackWorkItem>.Continuation
    private let concurrency: Int
    private let handler: SlackJobHandler
    private let journal: any AcknowledgedSlackJobs
    private let now: @Sendable () -> Date
    private let executors: [any TaskExecutor]
    private let load: Mutex<ExecutorLoad>

    /// `capacity`: jobs waiting beyond it are refused with a 503, which Slack retries only a
    /// minute later; 10,000 small jobs are about 20 s of a 500-a-second burst, held in a few MB.
    init(capacity: Int = 10_000, concurrency: Int, handler: SlackJobHandler, journal: any AcknowledgedSlackJobs,
         now: @escaping @Sendable () -> Date, executors: [any TaskExecutor]) {
        (stream, continuation) = AsyncStream.makeStream(of: SlackWorkItem.self, bufferingPolicy: .bufferingOldest(capacity))
        self.concurrency = max(1, concurrency)
        self.handler = handler
        self.journal = journal
        self.now = now
        self.executors = executors.isEmpty ? [BackgroundExecutor.shared] : executors
        load = Mutex(ExecutorLoad(executors: self.executors.count))
    }

    /// False when the queue is full (or shut down): the caller answers non-2xx so Slack retries.
    func enqueue(_ item: SlackWorkItem) -> Bool {
        if case .enqueued = continuation.yield(item) { return true }
        return false
    }

    /// A job nobody retries (a button's question): not journaled.
    func enqueue(_ job: SlackJob) -> Bool {
        enqueue(SlackWorkItem(job: job, id: UUID().uuidString, receivedAt: now(), journaled: false, recovered: false))
    }

    enum Acceptance: Equatable {
        case accepted
        /// Another replica sharing the store received it first.
        case duplicate
        /// Neither kept nor queued: the caller refuses the request, and Slack retries it.
        case refused
    }

    /// Journals `job` (kept before this returns), then queues it.
    func accept(_ job: SlackJob, id: String) async -> Acceptance {
        let item = SlackWorkItem(job: job, id: id, receivedAt: now(), journaled: true, recovered: false)
        do {
            guard try await journal.append(JournaledJob(id: id, receivedAt: item.receivedAt, job: job)) else { return .duplicate }
        } catch {
            return .refused
        }
        guard enqueue(item) else {
            await journal.withdraw(id)
            return .refused
        }
        return .accepted
    }

    /// Queues jobs acknowledged before a restart, or by a replica that died: their answers
    /// may already be in Slack.
    func resume(_ jobs: [JournaledJob]) {
        for entry in jobs {
            _ = enqueue(SlackWorkItem(job: entry.job, id: entry.id, receivedAt: entry.receivedAt, journaled: true, recovered: true))
        }
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
                    let index = load.withLock { $0.take() }
                    group.addTask(executorPreference: executors[index]) {
                        await self.handler.handle(job)
                        // Not when stopped mid-job: the restart runs it again.
                        if job.journaled && !Task.isCancelled { await self.journal.complete(job.id) }
                        self.load.withLock { $0.release(index) }
                    }
                    running += 1
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }
}

/// How many jobs run on each of the worker's executors: a job takes the least busy one, the
/// first of those when several tie, so that while the server is quiet every job runs on
/// the same loop, whose connection to Slack stays open and warm.
struct ExecutorLoad {
    private var running: [Int]

    init(executors: Int) {
        running = Array(repeating: 0, count: max(1, executors))
    }

    /// The executor for the next job, counted as running one more.
    mutating func take() -> Int {
        let index = running.indices.min { running[$0] < running[$1] } ?? 0
        running[index] += 1
        return index
    }

    mutating func release(_ index: Int) {
        running[index] -= 1
    }
}
