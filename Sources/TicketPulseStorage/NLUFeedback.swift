import Foundation
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

    public init(email: String) { self.email = email }

    public var description: String { "\(email) is not an admin: only admins may read the questions others asked" }
}
