import Foundation
import Hummingbird
import Logging
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStorage
import TicketPulseWorkflows

/// `POST /slack/interactions` (and Socket Mode's `interactive` envelopes, through `accept`):
/// buttons (`block_actions`) dispatched by action_id, and modal submissions (`view_submission`). Modals open inside the request, before the 3-s trigger
/// window closes; anything slow is queued.
struct SlackInteractionsController: Sendable {
    let reader: SlackRequestReader
    let ledger: SlackEventLedger
    let store: any Store
    let slack: any SlackWebAPI
    let worker: SlackWorker
    let metrics: ServerMetrics
    let now: @Sendable () -> Date
    let logger: Logger
    let alerts: SlackAlertInteractions
    let answers: SlackAnswerInteractions

    func handle(_ request: Request) async throws -> Response {
        switch await reader.read(request, as: SlackInteraction.self) {
        case .refused(let response): return response
        case .payload(let interaction): return try await accept(interaction, deliveryID: nil).response
        }
    }

    /// An interaction from either transport to its acknowledgement. `deliveryID` is an id
    /// the transport repeats when it delivers the same interaction again (Socket Mode's
    /// envelope_id, after a reconnect): a repeat is acknowledged and not acted on twice.
    /// Over HTTP it is nil: Slack does not retry an interaction.
    func accept(_ interaction: SlackInteraction, deliveryID: String?) async throws -> SlackAck {
        if let deliveryID, try await !ledger.claim("interaction:" + deliveryID) {
            metrics.duplicateEvents.increment()
            return .accepted
        }
        metrics.interactions.increment()
        switch interaction.kind {
        case .blockActions:
            for action in interaction.actions { try await dispatch(action, of: interaction) }
            return .accepted
        case .viewSubmission:
            return try await submit(interaction)
        case .other:
            return .accepted
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
            let isNote = action.routeID == AnswerButton.addNote.rawValue
            do {
                // Checked at the click too: an outsider gets no form to fill in, and the try is audited.
                try await ticketAttempt(isNote ? "open_add_note" : "open_request_escalation", value: value, of: interaction) { _, stored in
                    let about = "Ticket #\(stored.ticket.externalID)"
                    let view = isNote ? SlackModalForm.addNote(privateMetadata: metadata, about: about)
                                      : SlackModalForm.requestEscalation(privateMetadata: metadata, about: about)
                    try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(view))
                }
            } catch ActionRefusal.notOnRoster {
                await alerts.tell(interaction, SlackUserDirectory.unknownUserReply(interaction.user.id).fallbackText)
            } catch let refusal as ActionRefusal {
                await alerts.tell(interaction, refusal.description)
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

    private func submit(_ interaction: SlackInteraction) async throws -> SlackAck {
        guard let view = interaction.view else { return .accepted }
        if let response = try await alerts.submit(interaction) { return response }
        if let response = try await answers.submit(interaction) { return response }
        let isNote = view.callbackID == SlackModalForm.addNoteCallbackID
        guard isNote || view.callbackID == SlackModalForm.requestEscalationCallbackID else { return .accepted }
        let parts = (view.privateMetadata ?? "").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let block = isNote ? SlackModalForm.noteBlockID : SlackModalForm.reasonBlockID
        let text = (isNote ? view.value(block: SlackModalForm.noteBlockID, action: SlackModalForm.noteActionID)
                           : view.value(block: SlackModalForm.reasonBlockID, action: SlackModalForm.reasonActionID))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        do {
            try await ticketAttempt(isNote ? "add_note" : "request_escalation", value: parts.first ?? "", detail: text, of: interaction) { person, stored in
                try await alerts.actions.tickets.record(isNote ? .note : .escalationRequest, text: text, on: stored, by: person)
            }
        } catch ActionRefusal.emptyText {
            return .reply(["response_action": "errors", "errors": [block: isNote ? "Write the note first." : "Say why it needs escalating."]])
        } catch let refusal as ActionRefusal {
            return .reply(["response_action": "errors", "errors": [block: refusal.description]])
        }
        // Refresh the ticket message the button sat on, so it shows the new note.
        if parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty, let reference = TicketLookup(reference: parts[0]) {
            _ = worker.enqueue(.refreshMessage(user: interaction.user.id, channel: parts[1], ts: parts[2], text: "show ticket \(reference.externalID)"))
        }
        return .accepted
    }

    /// One attempt on an answer's ticket (`value` = "zendesk:4521"), audited as
    /// `action:<action>` by the same auditor as the alert buttons: the clicker must be on
    /// the roster and the ticket in their scope before `body` runs.
    private func ticketAttempt(_ action: String, value: String, detail: String = "", of interaction: SlackInteraction,
                               _ body: (CSM, StoredTicket) async throws -> Void) async throws {
        let people = SlackUserDirectory(store: store, slack: slack)
        // A value that names no ticket is audited as an unknown one.
        let lookup = TicketLookup(reference: value) ?? .reference(.webhook, externalID: "")
        try await alerts.actions.tickets.attempt("action:\(action)", ticket: lookup, actor: "slack:\(interaction.user.id)", detail: detail,
                                                 person: { try await people.person(slackUserID: interaction.user.id) }, body)
    }
}
