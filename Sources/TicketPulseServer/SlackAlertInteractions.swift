import Foundation
import Hummingbird
import Logging
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStorage
import TicketPulseWorkflows

/// The alert buttons (`alert_*` action ids, value = alert id) and their modals. Each click
/// and submission is one `AlertActions.attempt`: who clicked is mapped to a CS team member,
/// anyone unknown or outside the alert's customer scope is told so and nothing changes, and
/// the attempt is audited either way.
struct SlackAlertInteractions: Sendable {
    static let draftCallbackID = "alert_draft_email"
    static let draftBlockID = "draft"
    static let draftActionID = "draft_input"
    static let coordinateCallbackID = "alert_coordinate"
    static let coordinateBlockID = "coordinate"
    static let coordinateActionID = "coordinate_input"

    let actions: AlertActions
    let outreach: OutreachSender
    let store: any Store
    let slack: any SlackWebAPI
    let worker: SlackWorker
    let logger: Logger

    func handles(_ routeID: String) -> Bool { AlertMessages.Button(rawValue: routeID) != nil }

    func click(_ action: SlackInteraction.Action, of interaction: SlackInteraction) async {
        guard let button = AlertMessages.Button(rawValue: action.routeID), let alertID = Int64(action.value ?? "") else { return }
        let directory = SlackUserDirectory(store: store, slack: slack)
        do {
            let metadata = "alert:\(alertID)"
            try await actions.attempt(button.auditAction, alertID: alertID, clicker: interaction.user.id, detail: button.snooze == nil ? "" : button.label,
                                      person: { try await directory.person(slackUserID: interaction.user.id) }) { alert in
                switch button {
                case .acknowledge:
                    try await actions.acknowledge(alert)
                    // From the Home tab's notifications: show it acknowledged there too.
                    if interaction.container?.type == "view", interaction.view?.type == "home" {
                        _ = worker.enqueue(.homeOpened(user: interaction.user.id))
                    }
                case .snoozeHour, .snoozeDay, .snoozeWeek:
                    try await actions.snooze(alert, for: button.snooze ?? 3600)
                case .viewTickets, .viewTicket, .viewCustomer:
                    // Asked on the clicker's behalf, so the answer comes in their scope.
                    let name = alert.stored.alert.customerName
                    let question = switch button {
                    case .viewTicket: alert.stored.alert.ticket.map { "show ticket \($0.externalID)" } ?? "show open tickets for \(name)"
                    case .viewCustomer: "what's the support health for \(name)?"
                    default: "show open tickets for \(name)"
                    }
                    let job = SlackJob.buttonQuestion(user: interaction.user.id, channel: interaction.messageChannelID,
                                                      threadTS: interaction.message?.threadTS ?? interaction.messageTS, responseURL: interaction.responseURL,
                                                      text: question, expanded: false)
                    _ = worker.enqueue(job)
                case .coordinate:
                    guard let trigger = interaction.triggerID else { return }
                    let about = alert.stored.alert.ticket.map { "#\($0.externalID) \($0.subject)" } ?? alert.stored.alert.title
                    let form = SlackModalForm(
                        callbackID: Self.coordinateCallbackID, title: "Coordinate", submit: "Send",
                        intro: "A message to the support team about *\(SlackText.escape(about))*: it goes on the ticket as an internal note and to the escalations channel.",
                        input: SlackInput(blockID: Self.coordinateBlockID, actionID: Self.coordinateActionID, label: "Message", multiline: true, maxLength: 2000),
                        privateMetadata: metadata
                    )
                    try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(form))
                case .addNote, .requestEscalation:
                    guard let trigger = interaction.triggerID else { return }
                    let about = alert.stored.alert.ticket.map { "#\($0.externalID) \($0.subject)" } ?? alert.stored.alert.title
                    let form = button == .addNote ? SlackModalForm.addNote(privateMetadata: metadata, about: about)
                                                  : SlackModalForm.requestEscalation(privateMetadata: metadata, about: about)
                    try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(form))
                case .draftResponse:
                    let draft = try await actions.draft(alert)
                    guard let trigger = interaction.triggerID else { return }
                    let text = draft.subject.isEmpty ? draft.body : "Subject: \(draft.subject)\n\n\(draft.body)"
                    var form = SlackModalForm(
                        callbackID: Self.draftCallbackID, title: "Draft response", submit: "Save",
                        intro: "Edit the email. Tick “Send as \(SlackText.escape(alert.person.email))” to send it now, from you; otherwise it is saved as a draft.",
                        input: SlackInput(blockID: Self.draftBlockID, actionID: Self.draftActionID, label: "Email", multiline: true,
                                          maxLength: 3000, initialValue: String(text.prefix(3000))),
                        privateMetadata: metadata
                    )
                    let champion = try await store.customer(id: alert.stored.alert.customerID)?.championEmail
                    form.more = SlackAnswerInteractions.sendInputs(sender: alert.person.email, champion: champion)
                    try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(form))
                case .warRoom:
                    try await startWarRoom(alert, interaction: interaction)
                }
            }
            if button.snooze != nil {
                await tell(interaction, "Snoozed: you won't get DMs about this customer until then; they go to your digest.")
            }
        } catch ActionRefusal.notOnRoster {
            await tell(interaction, SlackUserDirectory.unknownUserReply(interaction.user.id).fallbackText)
        } catch let refusal as ActionRefusal {
            await tell(interaction, refusal.description)
        } catch {
            logger.error("alert button failed", metadata: ["action": "\(action.routeID)", "error": "\(error)"])
            await tell(interaction, "Sorry, that didn't work (\(error)). Try again in a minute.")
        }
    }

    /// A modal submitted from an alert button; nil when the modal is not an alert's.
    func submit(_ interaction: SlackInteraction) async throws -> SlackAck? {
        guard let view = interaction.view, let metadata = view.privateMetadata, metadata.hasPrefix("alert:"),
              let alertID = Int64(metadata.dropFirst("alert:".count)) else { return nil }
        let (blockID, actionID, action): (String, String, String) = switch view.callbackID {
        case SlackModalForm.addNoteCallbackID: (SlackModalForm.noteBlockID, SlackModalForm.noteActionID, "note")
        case SlackModalForm.requestEscalationCallbackID: (SlackModalForm.reasonBlockID, SlackModalForm.reasonActionID, "escalation_request")
        case Self.coordinateCallbackID: (Self.coordinateBlockID, Self.coordinateActionID, "coordination")
        default: (Self.draftBlockID, Self.draftActionID, "draft_email")
        }
        let text = view.value(block: blockID, action: actionID)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let (subject, body) = AlertRouter.splitSubject(text)
        let directory = SlackUserDirectory(store: store, slack: slack)
        if action == "draft_email", view.isChecked(block: SlackAnswerInteractions.sendBlockID, action: SlackAnswerInteractions.sendActionID) {
            return try await sendDraft(alertID: alertID, view: view, interaction: interaction, subject: subject, body: body)
        }
        do {
            try await actions.attempt(action, alertID: alertID, clicker: interaction.user.id, detail: action == "draft_email" ? subject : text,
                                      person: { try await directory.person(slackUserID: interaction.user.id) }) { alert in
                switch view.callbackID {
                case SlackModalForm.addNoteCallbackID: try await actions.addNote(alert, text: text)
                case SlackModalForm.requestEscalationCallbackID: try await actions.requestEscalation(alert, reason: text)
                case Self.coordinateCallbackID: try await actions.coordinate(alert, message: text)
                default: try await actions.saveDraft(alert, subject: subject, body: body)
                }
            }
        } catch let refusal as ActionRefusal {
            return SlackAck.reply(["response_action": "errors", "errors": [blockID: refusal.description]])
        }
        return .accepted
    }

    /// The draft modal submitted with "Send as …" ticked: the attempt (scope, audit) as every
    /// alert action, the email queued by `OutreachSender` (which audits the email itself),
    /// and the send on the alert's timeline.
    func sendDraft(alertID: Int64, view: SlackInteraction.View, interaction: SlackInteraction, subject: String, body: String) async throws -> SlackAck {
        let directory = SlackUserDirectory(store: store, slack: slack)
        do {
            try await actions.attempt("send_email", alertID: alertID, clicker: interaction.user.id, detail: subject,
                                      person: { try await directory.person(slackUserID: interaction.user.id) }) { alert in
                let address = try await outreach.send(customerID: alert.stored.alert.customerID,
                                                      to: view.value(block: SlackAnswerInteractions.toBlockID, action: SlackAnswerInteractions.toActionID),
                                                      subject: subject, body: body, alertID: alert.stored.id, by: alert.person)
                try await actions.emailSent(alert, to: address, subject: subject)
            }
        } catch let refusal as ActionRefusal {
            return SlackAck.reply(["response_action": "errors", "errors": [Self.draftBlockID: refusal.description]])
        } catch let refusal as OutreachSender.Refusal {
            let block = refusal.field == .address && view.values[SlackAnswerInteractions.toBlockID] != nil ? SlackAnswerInteractions.toBlockID : Self.draftBlockID
            return SlackAck.reply(["response_action": "errors", "errors": [block: refusal.description]])
        }
        return .accepted
    }

    /// A channel for the incident with the clicker, the CSM and the support lead, opened
    /// with the alert's summary.
    func startWarRoom(_ alert: AuthorizedAlert, interaction: SlackInteraction) async throws {
        let plan = try await actions.warRoom(alert)
        let channel = try await slack.createChannel(name: plan.name)
        let directory = SlackUserDirectory(store: store, slack: slack)
        var users: [String] = []
        for email in plan.members {
            if let id = try await directory.slackUserID(email: email) { users.append(id) }
        }
        if !users.isEmpty { try await slack.invite(users: users, to: channel) }
        try await slack.postMessage(channel: channel, message: BlockKitRenderer().message(plan.summary))
        try await actions.warRoomStarted(alert, channel: channel)
    }

    func tell(_ interaction: SlackInteraction, _ text: String) async {
        await slack.tell(interaction, text, logger: logger)
    }
}
