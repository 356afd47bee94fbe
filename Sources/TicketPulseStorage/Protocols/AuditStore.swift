import Foundation
import TicketPulseCore

/// Who read or did what (allowed or refused), and what the parser learns from.
public protocol AuditStore: Sendable {
    func audit(_ entry: AuditEntry) async throws
    /// Newest first.
    func auditLog(limit: Int) async throws -> [AuditEntry]
    func recordNLUFeedback(_ feedback: NLUFeedback) async throws
    /// Admins only (`NLUFeedbackAccessDenied` otherwise).
    func nluFeedback(visibleTo person: CSM, since: Date?) async throws -> [NLUFeedback]
    /// True the first time a confirmation nonce is claimed, false ever after: a [Confirm] is done once.
    func claimConfirmation(nonce: String, actor: String, intent: String, at now: Date) async throws -> Bool
}

extension AuditStore {
    public func auditLog() async throws -> [AuditEntry] { try await auditLog(limit: 100) }

    public func nluFeedback(visibleTo person: CSM) async throws -> [NLUFeedback] {
        try await nluFeedback(visibleTo: person, since: nil)
    }
}
