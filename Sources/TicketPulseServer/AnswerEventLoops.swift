import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// The threads answers run on: event loops of their own, at a lower scheduling priority than
/// the requests', which also carry the connections to Slack the answers are posted on.
///
/// Why event loops and not plain threads (`BackgroundExecutor`): an answer ends in a
/// `chat.postMessage`. On plain threads the request went to an HTTP client event loop (a
/// thread woken), and its response came back to the answer's thread (woken again); with two
/// more wake-ups to hand the job from the request to a worker, a question cost about 16
/// context switches, a fifth of the server's CPU in the kernel's scheduler. Here the job
/// runs on a loop whose own connection posts the answer: `HTTPClient` picks the calling
/// loop, writes on it and resumes the answer on it, with no thread woken in between.
///
/// One instance for the process (`shared`), like Swift's cooperative pool beside it: its
/// loops and its HTTP client live as long as the process and are never shut down.
public final class AnswerEventLoops: Sendable {
    public static let shared = AnswerEventLoops(threads: ProcessInfo.processInfo.activeProcessorCount, niceness: 10)

    let group: MultiThreadedEventLoopGroup
    /// One executor per loop: a task that prefers one stays on that loop's thread.
    public let executors: [any TaskExecutor]
    /// For Slack's Web API: its connections live on these loops, so an answer running on a
    /// loop posts over that loop's connection.
    public let httpClient: HTTPClient

    init(threads: Int, niceness: Int32) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        executors = group.makeIterator().map { EventLoopTaskExecutor(eventLoop: $0) }
        for loop in group.makeIterator() {
            loop.execute { BackgroundExecutor.lowerPriority(by: niceness) }
        }
        httpClient = HTTPClient(eventLoopGroup: group, configuration: .singletonConfiguration)
    }
}

/// Runs a task's jobs on one event loop. A job enqueued from the loop itself (an answer
/// resumed by its HTTP response) is queued for the loop's next tick without waking anything.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
