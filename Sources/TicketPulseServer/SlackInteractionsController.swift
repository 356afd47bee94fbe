import Foundation
import Hummingbird
import Logging
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStore

/// `POST /slack/interactions`: buttons (`block_actions`) dispatched by action_id, and modal
/// submissions (`view_submission`). Modals open inside the request, before the 3-s trigger
/// window closes; anything slow is queued.
struct SlackInteractionsController: Sendable {
    let reader: SlackRequestReader
    let store: TicketStore
    let slack: any SlackWebAPI
    let worker: SlackWorker
    let metrics: ServerMetrics
    let now: @Sendable () -> Date
    let logger: Logger
    let alerts: SlackAlertInteractions
    let answers: SlackAnswerInteractions

    func handle(_ request: Request) async throws -> Response {
        let interaction: SlackInteraction
        switch await reader.read(request, as: SlackInteraction.self) {
        case .refused(let response): return response
        case .payload(let decoded): interaction = decoded
        }
        metrics.interactions.increment()
        switch interaction.kind {
        case .blockActions:
            for action in interaction.actions { try await dispatch(action, of: interaction) }
            return Response(status: .ok)
        case .viewSubmission:
            return try await submit(interaction)
        case .other:
            return Response(status: .ok)
        }
    }

    private func dispatch(_ action: SlackInteraction.Action, of interaction: SlackInteraction) async throws {
        let value = action.value ?? ""
        if alerts.handles(action.routeID) { return await alerts.click(action, of: interaction) }
        if answers.handles(action.routeID) { return await answers.click(action, of: interaction) }
        switch action.routeID {
        case AnswerButton.addNote.rawValue, AnswerButton.requestEscalation.rawValue:
            guard let trigger = interaction.triggerID else { return }
            // Where to refresh the ticket message after the submission.
            let metadata = [value, interaction.messageChannelID ?? "", interaction.messageTS ?? ""].joined(separator: "|")
            let ticket = TicketReference(value)?.externalID
            let view = action.routeID == AnswerButton.addNote.rawValue
                ? SlackModalForm.addNote(privateMetadata: metadata, about: ticket.map { "Ticket #\($0)" })
                : SlackModalForm.requestEscalation(privateMetadata: metadata, about: ticket.map { "Ticket #\($0)" })
            do {
                try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(view))
            } catch {
                metrics.answerFailures.increment()
                logger.error("views.open failed", metadata: ["error": "\(error)"])
            }
        default:
            guard let question = try question(for: action.routeID, value: value) else { return }
            let job = SlackJob.buttonQuestion(user: interaction.user.id, channel: interaction.messageChannelID,
                                              threadTS: interaction.message?.threadTS ?? interaction.messageTS,
                                              responseURL: interaction.responseURL, text: question,
                                              expanded: action.routeID == BlockKitRenderer.seeMoreActionID)
            if !worker.enqueue(job) { metrics.queueFull.increment() }
        }
    }

    /// The question a button asks on the clicker's behalf; scope is checked when it is answered.
    /// (The answers' own buttons carry their intent and slots: `SlackAnswerInteractions`.)
    func question(for routeID: String, value: String) throws -> String? {
        switch routeID {
        // The question whose list was cut, asked again in full; scope is checked as for any question.
        case BlockKitRenderer.seeMoreActionID: return value.isEmpty ? nil : value
        default: return nil
        }
    }

    private func submit(_ interaction: SlackInteraction) async throws -> Response {
        guard let view = interaction.view else { return Response(status: .ok) }
        if let response = try await alerts.submit(interaction) { return response }
        if let response = try await answers.submit(interaction) { return response }
        let parts = (view.privateMetadata ?? "").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard let reference = parts.first.flatMap(TicketReference.init) else { return Response(status: .ok) }
        let isNote = view.callbackID == SlackModalForm.addNoteCallbackID
        let text = (isNote ? view.value(block: SlackModalForm.noteBlockID, action: SlackModalForm.noteActionID)
                           : view.value(block: SlackModalForm.reasonBlockID, action: SlackModalForm.reasonActionID))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty {
            let block = isNote ? SlackModalForm.noteBlockID : SlackModalForm.reasonBlockID
            return JSONResponse.make(.ok, ["response_action": "errors", "errors": [block: isNote ? "Write the note first." : "Say why it needs escalating."]])
        }
        let people = SlackUserDirectory(store: store, slack: slack)
        guard let person = try await people.person(slackUserID: interaction.user.id),
              let stored = try store.ticket(source: reference.source, externalID: reference.externalID),
              try AccessScope.of(person, in: store).allows(stored.ticket.customerID)
        else {
            return JSONResponse.make(.ok, ["response_action": "errors", "errors": [isNote ? SlackModalForm.noteBlockID : SlackModalForm.reasonBlockID: "You can't act on this ticket: it isn't in your accounts."]])
        }
        try store.recordAction(TicketAction(kind: isNote ? .note : .escalationRequest, actor: person.email, body: text, createdAt: now()), ticketID: stored.id)
        try store.audit(AuditEntry(at: now(), actor: person.email, action: isNote ? "action:add_note" : "action:request_escalation",
                                   detail: "#\(reference.externalID): \(text)", customerIDs: stored.ticket.customerID.map { [$0] } ?? []))
        // Refresh the ticket message the button sat on, so it shows the new note.
        if parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty {
            _ = worker.enqueue(.refreshMessage(user: interaction.user.id, channel: parts[1], ts: parts[2], text: "show ticket \(reference.externalID)"))
        }
        return Response(status: .ok)
    }
}

/// "zendesk:4521": a ticket as the answers' buttons carry it.
struct TicketReference: Sendable {
    var source: SourceSystem
    var externalID: String

    init?(_ value: String) {
        guard let colon = value.firstIndex(of: ":"), let source = SourceSystem(rawValue: String(value[..<colon])) else { return nil }
        self.source = source
        externalID = String(value[value.index(after: colon)...])
        guard !externalID.isEmpty else { return nil }
    }
}
