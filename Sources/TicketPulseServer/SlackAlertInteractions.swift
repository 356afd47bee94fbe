import Foundation
import Hummingbird
import Logging
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStore
import TicketPulseWorkflows

/// The alert buttons (`alert_*` action ids, value = alert id) and their modals. Who clicked
/// is mapped to a CS team member first; anyone outside the alert's customer scope is told
/// so and nothing changes.
struct SlackAlertInteractions: Sendable {
    static let draftCallbackID = "alert_draft_email"
    static let draftBlockID = "draft"
    static let draftActionID = "draft_input"

    let actions: AlertActions
    let store: TicketStore
    let slack: any SlackWebAPI
    let worker: SlackWorker
    let logger: Logger

    func handles(_ routeID: String) -> Bool { AlertMessages.Button(rawValue: routeID) != nil }

    func click(_ action: SlackInteraction.Action, of interaction: SlackInteraction) async {
        guard let button = AlertMessages.Button(rawValue: action.routeID), let alertID = Int64(action.value ?? "") else { return }
        do {
            guard let person = try await SlackUserDirectory(store: store, slack: slack).person(slackUserID: interaction.user.id) else {
                return await tell(interaction, SlackUserDirectory.unknownUserReply(interaction.user.id).fallbackText)
            }
            let metadata = "alert:\(alertID)"
            switch button {
            case .acknowledge:
                try actions.acknowledge(alertID: alertID, by: person)
            case .snoozeHour, .snoozeDay, .snoozeWeek:
                try actions.snooze(alertID: alertID, for: button.snooze ?? 3600, by: person)
                await tell(interaction, "Snoozed: you won't get DMs about this customer until then; they go to your digest.")
            case .viewTickets:
                let stored = try actions.authorize(alertID: alertID, person: person)
                let job = SlackJob.buttonQuestion(user: interaction.user.id, channel: interaction.messageChannelID,
                                                  threadTS: interaction.message?.threadTS ?? interaction.messageTS, responseURL: interaction.responseURL,
                                                  text: "show open tickets for \(stored.alert.customerName)", expanded: false)
                _ = worker.enqueue(job)
            case .addNote, .requestEscalation:
                let stored = try actions.authorize(alertID: alertID, person: person)
                guard let trigger = interaction.triggerID else { return }
                let about = stored.alert.ticket.map { "#\($0.externalID) \($0.subject)" } ?? stored.alert.title
                let form = button == .addNote ? SlackModalForm.addNote(privateMetadata: metadata, about: about)
                                              : SlackModalForm.requestEscalation(privateMetadata: metadata, about: about)
                try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(form))
            case .draftResponse:
                let draft = try actions.draft(alertID: alertID, by: person)
                guard let trigger = interaction.triggerID else { return }
                let text = draft.subject.isEmpty ? draft.body : "Subject: \(draft.subject)\n\n\(draft.body)"
                let form = SlackModalForm(
                    callbackID: Self.draftCallbackID, title: "Draft response", submit: "Save draft",
                    intro: "Edit the email, then save it; send it from your own mailbox.",
                    input: SlackInput(blockID: Self.draftBlockID, actionID: Self.draftActionID, label: "Email", multiline: true,
                                      maxLength: 3000, initialValue: String(text.prefix(3000))),
                    privateMetadata: metadata
                )
                try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(form))
            case .warRoom:
                try await startWarRoom(alertID: alertID, person: person, interaction: interaction)
            }
        } catch let refusal as AlertActions.Refusal {
            await tell(interaction, refusal.description)
        } catch {
            logger.error("alert button failed", metadata: ["action": "\(action.routeID)", "error": "\(error)"])
            await tell(interaction, "Sorry, that didn't work (\(error)). Try again in a minute.")
        }
    }

    /// A modal submitted from an alert button; nil when the modal is not an alert's.
    func submit(_ interaction: SlackInteraction) async throws -> Response? {
        guard let view = interaction.view, let metadata = view.privateMetadata, metadata.hasPrefix("alert:"),
              let alertID = Int64(metadata.dropFirst("alert:".count)) else { return nil }
        let (blockID, actionID): (String, String) = switch view.callbackID {
        case SlackModalForm.addNoteCallbackID: (SlackModalForm.noteBlockID, SlackModalForm.noteActionID)
        case SlackModalForm.requestEscalationCallbackID: (SlackModalForm.reasonBlockID, SlackModalForm.reasonActionID)
        default: (Self.draftBlockID, Self.draftActionID)
        }
        func refuse(_ message: String) -> Response {
            JSONResponse.make(.ok, ["response_action": "errors", "errors": [blockID: message]])
        }
        let text = view.value(block: blockID, action: actionID)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let person = try await SlackUserDirectory(store: store, slack: slack).person(slackUserID: interaction.user.id) else {
            return refuse("I don't know you yet: ask a TicketPulse admin to add you to the roster.")
        }
        do {
            switch view.callbackID {
            case SlackModalForm.addNoteCallbackID: try actions.addNote(alertID: alertID, text: text, by: person)
            case SlackModalForm.requestEscalationCallbackID: try actions.requestEscalation(alertID: alertID, reason: text, by: person)
            default:
                let (subject, body) = AlertRouter.splitSubject(text)
                try actions.saveDraft(alertID: alertID, subject: subject, body: body, by: person)
            }
        } catch let refusal as AlertActions.Refusal {
            return refuse(refusal.description)
        }
        return Response(status: .ok)
    }

    /// A channel for the incident with the clicker, the CSM and the support lead, opened
    /// with the alert's summary.
    func startWarRoom(alertID: Int64, person: CSM, interaction: SlackInteraction) async throws {
        let plan = try actions.warRoom(alertID: alertID, by: person)
        let channel = try await slack.createChannel(name: plan.name)
        let directory = SlackUserDirectory(store: store, slack: slack)
        var users: [String] = []
        for email in plan.members {
            if let id = try await directory.slackUserID(email: email) { users.append(id) }
        }
        if !users.isEmpty { try await slack.invite(users: users, to: channel) }
        try await slack.postMessage(channel: channel, message: BlockKitRenderer().message(plan.summary))
        try actions.warRoomStarted(plan.alert, channel: channel, by: person)
    }

    func tell(_ interaction: SlackInteraction, _ text: String) async {
        guard let channel = interaction.messageChannelID else { return }
        do {
            try await slack.postEphemeral(channel: channel, user: interaction.user.id, message: SlackMessage(text: text))
        } catch {
            logger.warning("ephemeral reply failed", metadata: ["error": "\(error)"])
        }
    }
}
