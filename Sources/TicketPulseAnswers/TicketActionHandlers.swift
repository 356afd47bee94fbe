import Foundation
import TicketPulseCore
import TicketPulseStore

extension AnswerContext {
    /// The ticket the message names, if the asker may see it.
    func scopedTicket() throws -> StoredTicket? {
        guard let id = slots.ticket else { return nil }
        return try store.tickets(externalID: id).first { scope.allows($0.ticket.customerID) }
    }
}

/// `add_note`: an internal note on a ticket, recorded now and written back to the support system.
struct AddNoteHandler: IntentHandler {
    func answer(_ context: AnswerContext) throws -> HandlerResult {
        guard let id = context.slots.ticket else { return CommonReplies.needs("the ticket number", example: "add note to 4521: customer called back") }
        guard let text = context.slots.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return CommonReplies.needs("the note text", example: "add note to \(id): customer called back")
        }
        guard let stored = try context.scopedTicket() else { return CommonReplies.ticketNotFound(id) }
        try context.store.recordAction(TicketAction(kind: .note, actor: context.asker.email, body: text, createdAt: context.now), ticketID: stored.id)
        let reply = "Note added to #\(stored.ticket.externalID) (\(stored.ticket.subject)). It will be written to \(stored.ticket.source.rawValue.capitalizedFirst) as an internal note."
        return HandlerResult(Reply(blocks: [.section(reply), .context("“\(text)” — \(context.asker.name)")], fallbackText: reply), shown: stored.ticket.customerID.map { [$0] } ?? [])
    }
}

/// `request_escalation`: asks support to escalate a ticket, with a reason.
struct RequestEscalationHandler: IntentHandler {
    func answer(_ context: AnswerContext) throws -> HandlerResult {
        guard let id = context.slots.ticket else { return CommonReplies.needs("the ticket number", example: "escalate ticket 4521, renewal at risk") }
        guard let stored = try context.scopedTicket() else { return CommonReplies.ticketNotFound(id) }
        let reason = context.slots.text?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? "requested by the account's CSM"
        try context.store.recordAction(TicketAction(kind: .escalationRequest, actor: context.asker.email, body: reason, createdAt: context.now), ticketID: stored.id)
        let reply = "Escalation requested for #\(stored.ticket.externalID) (\(stored.ticket.priority.rawValue), \(stored.ticket.subject)). Reason: \(reason). Support will see it on the ticket in \(stored.ticket.source.rawValue.capitalizedFirst)."
        return HandlerResult(Reply(blocks: [.section(reply)], fallbackText: reply), shown: stored.ticket.customerID.map { [$0] } ?? [])
    }
}

/// `draft_outreach`: an email to the customer's champion about recent issues, for the CSM to edit.
struct DraftOutreachHandler: IntentHandler {
    func answer(_ context: AnswerContext) throws -> HandlerResult {
        let customer = try context.requiredCustomer(example: "draft an email to Acme about the recent issues")
        guard let templates = PromptTemplates.locate() else {
            let text = "I can't find the email templates (prompts/). Set TICKETPULSE_PROMPTS_DIR to the prompts folder."
            return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
        }
        let (snapshots, _) = try context.settings.snapshotBuilder.snapshots(customers: [customer], store: context.store, period: .trailing(days: 30, endingAt: context.now), now: context.now)
        let snapshot = snapshots[0]
        let lastDay = Period(start: context.now.addingTimeInterval(-86_400), end: context.now)
        let recent = try context.store.tickets(TicketQuery(customerIDs: [customer.id], createdIn: lastDay, limit: 200)).tickets.map(\.ticket)
        let spike = snapshot.attention.reasons.contains { $0.hasPrefix("spike") }
        let csat = snapshot.metrics.csat
        let poorCSAT = (csat.average ?? 5) < 3.5 || csat.trend == .declining
        var values: [String: Any] = [
            "subject": "Following up on your recent support tickets",
            "championFirstName": customer.championName?.split(separator: " ").first.map(String.init) ?? "there",
            "customerName": customer.name,
            "hasSpike": spike,
            "spikeCount": recent.count,
            "oneNew": recent.count == 1,
            "hasPoorCSAT": poorCSAT,
            "csatAverage": csat.average.map { String(format: "%.1f", $0) } ?? "–",
            "openTickets": snapshot.metrics.open,
            "oneOpen": snapshot.metrics.open == 1,
            "hasOpenEscalations": snapshot.metrics.escalations.open > 0,
            "openEscalations": snapshot.metrics.escalations.open,
            "csmName": context.asker.name,
        ]
        // Optional phrases are left out, not set empty: the template's sections test for presence.
        if let theme = Themes.recurring(in: recent.map(\.subject), limit: 1).first?.phrase { values["topTheme"] = theme }
        if let topic = context.slots.text?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty { values["topic"] = topic }
        let email = try templates.render("outreach_email", values)
        let to = customer.championEmail.map { "To: \(customer.championName ?? "") <\($0)>" } ?? "To: (no champion on file for \(customer.name))"
        let blocks: [ReplyBlock] = [
            .section("Here is a draft for you to edit and send:"),
            .section(to + "\n" + email),
            .actions([ReplyAction(id: "edit_draft_email", label: "Edit in a modal", value: customer.id, style: .primary)]),
        ]
        return HandlerResult(Reply(header: "Draft email: \(customer.name)", blocks: blocks, fallbackText: "Draft email to \(customer.name): \(email.prefix(200))…"), shown: [customer.id])
    }
}
