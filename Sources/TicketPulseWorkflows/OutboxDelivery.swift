import Foundation
import Logging
import ServiceLifecycle
import TicketPulseCore
import TicketPulseStorage

/// Sends the outbox: every alert message, thread note, header update and digest. A row is
/// marked in flight before its send and sent (with the Slack `ts`) after; a row a crashed
/// worker left in flight is first looked for at Slack by its idempotency key, so nothing is
/// posted twice and nothing is lost. Email rows (digests) go to `emailMessenger` instead.
public final class OutboxDelivery: Service, Sendable {
    let store: any Store
    let messenger: any AlertMessenger
    /// Nil when the server sends no email: an email row then fails, saying so.
    let emailMessenger: (any EmailMessenger)?
    let now: @Sendable () -> Date
    let logger: Logger
    let maximumAttempts: Int
    /// An in-flight row older than this belongs to a worker that died.
    let staleAfter: TimeInterval
    let pollInterval: Duration
    let sleep: @Sendable (Duration) async throws -> Void
    private let wakeups: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)

    public init(store: any Store, messenger: any AlertMessenger, emailMessenger: (any EmailMessenger)? = nil, now: @escaping @Sendable () -> Date,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                pollInterval: Duration = .seconds(5), maximumAttempts: Int = 8, staleAfter: TimeInterval = 30,
                logger: Logger = Logger(label: "ticketpulse.outbox")) {
        self.store = store
        self.messenger = messenger
        self.emailMessenger = emailMessenger
        self.now = now
        self.sleep = sleep
        self.pollInterval = pollInterval
        self.maximumAttempts = maximumAttempts
        self.staleAfter = staleAfter
        self.logger = logger
        wakeups = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// New rows were queued: send them now rather than at the next poll.
    public func wake() { wakeups.continuation.yield() }

    public func run() async throws {
        // Poll as a safety net (retries come due, another process queued rows); wake-ups
        // make a fresh alert go out at once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            let continuation = wakeups.continuation
            let interval = pollInterval
            let sleep = sleep
            group.addTask {
                while !Task.isCancelled {
                    try await sleep(interval)
                    continuation.yield()
                }
            }
            group.addTask { [self] in
                _ = try? await deliverDue()
                for await _ in wakeups.stream.cancelOnGracefulShutdown() {
                    do {
                        _ = try await deliverDue()
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.error("outbox pass failed", metadata: ["error": "\(error)"])
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Sends every due row, oldest first; returns how many were sent.
    @discardableResult
    public func deliverDue() async throws -> Int {
        var sent = 0
        while true {
            let rows = try await store.dueOutbox(at: now(), staleAfter: staleAfter)
            var progressed = false
            for row in rows {
                try Task.checkCancellation()
                // A backlog at a paced one message per second per channel can take minutes:
                // stopping must not wait for it. What is left is sent after the restart.
                if Task.isShuttingDownGracefully { return sent }
                if try await deliver(row) {
                    sent += 1
                    progressed = true
                }
            }
            if rows.isEmpty || !progressed { break }
        }
        return sent
    }

    /// One row; false when it has to wait (its parent is not sent yet) or failed.
    func deliver(_ row: OutboxRow) async throws -> Bool {
        var parent: OutboxRow?
        if let parentID = row.parentID {
            parent = try await store.outboxRow(id: parentID)
            guard let parent else { try await store.markAttemptFailed(row.id, error: "parent message is gone", retryAt: nil); return false }
            switch parent.state {
            case .sent: break
            case .failed:
                try await store.markAttemptFailed(row.id, error: "parent message could not be sent", retryAt: nil)
                return false
            case .pending, .inFlight:
                return false
            }
        }
        do {
            if row.kind == .email {
                return try await sendEmail(row)
            }
            let channel: String
            if let parentChannel = parent?.channel { channel = parentChannel } else { channel = try await messenger.channel(for: row.recipient) }
            // Another replica took the row since it was read (a leader whose lease this one
            // took over): it is theirs to send.
            guard try await store.claimForDelivery(row, at: now()) else { return false }
            // Any earlier attempt may have reached Slack: a worker that stopped mid-send left
            // the row in flight, and a failed attempt may have lost only Slack's answer.
            // Posts are looked for by their key first; so are updates, which post under their
            // own key when the message they update was deleted in Slack.
            let since = row.createdAt.addingTimeInterval(-60)
            if row.state == .inFlight || row.attempts > 0,
               let ts = try await messenger.findPosted(key: row.key, channel: channel, threadTS: row.kind == .update ? nil : parent?.ts, since: since) {
                if row.kind == .update, let parent { try await store.repoint(parent.id, channel: channel, ts: ts) }
                try await store.markSent(row.id, channel: channel, ts: ts, at: now())
                logger.notice("outbox: found a message an earlier attempt had sent", metadata: ["key": "\(row.key)"])
                return true
            }
            let ts: String
            switch row.kind {
            case .post: ts = try await messenger.post(row.message, channel: channel, threadTS: nil, key: row.key, since: since)
            case .thread: ts = try await messenger.post(row.message, channel: channel, threadTS: parent?.ts, key: row.key, since: since)
            case .email: throw DeliveryFailure.permanent("an email row reached the Slack path")
            case .update:
                guard let parent, let parentTS = parent.ts else { throw DeliveryFailure.permanent("nothing to update") }
                // A routine update put off by group_interval can come due after a later one
                // that an urgent item sent at once: sending it would show older content.
                if try await store.newerUpdateSent(than: row.id, parentID: parent.id) {
                    try await store.markSent(row.id, channel: channel, ts: parentTS, at: now())
                    return true
                }
                do {
                    try await messenger.update(channel: channel, ts: parentTS, with: row.message)
                    ts = parentTS
                } catch DeliveryFailure.messageGone {
                    // Deleted in Slack: the update is posted as a new message (once, by its
                    // key), and the parent points at it, so later updates and notes follow.
                    ts = try await messenger.post(row.message, channel: channel, threadTS: nil, key: row.key, since: since)
                    try await store.repoint(parent.id, channel: channel, ts: ts)
                    logger.notice("outbox: the message to update was deleted in Slack; posted it anew", metadata: ["key": "\(row.key)"])
                }
            }
            try await store.markSent(row.id, channel: channel, ts: ts, at: now())
            return true
        } catch let error as CancellationError {
            // A stop mid-send: leave the row in flight for the next worker to check.
            throw error
        } catch DeliveryFailure.permanent(let reason) {
            try await store.markAttemptFailed(row.id, error: reason, retryAt: nil)
            logger.error("outbox: giving up on a message", metadata: ["key": "\(row.key)", "reason": "\(reason)"])
            return false
        } catch {
            let attempts = row.attempts + 1
            let retryAt = attempts >= maximumAttempts ? nil : now().addingTimeInterval(min(600, pow(2, Double(attempts))))
            try await store.markAttemptFailed(row.id, error: "\(error)", retryAt: retryAt)
            logger.warning("outbox: send failed", metadata: ["key": "\(row.key)", "attempt": "\(attempts)", "error": "\(error)"])
            return false
        }
    }
}
