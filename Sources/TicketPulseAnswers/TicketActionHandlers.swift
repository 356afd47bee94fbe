import Foundation
import TicketPulseCore
import TicketPulseStorage
import TicketPulseTemplates

extension AnswerContext {
    /// Where a confirmed note or escalation request is recorded: the service the alert
    /// buttons, the modals and the HTTP API use (the confirmation's own audit row covers it).
    var ticketActions: TicketActionService {
        let now = now
        return TicketActionService(store: store, now: { now })
    }

    /// The ticket the message names, if the asker may see it.
    func scopedTicket() async throws -> StoredTicket? {
        guard let id = slots.ticket else { return nil }
        return try await store.tickets(externalID: id).first { scope.allows($0.ticket.customerID) }
    }
}

/// `add_note`: an internal note on a ticket, recorded now and written back to the support system.
struct AddNoteHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        guard let id = context.slots.ticket else { return CommonReplies.needs("the ticket number", example: "add note to 4521: customer called back") }
        guard let text = context.slots.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return CommonReplies.needs("the note text", example: "add note to \(id): customer called back")
        }
        guard let stored = try await context.scopedTicket() else { return CommonReplies.ticketNotFound(id) }
        try context.confirmBeforeWriting("add this internal note to *#\(stored.ticket.externalID)* (\(stored.ticket.subject)); it will be written to \(stored.ticket.source.rawValue.capitalizedFirst) as an internal note:\n>\(text)",
                                         shown: stored.ticket.customerID.map { [$0] } ?? [])
        try await context.ticketActions.record(.note, text: text, on: stored, by: context.asker)
        let reply = "Note added to #\(stored.ticket.externalID) (\(stored.ticket.subject)). It will be written to \(stored.ticket.source.rawValue.capitalizedFirst) as an internal note."
        return HandlerResult(Reply(blocks: [.section(reply), .context("“\(text)” — \(context.asker.name)")], fallbackText: reply), shown: stored.ticket.customerID.map { [$0] } ?? [])
    }
}

/// `request_escalation`: asks support to escalate a ticket, with a reason.
struct RequestEscalationHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        guard let id = context.slots.ticket else { return CommonReplies.needs("the ticket number", example: "escalate ticket 4521, renewal at risk") }
        guard let stored = try await context.scopedTicket() else { return CommonReplies.ticketNotFound(id) }
        let reason = context.slots.text?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? TicketActionService.defaultEscalationReason
        try context.confirmBeforeWriting("ask support to escalate *#\(stored.ticket.externalID)* (\(stored.ticket.priority.rawValue), \(stored.ticket.subject)) in \(stored.ticket.source.rawValue.capitalizedFirst). Reason: \(reason).",
                                         shown: stored.ticket.customerID.map { [$0] } ?? [])
        try await context.ticketActions.record(.escalationRequest, text: reason, on: stored, by: context.asker)
        let reply = "Escalation requested for #\(stored.ticket.externalID) (\(stored.ticket.priority.rawValue), \(stored.ticket.subject)). Reason: \(reason). Support will see it on the ticket in \(stored.ticket.source.rawValue.capitalizedFirst)."
        return HandlerResult(Reply(blocks: [.section(reply)], fallbackText: reply), shown: stored.ticket.customerID.map { [$0] } ?? [])
    }
}

/// `draft_outreach`: an email to the customer's champion about recent issues, for the CSM to edit.
struct DraftOutreachHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customer = try await context.requiredCustomer(example: "draft an email to Acme about the recent issues")
        let topic = context.slots.text?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        guard let draft = try await OutreachDraft.compose(customer: customer, topic: topic, author: context.asker, store: context.store,
                                                   settings: context.settings, now: context.now) else {
            return HandlerResult(Reply(blocks: [.section(OutreachDraft.missingTemplates)], fallbackText: OutreachDraft.missingTemplates))
        }
        // The modal composes the draft again from the same request (customer and topic): a
        // button's value could not hold the email, and the numbers are as fresh as the click.
        var request = AnswerRequest(intent: .draftOutreach, customer: customer.id)
        request.text = topic
        var blocks: [ReplyBlock] = [
            .section("Here is a draft for you to edit and send:"),
            .section(draft.to + "\n" + draft.email),
        ]
        if let edit = AnswerButton.editDraftEmail.action("Edit in a modal", request, style: .primary) { blocks.append(.actions([edit])) }
        return HandlerResult(Reply(header: "Draft email: \(customer.name)", blocks: blocks, fallbackText: "Draft email to \(customer.name): \(draft.email.prefix(200))…"), shown: [customer.id])
    }
}

