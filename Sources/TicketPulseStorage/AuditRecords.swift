import Foundation
/// How an attempted action ended, for the audit log: a refusal is as much worth keeping as
/// what was done, since it is what someone tried to see or change without the right to.
public enum AuditOutcome: Sendable, Equatable {
    case allowed
    /// Refused before anything changed; `reason` is a short code ("out_of_scope").
    case refused(reason: String)
    /// Allowed, but it did not complete (Slack or the store failed).
    case failed(reason: String)

    public var name: String {
        switch self {
        case .allowed: "allowed"
        case .refused: "refused"
        case .failed: "failed"
        }
    }

    public var reason: String {
        switch self {
        case .allowed: ""
        case .refused(let reason), .failed(let reason): reason
        }
    }

    package init?(name: String, reason: String) {
        switch name {
        case "allowed": self = .allowed
        case "refused": self = .refused(reason: reason)
        case "failed": self = .failed(reason: reason)
        default: return nil
        }
    }
}

/// One line of the audit log: who asked or did what, when, which customers it showed or
/// touched, and — for actions — whether it was allowed.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var action: String
    public var detail: String
    public var customerIDs: [String]
    /// nil for questions (what they showed is the record); set for every action attempt.
    public var outcome: AuditOutcome?

    public init(at: Date, actor: String, action: String, detail: String, customerIDs: [String] = [], outcome: AuditOutcome? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.detail = detail
        self.customerIDs = customerIDs
        self.outcome = outcome
    }
}
