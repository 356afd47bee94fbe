import Foundation
import Synchronization
import TicketPulseCore

/// A Slack job between its acknowledgement and its answer, as the journal keeps it.
public struct JournaledJob: Codable, Sendable, Equatable {
    /// The event id (Slack's `event_id`), or one made up for a slash command.
    public var id: String
    public var receivedAt: Date
    var job: SlackJob
}

/// Every acknowledged Slack job, written to the journal file before the 200 goes out, until
/// it is done: a process killed at any moment after an acknowledgement answers the question
/// after its restart.
///
/// Why a file of its own and not the store: the store has one writer, shared with syncs,
/// alerts and audit rows, and waiting for it made acknowledgements slow (see
/// `SlackEventLedger`).
///
/// Why the acknowledgement waits for `write` and not for `fdatasync`: once `write` returns,
/// the record is the kernel's, and a killed or crashed process cannot lose it; only the
/// machine losing power can, before the kernel writes it out. That is the store's own
/// promise (SQLite in WAL mode with `synchronous = NORMAL`: a commit survives the process,
/// and the last moments' commits may not survive a power cut), so the journal keeps the
/// same one: `SlackJobJournalFlusher` runs `fdatasync` a few times a second off the request
/// path. Measured both ways on the acknowledgement benchmark: waiting for `fdatasync` on the
/// request (group commit, a leader flushing for everyone queued) put p99 at 4.8–5.3 ms
/// inline and 5.7–8.5 ms on a thread of its own; a `write` adds microseconds.
///
/// A job's "done" record is written the same way. A job whose done record never reached
/// the disk is run again after a restart, and its answer is found in Slack by its metadata
/// key rather than posted twice. Lines are JSON; a line cut short is skipped on reading.
public final class SlackJobJournal: Sendable {
    /// The bytes written after which the file is rewritten with only the jobs still pending.
    let compactAfterBytes: Int

    /// A journal line. Internal, not private: the encoder tests check its JSON.
    enum Record: Codable {
        case job(JournaledJob)
        case done(String)
    }

    private struct State {
        /// -1 when the journal lives in memory only (tests, an in-memory store).
        var descriptor: Int32
        /// The records of the jobs not yet done, by id: what a compaction keeps.
        var pending: [String: [UInt8]] = [:]
        var bytesWritten = 0
        /// Written since the last `fdatasync`.
        var unsynced = false
    }

    public let path: String?
    /// What the previous process acknowledged and did not finish, oldest first.
    public let recovered: [JournaledJob]
    /// Every job id the previous process journaled, done or not, with when it arrived: the
    /// event ledger remembers them, so Slack's retries of them are recognised.
    public let recoveredIDs: [(id: String, receivedAt: Date)]
    private let state: Mutex<State>

    /// A journal that keeps nothing across a restart.
    public static func inMemory() -> SlackJobJournal { SlackJobJournal() }

    private init() {
        path = nil
        compactAfterBytes = .max
        recovered = []
        recoveredIDs = []
        state = Mutex(State(descriptor: -1))
    }