/// A drafted outreach email: composed for the answer and again for the "Edit in a modal"
/// button, and saved (to `email_drafts`, audited) when the modal is submitted.
public struct OutreachDraft: Sendable {
    public var customer: Customer
    /// "To: Wile Coyote <wile@acme.io>".
    public var to: String
    /// "Subject: …" then the body, as the template writes it.
    public var email: String

    static let missingTemplates = "I can't find the email templates (prompts/). Set TICKETPULSE_PROMPTS_DIR to the prompts folder."

    /// Why a draft cannot be opened or saved for someone; said to them as it is.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// The draft for the "Edit in a modal" button: the request's customer, checked against
    /// the clicker's scope (a button can be clicked by anyone who sees the message).
    public static func compose(_ request: AnswerRequest, for person: CSM, store: any Store, settings: AnswerSettings = AnswerSettings(), now: Date) async throws -> OutreachDraft {
        let customer = try await scopedCustomer(request.customer, person: person, store: store)
        guard request.intent == .draftOutreach,
              let draft = try await compose(customer: customer, topic: request.text?.nonEmpty, author: person, store: store, settings: settings, now: now)
        else { throw Refusal(description: request.intent == .draftOutreach ? missingTemplates : "That button is not a drafted email.") }
        return draft
    }

    /// Saves an edited draft for `customerID` by `person`, audited; refused outside their scope.
    public static func save(customerID: String, subject: String, body: String, by person: CSM, store: any Store, now: Date) async throws {
        let customer = try await scopedCustomer(customerID, person: person, store: store)
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Refusal(description: "The email is empty: write it first.") }
        try await store.saveEmailDraft(alertID: nil, customerID: customer.id, author: person.email, subject: subject, body: body, at: now)
        try await store.audit(AuditEntry(at: now, actor: person.email, action: "action:save_draft_email", detail: subject, customerIDs: [customer.id]))
    }

    public static func scopedCustomer(_ id: String?, person: CSM, store: any Store) async throws -> Customer {
        guard let id, try await AccessScope.of(person, in: store).allows(id), let customer = try await store.customer(id: id) else {
            throw Refusal(description: "You can't draft emails for that account: it isn't one of yours, or I don't know it.")
        }
        return customer
    }

    /// Located and parsed once per process (the alert texts have their own, in `AlertMessages`).
    static let templates = PromptTemplates.locate()

    static func compose(customer: Customer, topic: String?, author: CSM, store: any Store, settings: AnswerSettings, now: Date) async throws -> OutreachDraft? {
        guard let templates = Self.templates else { return nil }
        let (snapshots, _) = try await settings.snapshotBuilder.snapshots(customers: [customer], store: store, period: .trailing(days: 30, endingAt: now), now: now)
        let snapshot = snapshots[0]
        let lastDay = Period(start: now.addingTimeInterval(-86_400), end: now)
        let recent = try await store.tickets(TicketQuery(customerIDs: [customer.id], createdIn: lastDay, limit: 200)).tickets.map(\.ticket)
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
            "csmName": author.name,
        ]
        // Optional phrases are left out, not set empty: the template's sections test for presence.
        if let theme = Themes.recurring(in: recent.map(\.subject), limit: 1).first?.phrase { values["topTheme"] = theme }
        if let topic { values["topic"] = topic }
        let email = try templates.render("outreach_email", values)
        let to = customer.championEmail.map { "To: \(customer.championName ?? "") <\($0)>" } ?? "To: (no champion on file for \(customer.name))"
        return OutreachDraft(customer: customer, to: to, email: email)
    }
}
