import Foundation
import GRDB
import TicketPulseCore

/// One question the parser was unsure of, kept for `ticketpulse nlu review`: what was
/// asked, what the parser made of it, and what the asker chose when asked.
public struct NLUFeedback: Sendable, Equatable {
    public enum Outcome: String, Sendable, CaseIterable {
        /// Answered, but the reading's confidence was low.
        case lowConfidence = "low_confidence"
        /// "Did you mean…?" was offered; `readings` lists the intents offered.
        case clarificationOffered = "clarification_offered"
        /// The asker clicked one of the offered readings; `intent` is the one chosen.
        case clarificationChosen = "clarification_chosen"
        /// Nothing in scope was plausible: "outside what I know".
        case refused
    }

    public var at: Date
    public var asker: String
    /// As asked (Slack markup and all).
    public var question: String
    public var outcome: Outcome
    /// The reading answered or chosen; `out_of_scope` for a refusal.
    public var intent: String
    public var confidence: Double
    /// The intents offered in a clarification, best first.
    public var readings: [String]
    /// The question with its slots marked (`[customer](Acme)`), as `intents/*.yaml` writes
    /// utterances; empty when no slot was found.
    public var utterance: String

    public init(at: Date, asker: String, question: String, outcome: Outcome, intent: String, confidence: Double, readings: [String] = [], utterance: String = "") {
        self.at = at
        self.asker = asker
        self.question = question
        self.outcome = outcome
        self.intent = intent
        self.confidence = confidence
        self.readings = readings
        self.utterance = utterance
    }
}

/// Reading the learning loop's questions is for admins: they name customers of every book.
public struct NLUFeedbackAccessDenied: Error, CustomStringConvertible {
    public var email: String
    public var description: String { "\(email) is not an admin: only admins may read the questions others asked" }
}

extension TicketStore {
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
