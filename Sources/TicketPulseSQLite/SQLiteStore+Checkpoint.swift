import GRDB
import TicketPulseStorage

/// WAL checkpoints off the write path.
///
/// By default SQLite checkpoints inside the commit that grows the WAL past its limit: that
/// commit copies the WAL into the database and fsyncs both files (milliseconds on a real
/// disk) while every other writer waits — for a server, an acknowledgement Slack is timing.
/// A long-running process turns that off and checkpoints from a background service
/// instead (`maintenance`), on a connection of its own, which never blocks the writer.
extension SQLiteStore {
    /// Whether commits checkpoint by themselves (SQLite's default, every 10,000 pages here).
    /// One-off commands keep it on; whoever turns it off must call `checkpoint()` regularly.
    public func setAutomaticCheckpoints(_ enabled: Bool) throws {
        guard writer is DatabasePool else { return }
        try writer.writeWithoutTransaction { db in
            // The pragma sets SQLite's own WAL hook (none for 0); ours follows it when off.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(enabled ? Self.autocheckpointPages : 0)")
            if !enabled { walFrames.observe(db) }
        }
    }

    /// Copies what it can of the WAL into the database without waiting for readers or
    /// writers (a passive checkpoint). Returns the WAL's frames and how many of them are now
    /// in the database; (0, 0) for an in-memory store.
    @discardableResult
    public func checkpoint() throws -> (walFrames: Int, checkpointed: Int) {
        guard let pool = writer as? DatabasePool else { return (0, 0) }
        let connection = try checkpointConnection.withLock { connection in
            if let connection { return connection }
            let opened = try DatabaseQueue(path: pool.path)
            connection = opened
            return opened
        }
        let result = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        return (result.walFrameCount, result.checkpointedFrameCount)
    }

    static let autocheckpointPages = 10_000

    /// Looks every second while a server runs; an in-memory store needs none.
    public var maintenance: (any StoreMaintenance)? { writer is DatabasePool ? WALCheckpoints(store: self) : nil }

    /// A server checkpoints once the WAL holds this many frames (about 4 MB of 4-KiB pages;
    /// SQLite's own default limit): a second's worth at 300 answers a second, and the WAL
    /// starts over (fsyncing its header in that commit) only that often, however quiet.
    static let checkpointAfterFrames = 1_000
}

/// A server's checkpoints: automatic ones off while it runs (on again when it stops), a
/// passive one when a look (every second) finds the WAL past `checkpointAfterFrames`: at
/// 500 Slack events a second, automatic checkpoints made an acknowledgement every few
/// seconds wait ~20–70 ms for two fsyncs.
struct WALCheckpoints: StoreMaintenance {
    let store: SQLiteStore
    var interval: Duration { .seconds(1) }

    func begin() throws { try store.setAutomaticCheckpoints(false) }
    func pass() throws {
        guard store.walFrames.value >= SQLiteStore.checkpointAfterFrames else { return }
        try store.checkpoint()
    }
    func end() { try? store.setAutomaticCheckpoints(true) }
}

extension SQLiteStore: Store {}
