import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

/// What a click on an answer's button produced.
public struct ButtonAnswer: Sendable {
    public var reply: Reply
    /// The message the button sat on is replaced by this one (a settled "Did you mean…?"
    /// or "Please confirm"); otherwise it is posted beside it.
    public var replacesMessage: Bool
    /// For the clicker alone (a refusal, a tampered button): the message stays as it was.
    public var ephemeral: Bool
    public var customersShown: [String]

    /// A note for the clicker alone; the message stays as it was.
    public static func notice(_ text: String) -> ButtonAnswer {
        ButtonAnswer(reply: Reply(blocks: [.section(text)], fallbackText: text), replacesMessage: false, ephemeral: true, customersShown: [])
    }
}

extension AnswerEngine {
    /// A click on one of an answer's buttons, answered from the intent and slots it carries
    /// (never by parsing a sentence again), in the clicker's scope. Confirm and Cancel are
    /// the asker's alone, and every attempt at them is audited, allowed or refused.
    public func click(_ button: AnswerButton, value: String, by clicker: CSM, now: Date) async throws -> ButtonAnswer {
        guard let request = AnswerRequest(encoded: value) ?? AnswerRequest.legacy(button, value: value) else {
            try await store.audit(AuditEntry(at: now, actor: clicker.email, action: "button:\(button.rawValue):refused", detail: "unreadable value"))
            return ButtonAnswer.notice("I couldn't read that button: it may come from an older version of TicketPulse. Ask the question again and use the new answer's buttons.")
        }
        switch button {
        case .confirm:
            return try await confirm(request, by: clicker, now: now)
        case .cancel:
            if let refusal = try await refusal(of: request, action: "cancel", clicker: clicker, now: now) { return refusal }
            // A cancel settles the confirmation too: a [Confirm] clicked later (a stale
            // client still showing the buttons) finds the nonce used and writes nothing.
            guard let nonce = request.nonce, try await store.claimConfirmation(nonce: nonce, actor: clicker.email, intent: request.intent.rawValue, at: now) else {
                try await store.audit(AuditEntry(at: now, actor: clicker.email, action: "cancel:\(request.intent.rawValue)", detail: "refused: already confirmed or cancelled"))
                return ButtonAnswer.notice("That was already confirmed or cancelled.")
            }
            try await store.audit(AuditEntry(at: now, actor: clicker.email, action: "cancel:\(request.intent.rawValue)", detail: "allowed: nothing written"))
            let text = "Cancelled: nothing was written."
            return ButtonAnswer(reply: Reply(blocks: [.section(text)], fallbackText: text), replacesMessage: true, ephemeral: false, customersShown: [])
        case .reading:
            let parsed = try await request.parsed(store: store, allowedSlots: parser.slotNames(of: request.intent))
            if let question = request.question, !question.isEmpty {
                try await keepChoice(of: parsed, question: question, asker: clicker, now: now)
            }
            let answer = try await answer(parsed: parsed, text: request.question ?? Clarification.label(of: parsed), asker: clicker, now: now)
            return ButtonAnswer(reply: answer.reply, replacesMessage: true, ephemeral: false, customersShown: answer.customersShown)
        case .viewOpenTickets, .checkCSAT, .supportMetrics, .ticketHistory:
            // Read-only questions: a write smuggled into one of these is not answered.
            guard !request.intent.writes else { return ButtonAnswer.notice("That button can't change anything. Ask in a message, and confirm it there.") }
            let parsed = try await request.parsed(store: store, allowedSlots: parser.slotNames(of: request.intent))
            let answer = try await answer(parsed: parsed, text: Clarification.label(of: parsed), asker: clicker, now: now)
            return ButtonAnswer(reply: answer.reply, replacesMessage: false, ephemeral: false, customersShown: answer.customersShown)
        case .addNote, .requestEscalation, .editDraftEmail:
            // Modals, opened by the server inside the request; never a queued answer.
            return ButtonAnswer.notice("That button opens a form; click it again.")
        }
    }