    /// Opens (creating if needed) the journal at `path`, reads what it holds and rewrites it
    /// with only the pending jobs. 4 MB between compactions is about 15 s of a 500-a-second burst.
    public init(path: String, compactAfterBytes: Int = 4 << 20) throws {
        self.path = path
        self.compactAfterBytes = compactAfterBytes
        var jobs: [String: JournaledJob] = [:]
        var order: [String] = []
        var ids: [(id: String, receivedAt: Date)] = []
        if let data = FileManager.default.contents(atPath: path) {
            let decoder = JSONDecoder()
            for line in data.split(separator: UInt8(ascii: "\n")) {
                // A torn last line (the process died mid-write) is not a record.
                guard let record = try? decoder.decode(Record.self, from: Data(line)) else { continue }
                switch record {
                case .job(let entry):
                    if jobs[entry.id] == nil { order.append(entry.id) }
                    jobs[entry.id] = entry
                    ids.append((entry.id, entry.receivedAt))
                case .done(let id):
                    jobs[id] = nil
                }
            }
        }
        recovered = order.compactMap { jobs[$0] }
        recoveredIDs = ids
        var pending: [String: [UInt8]] = [:]
        for entry in recovered { pending[entry.id] = try Self.encode(.job(entry)) }
        let descriptor = try Self.rewrite(path: path, with: recovered.compactMap { pending[$0.id] })
        state = Mutex(State(descriptor: descriptor, pending: pending))
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Returns once `entry` is in the file (the kernel's, past any process crash); throws,
    /// keeping nothing, when it cannot be written.
    public func append(_ entry: JournaledJob) throws {
        let bytes = try Self.encode(.job(entry))
        try state.withLock { state in
            if state.descriptor >= 0 {
                guard Self.writeAll(bytes, to: state.descriptor) else { throw JournalError.writeFailed(path: path ?? "", errno: errno) }
                state.bytesWritten += bytes.count
                state.unsynced = true
            }
            state.pending[entry.id] = bytes
        }
    }

    /// `id`'s job is done (answered, or given up with an apology): it will not be run again.
    public func complete(_ id: String) {
        let line = try? Self.encode(.done(id))
        state.withLock { state in
            guard state.pending.removeValue(forKey: id) != nil else { return }
            guard state.descriptor >= 0, let line else { return }
            if Self.writeAll(line, to: state.descriptor) {
                state.bytesWritten += line.count
                state.unsynced = true
            }
            if state.bytesWritten > compactAfterBytes { compact(&state) }
        }
    }

    /// How many jobs are acknowledged and not done.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Something was written that no `fdatasync` has covered yet.
    var hasUnsyncedWrites: Bool { state.withLock { $0.unsynced } }

    /// Asks the kernel to put what was written on the disk. Outside the lock: appends go on
    /// meanwhile (a compaction in between syncs its own new file).
    func sync() {
        let descriptor = state.withLock { state -> Int32 in
            guard state.unsynced else { return -1 }
            state.unsynced = false
            return state.descriptor
        }
        if descriptor >= 0 { _ = fdatasync(descriptor) }
    }

    /// Replaces the file with one holding only the pending jobs. Under the lock; on failure
    /// the old file simply goes on growing.
    private func compact(_ state: inout State) {
        guard let path, let descriptor = try? Self.rewrite(path: path, with: Array(state.pending.values)) else { return }
        // A `sync()` may still hold the old descriptor: closing it makes that one call fail
        // harmlessly, and the new file was flushed by `rewrite`.
        close(state.descriptor)
        state.descriptor = descriptor
        state.bytesWritten = 0
    }

    /// Writes `records` to a new file beside `path`, flushes it, renames it over `path`, and
    /// returns it opened for appending.
    private static func rewrite(path: String, with records: [[UInt8]]) throws -> Int32 {
        let temporary = path + ".new"
        let out = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard out >= 0 else { throw JournalError.openFailed(path: temporary, errno: errno) }
        let bytes = records.flatMap { $0 }
        guard writeAll(bytes, to: out), fsync(out) == 0 else {
            let code = errno
            close(out)
            throw JournalError.writeFailed(path: temporary, errno: code)
        }
        close(out)
        guard rename(temporary, path) == 0 else { throw JournalError.writeFailed(path: path, errno: errno) }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw JournalError.openFailed(path: path, errno: errno) }
        return descriptor
    }

    static func encode(_ record: Record) throws -> [UInt8] {
        // Two records per job, on the acknowledgement path: streamed, not JSONEncoder's value tree.
        var line: [UInt8] = []
        try StreamingJSONEncoder().encode(record, appendingTo: &line)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += result
            }
            return true
        }
    }
}

public enum JournalError: Error, CustomStringConvertible {
    case openFailed(path: String, errno: Int32)
    case writeFailed(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .openFailed(let path, let code): "cannot open the Slack job journal \(path): \(String(cString: strerror(code)))"
        case .writeFailed(let path, let code): "cannot write the Slack job journal \(path): \(String(cString: strerror(code)))"
        }
    }
}
