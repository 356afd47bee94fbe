import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A task executor with threads of its own, run at a lower scheduling priority (a higher
/// nice value, on Linux) than the rest of the process, for background work that must not
/// delay requests.
///
/// The threads live as long as the process (one shared instance), like the cooperative
/// pool they stand beside; they sleep while there is nothing to run.
final class BackgroundExecutor: TaskExecutor {
    /// For answers: as many threads as cores, so they still use the whole machine when it is idle.
    static let shared = BackgroundExecutor(name: "tp-answers", threads: ProcessInfo.processInfo.activeProcessorCount, niceness: 10)
    /// For long passes nobody waits on (the full detector pass, syncs, outbox sends, WAL
    /// checkpoints): lower again, so a pass over a million tickets slows answers only a little.
    static let bulk = BackgroundExecutor(name: "tp-bulk", threads: ProcessInfo.processInfo.activeProcessorCount, niceness: 15)

    private let queue = Mutex(JobQueue())
    private let wakeUp = DispatchSemaphore(value: 0)

    init(name: String, threads: Int, niceness: Int32) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                Self.lowerPriority(by: niceness)
                // Named from inside: on Linux a name set before start does not reach the kernel (ps, perf).
                Thread.current.name = "\(name)-\(index)"
                run()
            }
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
    static func lowerPriority(by niceness: Int32) {
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
