import GRDB
import GRDBSQLite
import Synchronization

/// How many frames the WAL holds, as SQLite reports after each commit of the writer
/// (`sqlite3_wal_hook`): the server's checkpoints look at it before copying anything.
///
/// Why not checkpoint every second regardless: a checkpoint that copies the whole WAL makes
/// the next commit start the WAL over, and SQLite fsyncs the new WAL header inside that
/// commit. With a checkpoint every second, that commit was the audit row of whichever
/// answer came next: a quiet server paid a disk flush (2–5 ms here) on nearly every answer,
/// a busy one on one in a few hundred.
final class WALFrameCount: Sendable {
    private let frames = Atomic<Int>(0)

    var value: Int { frames.load(ordering: .relaxed) }

    /// Reports the writer's commits to this count. Replaces SQLite's automatic checkpoints,
    /// which live in the same hook: only for a writer whose automatic checkpoints are off.
    func observe(_ db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALFrameCount>.fromOpaque(context).takeUnretainedValue().frames.store(Int(frames), ordering: .relaxed)
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }
}
