import NIOCore
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
