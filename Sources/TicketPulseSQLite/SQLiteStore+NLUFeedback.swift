import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    public func recordNLUFeedback(_ feedback: NLUFeedback) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO nlu_feedback (at, asker, question, outcome, intent, confidence, readings, utterance)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [feedback.at.storeValue, feedback.asker, feedback.question, feedback.outcome.rawValue, feedback.intent,
                                 feedback.confidence, feedback.readings.joined(separator: ","), feedback.utterance])
        }
    }

    /// The kept questions, oldest first, for an admin; anyone else is refused.
    public func nluFeedback(visibleTo person: CSM, since: Date? = nil) throws -> [NLUFeedback] {
        guard person.role == .admin else { throw NLUFeedbackAccessDenied(email: person.email) }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT at, asker, question, outcome, intent, confidence, readings, utterance FROM nlu_feedback
                WHERE at >= ? ORDER BY at, id
                """, arguments: [(since ?? .distantPast).storeValue]).compactMap { row in
                guard let outcome = NLUFeedback.Outcome(rawValue: row[3]) else { return nil }
                let readings: String = row[6]
                return NLUFeedback(at: Date(storeValue: row[0]), asker: row[1], question: row[2], outcome: outcome, intent: row[4],
                                   confidence: row[5], readings: readings.isEmpty ? [] : readings.components(separatedBy: ","), utterance: row[7])
            }
        }
    }

    /// Claims a confirmation's nonce: true the first time, false ever after, so a write
    /// confirmed twice (a double click, a redelivered click) is done once.
    public func claimConfirmation(nonce: String, actor: String, intent: String, at now: Date) throws -> Bool {
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO confirmations (nonce, actor, intent, at) VALUES (?, ?, ?, ?)",
                           arguments: [nonce, actor, intent, now.storeValue])
            return db.changesCount > 0
        }
    }
}
