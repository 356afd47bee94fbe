import Foundation
import GRDB

/// A new store filled by one large load (the benchmark stores, `bulk-load N`), built with
/// the tickets' secondary indexes created after the load instead of maintained through it,
/// and written without a journal to copy from.
///
/// Why: tickets arriving customer by customer land at random places in the indexes keyed by
/// time alone (`created_at`, `source, updated_at`, `csat_at`). Once those outgrow the page
/// cache (at 10M tickets they are ~500 MB) nearly every insert reads one of their pages and
/// writes it back: 10M tickets took 1,034 s against ~52 s for 1M. An index created afterwards
/// is one sort of its keys. And through a WAL every page is written twice (WAL, then the
/// checkpoint) with fsyncs between; into a file nobody reads yet, once, synced at the end.
/// The unique `(source, external_id)` index stays, since every upsert probes it;
/// `ticket_events`' index is filled in order by new tickets.
///
/// The store is built beside `path` and moved there only complete, its indexes created
/// from their own SQL and synced to disk: a load that fails leaves nothing at `path`
/// changed, and never a store without its indexes.
extension SQLiteStore {
    /// Builds a new store at `path` from what `load` writes into it, replacing whatever was
    /// there once the new one is complete. Nothing else may have `path` open.
    public static func build(at path: String, _ load: (SQLiteStore) throws -> Void) throws -> SQLiteStore {
        let staging = path + ".building"
        removeFiles(of: staging)
        do {
            try fill(staging, load)
            // The staged file is the whole store (no WAL). A stale WAL of the store it
            // replaces must not meet the new file.
            removeFiles(of: path, mainFile: false)
            try check(rename(staging, path), path)
            try syncFile(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } catch {
            removeFiles(of: staging)
            throw error
        }
        return try SQLiteStore(path: path)
    }

    private static func fill(_ staging: String, _ load: (SQLiteStore) throws -> Void) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // Rollbacks still work (the journal is in memory); nothing is synced until the
            // end: a crash leaves only a staged file, which the next build removes.
            try db.execute(sql: "PRAGMA journal_mode = MEMORY")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
        }
        let store = try SQLiteStore(migrating: DatabaseQueue(path: staging, configuration: configuration))
        let deferred = try store.dropDeferrableIndexes()
        try load(store)
        try store.createIndexes(deferred)
        try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try (store.writer as? DatabaseQueue)?.close()
        try syncFile(staging)
    }

    /// The tickets' secondary indexes, as `CREATE INDEX` statements, once dropped.
    func dropDeferrableIndexes() throws -> [String] {
        try write { db in
            // `sql` is NULL for the index of the UNIQUE constraint: it cannot be dropped.
            let indexes = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets' AND sql IS NOT NULL ORDER BY name")
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
            return indexes.map { $0["sql"] }
        }
    }

    func createIndexes(_ statements: [String]) throws {
        try write { db in
            for sql in statements { try db.execute(sql: sql) }
        }
    }

    private static func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        try check(descriptor, path)
        defer { close(descriptor) }
        try check(fsync(descriptor), path)
    }

    private static func check(_ result: Int32, _ path: String) throws {
        guard result >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)]) }
    }

    private static func removeFiles(of path: String, mainFile: Bool = true) {
        for suffix in mainFile ? ["", "-wal", "-shm"] : ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
