/// A one-input modal: "Add note" and "Request escalation". The ids are public because
/// the `view_submission` handler reads `view.value(block:action:)` with them.
public struct SlackModalForm: Sendable, Equatable {
    public static let addNoteCallbackID = "add_note"
    public static let noteBlockID = "note"
    public static let noteActionID = "note_input"
    public static let requestEscalationCallbackID = "request_escalation"
    public static let reasonBlockID = "reason"
    public static let reasonActionID = "reason_input"

    public var callbackID: String
    public var title: String
    public var submit: String
    public var close: String
    /// mrkdwn shown above the input, e.g. which ticket the note is for.
    public var intro: String?
    public var input: SlackInput
    /// Inputs after the main one (an address, a confirmation checkbox).
    public var more: [SlackInput] = []
    /// Carried back on submission (the ticket or alert the modal is about); at most
    /// 3000 characters, so pass an id, not the record.
    public var privateMetadata: String

    public init(callbackID: String, title: String, submit: String, close: String = "Cancel", intro: String? = nil, input: SlackInput, privateMetadata: String) {
        self.callbackID = callbackID
        self.title = title
        self.submit = submit
        self.close = close
        self.intro = intro
        self.input = input
        self.privateMetadata = privateMetadata
    }

    /// `about` is shown escaped: it is usually a ticket subject.
    public static func addNote(privateMetadata: String, about: String? = nil) -> SlackModalForm {
        SlackModalForm(
            callbackID: addNoteCallbackID,
            title: "Add note",
            submit: "Save note",
            intro: about.map { "Internal note on *\(SlackText.escape($0))*" },
            input: SlackInput(
                blockID: noteBlockID, actionID: noteActionID, label: "Note",
                placeholder: "What should the support team know?", multiline: true, maxLength: 3000
            ),
            privateMetadata: privateMetadata
        )
    }

    public static func requestEscalation(privateMetadata: String, about: String? = nil) -> SlackModalForm {
        SlackModalForm(
            callbackID: requestEscalationCallbackID,
            title: "Request escalation",
            submit: "Request",
            intro: about.map { "Escalation request for *\(SlackText.escape($0))*" },
            input: SlackInput(
                blockID: reasonBlockID, actionID: reasonActionID, label: "Reason",
                placeholder: "Why does this need escalating?", multiline: true, maxLength: 2000
            ),
            privateMetadata: privateMetadata
        )
    }
}

extension BlockKitRenderer {
    public func modal(_ form: SlackModalForm) -> SlackView {
        var input = form.input
        input.label = SlackText.truncate(input.label, to: 2000)
        input.blockID = String(input.blockID.prefix(SlackLimits.identifier))
        input.actionID = String(input.actionID.prefix(SlackLimits.identifier))
        input.placeholder = input.placeholder.map { SlackText.truncate($0, to: 150) }
        var blocks: [SlackBlock] = []
        if let intro = form.intro, !intro.isEmpty {
            blocks.append(.section(text: SlackText.truncate(intro, to: SlackLimits.sectionText), fields: []))
        }
        blocks.append(.input(input))
        blocks += form.more.map(SlackBlock.input)
        return SlackView(
            type: .modal,
            blocks: blocks,
            title: SlackText.truncate(form.title, to: SlackLimits.modalTitle),
            submit: SlackText.truncate(form.submit, to: SlackLimits.modalTitle),
            close: SlackText.truncate(form.close, to: SlackLimits.modalTitle),
            callbackID: String(form.callbackID.prefix(SlackLimits.identifier)),
            // Cutting corrupts what it carries, so an oversized value is a caller bug, but
            // Slack must still get a view it accepts.
            privateMetadata: SlackText.truncate(form.privateMetadata, to: SlackLimits.privateMetadata, marker: "")
        )
    }

    public func addNoteModal(privateMetadata: String, about: String? = nil) -> SlackView {
        modal(.addNote(privateMetadata: privateMetadata, about: about))
    }

    public func requestEscalationModal(privateMetadata: String, about: String? = nil) -> SlackView {
        modal(.requestEscalation(privateMetadata: privateMetadata, about: about))
    }
}
