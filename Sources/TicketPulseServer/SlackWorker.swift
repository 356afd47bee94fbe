import Foundation
import Logging
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

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

    init(capacity: Int = 1_000, concurrency: Int, handler: SlackJobHandler, executor: any TaskExecutor = BackgroundExecutor.shared) {
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

/// A task executor with threads of its own, run at a lower scheduling priority (nice 10 on
/// Linux) than the rest of the process, for background work that must not delay requests.
///
/// The threads live as long as the process (one shared instance), like the cooperative
/// pool they stand beside; they sleep while there is nothing to run.
final class BackgroundExecutor: TaskExecutor {
    /// As many threads as cores: answers still use the whole machine when it is idle.
    static let shared = BackgroundExecutor(name: "ticketpulse.background", threads: ProcessInfo.processInfo.activeProcessorCount, niceness: 10)

    private let queue = Mutex(JobQueue())
    private let wakeUp = DispatchSemaphore(value: 0)

    init(name: String, threads: Int, niceness: Int32) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                Self.lowerPriority(by: niceness)
                run()
            }
            thread.name = "\(name).\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.append(job) }
        wakeUp.signal()
    }

    private func run() -> Never {
        while true {
            wakeUp.wait()
            // One signal per job, so a job is there; the optional only satisfies the type.
            guard let job = queue.withLock({ $0.next() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Raises the calling thread's nice value: on Linux the nice value is per thread, and
    /// `who` 0 names the calling thread, not the whole process.
    private static func lowerPriority(by niceness: Int32) {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    /// First in, first out, without shifting the array on every take.
    private struct JobQueue {
        private var jobs: [UnownedJob] = []
        private var head = 0

        mutating func append(_ job: UnownedJob) { jobs.append(job) }

        mutating func next() -> UnownedJob? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1_024 {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }
}
