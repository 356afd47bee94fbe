import Foundation
import GRDB
import Synchronization
import TicketPulseCore
import TicketPulseStorage

/// The SQLite store: roster, tickets with their history, and the audit log.
///
/// Safe to share between tasks: GRDB serialises writes and runs reads on a pool of
/// snapshot-isolated connections (WAL), so answers never wait for a sync to commit.
public final class SQLiteStore: Sendable {
    let writer: any DatabaseWriter
    /// A second connection to the same file that only checkpoints (see `checkpoint()`), so
    /// that copying the WAL into the database never holds up the writer. Opened by the first
    /// checkpoint: only a long-running server asks for one.
    let checkpointConnection = Mutex<DatabaseQueue?>(nil)
    /// The WAL's size in frames while automatic checkpoints are off (the server's), which
    /// the server's checkpoints wait for. It outlives every commit: the store holds both.
    let walFrames = WALFrameCount()

    /// True when other processes open the same file (`serve` replicas on one machine).
    public let isShared: Bool

    /// Opens (creating if needed) the store at `path`, in WAL mode, and migrates it; a store
    /// a newer build migrated is refused (`StoreSchemaTooNew`). `shared`: other processes
    /// use the same file at the same time.
    public init(path: String, shared: Bool = false) throws {
        isShared = shared
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        writer = try DatabasePool(path: path, configuration: configuration)
        // Syncs write into five indices at random positions; a larger page cache on the one
        // writer connection keeps them in memory (readers keep SQLite's small default).
        // Checkpointing every 1,000 pages (SQLite's default) copies the same hot index pages
        // from the WAL into the database again and again during a sync; every 10,000 pages
        // (about 40 MB of WAL) copies each of them far less often.
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = \(Self.cacheSize)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)")
        }
        try Self.refuseNewerSchema(writer)
        try StoreMigrations.migrator.migrate(writer)
    }

    /// A private in-memory store, for tests and one-off commands.
    public convenience init() throws {
        try self.init(migrating: DatabaseQueue())
    }

    /// A store over a connection configured elsewhere (`build(at:)`'s staging file), migrated.
    init(migrating writer: any DatabaseWriter) throws {
        isShared = false
        self.writer = writer
        try StoreMigrations.migrator.migrate(writer)
    }

    /// The writer's page cache, in KiB (negative: SQLite's unit for a size in KiB).
    static let cacheSize = -65536

    /// Runs `body` in one write transaction: all of it lands, or none.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.write(body)
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.read(body)
    }
}

extension Date {
    var storeValue: Double { timeIntervalSince1970 }
    init(storeValue: Double) { self.init(timeIntervalSince1970: storeValue) }
}
