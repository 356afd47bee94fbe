import NIOCore
import NIOPosix
import Testing
@testable import TicketPulseServer

@Suite("Where answers run")
struct AnswerExecutorTests {
    @Test("A job takes the executor with the fewest jobs running, the first when they tie: a quiet server answers on one loop")
    func leastBusyFirst() {
        var load = ExecutorLoad(executors: 2)
        #expect(load.take() == 0)
        load.release(0)
        #expect(load.take() == 0, "idle again: the first, not the next in turn")
        #expect(load.take() == 1)
        #expect(load.take() == 0)
        load.release(1)
        #expect(load.take() == 1)
        var none = ExecutorLoad(executors: 0)
        #expect(none.take() == 0, "there is always one")
    }

    @Test("A task preferring a loop's executor runs on that loop, and comes back to it after awaiting work the loop finishes")
    func tasksStayOnTheirLoop() async throws {
        let loops = AnswerEventLoops.shared
        for (executor, loop) in zip(loops.executors, loops.group.makeIterator()) {
            let (before, after) = try await withTaskExecutorPreference(executor) {
                let before = loop.inEventLoop
                _ = try await loop.submit { 1 }.get()
                return (before, loop.inEventLoop)
            }
            #expect(before && after)
        }
    }
}

@Suite("Where requests run")
struct RequestLoopExecutorTests {
    @Test("Work arriving from one of the server's loops runs on that loop, and stays there; work arriving from elsewhere runs on Swift's pool")
    func workStaysWhereItArrives() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = RequestLoopExecutor(group: group)
        let (startedOnALoop, reachedTheLoop, stayedOnIt) = try await withTaskExecutorPreference(executor) {
            let started = MultiThreadedEventLoopGroup.currentEventLoop != nil
            // Resumed by the loop, the task moves to it; unless the resumption came before
            // the task had suspended, when it goes on where it was: then try again.
            var reached = false
            for _ in 0..<100 where !reached {
                _ = try await loop.submit { 1 }.get()
                reached = loop.inEventLoop
            }
            // From here every resumption is enqueued by the loop itself, after this job.
            var stayed = reached
            for _ in 0..<10 {
                await Task.yield()
                _ = try await loop.submit { 1 }.get()
                stayed = stayed && loop.inEventLoop
            }
            return (started, reached, stayed)
        }
        #expect(!startedOnALoop, "started from the test's thread: Swift's pool")
        #expect(reachedTheLoop, "resumed by the server's loop: moves to it")
        #expect(stayedOnIt, "work enqueued from the loop stays on it")
        try await group.shutdownGracefully()
    }
}
