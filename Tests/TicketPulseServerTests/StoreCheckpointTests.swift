import Foundation
import Logging
import Testing
@testable import TicketPulseServer
@testable import TicketPulseSQLite
import TicketPulseStorage

@Suite("WAL checkpoints off the write path")
struct StoreCheckpointTests {
    @Test("With commits no longer checkpointing, the service checkpoints once the WAL holds 1,000 frames, and leaves a smaller one alone")
    func serviceBoundsTheWAL() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try SQLiteStore(path: path)
        try store.setAutomaticCheckpoints(false)
        let now = Date(timeIntervalSince1970: 1_763_478_000)
        func writeBatch(_ name: String) throws {
            for commit in 0..<20 {
                try store.recordSlackEvents((0..<50).map { (id: "\(name)-\(commit)-\($0)-" + String(repeating: "x", count: 300), receivedAt: now) })
            }
        }
        func walSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0 }

        try writeBatch("a")
        let afterFirst = try walSize()
        let maintenance = try #require(store.maintenance, "a file store checkpoints while serving")
        let service = StoreMaintenanceService(maintenance: maintenance, logger: Logger(label: "test"))
        #expect(store.walFrames.value > 0 && store.walFrames.value < SQLiteStore.checkpointAfterFrames)
        await service.tick()
        try writeBatch("b")
        let afterSecond = try walSize()
        #expect(afterSecond > afterFirst, "a small WAL is left alone: every commit appends, none starts it over")

        var batches = 0
        while store.walFrames.value < SQLiteStore.checkpointAfterFrames {
            try writeBatch("more\(batches)")
            batches += 1
        }
        let full = try walSize()
        await service.tick()
        let result = try store.checkpoint()
        #expect(result.walFrames > 0 && result.checkpointed == result.walFrames, "the tick copied all of it")
        try writeBatch("c")
        #expect(try walSize() == full, "the next commits reuse the WAL from its start instead of growing it")
        #expect(store.walFrames.value < SQLiteStore.checkpointAfterFrames, "counted from the start again")
        #expect(try store.slackEventIDs(since: now).count == 3_000 + 1_000 * batches)
    }
}
