import Foundation
import Logging

/// Why an action was refused: what the person is told, and the short code the audit log
/// keeps. Thrown before anything changes.
public enum ActionRefusal: Error, Equatable, CustomStringConvertible {
    /// The clicker maps to nobody on the roster.
    case notOnRoster
    case unknownAlert
    /// The alert's customer is outside the clicker's scope.
    case outOfScope
    /// The ticket is outside the clicker's scope.
    case ticketOutOfScope
    /// No such ticket. Told as `ticketOutOfScope` is, so that a refusal does not tell an
    /// outsider which ticket numbers exist; the audit log keeps the difference.
    case unknownTicket
    case noTicket
    case emptyText

    public var code: String {
        switch self {
        case .notOnRoster: "not_on_roster"
        case .unknownAlert: "unknown_alert"
        case .outOfScope, .ticketOutOfScope: "out_of_scope"
        case .unknownTicket: "unknown_ticket"
        case .noTicket: "no_ticket"
        case .emptyText: "empty_text"
        }
    }

    public var description: String {
        switch self {
        case .notOnRoster: "I don't know you yet: ask a TicketPulse admin to add you to the roster."
        case .unknownAlert: "That alert no longer exists."
        case .outOfScope: "You can't act on this alert: the customer isn't in your accounts."
        case .ticketOutOfScope, .unknownTicket: "You can't act on this ticket: it isn't in your accounts."
        case .noTicket: "This alert isn't about one ticket."
        case .emptyText: "Write something first."
        }
    }
}

/// The one place an action attempt is audited: every button click and modal submission,
/// on alerts and on answers, runs inside `run`, which writes exactly one `audit_log` row
/// with who, what, which customer and the outcome — allowed, refused (and why) or failed —
/// whichever way the attempt ends. Checks throw `ActionRefusal`; callers never write audit
/// rows for actions themselves, so no path can forget one.
public struct ActionAuditor: Sendable {
    let store: any Store
    let now: @Sendable () -> Date
    let logger: Logger

    public init(store: any Store, now: @escaping @Sendable () -> Date, logger: Logger = Logger(label: "ticketpulse.audit")) {
        self.store = store
        self.now = now
        self.logger = logger
    }

    /// What is known of an attempt; the body fills in the rest as it learns it (the
    /// clicker's roster email, the customer, what the action was about).
    public struct Attempt: Sendable {
        /// The roster email, or `slack:<user id>` while (or when) the clicker is unknown.
        public var actor: String
        public var action: String
        public var customerID: String?
        public var detail: String

        public init(actor: String, action: String, customerID: String? = nil, detail: String = "") {
            self.actor = actor
            self.action = action
            self.customerID = customerID
            self.detail = detail
        }
    }

    /// Runs `body` as one attempt and audits it once, then returns or rethrows what the body did.
    public func run<T>(_ attempt: Attempt, isolation: isolated (any Actor)? = #isolation,
                       _ body: (inout Attempt) async throws -> T) async throws -> T {
        var attempt = attempt
        let value: T
        do {
            value = try await body(&attempt)
        } catch let refusal as ActionRefusal {
            try await record(attempt, .refused(reason: refusal.code))
            throw refusal
        } catch {
            try await record(attempt, .failed(reason: "\(error)"))
            throw error
        }
        try await record(attempt, .allowed)
        return value
    }

    func record(_ attempt: Attempt, _ outcome: AuditOutcome) async throws {
        do {
            try await store.audit(AuditEntry(at: now(), actor: attempt.actor, action: attempt.action, detail: attempt.detail,
                                       customerIDs: attempt.customerID.map { [$0] } ?? [], outcome: outcome))
        } catch {
            // The attempt is over either way; say loudly that its record is missing.
            logger.error("audit entry not written", metadata: ["actor": "\(attempt.actor)", "action": "\(attempt.action)", "outcome": "\(outcome.name)", "error": "\(error)"])
            throw error
        }
    }
}
