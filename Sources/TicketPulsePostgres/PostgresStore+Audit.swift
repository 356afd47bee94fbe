import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    public func audit(_ entry: AuditEntry) async throws {
        try await execute("""
            INSERT INTO audit_log (at, actor, action, detail, customer_ids, outcome, reason)
            VALUES (\(entry.at.pg), \(entry.actor), \(entry.action), \(entry.detail), \(entry.customerIDs.joined(separator: ",")),
                    \(entry.outcome?.name ?? ""), \(entry.outcome?.reason ?? ""))
            """)
    }

    /// Newest first.
    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await read { connection in
            try await connection.rows("SELECT at, actor, action, detail, customer_ids, outcome, reason FROM audit_log ORDER BY id DESC LIMIT \(limit)",
                                      logger: self.logger).map { row in
                let (at, actor, action, detail, ids, outcome, reason) = try row.decode((Double, String, String, String, String, String, String).self)
                return AuditEntry(at: Date(pg: at), actor: actor, action: action, detail: detail,
                                  customerIDs: ids.isEmpty ? [] : ids.components(separatedBy: ","), outcome: AuditOutcome(name: outcome, reason: reason))
            }
        }
    }

    public func recordNLUFeedback(_ feedback: NLUFeedback) async throws {
        try await execute("""
            INSERT INTO nlu_feedback (at, asker, question, outcome, intent, confidence, readings, utterance)
            VALUES (\(feedback.at.pg), \(feedback.asker), \(feedback.question), \(feedback.outcome.rawValue), \(feedback.intent),
                    \(feedback.confidence), \(feedback.readings.joined(separator: ",")), \(feedback.utterance))
            """)
    }

    /// The kept questions, oldest first, for an admin; anyone else is refused.
    public func nluFeedback(visibleTo person: CSM, since: Date?) async throws -> [NLUFeedback] {
        guard person.role == .admin else { throw NLUFeedbackAccessDenied(email: person.email) }
        return try await read { connection in
            try await connection.rows("""
                SELECT at, asker, question, outcome, intent, confidence, readings, utterance FROM nlu_feedback
                WHERE at >= \((since ?? .distantPast).pg) ORDER BY at, id
                """, logger: self.logger).compactMap { row in
                let (at, asker, question, outcome, intent, confidence, readings, utterance) = try row.decode((Double, String, String, String, String, Double, String, String).self)
                guard let outcome = NLUFeedback.Outcome(rawValue: outcome) else { return nil }
                return NLUFeedback(at: Date(pg: at), asker: asker, question: question, outcome: outcome, intent: intent,
                                   confidence: confidence, readings: readings.isEmpty ? [] : readings.components(separatedBy: ","), utterance: utterance)
            }
        }
    }

    /// True the first time a confirmation nonce is claimed, false ever after.
    public func claimConfirmation(nonce: String, actor: String, intent: String, at now: Date) async throws -> Bool {
        try await read { connection in
            try await connection.scalar("""
                INSERT INTO confirmations (nonce, actor, intent, at) VALUES (\(nonce), \(actor), \(intent), \(now.pg))
                ON CONFLICT (nonce) DO NOTHING RETURNING 1
                """, as: Int32.self, logger: self.logger) != nil
        }
    }

    // MARK: Slack event ids

    public func slackEventIDs(since cutoff: Date) async throws -> [(id: String, receivedAt: Date)] {
        try await read { connection in
            try await connection.rows("SELECT event_id, received_at FROM slack_events WHERE received_at >= \(cutoff.pg) ORDER BY received_at, event_id COLLATE \"C\"",
                                      logger: self.logger).map { row in
                let (id, at) = try row.decode((String, Double).self)
                return (id: id, receivedAt: Date(pg: at))
            }
        }
    }

    /// Records `received` and prunes ids older than `cutoff`, in one transaction.
    public func recordSlackEvents(_ received: [(id: String, receivedAt: Date)], pruningBefore cutoff: Date?) async throws {
        try await write { connection in
            if !received.isEmpty {
                try await connection.run("""
                    INSERT INTO slack_events (event_id, received_at)
                    SELECT * FROM unnest(\(received.map(\.id))::text[], \(received.map(\.receivedAt.pg))::double precision[])
                    ON CONFLICT (event_id) DO NOTHING
                    """, logger: self.logger)
            }
            if let cutoff {
                try await connection.run("DELETE FROM slack_events WHERE received_at < \(cutoff.pg)", logger: self.logger)
            }
        }
    }
}

extension PostgresStore {
    public func claimSlackEvent(_ id: String, at now: Date) async throws -> Bool {
        try await read { connection in
            try await connection.scalar(
                "INSERT INTO slack_events (event_id, received_at) VALUES (\(id), \(now.pg)) ON CONFLICT (event_id) DO NOTHING RETURNING 1",
                as: Int32.self, logger: self.logger) != nil
        }
    }

    /// Replicas share it: that is what it is for.
    public var isShared: Bool { true }
}

extension PostgresStore: Store {}
