import NIOCore
import NIOPosix

/// Runs the HTTP server's connection tasks on the event loop that read their request, not
/// on Swift's cooperative pool.
///
/// Why: a request read by a loop was handed to a pool thread (woken) to run its handler,
/// and the response handed back to the loop (woken again); a Slack acknowledgement is tens
/// of microseconds of work, and the two hand-offs cost more than that. A job enqueued from
/// one of the server's loops (a connection's next request, its body, its response written)
/// now stays on that loop; one enqueued from anywhere else (a timer, a store or Slack call
/// resumed by another thread) goes to the cooperative pool as before.
public final class RequestLoopExecutor: TaskExecutor {
    /// For the loops Hummingbird serves on by default (NIO's singleton group).
    public static let server = RequestLoopExecutor(group: NIOSingletons.posixEventLoopGroup)

    private let loops: Set<ObjectIdentifier>

    init(group: any EventLoopGroup) {
        loops = Set(group.makeIterator().map { ObjectIdentifier($0) })
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop, loops.contains(ObjectIdentifier(loop)) {
            let job = UnownedJob(job)
            loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        } else {
            globalConcurrentExecutor.enqueue(job)
        }
    }
}
