import Foundation
import Synchronization
import Testing
@testable import TicketPulseServer

@Suite("The Slack job journal")
struct SlackJobJournalTests {
    static let at = Date(timeIntervalSince1970: 1_763_478_000)

    static func temporaryPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("store.sqlite.slack-jobs").path
    }

    static func entry(_ id: String, text: String = "show tickets for Acme") -> JournaledJob {
        JournaledJob(id: id, receivedAt: at, job: .question(user: "U0CSM0001", channel: "C0GENERAL", threadTS: "1763478000.000100", text: text))
    }

    @Test("A job appended and not finished comes back after a restart; a finished one does not")
    func pendingJobsSurviveARestart() async throws {
        let path = try Self.temporaryPath()
        do {
            let journal = try SlackJobJournal(path: path)
            try journal.append(Self.entry("Ev1"))
            try journal.append(Self.entry("Ev2", text: "which customers have low CSAT?"))
            journal.complete("Ev1")
            #expect(journal.pendingCount == 1)
        }
        let reopened = try SlackJobJournal(path: path)
        #expect(reopened.recovered == [Self.entry("Ev2", text: "which customers have low CSAT?")])
        #expect(reopened.recoveredIDs.map(\.id) == ["Ev1", "Ev2"])
        // Opening rewrote the file with the pending job alone.
        let again = try SlackJobJournal(path: path)
        #expect(again.recovered.map(\.id) == ["Ev2"])
        #expect(again.recoveredIDs.map(\.id) == ["Ev2"])
    }

    @Test("A record cut short by a crash mid-write is skipped; the ones before it are kept")
    func aTornLastLineIsSkipped() async throws {
        let path = try Self.temporaryPath()
        do {
            let journal = try SlackJobJournal(path: path)
            try journal.append(Self.entry("Ev1"))
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"job":{"_0":{"id":"Ev2","receiv"#.utf8))
        try handle.close()
        let reopened = try SlackJobJournal(path: path)
        #expect(reopened.recovered.map(\.id) == ["Ev1"])
    }

    @Test("Concurrent appends are each whole in the file when they return")
    func concurrentAppends() async throws {
        let path = try Self.temporaryPath()
        do {
            let journal = try SlackJobJournal(path: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<200 { group.addTask { try journal.append(Self.entry("Ev\(number)")) } }
                try await group.waitForAll()
            }
            #expect(journal.pendingCount == 200)
        }
        let reopened = try SlackJobJournal(path: path)
        #expect(Set(reopened.recovered.map(\.id)) == Set((0..<200).map { "Ev\($0)" }))
    }

    @Test("A long-running journal is compacted to its pending jobs as it grows")
    func compaction() async throws {
        let path = try Self.temporaryPath()
        let journal = try SlackJobJournal(path: path, compactAfterBytes: 2_000)
        try journal.append(Self.entry("EvKeep"))
        for number in 0..<50 {
            try journal.append(Self.entry("Ev\(number)"))
            journal.complete("Ev\(number)")
        }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 4_000, "50 finished jobs were compacted away")
        try journal.append(Self.entry("EvLast"))
        let reopened = try SlackJobJournal(path: path)
        #expect(reopened.recovered.map(\.id).sorted() == ["EvKeep", "EvLast"])
    }

    @Test("A journal that cannot be created is a clear error naming the file")
    func unwritablePath() throws {
        #expect {
            _ = try SlackJobJournal(path: "/proc/no-such-dir/store.sqlite.slack-jobs")
        } throws: { error in
            "\(error)".contains("/proc/no-such-dir/store.sqlite.slack-jobs")
        }
    }

    @Test("The flusher puts what was written on the disk between its rounds and once more at the end")
    func flusher() async throws {
        let journal = try SlackJobJournal(path: try Self.temporaryPath())
        try journal.append(Self.entry("Ev1"))
        #expect(journal.hasUnsyncedWrites)
        let rounds = Mutex(0)
        let flusher = SlackJobJournalFlusher(journal: journal, sleep: { _ in
            // Round one writes again; round two ends the service (a stop while it waits).
            let round = rounds.withLock { $0 += 1; return $0 }
            if round == 2 {
                try journal.append(Self.entry("Ev2"))
                throw CancellationError()
            }
        })
        await flusher.run()
        #expect(rounds.withLock { $0 } == 2)
        #expect(!journal.hasUnsyncedWrites, "the last write was synced on the way out")
    }
}
