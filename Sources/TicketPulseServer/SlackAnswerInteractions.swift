import Foundation
import Hummingbird
import Logging
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStorage
import TicketPulseWorkflows

/// The buttons of answers (`AnswerButton`, value = an encoded `AnswerRequest`) other than
/// the ticket modals: questions, "Did you mean…?" readings, [Confirm] / [Cancel] of writes,
/// and the drafted email's "Edit in a modal". A click is queued and answered from the
/// intent and slots it carries, for the clicker; the modal opens inside the request.
struct SlackAnswerInteractions: Sendable {
    /// The drafted email's modal; its block and input ids are the alert draft modal's, so
    /// the two read the same way.
    static let draftCallbackID = "answer_draft_email"
    /// The modal's optional inputs: the customer's address (asked for when none is known)
    /// and the "Send as …" checkbox, without which nothing is sent.
    static let toBlockID = "to"
    static let toActionID = "to_input"
    static let sendBlockID = "send"
    static let sendActionID = "send_input"

    let store: any Store
    let slack: any SlackWebAPI
    let worker: SlackWorker
    let settings: AnswerSettings
    let outreach: OutreachSender
    let now: @Sendable () -> Date
    let logger: Logger

    /// The answer buttons handled here; the ticket modals (add note, request escalation)
    /// are the interactions controller's.
    func handles(_ routeID: String) -> Bool {
        guard let button = AnswerButton(rawValue: routeID) else { return false }
        return button != .addNote && button != .requestEscalation
    }

    func click(_ action: SlackInteraction.Action, of interaction: SlackInteraction) async {
        guard let button = AnswerButton(rawValue: action.routeID) else { return }
        let value = action.value ?? ""
        if button == .editDraftEmail { return await openDraft(value: value, interaction: interaction) }
        // An ephemeral message (a `/pulse` answer) cannot be chat.update'd: without its ts the
        // job replaces it through the response_url instead.
        let replaceable = interaction.container?.isEphemeral == true ? nil : interaction.messageTS
        let job = SlackJob.answerButton(user: interaction.user.id, channel: interaction.messageChannelID, messageTS: replaceable,
                                        threadTS: interaction.message?.threadTS ?? interaction.messageTS, responseURL: interaction.responseURL,
                                        button: button.rawValue, value: value)
        if !worker.enqueue(job) { await tell(interaction, "I'm too busy to answer that right now; click again in a minute.") }
    }

    /// The draft again for the same customer and topic, in a modal to edit and save. Inside
    /// the request: the trigger expires 3 s after the click.
    func openDraft(value: String, interaction: SlackInteraction) async {
        guard let trigger = interaction.triggerID else { return }
        do {
            guard let person = try await SlackUserDirectory(store: store, slack: slack).person(slackUserID: interaction.user.id) else {
                return await tell(interaction, SlackUserDirectory.unknownUserReply(interaction.user.id).fallbackText)
            }
            guard let request = AnswerRequest(encoded: value) ?? (value.first == "{" ? nil : AnswerRequest(intent: .draftOutreach, customer: value)) else {
                return await tell(interaction, "I couldn't read that button. Ask for the draft again and use the new answer's button.")
            }
            let draft = try await OutreachDraft.compose(request, for: person, store: store, settings: settings, now: now())
            try await slack.openView(triggerID: trigger, view: BlockKitRenderer().modal(Self.draftForm(draft, sender: person.email)))
        } catch let refusal as OutreachDraft.Refusal {
            await tell(interaction, refusal.description)
        } catch {
            logger.error("draft modal failed", metadata: ["error": "\(error)"])
            await tell(interaction, "Sorry, I couldn't open the draft. Try again in a minute.")
        }
    }

    /// The draft to edit, an address field when the customer has none on file, and the
    /// "Send as …" checkbox: unticked, submitting saves the draft; ticked, it also sends.
    static func draftForm(_ draft: OutreachDraft, sender: String) -> SlackModalForm {
        let champion = draft.customer.championEmail
        var form = SlackModalForm(
            callbackID: Self.draftCallbackID, title: "Edit email", submit: "Save",
            intro: "\(SlackText.escape(draft.to))\nEdit the email. Tick “Send as \(SlackText.escape(sender))” to send it now, from you; otherwise it is saved as a draft.",
            input: SlackInput(blockID: SlackAlertInteractions.draftBlockID, actionID: SlackAlertInteractions.draftActionID, label: "Email",
                              multiline: true, maxLength: 3000, initialValue: String(draft.email.prefix(3000))),
            privateMetadata: draft.customer.id
        )
        form.more = sendInputs(sender: sender, champion: champion)
        return form
    }

    /// The inputs a draft modal (this one and the alert's) adds for sending: the address
    /// when none is on file, and the checkbox without which nothing is sent.
    static func sendInputs(sender: String, champion: String?) -> [SlackInput] {
        var inputs: [SlackInput] = []
        if champion == nil {
            inputs.append(SlackInput(blockID: toBlockID, actionID: toActionID, label: "To (no contact on file)", placeholder: "name@customer.com",
                                     maxLength: 254, optional: true))
        }
        inputs.append(.checkbox(blockID: sendBlockID, actionID: sendActionID, label: "Send",
                                text: "Send as \(sender)" + (champion.map { " to \($0)" } ?? "")))
        return inputs
    }

    /// The drafted email's modal submitted: saved to the email drafts, audited; with "Send
    /// as …" ticked, also sent (queued in the outbox, From the CSM). Nil when the modal is
    /// not this one.
    func submit(_ interaction: SlackInteraction) async throws -> SlackAck? {
        guard let view = interaction.view, view.callbackID == Self.draftCallbackID else { return nil }
        func refuse(_ message: String, block: String = SlackAlertInteractions.draftBlockID) -> SlackAck {
            SlackAck.reply(["response_action": "errors", "errors": [block: message]])
        }
        let text = view.value(block: SlackAlertInteractions.draftBlockID, action: SlackAlertInteractions.draftActionID)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let person = try await SlackUserDirectory(store: store, slack: slack).person(slackUserID: interaction.user.id) else {
            return refuse("I don't know you yet: ask a TicketPulse admin to add you to the roster.")
        }
        let (subject, body) = AlertRouter.splitSubject(text)
        if view.isChecked(block: Self.sendBlockID, action: Self.sendActionID) {
            do {
                try await outreach.send(customerID: view.privateMetadata ?? "", to: view.value(block: Self.toBlockID, action: Self.toActionID),
                                        subject: subject, body: body, by: person)
            } catch let refusal as OutreachSender.Refusal {
                // The address field exists only when no contact is on file; otherwise the
                // error is shown under the email.
                let block = refusal.field == .address && view.values[Self.toBlockID] != nil ? Self.toBlockID : SlackAlertInteractions.draftBlockID
                return refuse(refusal.description, block: block)
            }
            return .accepted
        }
        do {
            try await OutreachDraft.save(customerID: view.privateMetadata ?? "", subject: subject, body: body, by: person, store: store, now: now())
        } catch let refusal as OutreachDraft.Refusal {
            return refuse(refusal.description)
        }
        return .accepted
    }

    func tell(_ interaction: SlackInteraction, _ text: String) async {
        await slack.tell(interaction, text, logger: logger)
    }
}
