import Foundation
import Synchronization

/// A Slack job between its acknowledgement and its answer, as the journal keeps it.
public struct JournaledJob: Codable, Sendable, Equatable {
    /// The event id (Slack's `event_id`), or one made up for a slash command.
    public var id: String
    public var receivedAt: Date
    var job: SlackJob
}

/// Every acknowledged Slack job, on disk before the 200 goes out, until it is done: a process
/// killed at any moment after an acknowledgement answers the question after its restart.
///
/// Why a journal file and not the store: the store has one writer, shared with syncs, alerts
/// and audit rows, and waiting for it made acknowledgements slow (see `SlackEventLedger`).
/// The journal is an append-only file of its own, written with group commit: a request
/// appends its record and waits; the first waiter writes every record queued so far with one
/// `write` and one `fdatasync`, and wakes them all. One flush serves every request that
/// arrived during the previous one, so the cost per acknowledgement falls as load rises
/// (an `fdatasync` of a few hundred bytes takes ~0.1 ms here).
///
/// A job's "done" record is written without waiting for the disk: a process kill keeps it
/// (it is in the kernel's page cache); only a machine crash can lose it, and then the job is
/// run again and its answer found in Slack by its metadata key rather than posted twice.
/// Lines are JSON; a line cut short by a crash is skipped on reading.
public final class SlackJobJournal: Sendable {
    /// The bytes written after which the file is rewritten with only the jobs still pending.
    let compactAfterBytes: Int

    private enum Record: Codable {
        case job(JournaledJob)
        case done(String)
    }

    private struct Waiter {
        var bytes: [UInt8]
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        /// -1 when the journal lives in memory only (tests, an in-memory store).
        var descriptor: Int32
        /// The records of the jobs not yet done, by id: what a compaction keeps.
        var pending: [String: [UInt8]] = [:]
        var waiting: [Waiter] = []
        /// A waiter is writing a batch; the others wait for it.
        var flushing = false
        var bytesWritten = 0
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

    /// Returns once `entry` is on disk (at once for an in-memory journal).
    public func append(_ entry: JournaledJob) async throws {
        let bytes = try Self.encode(.job(entry))
        let durable = state.withLock { state in
            state.pending[entry.id] = bytes
            return state.descriptor >= 0
        }
        guard durable else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let leads = state.withLock { state in
                state.waiting.append(Waiter(bytes: bytes, continuation: continuation))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if leads { flushWaiting() }
        }
    }

    /// `id`'s job is done (answered, or given up with an apology): it will not be run again.
    public func complete(_ id: String) {
        let line = try? Self.encode(.done(id))
        state.withLock { state in
            guard state.pending.removeValue(forKey: id) != nil else { return }
            guard state.descriptor >= 0, let line else { return }
            // O_APPEND: one write lands whole after whatever is there, beside a batch
            // another thread is writing.
            if Self.writeAll(line, to: state.descriptor) { state.bytesWritten += line.count }
            if state.bytesWritten > compactAfterBytes, !state.flushing { compact(&state) }
        }
    }

    /// How many jobs are acknowledged and not done.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Writes every queued record, one batch at a time, until none is left; then lets the
    /// next request lead.
    private func flushWaiting() {
        while true {
            let (batch, descriptor) = state.withLock { state -> ([Waiter], Int32) in
                let batch = state.waiting
                state.waiting.removeAll(keepingCapacity: true)
                if batch.isEmpty { state.flushing = false }
                return (batch, state.descriptor)
            }
            guard !batch.isEmpty else { return }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
            for waiter in batch { bytes += waiter.bytes }
            let written = Self.writeAll(bytes, to: descriptor) && fdatasync(descriptor) == 0
            if written {
                state.withLock { $0.bytesWritten += bytes.count }
                for waiter in batch { waiter.continuation.resume() }
            } else {
                let error = JournalError.writeFailed(path: path ?? "", errno: errno)
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
    }

    /// Replaces the file with one holding only the pending jobs. Under the lock, with no
    /// batch being written; on failure the old file simply goes on growing.
    private func compact(_ state: inout State) {
        guard let path, let descriptor = try? Self.rewrite(path: path, with: Array(state.pending.values)) else { return }
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

    private static func encode(_ record: Record) throws -> [UInt8] {
        Array(try JSONEncoder().encode(record)) + [UInt8(ascii: "\n")]
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
