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
    @Test("Work arriving from one of the server's loops runs on that loop; work arriving from elsewhere runs on Swift's pool")
    func workStaysWhereItArrives() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let other = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = RequestLoopExecutor(group: group)
        let (startedOnALoop, afterTheLoop, afterAnotherGroup) = try await withTaskExecutorPreference(executor) {
            let started = MultiThreadedEventLoopGroup.currentEventLoop != nil
            _ = try await loop.submit { 1 }.get()
            let afterLoop = loop.inEventLoop
            _ = try await other.next().submit { 1 }.get()
            return (started, afterLoop, MultiThreadedEventLoopGroup.currentEventLoop != nil)
        }
        #expect(!startedOnALoop, "started from the test's thread: Swift's pool")
        #expect(afterTheLoop, "resumed by the server's loop: stays on it")
        #expect(!afterAnotherGroup, "resumed by a loop of another group: Swift's pool")
        try await group.shutdownGracefully()
        try await other.shutdownGracefully()
    }
}
