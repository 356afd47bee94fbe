import Foundation
import Logging
import TicketPulseStorage
import TicketPulseTemplates
import TicketPulseWorkflows

/// `ticketpulse digest --send-now`: every pending digest queued now, whatever its hour,
/// then the outbox delivered by the same worker `serve` runs (Slack DMs and emails alike,
/// with the same exactly-once rules). Delivery needs the leader lease: while a server holds
/// it, two workers on the same rows could both send one, so the digests are only queued
/// and that server sends them within its next poll.
public enum DigestSendNow {
    public struct Report: Sendable {
        /// The people whose digests were queued.
        public var queued: [String]
        /// Rows sent by this run; nil when a running server (`leader`) sends them.
        public var sent: Int?
        public var leader: String?
        /// The queued digests' rows as they stand after the run: state and last error.
        public var rows: [OutboxRow]
    }

    static let holderPrefix = "digest-send-now"

    public static func run(configuration: AppConfiguration, dependencies: AppDependencies, only: String? = nil, logger: Logger) async throws -> Report {
        let store = dependencies.store
        let now = dependencies.now
        let templates = PromptTemplates.locate()
        let email = EmailComponents(configuration: configuration, dependencies: dependencies, templates: templates, logger: logger)
        let scheduler = DigestScheduler(store: store, messages: AlertMessages(templates: templates), email: email?.digest)
        let queued = try await scheduler.queueNow(at: now(), only: only)
        let keys = queued.flatMap { $0.keys }
        let holder = "\(holderPrefix):\(ProcessInfo.processInfo.processIdentifier)"
        guard try await store.acquireLease(LeaderService.leaseName, holder: holder, now: now(), until: now().addingTimeInterval(120)) else {
            return Report(queued: queued.map { $0.email }, sent: nil, leader: try await store.leaseHolder(LeaderService.leaseName, now: now()), rows: try await rows(keys, store: store))
        }
        let sent: Int
        do {
            let delivery = OutboxDelivery(store: store, messenger: SlackAlertMessenger(store: store, slack: dependencies.slack),
                                          emailMessenger: email?.messenger, now: now, logger: logger)
            sent = try await delivery.deliverDue()
        } catch {
            try? await store.releaseLease(LeaderService.leaseName, holder: holder)
            throw error
        }
        try await store.releaseLease(LeaderService.leaseName, holder: holder)
        return Report(queued: queued.map { $0.email }, sent: sent, leader: nil, rows: try await rows(keys, store: store))
    }

    static func rows(_ keys: [String], store: any Store) async throws -> [OutboxRow] {
        var rows: [OutboxRow] = []
        for key in keys { if let row = try await store.outboxRow(key: key) { rows.append(row) } }
        return rows
    }
}

extension DigestSendNow {
    /// The report as the command prints it: one line per digest row, failures with why.
    public static func describe(_ report: Report) -> String {
        guard !report.queued.isEmpty else { return "No digest is pending." }
        var lines = ["Queued digests for \(report.queued.joined(separator: ", "))."]
        if let leader = report.leader {
            lines.append("A running server (\(leader)) holds the outbox: it sends them within seconds.")
        }
        for row in report.rows {
            let how = row.kind == .email ? "email to \(row.recipient.dropFirst("email:".count))" : "Slack DM to \(row.recipient.dropFirst("user:".count))"
            let state = switch row.state {
            case .sent: "sent"
            case .failed: "failed: \(row.lastError ?? "no reason recorded")"
            case .pending where row.lastError != nil: "to be retried: \(row.lastError ?? "")"
            case .pending, .inFlight: "waiting"
            }
            lines.append("  \(how): \(state)")
        }
        return lines.joined(separator: "\n")
    }
}