    /// `ask --yes`: the message answered and, when it asks to confirm a write, confirmed at
    /// once by the asker, through the same checks as the [Confirm] button.
    public func answerConfirmed(_ message: String, asker: CSM, now: Date) async throws -> (asked: Answer, confirmed: ButtonAnswer?) {
        let asked = try await answer(message, asker: asker, now: now)
        guard let pending = asked.pendingConfirmation else { return (asked, nil) }
        return await (asked, try confirm(pending, by: asker, now: now))
    }

    /// Carries out a write the asker confirmed, once: the clicker must be the asker, the
    /// ticket or customer must still be in their scope, and the nonce must be unused.
    /// `ask --yes` comes here too.
    public func confirm(_ request: AnswerRequest, by clicker: CSM, now: Date) async throws -> ButtonAnswer {
        if let refusal = try await refusal(of: request, action: "confirm", clicker: clicker, now: now) { return refusal }
        let parsed = try await request.parsed(store: store, allowedSlots: parser.slotNames(of: request.intent))
        let scope = try await AccessScope.of(clicker, in: store)
        if let problem = try await outOfScope(parsed, scope: scope) {
            try await store.audit(AuditEntry(at: now, actor: clicker.email, action: "confirm:\(request.intent.rawValue)", detail: "refused: \(problem)"))
            return ButtonAnswer.notice("You can't do that any more: \(problem). Nothing was written.")
        }
        guard let nonce = request.nonce, try await store.claimConfirmation(nonce: nonce, actor: clicker.email, intent: request.intent.rawValue, at: now) else {
            try await store.audit(AuditEntry(at: now, actor: clicker.email, action: "confirm:\(request.intent.rawValue)", detail: "refused: already confirmed or cancelled"))
            return ButtonAnswer.notice("That was already confirmed or cancelled; nothing more was written.")
        }
        let answer = try await answer(parsed: parsed, text: request.question ?? Clarification.label(of: parsed), asker: clicker, now: now, confirmed: true)
        try await store.audit(AuditEntry(at: now, actor: clicker.email, action: "confirm:\(request.intent.rawValue)", detail: "allowed", customerIDs: answer.customersShown))
        return ButtonAnswer(reply: answer.reply, replacesMessage: true, ephemeral: false, customersShown: answer.customersShown)
    }

    /// Why `clicker` may not confirm or cancel `request` (audited), or nil when they may.
    private func refusal(of request: AnswerRequest, action: String, clicker: CSM, now: Date) async throws -> ButtonAnswer? {
        let problem: String? = if !request.intent.writes || request.nonce == nil || request.asker == nil {
            "not a confirmation this bot made"
        } else if request.asker?.lowercased() != clicker.email.lowercased() {
            "clicked by someone other than the asker (\(request.asker ?? "?"))"
        } else {
            nil
        }
        guard let problem else { return nil }
        try await store.audit(AuditEntry(at: now, actor: clicker.email, action: "\(action):\(request.intent.rawValue)", detail: "refused: \(problem)"))
        let text = problem.hasPrefix("clicked by")
            ? "Only the person who asked can \(action) this. If you want the same, ask me yourself."
            : "I couldn't read that button. Ask again, and confirm the new answer."
        return ButtonAnswer.notice(text)
    }

    /// The ticket or customer a confirmed write names, if it is no longer the clicker's.
    private func outOfScope(_ parsed: ParsedMessage, scope: AccessScope) async throws -> String? {
        if let id = parsed.slots.customer?.match?.id, !scope.allows(id) { return "that account isn't in your accounts" }
        if let ticket = parsed.slots.ticket, !(try await store.tickets(externalID: ticket).contains { scope.allows($0.ticket.customerID) }) {
            return "ticket #\(ticket) isn't in your accounts"
        }
        return nil
    }

    /// The learning loop's record of a chosen clarification, its slots marked as the
    /// question wrote them (found again in the question: the button carries ids, not words).
    private func keepChoice(of parsed: ParsedMessage, question: String, asker: CSM, now: Date) async throws {
        let asWritten = parser.readings(question, now: now, limit: IntentName.allCases.count).inScope.first { $0.intent == parsed.intent }
        try await keep(.clarificationChosen, question, asker: asker, intent: parsed.intent, confidence: asWritten?.confidence ?? 0, slots: asWritten?.slots ?? parsed.slots, now: now)
    }
}
